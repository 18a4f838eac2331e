import {mdiPlus} from "@mdi/js";
import {html, LitElement} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {type LibraryItem, searchLibrary} from "../data/library.js";
import {panelStyles} from "../styles.js";
import {duration, messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";

/**
 * Search the library and pick tracks. Streams join MP3s only, so other formats are left out when
 * `mp3Only` is set.
 *
 * @fires item-picked - `{item}`: the user chose this item
 */
@customElement("yss-library-picker")
export class YssLibraryPicker extends LitElement {
  @property({type: Boolean}) mp3Only = false;

  @state() private _query = "";
  @state() private _items: LibraryItem[] = [];
  @state() private _total = 0;
  @state() private _error?: string;
  private _timer?: number;
  private _asked = 0;

  static override styles = panelStyles;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._search();
  }

  override render() {
    const items = this.mp3Only ? this._items.filter((i) => i.mime === "audio/mpeg") : this._items;
    return html`<input type="search" placeholder="Search the library" aria-label="Search the library to add"
        .value=${this._query} @input=${this._onInput} />
      <yss-alert .message=${this._error}></yss-alert>
      <ul class="plain" aria-label="Library results">
        ${items.map(
          (item) => html`<li class="row">
            <button class="icon" aria-label="Add ${item.title}" @click=${() => this._pick(item)}>${mdi(mdiPlus, 20)}</button>
            <span>${item.title}</span>
            <span class="small muted">${item.artist ?? ""} ${duration(item.duration)}</span>
          </li>`,
        )}
      </ul>
      ${this._total > items.length ? html`<p class="small muted">Showing ${items.length} of ${this._total}; search to narrow.</p>` : ""}`;
  }

  private _onInput(e: Event) {
    this._query = (e.target as HTMLInputElement).value;
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => void this._search(), 200);
  }

  private async _search() {
    try {
      const asked = ++this._asked;
      const page = await searchLibrary(this._query, 50);
      // An older search answering late must not replace the newer one's results.
      if (asked !== this._asked) return;
      this._items = page.items;
      this._total = page.total;
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  private _pick(item: LibraryItem) {
    this.dispatchEvent(new CustomEvent("item-picked", {detail: {item}, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-library-picker": YssLibraryPicker;
  }
  interface HTMLElementEventMap {
    "item-picked": CustomEvent<{item: LibraryItem}>;
  }
}
