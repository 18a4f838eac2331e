import {html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import {
  answerRequest,
  type BonusGrant,
  type BonusRequest,
  type ChildView,
  deleteChild,
  grantBonus,
  type Listener,
  setListener,
} from "../data/family.js";
import {panelStyles} from "../styles.js";
import {childCardStyles} from "./child-card-styles.js";
import {quietReasonLabel, renderDays, renderToday, renderTonight, tonightHeading} from "./family-parts.js";
import {clockIn} from "./family-time.js";
import {progressStyles} from "./progress-styles.js";
import "./yss-alert.js";
import "./yss-child-week.js";
import "./yss-tablet-links.js";

/** The service's default, for the button's words before a plan sets its own. */
const DEFAULT_BONUS_MINUTES = 15;

/**
 * One child, as a Home Assistant card: their players (a Who is listening select on each shared
 * one), today's minutes and quiet, a bonus under way, a request waiting with Allow and Not tonight,
 * the bonus buttons, tonight's steps, and the journal by night and day (a night runs until wake,
 * after midnight too). Remove asks once more before it acts.
 *
 * @fires child-updated - the child as the service answered an action, `ChildView`
 * @fires child-removed - `{name}`
 * @fires edit-plan - `{name}`: open the plan editor for this child
 */
@customElement("yss-child-card")
export class YssChildCard extends LitElement {
  @property({attribute: false}) child!: ChildView;
  /** Every child's name, for the Who is listening selects. */
  @property({attribute: false}) names: string[] = [];
  /** Who listens on each shared player now. */
  @property({attribute: false}) listeners: Listener[] = [];
  /** The plan's time zone: every time on the card is on the family's clock. */
  @property() timeZone?: string;

  /** Answers, bonuses, listener changes and removal: one at a time, one error line. */
  readonly #action = new Action(this);
  @state() private _confirming = false;

  static override styles = [panelStyles, childCardStyles, progressStyles];

  override render() {
    const c = this.child;
    const bonusMinutes = c.plan.bonus?.minutes ?? DEFAULT_BONUS_MINUTES;
    const none = c.bonuses_left === 0;
    return html`<article class="card child" aria-labelledby="name">
      <header class="head">
        <h2 id="name">${c.name}</h2>
        ${c.plan.age ? html`<span class="chip">Age ${c.plan.age.replace("-", "–")}</span>` : nothing}
      </header>
      ${this._renderPlayers()}
      ${renderToday(c, this.timeZone)}
      ${c.request ? this._renderRequest(c.request) : nothing}
      <div class="row bonus" role="group" aria-label="Bonus for ${c.name}">
        <button @click=${() => this._bonus({minutes: bonusMinutes})} aria-disabled=${none ? "true" : "false"}>+${bonusMinutes} min</button>
        <button @click=${() => this._bonus({until: "end_of_track"})} aria-disabled=${none ? "true" : "false"}>Until end of track</button>
        <span class="small muted" data-testid="bonuses-left">${none ? "No bonuses left today" : `${c.bonuses_left} ${c.bonuses_left === 1 ? "bonus" : "bonuses"} left today`}</span>
      </div>
      <yss-alert .message=${this.#action.error}></yss-alert>
      <h3 data-testid="tonight-heading">${tonightHeading(c)}</h3>
      ${renderTonight(
        c.tonight,
        c.journal_by_night.find((p) => p.part === "tonight"),
        this.timeZone,
      )}
      ${renderDays(c.journal_by_night, this.timeZone)}
      <yss-child-week .child=${c.name} .version=${`${c.date} ${c.minutes_used} ${c.journal.length}`}></yss-child-week>
      <yss-tablet-links .child=${c.name}></yss-tablet-links>
      <div class="row actions">
        ${
          this._confirming
            ? html`<span class="confirm" role="group" aria-label="Remove ${c.name}?">
                <span>Remove ${c.name}? The plan goes and ${c.name}'s players are no longer kept quiet.</span>
                <span class="row">
                  <button class="danger" id="confirm-remove" @click=${this._onRemove}>Remove ${c.name}</button>
                  <button @click=${this._cancelRemove}>Cancel</button>
                </span>
              </span>`
            : html`<button class="primary" id="edit" @click=${this._onEdit}>Edit plan</button>
              <button class="danger" id="remove" @click=${this._askRemove}>Remove child</button>`
        }
      </div>
    </article>`;
  }

  private _renderPlayers() {
    const c = this.child;
    if (c.players.length === 0) return html`<p class="small muted">No players.</p>`;
    return html`<ul class="plain players">
      ${c.players.map((p) => {
        if (!p.shared) return html`<li><span>${p.name}</span></li>`;
        const now = this.listeners.find((l) => l.playerId === p.id);
        const who = now?.child ?? c.name;
        return html`<li class="shared">
          <span>${p.name} <span class="chip">shared</span></span>
          <label class="listening"><span class="small muted">Who is listening on ${p.name}</span>
            <select .value=${live(who)} @change=${(e: Event) => this._onListener(p.id, (e.target as HTMLSelectElement).value)}>
              ${this.names.map((n) => html`<option value=${n} ?selected=${n === who}>${n}${n === (now?.usual ?? c.name) ? " (usually)" : ""}</option>`)}
            </select></label>
        </li>`;
      })}
    </ul>`;
  }

  /**
   * Allow grants a bonus: with none left today it could only fail, so it says why beside it and
   * stays in reach (disabled for use, not for the keyboard); Not tonight becomes the answer to give.
   */
  private _renderRequest(r: BonusRequest) {
    const name = this.child.name;
    const none = this.child.bonuses_left === 0;
    return html`<div class="request" role="group" aria-label="${name}'s request" data-testid="request">
      <div>
        <strong>${name} asks for one more story</strong>
        <div class="small">
          On ${r.player}${r.card ? `, "${r.card}"` : ""} at ${clockIn(r.at, this.timeZone)}
          (${quietReasonLabel(r.reason)}). Waits until ${clockIn(r.expires_at, this.timeZone)}.
        </div>
      </div>
      <div class="row">
        <button class=${none ? "" : "primary"} aria-disabled=${none ? "true" : "false"}
          aria-describedby=${none ? "no-allow" : nothing} @click=${this._onAllow}>Allow</button>
        <button class=${none ? "primary" : ""} @click=${() => this._answer("not_tonight")}>Not tonight</button>
      </div>
      ${none ? html`<p class="small" id="no-allow" data-testid="allow-why">${this._capReached()}</p>` : nothing}
    </div>`;
  }

  /** Why no bonus can be granted today, and what would allow one. */
  private _capReached(): string {
    const c = this.child;
    if (c.bonuses_today === 0)
      return `No bonuses today: ${c.name}'s plan allows none. Raise the daily cap in Edit plan to allow one, or answer Not tonight.`;
    const had = `${c.bonuses_today} ${c.bonuses_today === 1 ? "bonus" : "bonuses"}`;
    return `No bonuses left today: ${c.name} has had ${had}, the daily cap. Raise it in Edit plan to allow more, or answer Not tonight.`;
  }

  private _onAllow = () => {
    if (this.child.bonuses_left === 0) {
      this.#action.fail(this._capReached());
      return;
    }
    void this._answer("allow");
  };

  /** Out of bonuses, the buttons stay in reach (and say so) rather than vanish from the keyboard. */
  private _bonus(grant: BonusGrant) {
    if (this.child.bonuses_left === 0) {
      this.#action.fail(`${this.child.name} has had every bonus for today.`);
      return;
    }
    void this._act(() => grantBonus(this.child.name, grant));
  }

  private async _answer(answer: "allow" | "not_tonight") {
    await this._act(() => answerRequest(this.child.name, answer));
    // The request and its buttons are gone: the keyboard goes on from the bonus buttons below.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(".bonus button")?.focus();
  }

  private async _act(call: () => Promise<ChildView>) {
    await this.#action.run(async () => {
      const child = await call();
      this.dispatchEvent(new CustomEvent("child-updated", {detail: child, bubbles: true, composed: true}));
    });
  }

  private async _onListener(player: string, child: string) {
    // The other child's numbers change too: the page reloads every child on `family.changed`.
    // On a failure the select goes back to who really listens (the `live` binding compares with
    // the element on the re-render the failure asks for).
    await this.#action.runAlongside(() => setListener(player, child));
  }

  private _onEdit = () => {
    this.dispatchEvent(new CustomEvent("edit-plan", {detail: {name: this.child.name}, bubbles: true, composed: true}));
  };

  private _askRemove = async () => {
    this._confirming = true;
    await this.updateComplete;
    // Cancel, not Remove, takes the focus: a second Enter must not remove the child.
    this.renderRoot.querySelector<HTMLButtonElement>("#confirm-remove + button")?.focus();
  };

  private _cancelRemove = async () => {
    this._confirming = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>("#remove")?.focus();
  };

  private _onRemove = async () => {
    await this.#action.run(async () => {
      await deleteChild(this.child.name);
      this.dispatchEvent(
        new CustomEvent("child-removed", {detail: {name: this.child.name}, bubbles: true, composed: true}),
      );
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-child-card": YssChildCard;
  }
  interface HTMLElementEventMap {
    "child-updated": CustomEvent<ChildView>;
    "child-removed": CustomEvent<{name: string}>;
    "edit-plan": CustomEvent<{name: string}>;
  }
}
