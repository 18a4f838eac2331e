import {css, html, LitElement, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import {type ChildView, putChild} from "../data/family.js";
import type {PlayerState} from "../data/players.js";
import {panelStyles} from "../styles.js";
import {familyFormStyles} from "./family-styles.js";
import {draftOf, fieldOf, isInvalid, type PlanDraft, toPlan} from "./plan-draft.js";
import {bedtimeFields, budgetFields, type FieldContext, sleepFields, spokenFields} from "./plan-fields.js";
import "./yss-alert.js";
import "./yss-night-overrides.js";
import "./yss-player-uses.js";
import "./yss-shelf-editor.js";
import "./yss-week-grid.js";

/**
 * A child's whole plan as one form: players, the week's nights, dates that differ, the day's
 * listening, bonuses and the bedtime steps. Save sends the whole plan; the service checks it and,
 * when it refuses, its message (which names the field) shows by the Save button and the field is
 * marked. The draft is the parent's until saved: live updates of the child do not overwrite it.
 *
 * @fires child-saved - the child as the service answered, `ChildView`
 * @fires editor-closed - the parent is done
 */
@customElement("yss-plan-editor")
export class YssPlanEditor extends LitElement {
  @property({attribute: false}) child!: ChildView;
  @property({attribute: false}) players: PlayerState[] = [];
  /** Player name → the child who has it, for the players other children have. */
  @property({attribute: false}) owners: Record<string, string> = {};

  @state() private _draft?: PlanDraft;
  readonly #save = new Action(this);
  @state() private _notice?: string;

  static override styles = [
    panelStyles,
    familyFormStyles,
    css`
      form {
        max-width: 960px;
      }
      header {
        justify-content: space-between;
      }
      h4 {
        font-weight: 500;
        margin: 12px 0 4px;
      }
      /* Seven short fields: four to a row on a phone, all seven side by side on a desktop. */
      .days {
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 4.5em), 1fr));
        gap: 8px;
      }
      .actions .row {
        margin-top: 4px;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new child (or the first) starts a new draft; the same child's live updates leave it be.
    const before = changed.get("child") as ChildView | undefined;
    if (changed.has("child") && (!this._draft || before?.name !== this.child.name)) this._reset();
  }

  override render() {
    const d = this._draft;
    if (!d) return html``;
    const invalid = fieldOf(this.#save.error);
    const ctx: FieldContext = {draft: d, invalid, set: (patch) => this._set(patch)};
    const others = Object.fromEntries(Object.entries(this.owners).filter(([, who]) => who !== this.child.name));
    return html`<form class="card" @submit=${this._onSave} novalidate aria-labelledby="plan-title">
      <header class="row">
        <h2 id="plan-title" tabindex="-1">${this.child.name}'s plan</h2>
        <button type="button" @click=${this._onClose}>Close</button>
      </header>
      <fieldset>
        <legend>Players</legend>
        <yss-player-uses .players=${this.players} .uses=${d.players} .owners=${others}
          ?invalid=${isInvalid(invalid, "players") || isInvalid(invalid, "shared_players")}
          @uses-changed=${(e: CustomEvent<PlanDraft["players"]>) => this._set({players: e.detail})}></yss-player-uses>
        <div class="fields">
          <label class="field"><span>Age band</span>
            <input type="text" placeholder="3-5" .value=${live(d.age)} aria-invalid=${isInvalid(invalid, "age") ? "true" : "false"}
              @input=${(e: Event) => this._set({age: (e.target as HTMLInputElement).value})} /></label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Quiet each night</legend>
        <p class="small muted hint">
          Each evening's bedtime and the next morning's wake. A night left empty has no quiet; a bedtime
          after midnight belongs to the evening before.
        </p>
        <yss-week-grid .schedule=${d.schedule} .invalid=${invalid}
          @schedule-changed=${(e: CustomEvent<PlanDraft["schedule"]>) => this._set({schedule: e.detail})}></yss-week-grid>
      </fieldset>
      <fieldset>
        <legend>Dates that differ</legend>
        <yss-night-overrides .overrides=${d.overrides} .invalid=${invalid} .evening=${this.child.evening}
          @overrides-changed=${(e: CustomEvent<PlanDraft["overrides"]>) => this._set({overrides: e.detail})}></yss-night-overrides>
      </fieldset>
      ${budgetFields(ctx)} ${bedtimeFields(ctx)} ${sleepFields(ctx)} ${spokenFields(ctx)}
      <fieldset>
        <legend>Shelf</legend>
        <yss-shelf-editor .child=${this.child.name} .shelf=${d.shelf}
          @shelf-changed=${(e: CustomEvent<string[]>) => this._set({shelf: e.detail})}></yss-shelf-editor>
      </fieldset>
      <div class="actions">
        <yss-alert data-testid="plan-error" .message=${this.#save.error}></yss-alert>
        <yss-alert type="success" .message=${this._notice}></yss-alert>
        <div class="row">
          <button type="submit" class="primary" aria-busy=${this.#save.busy ? "true" : "false"}>
            ${this.#save.busy ? "Saving…" : "Save plan"}
          </button>
          <button type="button" @click=${this._reset}>Discard changes</button>
        </div>
      </div>
    </form>`;
  }

  /** Take the keyboard to the form's title, so opening it from a card lands the focus here. */
  async focusTitle(): Promise<void> {
    await this.updateComplete;
    const title = this.renderRoot.querySelector<HTMLElement>("#plan-title");
    title?.focus();
    title?.scrollIntoView({block: "start", behavior: "smooth"});
  }

  private _set(patch: Partial<PlanDraft>) {
    if (!this._draft) return;
    this._draft = {...this._draft, ...patch};
    this._notice = undefined;
  }

  private _reset = () => {
    this._draft = draftOf(this.child.plan);
    this.#save.fail(undefined);
    this._notice = undefined;
  };

  private _onSave = async (e: Event) => {
    e.preventDefault();
    const draft = this._draft;
    if (!draft || this.#save.busy) return;
    this._notice = undefined;
    await this.#save.run(async () => {
      const saved = await putChild(this.child.name, toPlan(draft));
      this._draft = draftOf(saved.plan);
      this._notice = "Saved. Tonight's steps on the card follow the new plan.";
      this.dispatchEvent(new CustomEvent("child-saved", {detail: saved, bubbles: true, composed: true}));
    });
  };

  private _onClose = () => {
    this.dispatchEvent(new CustomEvent("editor-closed", {bubbles: true, composed: true}));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-plan-editor": YssPlanEditor;
  }
  interface HTMLElementEventMap {
    "child-saved": CustomEvent<ChildView>;
    "editor-closed": CustomEvent<void>;
  }
}
