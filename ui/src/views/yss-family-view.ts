import {css, html, LitElement, nothing} from "lit";
import {customElement, property, query, state} from "lit/decorators.js";
import {repeat} from "lit/directives/repeat.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-child-add.js";
import "../components/yss-child-card.js";
import "../components/yss-plan-editor.js";
import "../components/yss-tablet-links.js";
import type {YssChildAdd} from "../components/yss-child-add.js";
import type {YssPlanEditor} from "../components/yss-plan-editor.js";
import {type ChildrenList, type ChildView, getChildren} from "../data/family.js";
import type {LiveEvents} from "../data/live.js";
import {followPlayers} from "../data/players.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/**
 * Listening and quiet come from the players' reports, which arrive every few seconds while one
 * plays: children's numbers are loaded again at most this often for them.
 */
const NUMBERS_DEBOUNCE_MS = 1000;

/**
 * The family plan: a card per child (today, tonight, bonuses, a request to answer), "Add child",
 * and the plan editor for one child at a time. Changes made anywhere (Home Assistant, the API, the
 * plan's own minute) arrive as `family.changed`; quiet and listening change the numbers too.
 */
@customElement("yss-family-view")
export class YssFamilyView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _adding = false;
  @state() private _editing?: string;
  @query("yss-plan-editor") private _editor?: YssPlanEditor;
  @query("yss-child-add") private _addForm?: YssChildAdd;

  private _children = new LiveResource(this, {
    load: getChildren,
    live: () => this.live,
    reloadOn: ["family.changed", "family.requested"],
  });

  // Unlinked, there are no players to offer; the form says so.
  private _players = followPlayers(this, () => this.live, {orNone: true});

  #offNumbers: Array<() => void> = [];
  #numbersTimer?: number;

  static override styles = [
    panelStyles,
    css`
      .top {
        margin-bottom: 12px;
      }
      .top .row {
        justify-content: space-between;
      }
      .top p {
        margin: 0;
        max-width: 75ch;
      }
      yss-child-add,
      yss-parent-pin,
      .grid {
        margin-bottom: 12px;
      }
      .empty {
        max-width: 60ch;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    const later = () => {
      window.clearTimeout(this.#numbersTimer);
      this.#numbersTimer = window.setTimeout(() => this._children.reload(), NUMBERS_DEBOUNCE_MS);
    };
    if (this.live) this.#offNumbers = [this.live.on("quiet.changed", later), this.live.on("history.changed", later)];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.#offNumbers) off();
    this.#offNumbers = [];
    window.clearTimeout(this.#numbersTimer);
  }

  override render() {
    return renderResource(this._children, (list) => this._renderFamily(list));
  }

  private _renderFamily({children, timeZone, listeners}: ChildrenList) {
    const players = this._players.value?.players ?? [];
    const owners: Record<string, string> = {};
    for (const c of children) for (const p of c.players) owners[p.name] = c.name;
    const names = children.map((c) => c.name);
    const editing = children.find((c) => c.name === this._editing);
    return html`<div class="card top">
        <div class="row">
          <h2>Family</h2>
          <button aria-expanded=${this._adding ? "true" : "false"} @click=${this._toggleAdd}>
            ${this._adding ? "Cancel adding" : "Add child"}
          </button>
        </div>
        <p class="small muted">
          Each child's players, bedtimes and daily minutes. Times are on the family's clock
          (${timeZone}), whatever this browser's.
        </p>
      </div>
      ${
        this._adding
          ? html`<yss-child-add .players=${players} .owners=${owners} .names=${names}
              @child-added=${this._onAdded}></yss-child-add>`
          : nothing
      }
      ${
        children.length === 0 && !this._adding
          ? html`<p class="muted empty">
              No children in the plan yet. Add a child to give their players a bedtime and a daily
              listening budget, with bonuses you can grant from here or Home Assistant.
            </p>`
          : nothing
      }
      <div class="grid">
        ${repeat(
          children,
          (c) => c.name,
          (c) => html`<yss-child-card data-child=${c.name} .child=${c} .names=${names} .listeners=${listeners}
            .timeZone=${timeZone}
            @child-updated=${this._onUpdated} @child-removed=${this._onRemoved}
            @edit-plan=${this._onEdit}></yss-child-card>`,
        )}
      </div>
      ${children.length > 0 ? html`<yss-parent-pin></yss-parent-pin>` : nothing}
      ${
        editing
          ? html`<yss-plan-editor .child=${editing} .players=${players} .owners=${owners}
              @child-saved=${this._onUpdated} @editor-closed=${this._onEditorClosed}></yss-plan-editor>`
          : nothing
      }`;
  }

  private _toggleAdd = async () => {
    this._adding = !this._adding;
    if (!this._adding) return;
    await this.updateComplete;
    await this._addForm?.focusName();
  };

  /** An action answered with the child as it is now: shown at once, without a round trip. */
  private _onUpdated = (e: CustomEvent<ChildView>) => {
    const list = this._children.value;
    if (!list) return;
    const child = e.detail;
    const known = list.children.some((c) => c.name === child.name);
    // A new child takes their place by name, as the service lists them, not a place at the end.
    const children = known
      ? list.children.map((c) => (c.name === child.name ? child : c))
      : [...list.children, child].sort((a, b) => a.name.localeCompare(b.name));
    this._children.set({...list, children});
  };

  private _onAdded = async (e: CustomEvent<ChildView>) => {
    this._onUpdated(e);
    this._adding = false;
    // The nights and the rest come next: the new child's plan opens.
    await this._open(e.detail.name);
  };

  private _onRemoved = async (e: CustomEvent<{name: string}>) => {
    const list = this._children.value;
    if (this._editing === e.detail.name) this._editing = undefined;
    if (list) this._children.set({...list, children: list.children.filter((c) => c.name !== e.detail.name)});
    this._children.reload();
    // The card and its focused button are gone: the keyboard goes back to the top of the page.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(".top button")?.focus();
  };

  private _onEdit = (e: CustomEvent<{name: string}>) => this._open(e.detail.name);

  private async _open(name: string) {
    this._editing = name;
    await this.updateComplete;
    await this._editor?.focusTitle();
  }

  /** Back to the card the editor was opened from, so the keyboard is where it was. */
  private _onEditorClosed = async () => {
    const name = this._editing;
    this._editing = undefined;
    await this.updateComplete;
    const card = [...this.renderRoot.querySelectorAll("yss-child-card")].find((c) => c.child.name === name);
    card?.renderRoot.querySelector<HTMLButtonElement>("#edit")?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-family-view": YssFamilyView;
  }
}
