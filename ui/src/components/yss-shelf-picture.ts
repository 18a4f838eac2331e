import {mdiImageEditOutline, mdiUndo, mdiUpload} from "@mdi/js";
import {css, html, LitElement, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import type {IconEntry} from "../data/library.js";
import {
  choosePictureFile,
  choosePictureIcon,
  clearPicture,
  listPictures,
  PICTURE_TYPES,
  type PictureSource,
  type ShelfItem,
} from "../data/pictures.js";
import {panelStyles} from "../styles.js";
import {messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";
import "./yss-icon-picker.js";

/** Where the picture shown now comes from, in a parent's words. */
const NOW: Record<PictureSource, string> = {
  chosen: "Now: a picture chosen for it.",
  art: "Now: its card's art.",
  story: "Now: its story's icon.",
  drawing: "Now: a drawing of a word of its title.",
};

/**
 * One shelf item's picture, small, as the child's page shows it big, and a chooser for another: a
 * file, one of Yoto's icons, or its own picture back. Sent at once (pictures are not part of the
 * plan, so Save plan has nothing to do with them); the server's refusal is shown as it came.
 *
 * @fires picture-changed - `{item}`: the item's id, once its picture is another
 */
@customElement("yss-shelf-picture")
export class YssShelfPicture extends LitElement {
  @property({attribute: false}) item!: ShelfItem;
  /** Its title beside the picture: a group's cards are not named in the shelf's row. */
  @property({type: Boolean}) named = false;

  @state() private _open = false;
  @state() private _busy = false;
  @state() private _error?: string;
  /** The Yoto icon chosen for it now, pressed in the picker. */
  @state() private _icon?: string;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      img {
        width: 48px;
        height: 48px;
        object-fit: cover;
        border-radius: 8px;
        flex: none;
      }
      .chooser {
        margin: 8px 0;
        padding: 8px;
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
      }
      .chooser p {
        margin: 4px 0;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another item in this place (the shelf reordered) starts closed, its own error gone.
    const before = changed.get("item") as ShelfItem | undefined;
    if (before && before.id !== this.item.id) {
      this._open = false;
      this._error = undefined;
    }
  }

  override render() {
    const {item} = this;
    return html`<span class="row">
        <img src=${item.cover} alt=${item.title} width="48" height="48" />
        ${this.named ? html`<span>${item.title}</span>` : ""}
        <button type="button" aria-label="Picture for ${item.title}" aria-expanded=${this._open ? "true" : "false"}
          @click=${this.#toggle}>${mdi(mdiImageEditOutline, 18)} Picture</button>
      </span>
      ${this._open ? this.#chooser(item) : ""}
      <yss-alert .message=${this._error}></yss-alert>`;
  }

  #chooser(item: ShelfItem) {
    return html`<div class="chooser" role="group" aria-label="Choose the picture for ${item.title}"
        aria-busy=${this._busy ? "true" : "false"}>
      <p class="small muted">${NOW[item.picture] ?? ""}</p>
      <div class="row">
        <label class="button">${mdi(mdiUpload, 18)} Upload a picture<input type="file" accept=${PICTURE_TYPES}
          ?disabled=${this._busy} @change=${this.#onFile} /></label>
        ${
          item.picture === "chosen"
            ? html`<button type="button" ?disabled=${this._busy} @click=${this.#clear}>${mdi(mdiUndo, 18)} Use its own picture</button>`
            : ""
        }
      </div>
      <p class="small muted">PNG, JPEG, GIF or WebP, up to 10 MB. Or one of Yoto's icons:</p>
      <yss-icon-picker no-upload .value=${this._icon} @icon-picked=${this.#onIcon}></yss-icon-picker>
    </div>`;
  }

  #toggle() {
    this._open = !this._open;
    this._error = undefined;
    if (this._open) void this.#readIcon();
  }

  /** Which icon is chosen now, to press it in the picker; without it the picker still works. */
  async #readIcon() {
    this._icon = undefined;
    if (this.item.picture !== "chosen") return;
    const id = this.item.id;
    const chosen = await listPictures().catch(() => undefined);
    if (id === this.item.id) this._icon = chosen?.pictures.find((p) => p.item === id)?.icon;
  }

  async #onFile(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    await this.#send(() => choosePictureFile(this.item.id, file));
    input.value = "";
  }

  async #onIcon(e: CustomEvent<{icon: IconEntry}>) {
    // The picker's event is this chooser's alone: nothing above it picks icons.
    e.stopPropagation();
    await this.#send(() => choosePictureIcon(this.item.id, e.detail.icon.ref));
  }

  #clear() {
    void this.#send(() => clearPicture(this.item.id));
  }

  async #send(change: () => Promise<unknown>) {
    if (this._busy) return;
    this._busy = true;
    try {
      await change();
      this._error = undefined;
      this._open = false;
      this.dispatchEvent(
        new CustomEvent("picture-changed", {detail: {item: this.item.id}, bubbles: true, composed: true}),
      );
      // The chooser is gone: the keyboard goes back to the button that opened it.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>("button[aria-expanded]")?.focus();
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-shelf-picture": YssShelfPicture;
  }
  interface HTMLElementEventMap {
    "picture-changed": CustomEvent<{item: string}>;
  }
}
