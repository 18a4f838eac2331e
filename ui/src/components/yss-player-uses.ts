import {html, LitElement} from "lit";
import {customElement, property} from "lit/decorators.js";
import type {PlayerState} from "../data/players.js";
import {panelStyles} from "../styles.js";
import {familyFormStyles} from "./family-styles.js";
import type {PlayerUse} from "./plan-draft.js";

/**
 * Which players a child uses: a select per player on the account, "Not used", "Their own" or
 * "Shared" (a player others borrow, with a Who is listening select). A player another child has is
 * named with its child: the service refuses a player twice, and this says why before it does.
 *
 * @fires uses-changed - the whole map, player name → use
 */
@customElement("yss-player-uses")
export class YssPlayerUses extends LitElement {
  @property({attribute: false}) players: Pick<PlayerState, "id" | "name">[] = [];
  @property({attribute: false}) uses: Record<string, PlayerUse> = {};
  /** Player name → the other child who has it. */
  @property({attribute: false}) owners: Record<string, string> = {};
  @property({type: Boolean}) invalid = false;

  static override styles = [panelStyles, familyFormStyles];

  override render() {
    // A player in the plan but gone from the account (renamed, removed) stays, so saving keeps it.
    const names = [...new Set([...this.players.map((p) => p.name), ...Object.keys(this.uses)])];
    if (names.length === 0)
      return html`<p class="small muted hint">No players yet: link the Yoto account first (Account tab).</p>`;
    return html`<div class="fields wide">
      ${names.map((name) => {
        const owner = this.owners[name];
        return html`<label class="field"><span>${name}${owner ? ` (${owner}'s)` : ""}</span>
          <select data-player=${name} aria-invalid=${this.invalid ? "true" : "false"}
            @change=${(e: Event) => this._set(name, (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.uses[name]}>Not used</option>
            <option value="own" ?selected=${this.uses[name] === "own"}>Their own</option>
            <option value="shared" ?selected=${this.uses[name] === "shared"}>Shared</option>
          </select></label>`;
      })}
    </div>`;
  }

  private _set(name: string, use: string) {
    const uses = {...this.uses};
    if (use === "own" || use === "shared") uses[name] = use;
    else delete uses[name];
    this.dispatchEvent(new CustomEvent("uses-changed", {detail: uses}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-player-uses": YssPlayerUses;
  }
  interface HTMLElementEventMap {
    "uses-changed": CustomEvent<Record<string, PlayerUse>>;
  }
}
