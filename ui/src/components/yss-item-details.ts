import {css, html, LitElement, nothing, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {deleteItem, getItem, type LibraryItemView, previewUrl} from "../data/library.js";
import {panelStyles} from "../styles.js";
import {duration, messageOf} from "./format.js";
import {audioFormat} from "./labels.js";
import "./yss-alert.js";

/**
 * One library item: its metadata and a player to hear it. Uploaded items can be deleted; items
 * from media folders belong to the folder.
 *
 * @fires item-deleted - after the item was deleted
 */
@customElement("yss-item-details")
export class YssItemDetails extends LitElement {
  @property() itemId!: string;

  @state() private _item?: LibraryItemView;
  @state() private _error?: string;

  static override styles = [
    panelStyles,
    css`
      audio {
        width: 100%;
        margin: 8px 0;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px 12px;
        margin: 0;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("itemId")) void this._load();
  }

  override render() {
    const item = this._item;
    if (!item) return html`<div class="card"><yss-alert .message=${this._error}></yss-alert></div>`;
    return html`<div class="card" aria-label="Item details">
      <h2>${item.title}</h2>
      <audio controls preload="metadata" src=${previewUrl(item.id)} aria-label="Preview ${item.title}"></audio>
      <dl class="small">
        <dt>Artist</dt><dd>${item.artist ?? "–"}</dd>
        <dt>Album</dt><dd>${item.album ?? "–"}</dd>
        <dt>Length</dt><dd>${duration(item.duration)}</dd>
        <dt>Format</dt><dd>${audioFormat(item.codec, item.mime)}${item.bitrate ? `, ${Math.round(item.bitrate / 1000)} kb/s` : ""}</dd>
        <dt>Channels</dt><dd>${item.channels ?? "–"}${item.sampleRate ? `, ${item.sampleRate} Hz` : ""}</dd>
        <dt>Size</dt><dd>${(item.size / 1024 / 1024).toFixed(2)} MB</dd>
        ${
          // An upload's stored name is the service's business; a media folder's file is the family's own.
          item.source === "upload"
            ? html`<dt>Source</dt><dd>Uploaded</dd>`
            : html`<dt>Source</dt><dd>Media folder</dd><dt>File</dt><dd>${item.relPath}</dd>`
        }
      </dl>
      <yss-alert .message=${this._error}></yss-alert>
      ${item.source === "upload" ? html`<button class="danger" @click=${this._onDelete}>Delete</button>` : nothing}
    </div>`;
  }

  private async _load() {
    const id = this.itemId;
    try {
      const item = await getItem(id);
      if (id === this.itemId) {
        this._item = item;
        this._error = undefined;
      }
    } catch (err) {
      if (id === this.itemId) this._error = messageOf(err);
    }
  }

  private _onDelete = async () => {
    if (!this._item || !confirm(`Delete '${this._item.title}'? Streams that use it will skip it.`)) return;
    try {
      await deleteItem(this._item.id);
      this.dispatchEvent(new CustomEvent("item-deleted", {bubbles: true, composed: true}));
    } catch (err) {
      this._error = messageOf(err);
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-item-details": YssItemDetails;
  }
}
