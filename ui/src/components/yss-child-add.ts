import {html, LitElement} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import {type ChildPlan, type ChildView, putChild} from "../data/family.js";
import type {PlayerState} from "../data/players.js";
import {panelStyles} from "../styles.js";
import {familyFormStyles} from "./family-styles.js";
import {fieldOf, isInvalid, type PlayerUse} from "./plan-draft.js";
import "./yss-alert.js";
import "./yss-player-uses.js";

/**
 * "Add child": a name, the players they use and, if wanted, minutes a day. The nights and the rest
 * of the plan are set in the editor that opens next. The service checks it all.
 *
 * @fires child-added - the new child, `ChildView`
 */
@customElement("yss-child-add")
export class YssChildAdd extends LitElement {
  @property({attribute: false}) players: PlayerState[] = [];
  /** Player name → the child who has it. */
  @property({attribute: false}) owners: Record<string, string> = {};
  /** The children there are: PUT on a name that exists would replace that child's plan. */
  @property({attribute: false}) names: string[] = [];

  @state() private _name = "";
  @state() private _uses: Record<string, PlayerUse> = {};
  @state() private _budget = "";
  readonly #add = new Action(this);
  @state() private _badName = false;

  static override styles = [panelStyles, familyFormStyles];

  override render() {
    const invalid = fieldOf(this.#add.error);
    const value = (e: Event) => (e.target as HTMLInputElement).value;
    return html`<form class="card" @submit=${this._onSubmit} novalidate aria-labelledby="add-title">
      <h2 id="add-title">Add a child</h2>
      <div class="fields wide">
        <label class="field"><span>Name</span>
          <input type="text" autocomplete="off" placeholder="Mia" .value=${live(this._name)}
            aria-invalid=${this._badName ? "true" : "false"} @input=${(e: Event) => (this._name = value(e))} /></label>
        <label class="field"><span>Minutes a day (empty: no limit)</span>
          <input type="number" inputmode="numeric" min="0" max="1440" step="1" .value=${live(this._budget)}
            aria-invalid=${isInvalid(invalid, "budget.minutes") ? "true" : "false"}
            @input=${(e: Event) => (this._budget = value(e))} /></label>
      </div>
      <h3>Players</h3>
      <yss-player-uses .players=${this.players} .uses=${this._uses} .owners=${this.owners}
        ?invalid=${isInvalid(invalid, "players") || isInvalid(invalid, "shared_players")}
        @uses-changed=${(e: CustomEvent<Record<string, PlayerUse>>) => (this._uses = e.detail)}></yss-player-uses>
      <yss-alert .message=${this.#add.error}></yss-alert>
      <div class="row" style="margin-top: 8px">
        <button type="submit" class="primary" aria-busy=${this.#add.busy ? "true" : "false"}>${this.#add.busy ? "Adding…" : "Add child"}</button>
      </div>
    </form>`;
  }

  /** The name field takes the focus when the form opens. */
  async focusName(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>("input[type=text]")?.focus();
  }

  private _onSubmit = async (e: Event) => {
    e.preventDefault();
    if (this.#add.busy) return;
    const name = this._name.trim();
    const taken = this.names.find((n) => n.toLowerCase() === name.toLowerCase());
    this._badName = !name || taken !== undefined;
    if (this._badName) {
      this.#add.fail(
        taken ? `There is a ${taken} already: change their plan with Edit plan.` : "Give the child a name.",
      );
      return;
    }
    const uses = Object.entries(this._uses);
    const plan: ChildPlan = {players: uses.filter(([, u]) => u === "own").map(([p]) => p)};
    const shared = uses.filter(([, u]) => u === "shared").map(([p]) => p);
    if (shared.length) plan.shared_players = shared;
    if (this._budget.trim()) plan.budget = {minutes: Number(this._budget)};
    const added = await this.#add.run(async () => {
      const child = await putChild(name, plan);
      this._name = "";
      this._uses = {};
      this._budget = "";
      this.dispatchEvent(new CustomEvent("child-added", {detail: child, bubbles: true, composed: true}));
    });
    if (!added) this._badName = this.#add.error?.startsWith("A child's name") ?? false;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-child-add": YssChildAdd;
  }
  interface HTMLElementEventMap {
    "child-added": CustomEvent<ChildView>;
  }
}
