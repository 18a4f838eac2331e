import {mdiArrowDown, mdiArrowUp, mdiClose, mdiPlus} from "@mdi/js";
import {css, html, LitElement, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {getShelf, type ShelfChoice, shelfChoices} from "../data/family.js";
import type {ShelfItem} from "../data/pictures.js";
import {panelStyles} from "../styles.js";
import {messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";
import "./yss-shelf-picture.js";

const STORY_RADIO = "story-radio";
const KIND_WORDS: Record<string, string> = {
  card: "card",
  group: "card group",
  story: "story",
  stream: "stream",
  station: "station",
  podcast: "podcast",
  item: "library",
};

/** What a shelf reference names, by its prefix (a plain reference is a card's id or title). */
const REF_KINDS: Record<string, string> = {
  card: "card",
  group: "card group",
  story: "story",
  stream: "stream",
  library: "library item",
};

/**
 * A reference that names nothing now, as a parent reads it: what kind it was and, last, what it
 * was called ("the missing card 'gruffalo'"), never the bare reference alone.
 */
export function missingName(ref: string): string {
  if (ref.trim().toLowerCase() === STORY_RADIO) return "the missing story radio";
  const colon = ref.indexOf(":");
  const prefix = colon > 0 ? ref.slice(0, colon).toLowerCase() : "";
  const kind = REF_KINDS[prefix];
  // A library item's reference is its id, a hash no parent knows it by; its title went with it.
  if (prefix === "library") return "the missing library item";
  return kind ? `the missing ${kind} '${ref.slice(colon + 1).trim()}'` : `the missing card '${ref}'`;
}

/**
 * The child's shelf in the plan editor: what is on it (anything gone marked, with why), in order,
 * and a search of everything playable to add from. Changes go into the draft; Save plan sends them.
 *
 * @fires shelf-changed - the shelf's references, `string[]`
 */
@customElement("yss-shelf-editor")
export class YssShelfEditor extends LitElement {
  @property() child = "";
  @property({attribute: false}) shelf: string[] = [];

  @state() private _titles: Record<string, string> = {};
  @state() private _missing: Record<string, string> = {};
  /** The saved shelf's items by their reference: a group's are its cards, each with a picture of its own. */
  @state() private _items: Record<string, ShelfItem[]> = {};
  @state() private _query = "";
  @state() private _choices: ShelfChoice[] = [];
  @state() private _error?: string;
  #timer?: number;
  #asked = 0;
  #reads = 0;
  /** Where the item just moved is now, to give its button the focus once the shelf comes back. */
  #follow?: {index: number; down: boolean};

  static override styles = [
    panelStyles,
    css`
      ol {
        padding-left: 1.5em;
      }
      li .row {
        gap: 8px;
      }
      /* A row's three buttons stay together on a phone: a title wraps, they do not. */
      .moves {
        display: inline-flex;
        gap: 4px;
        white-space: nowrap;
      }
      .missing {
        color: var(--error-color, #b00020);
      }
      .pictures {
        margin: 4px 0 8px;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A reference the last read did not know: once the plan is saved (a new draft, so a new shelf) it has its picture.
    const unknown = this.shelf.some((ref) => !this._items[ref] && !this._missing[ref]);
    if (this.child && (changed.has("child") || (changed.has("shelf") && unknown))) void this.#readSaved();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#search();
  }

  override render() {
    const page = `child/${encodeURIComponent(this.child)}`;
    return html`<p class="small muted hint">
        What ${this.child} may choose on ${this.child}'s own page, by pictures: <a href=${page} target="_blank" rel="noopener">open it</a>
        (on a wall tablet, open <code>${page}?lock</code> to keep the tablet on it).
      </p>
      <ol aria-label="${this.child}'s shelf">
        ${this.shelf.map((ref, i) => {
          // A reference gone is named by what it was; its buttons say it is the missing one.
          const gone = this._missing[ref] !== undefined && this._titles[ref] === undefined;
          const name = gone ? missingName(ref) : (this._titles[ref] ?? ref);
          return html`<li><span class="row">
            <span>${gone ? name.replace(/^the missing /, "") : name}</span>
            ${this._missing[ref] ? html`<span class="small missing">missing: ${this._missing[ref]}</span>` : ""}
            <span class="moves"><button type="button" class="icon" aria-label="Move ${name} up" ?disabled=${i === 0}
              @click=${() => this.#move(i, -1)}>${mdi(mdiArrowUp, 18)}</button>
            <button type="button" class="icon" aria-label="Move ${name} down"
              ?disabled=${i === this.shelf.length - 1} @click=${() => this.#move(i, 1)}>${mdi(mdiArrowDown, 18)}</button>
            <button type="button" class="icon" aria-label="Take ${name} off the shelf"
              @click=${() => this.#emit(this.shelf.filter((_, j) => j !== i))}>${mdi(mdiClose, 18)}</button></span>
          </span>${this.#pictures(ref)}</li>`;
        })}
      </ol>
      ${this.shelf.length === 0 ? html`<p class="small muted">Nothing on the shelf yet.</p>` : ""}
      <div class="row">
        <input type="search" placeholder="Search to add" aria-label="Search what to put on the shelf"
          .value=${this._query} @input=${this.#onInput} />
        ${
          this.shelf.includes(STORY_RADIO)
            ? ""
            : html`<button type="button" @click=${() => this.#add(STORY_RADIO, "Story radio")}>${mdi(mdiPlus, 18)} Story radio</button>`
        }
      </div>
      <yss-alert .message=${this._error}></yss-alert>
      <ul class="plain" aria-label="What can go on the shelf">
        ${this._choices.map(
          (c) => html`<li class="row">
            <button type="button" class="icon" aria-label="Put ${c.title} (${KIND_WORDS[c.kind] ?? c.kind}) on the shelf" ?disabled=${this.shelf.includes(c.ref)}
              @click=${() => this.#add(c.ref, `${c.title} (${KIND_WORDS[c.kind] ?? c.kind})`)}>${mdi(mdiPlus, 18)}</button>
            <span>${c.title}</span><span class="small muted">${KIND_WORDS[c.kind] ?? c.kind}</span>
          </li>`,
        )}
      </ul>`;
  }

  /** The row's pictures: the saved shelf's, as the child's page shows them (a reference added now has none yet). */
  #pictures(ref: string) {
    const items = this._items[ref];
    if (!items)
      return this._missing[ref]
        ? ""
        : html`<p class="small muted">Its picture can be chosen once the plan is saved.</p>`;
    const group = items.length > 1 || Boolean(items[0]?.group);
    return html`<div class="pictures" @picture-changed=${() => void this.#readSaved()}>
      ${items.map((item) => html`<yss-shelf-picture .item=${item} ?named=${group}></yss-shelf-picture>`)}
    </div>`;
  }

  async #readSaved() {
    const read = ++this.#reads;
    try {
      const shelf = await getShelf(this.child);
      // Reads overlap (a save, a picture chosen): an older answer must not replace a newer one.
      if (read !== this.#reads) return;
      const items: Record<string, ShelfItem[]> = {};
      for (const item of shelf.items) items[item.ref] = [...(items[item.ref] ?? []), item];
      this._items = items;
      const titles: Record<string, string> = {[STORY_RADIO]: "Story radio"};
      // Named with their kind: a card and a story may share a title.
      for (const item of shelf.items)
        if (item.kind !== "story_radio")
          titles[item.ref] = item.group
            ? `${item.group} (card group)`
            : `${item.title} (${KIND_WORDS[item.kind] ?? item.kind})`;
      this._titles = {...titles, ...this._titles};
      this._missing = Object.fromEntries(shelf.missing.map((m) => [m.ref, m.why]));
    } catch {
      // A child not saved yet has no shelf to read: the references show as they are.
    }
  }

  #onInput(e: Event) {
    this._query = (e.target as HTMLInputElement).value;
    window.clearTimeout(this.#timer);
    this.#timer = window.setTimeout(() => void this.#search(), 200);
  }

  async #search() {
    const asked = ++this.#asked;
    try {
      const found = await shelfChoices(this._query);
      if (asked !== this.#asked) return;
      this._choices = found.choices;
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  #add(ref: string, title: string) {
    if (this.shelf.includes(ref)) return;
    this._titles = {...this._titles, [ref]: title};
    this.#emit([...this.shelf, ref]);
  }

  /** The item at `i` one place up (-1) or down (1); the focus goes with it, as a keyboard user expects. */
  #move(i: number, by: -1 | 1) {
    const j = i + by;
    if (j < 0 || j >= this.shelf.length) return;
    const next = [...this.shelf];
    [next[i], next[j]] = [next[j] as string, next[i] as string];
    this.#follow = {index: j, down: by === 1};
    this.#emit(next);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const follow = this.#follow;
    if (!changed.has("shelf") || !follow) return;
    this.#follow = undefined;
    // Its button in the direction it went, or the other one once it is at that end.
    const row = this.renderRoot.querySelectorAll("ol > li")[follow.index];
    const buttons = [...(row?.querySelectorAll<HTMLButtonElement>("button.icon") ?? [])].slice(0, 2);
    const [up, down] = buttons;
    const target = (follow.down ? [down, up] : [up, down]).find((b) => b && !b.disabled);
    target?.focus();
  }

  #emit(shelf: string[]) {
    this.dispatchEvent(new CustomEvent("shelf-changed", {detail: shelf, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-shelf-editor": YssShelfEditor;
  }
  interface HTMLElementEventMap {
    "shelf-changed": CustomEvent<string[]>;
  }
}
