import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {duration} from "../components/format.js";
import {audioFormat} from "../components/labels.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-alert.js";
import "../components/yss-icon-picker.js";
import "../components/yss-item-details.js";
import "../components/yss-upload.js";
import {type IconEntry, type LibraryItem, searchLibrary} from "../data/library.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/** The audio library: upload, search, look inside an item and hear it; and the display icons. */
@customElement("yss-library-view")
export class YssLibraryView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _query = "";
  @state() private _selected?: string;
  @state() private _icon?: IconEntry;
  /** Showing the stories' narration (its own place) rather than the library. */
  @state() private _narration = false;
  private _timer?: number;

  private _page = new LiveResource(this, {
    load: () => searchLibrary(this._query, 200, this._narration ? "narration" : undefined),
    live: () => this.live,
    reloadOn: ["library.changed"],
  });

  static override styles = [
    panelStyles,
    css`
      table {
        width: 100%;
        border-collapse: collapse;
      }
      td,
      th {
        text-align: left;
        padding: 6px 4px;
        border-bottom: 1px solid var(--yss-divider);
      }
      tr.selected {
        background: color-mix(in srgb, var(--yss-primary) 12%, transparent);
      }
      td button {
        border: none;
        padding: 0;
        min-height: 0;
        text-align: left;
        justify-content: flex-start;
        color: var(--yss-primary);
      }
      .hide-narrow {
        display: table-cell;
      }
      .heading {
        justify-content: space-between;
        margin-bottom: 8px;
      }
      .heading h2 {
        margin: 0;
      }
      button[aria-pressed="true"] {
        background: color-mix(in srgb, var(--yss-primary) 14%, transparent);
        border-color: var(--yss-primary);
      }
      @media (max-width: 480px) {
        .hide-narrow {
          display: none;
        }
      }
    `,
  ];

  override render() {
    return html`<div class="split">
      <div class="card">
        <div class="row heading">
          <h2>${this._narration ? "Story narration" : "Library"}</h2>
          <button class="small" aria-pressed=${this._narration ? "true" : "false"} @click=${this._onNarration}>Story narration</button>
        </div>
        ${
          this._narration
            ? html`<p class="small muted">The stories' spoken scenes, made by this service: kept out of the library's lists.</p>`
            : html`<yss-upload @uploaded=${(e: CustomEvent<{item: LibraryItem}>) => this._onUploaded(e.detail.item)}></yss-upload>`
        }
        <input type="search" placeholder="Search title, artist, album, file" aria-label="Search the library"
          .value=${this._query} @input=${this._onSearch} style="width: 100%; margin: 8px 0" />
        ${renderResource(this._page, (page) => this._renderTable(page.items, page.total))}
      </div>
      <div>
        ${
          this._selected
            ? html`<yss-item-details .itemId=${this._selected} @item-deleted=${this._onDeleted}></yss-item-details>`
            : html`<div class="card muted">Choose an item to see its details and hear it.</div>`
        }
        <div class="card" style="margin-top: 12px">
          <h2>Icons</h2>
          <p class="small muted">Yoto's 16×16 icons for card chapters and the player's display.</p>
          <yss-icon-picker .value=${this._icon?.ref} @icon-picked=${(e: HTMLElementEventMap["icon-picked"]) => (this._icon = e.detail.icon)}></yss-icon-picker>
          ${this._icon ? html`<p class="small" data-testid="icon-selected">Selected: ${this._icon.title}</p>` : nothing}
        </div>
      </div>
    </div>`;
  }

  private _renderTable(items: LibraryItem[], total: number) {
    if (items.length === 0)
      return html`<p class="muted">${
        this._query
          ? "Nothing matches."
          : this._narration
            ? "No story narration yet: it is made when a story with spoken scenes loads."
            : "The library is empty: upload a file, or add a media folder."
      }</p>`;
    return html`<table aria-label="Library items">
        <thead><tr><th>Title</th><th class="hide-narrow">Artist</th><th>Length</th><th class="hide-narrow">Format</th></tr></thead>
        <tbody>
          ${items.map(
            (item) => html`<tr class=${item.id === this._selected ? "selected" : ""}>
              <td><button aria-current=${item.id === this._selected ? "true" : "false"} @click=${() => (this._selected = item.id)}>${item.title}</button></td>
              <td class="hide-narrow">${item.artist ?? ""}</td>
              <td>${duration(item.duration)}</td>
              <td class="hide-narrow small">${audioFormat(item.codec, item.mime)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${total > items.length ? html`<p class="small muted">${items.length} of ${total} shown; search to narrow.</p>` : nothing}`;
  }

  private _onSearch(e: Event) {
    this._query = (e.target as HTMLInputElement).value;
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => this._page.reload(), 200);
  }

  private _onNarration() {
    this._narration = !this._narration;
    this._selected = undefined;
    this._page.reload();
  }

  private _onUploaded(item: LibraryItem) {
    this._selected = item.id;
    this._page.reload();
  }

  private _onDeleted = () => {
    this._selected = undefined;
    this._page.reload();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-library-view": YssLibraryView;
  }
}
