import {css, html, LitElement} from "lit";
import {customElement, property} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {WEEK, type Weekday} from "../data/family.js";
import {panelStyles} from "../styles.js";
import {isInvalid, type NightDraft} from "./plan-draft.js";

export const DAY_NAMES: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/**
 * The week's nights: a bedtime and a wake time per evening, Monday first. A night left empty has no
 * quiet. Each change goes up whole (`schedule-changed`), so the editor holds the one copy.
 *
 * @fires schedule-changed - the whole week, `Record<Weekday, NightDraft>`
 */
@customElement("yss-week-grid")
export class YssWeekGrid extends LitElement {
  @property({attribute: false}) schedule!: Record<Weekday, NightDraft>;
  /** The field the service refused (`schedule.mon`), to mark its inputs. */
  @property({attribute: false}) invalid?: string;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      /* Wide enough for the times, not the whole card: a row reads as one night. */
      table {
        width: 100%;
        max-width: 26em;
        border-collapse: collapse;
        table-layout: fixed;
      }
      th {
        text-align: left;
        font-weight: 500;
        font-size: 12px;
        color: var(--yss-muted);
        padding: 0 4px 4px 0;
      }
      th[scope="row"] {
        font-size: 14px;
        color: var(--yss-text);
      }
      /* A fixed table takes its widths from the first row: the day's column is set here, not on its cells. */
      col.day {
        width: 2.8em;
      }
      td {
        padding: 3px 4px 3px 0;
      }
      td:last-child {
        padding-right: 0;
      }
      /* Room for "07:30 PM" and the clock at 360 px: less padding than the panel's other fields. */
      input {
        width: 100%;
        min-width: 0;
        padding: 6px 4px 6px 8px;
      }
      .tools {
        margin-top: 6px;
      }
    `,
  ];

  override render() {
    return html`<table>
        <colgroup><col class="day" /><col /><col /></colgroup>
        <thead>
          <tr><th scope="col"><span class="visually-hidden">Night</span></th><th scope="col">Bedtime</th><th scope="col">Wake</th></tr>
        </thead>
        <tbody>
          ${WEEK.map((day) => this._renderNight(day))}
        </tbody>
      </table>
      <div class="row tools">
        <button type="button" @click=${this._copyMonday}>Monday's times every night</button>
        <button type="button" @click=${this._clearAll}>No quiet any night</button>
      </div>`;
  }

  private _renderNight(day: Weekday) {
    const night = this.schedule[day];
    const bad = (field: keyof NightDraft) => (isInvalid(this.invalid, `schedule.${day}.${field}`) ? "true" : "false");
    const set = (field: keyof NightDraft) => (e: Event) =>
      this._change({...this.schedule, [day]: {...night, [field]: (e.target as HTMLInputElement).value}});
    return html`<tr data-day=${day}>
      <th scope="row"><abbr title=${DAY_NAMES[day]}>${DAY_NAMES[day].slice(0, 3)}</abbr></th>
      <td><input type="time" aria-label="${DAY_NAMES[day]} bedtime" .value=${live(night.bedtime)}
        aria-invalid=${bad("bedtime")} @input=${set("bedtime")} /></td>
      <td><input type="time" aria-label="${DAY_NAMES[day]} wake" .value=${live(night.wake)}
        aria-invalid=${bad("wake")} @input=${set("wake")} /></td>
    </tr>`;
  }

  private _copyMonday = () => {
    const monday = this.schedule.mon;
    this._change(Object.fromEntries(WEEK.map((d) => [d, {...monday}])) as Record<Weekday, NightDraft>);
  };

  private _clearAll = () => {
    this._change(Object.fromEntries(WEEK.map((d) => [d, {bedtime: "", wake: ""}])) as Record<Weekday, NightDraft>);
  };

  private _change(schedule: Record<Weekday, NightDraft>) {
    this.dispatchEvent(new CustomEvent("schedule-changed", {detail: schedule}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-week-grid": YssWeekGrid;
  }
  interface HTMLElementEventMap {
    "schedule-changed": CustomEvent<Record<Weekday, NightDraft>>;
  }
}
