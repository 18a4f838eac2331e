import {html, nothing} from "lit";
import {live} from "lit/directives/live.js";
import {WEEK} from "../data/family.js";
import {isInvalid, type PlanDraft} from "./plan-draft.js";
import {DAY_NAMES} from "./yss-week-grid.js";

/** The draft's text fields (every field but players, schedule and overrides). */
type TextKey = {[K in keyof PlanDraft]: PlanDraft[K] extends string ? K : never}[keyof PlanDraft];

/** What the plan editor's field renderers share: the draft, how to change it, what was refused. */
export interface FieldContext {
  draft: PlanDraft;
  set: (patch: Partial<PlanDraft>) => void;
  invalid?: string;
}

interface FieldOptions {
  /** The plan's path, to mark the field the service refuses. */
  path: string;
  min?: number;
  max?: number;
  placeholder?: string;
  type?: "number" | "text";
}

/** One labelled input bound to a text field of the draft. */
export function field(ctx: FieldContext, label: string, key: TextKey, opts: FieldOptions) {
  const type = opts.type ?? "number";
  return html`<label class="field"><span>${label}</span>
    <input type=${type} inputmode=${type === "number" ? "numeric" : nothing} min=${opts.min ?? nothing}
      max=${opts.max ?? nothing} step=${type === "number" ? "1" : nothing} placeholder=${opts.placeholder ?? nothing}
      .value=${live(ctx.draft[key])} aria-invalid=${isInvalid(ctx.invalid, opts.path) ? "true" : "false"}
      @input=${(e: Event) => ctx.set({[key]: (e.target as HTMLInputElement).value})} /></label>`;
}

/** Minutes a day, other minutes on some days, and the bonus and warning around them. */
export function budgetFields(ctx: FieldContext) {
  const days = ctx.draft.budgetDays;
  return html`<fieldset>
    <legend>Listening a day</legend>
    <div class="fields">
      ${field(ctx, "Minutes a day", "budget", {path: "budget.minutes", min: 0, max: 1440, placeholder: "no limit"})}
      ${field(ctx, "Bonus minutes", "bonusMinutes", {path: "bonus.minutes", min: 1, max: 240, placeholder: "15"})}
      ${field(ctx, "Bonuses a day", "bonusCap", {path: "bonus.daily_cap", min: 0, max: 20, placeholder: "3"})}
      ${field(ctx, "Warn, minutes before", "warningMinutes", {path: "warning.minutes", min: 1, max: 120, placeholder: "10"})}
    </div>
    <div class="fields wide">
      <label class="field"><span>"One more story" by voice</span>
        <select aria-invalid=${isInvalid(ctx.invalid, "bonus.voice") ? "true" : "false"} aria-describedby="voice-hint"
          @change=${(e: Event) => ctx.set({bonusVoice: (e.target as HTMLSelectElement).value as PlanDraft["bonusVoice"]})}>
          <option value="" ?selected=${ctx.draft.bonusVoice === ""}>Ask a parent</option>
          <option value="grant" ?selected=${ctx.draft.bonusVoice === "grant"}>Grant the bonus</option>
        </select></label>
      <p class="small muted" id="voice-hint">Said to Home Assistant's voice assistant ("one more story for the child") at bedtime or with the day's minutes used.</p>
    </div>
    <div class="fields wide">
      <label class="field"><span>"One more story" from an assistant</span>
        <select aria-invalid=${isInvalid(ctx.invalid, "bonus.assistant") ? "true" : "false"} aria-describedby="assistant-hint"
          @change=${(e: Event) => ctx.set({bonusAssistant: (e.target as HTMLSelectElement).value as PlanDraft["bonusAssistant"]})}>
          <option value="" ?selected=${ctx.draft.bonusAssistant === ""}>Ask a parent</option>
          <option value="grant" ?selected=${ctx.draft.bonusAssistant === "grant"}>Grant the bonus</option>
        </select></label>
      <p class="small muted" id="assistant-hint">Asked by an AI assistant on the Assistants page (a chat, Home Assistant's conversation agent), whatever voice does.</p>
    </div>
    <h4 class="small muted">Other minutes on some days (empty: as above)</h4>
    <div class="fields days">
      ${WEEK.map(
        (
          day,
        ) => html`<label class="field"><span><abbr title=${DAY_NAMES[day]}>${DAY_NAMES[day].slice(0, 3)}</abbr></span>
          <input type="number" inputmode="numeric" min="0" max="1440" step="1" .value=${live(days[day])}
            aria-label="${DAY_NAMES[day]} minutes"
            aria-invalid=${isInvalid(ctx.invalid, `budget.weekdays.${day}`) ? "true" : "false"}
            @input=${(e: Event) => ctx.set({budgetDays: {...days, [day]: (e.target as HTMLInputElement).value}})} /></label>`,
      )}
    </div>
  </fieldset>`;
}

/** Before bedtime (a transition card or stream, a wind-down) and the volume the morning gives back. */
export function bedtimeFields(ctx: FieldContext) {
  const d = ctx.draft;
  const kind = d.transitionKind;
  return html`<fieldset>
    <legend>Around bedtime</legend>
    <div class="fields">
      <label class="field"><span>Transition</span>
        <select aria-invalid=${isInvalid(ctx.invalid, "bedtime.transition") ? "true" : "false"}
          @change=${(e: Event) => ctx.set({transitionKind: (e.target as HTMLSelectElement).value as PlanDraft["transitionKind"]})}>
          <option value="" ?selected=${kind === ""}>None</option>
          <option value="card" ?selected=${kind === "card"}>A card</option>
          <option value="stream" ?selected=${kind === "stream"}>A stream</option>
        </select></label>
      ${
        kind
          ? html`${field(ctx, kind === "card" ? "Card id or exact title" : "Stream name", "transitionWhat", {
              path: `bedtime.transition.${kind}`,
              type: "text",
              placeholder: kind === "card" ? "Sleepy songs" : "bedtime",
            })}
            ${field(ctx, "Minutes before", "transitionBefore", {path: "bedtime.transition.minutes_before", min: 1, max: 180, placeholder: "20"})}`
          : nothing
      }
    </div>
    <div class="fields">
      ${field(ctx, "Wind-down minutes", "windMinutes", {path: "bedtime.wind_down.minutes", min: 1, max: 120, placeholder: "none"})}
      ${field(ctx, "Wind-down to volume", "windVolume", {path: "bedtime.wind_down.volume", min: 0, max: 16, placeholder: "3"})}
      ${field(ctx, "Morning volume (1–16)", "morningVolume", {path: "morning_volume", min: 1, max: 16, placeholder: "8"})}
    </div>
  </fieldset>`;
}

/** Lines said on the child's player: near the end of the budget, and when a parent says Not tonight. */
export function spokenFields(ctx: FieldContext) {
  return html`<fieldset>
    <legend>Said on the player</legend>
    <div class="fields wide">
      ${field(ctx, "When the budget is nearly used", "warningSay", {path: "warning.say", type: "text", placeholder: "Ten more minutes of stories today."})}
      ${field(ctx, "On Not tonight", "notTonightSay", {path: "not_tonight.say", type: "text", placeholder: "Not tonight. Sleep well!"})}
    </div>
  </fieldset>`;
}

/** At night: the sleep sounds the house may start after bedtime, their volume, minutes, and how many a night. */
export function sleepFields(ctx: FieldContext) {
  return html`<fieldset>
    <legend>At night</legend>
    <p class="small muted hint">
      Sleep sounds the house may start after bedtime (a sensor, Home Assistant, "Mia can't sleep"): the only
      thing that plays in quiet, at this volume, never counted in the day's minutes.
    </p>
    <div class="fields wide">
      ${field(ctx, "Sleep sounds", "sleepSounds", {path: "sleep.sounds", type: "text", placeholder: "stream:rain, library:…"})}
    </div>
    <div class="fields">
      ${field(ctx, "Volume (1–16)", "sleepVolume", {path: "sleep.volume", min: 1, max: 16, placeholder: "4"})}
      ${field(ctx, "Minutes", "sleepMinutes", {path: "sleep.minutes", min: 1, max: 720, placeholder: "until wake"})}
      ${field(ctx, "A night, at most", "sleepPerNight", {path: "sleep.per_night", min: 1, max: 20, placeholder: "3"})}
      ${field(ctx, "Light ring", "sleepLight", {path: "sleep.light", type: "text", placeholder: "#ff8800"})}
    </div>
  </fieldset>`;
}
