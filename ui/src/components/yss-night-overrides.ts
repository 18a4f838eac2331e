import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {panelStyles} from "../styles.js";
import {familyFormStyles} from "./family-styles.js";
import {isInvalid, type OverrideDraft} from "./plan-draft.js";

/** Today in the browser, YYYY-MM-DD: where a new date starts when the service has not said tonight's. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Dates that differ from the week (a sleepover, Christmas Eve): no quiet that night, or other
 * times, with a note. Rows are added and removed here; the list goes up whole on every change.
 *
 * @fires overrides-changed - the whole list, `OverrideDraft[]`
 */
@customElement("yss-night-overrides")
export class YssNightOverrides extends LitElement {
  @property({attribute: false}) overrides: OverrideDraft[] = [];
  /**
   * Tonight's evening as the service says it (the child's `evening`): after midnight, yesterday's
   * until the night's wake. A new date starts there, and no earlier date is offered.
   */
  @property() evening?: string;
  /** The field the service refused (`overrides[1].date`), to mark its input. */
  @property({attribute: false}) invalid?: string;

  static override styles = [
    panelStyles,
    familyFormStyles,
    css`
      li {
        border-top: 1px solid var(--yss-divider);
        padding: 8px 0;
      }
      li:first-child {
        border-top: none;
        padding-top: 0;
      }
      .remove {
        align-self: end;
      }
    `,
  ];

  override render() {
    return html`${
      this.overrides.length === 0
        ? html`<p class="small muted hint">No dates differ from the week.</p>`
        : html`<ul class="plain">${this.overrides.map((o, i) => this._renderRow(o, i))}</ul>`
    }
      <button type="button" @click=${this._add}>Add a date</button>`;
  }

  private _renderRow(o: OverrideDraft, i: number) {
    const at = `overrides[${i}]`;
    const bad = (field: string) => (isInvalid(this.invalid, `${at}.${field}`) ? "true" : "false");
    const set = (patch: Partial<OverrideDraft>) =>
      this._change(this.overrides.map((row, j) => (j === i ? {...row, ...patch} : row)));
    const value = (e: Event) => (e.target as HTMLInputElement).value;
    const which = `date ${i + 1}`;
    return html`<li class="fields" data-override=${i}>
      <label class="field"><span>Evening of</span>
        <input type="date" .value=${live(o.date)} min=${this.evening ?? nothing} aria-invalid=${bad("date")}
          @input=${(e: Event) => set({date: value(e)})} /></label>
      <label class="field"><span>That night</span>
        <select @change=${(e: Event) => set({quiet: value(e) === "times"})}>
          <option value="times" ?selected=${o.quiet}>Other times</option>
          <option value="none" ?selected=${!o.quiet}>No quiet</option>
        </select></label>
      ${
        o.quiet
          ? html`<label class="field"><span>Bedtime</span>
              <input type="time" .value=${live(o.bedtime)} aria-invalid=${bad("bedtime")}
                @input=${(e: Event) => set({bedtime: value(e)})} /></label>
            <label class="field"><span>Wake</span>
              <input type="time" .value=${live(o.wake)} aria-invalid=${bad("wake")}
                @input=${(e: Event) => set({wake: value(e)})} /></label>`
          : nothing
      }
      <label class="field"><span>Note</span>
        <input type="text" placeholder="sleepover" .value=${live(o.note)} aria-invalid=${bad("note")}
          @input=${(e: Event) => set({note: value(e)})} /></label>
      <button type="button" class="remove danger" aria-label="Remove ${which}" @click=${() => this._remove(i)}>Remove</button>
    </li>`;
  }

  private _add = async () => {
    this._change([...this.overrides, {date: this.evening ?? today(), quiet: true, bedtime: "", wake: "", note: ""}]);
    // The new row's first field takes the focus, so a keyboard carries on where the row is.
    await this.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    this.renderRoot.querySelector<HTMLInputElement>("li:last-child input[type=date]")?.focus();
  };

  private _remove(i: number) {
    this._change(this.overrides.filter((_, j) => j !== i));
    // The focus would fall to the page with the row: it goes to "Add a date" instead.
    this.renderRoot.querySelector<HTMLButtonElement>(":scope > button")?.focus();
  }

  private _change(overrides: OverrideDraft[]) {
    this.dispatchEvent(new CustomEvent("overrides-changed", {detail: overrides}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-night-overrides": YssNightOverrides;
  }
  interface HTMLElementEventMap {
    "overrides-changed": CustomEvent<OverrideDraft[]>;
  }
}
