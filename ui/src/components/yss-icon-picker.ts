import {mdiImagePlus} from "@mdi/js";
import {css, html, LitElement} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {getIcons, type IconEntry, uploadIcon} from "../data/library.js";
import {panelStyles} from "../styles.js";
import {messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";

/**
 * Yoto's 16×16 display icons: the family's and the public ones, searchable, plus uploading any PNG
 * (the service fits it to 16×16). Choosing one selects it.
 *
 * @fires icon-picked - `{icon}`: the chosen icon
 */
@customElement("yss-icon-picker")
export class YssIconPicker extends LitElement {
  /** The selected icon's `ref` (`yoto:#<mediaId>`). */
  @property() value?: string;
  /** Without its own upload: where a picture is chosen, an upload is one of the place's own, not a 16×16 icon. */
  @property({type: Boolean, attribute: "no-upload"}) noUpload = false;

  @state() private _icons: IconEntry[] = [];
  @state() private _search = "";
  @state() private _error?: string;
  @state() private _loaded = false;
  private _timer?: number;
  private _asked = 0;

  static override styles = [
    panelStyles,
    css`
      input[type="search"] {
        flex: 1 1 140px;
        min-width: 0;
      }
      .icons {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(44px, 1fr));
        gap: 6px;
        max-height: 240px;
        overflow-y: auto;
        margin: 8px 0;
      }
      .icons button {
        padding: 4px;
        border-radius: 8px;
        min-height: 44px;
      }
      .icons button[aria-pressed="true"] {
        border: 2px solid var(--yss-primary);
      }
      img {
        width: 32px;
        height: 32px;
        image-rendering: pixelated;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    return html`<div class="row">
        <input type="search" placeholder="Search icons" aria-label="Search icons" .value=${this._search}
          @input=${this._onInput} />
        ${
          this.noUpload
            ? ""
            : html`<label class="button">${mdi(mdiImagePlus, 20)} Upload PNG<input type="file" accept="image/png" @change=${this._onUpload} /></label>`
        }
      </div>
      <yss-alert .message=${this._error}></yss-alert>
      ${this._loaded && this._icons.length === 0 ? html`<p class="muted small">No icons match.</p>` : ""}
      <div class="icons" role="group" aria-label="Icons">
        ${this._icons.map(
          (icon) => html`<button aria-label=${icon.title} title=${icon.title} aria-pressed=${icon.ref === this.value}
            @click=${() => this._pick(icon)}>
            ${icon.url ? html`<img src=${icon.url} alt="" loading="lazy" />` : html`<span class="small">${icon.title}</span>`}
          </button>`,
        )}
      </div>`;
  }

  private _onInput(e: Event) {
    this._search = (e.target as HTMLInputElement).value;
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => void this._load(), 250);
  }

  private async _load() {
    try {
      const asked = ++this._asked;
      const lists = await getIcons(this._search);
      // An older search answering late must not replace the newer one's results.
      if (asked !== this._asked) return;
      this._icons = [...lists.user, ...lists.public].slice(0, 200);
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._loaded = true;
    }
  }

  private async _onUpload(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const {icon} = await uploadIcon(file);
      this._icons = [icon, ...this._icons.filter((i) => i.mediaId !== icon.mediaId)];
      this._pick(icon);
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      input.value = "";
    }
  }

  private _pick(icon: IconEntry) {
    this.value = icon.ref;
    this.dispatchEvent(new CustomEvent("icon-picked", {detail: {icon}, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-icon-picker": YssIconPicker;
  }
  interface HTMLElementEventMap {
    "icon-picked": CustomEvent<{icon: IconEntry}>;
  }
}
