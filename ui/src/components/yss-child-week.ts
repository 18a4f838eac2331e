import {mdiWeatherNight} from "@mdi/js";
import {css, html, LitElement, nothing, type PropertyValues, svg} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {Action} from "../controllers/action.js";
import {type ChildWeek, getWeek, type WeekDay} from "../data/family.js";
import {panelStyles} from "../styles.js";
import {DAY_NAMES} from "./yss-week-grid.js";
import "./yss-alert.js";

const BAR = 22;
const COLUMN = 40;
const HIGH = 70;
const TOP = 14;

/** "2 h 5 min", "45 min". */
function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${minutes / 60} h`;
}

/** One day as a screen reader hears the chart: "Saturday: 80 of 90 minutes, up once at night". */
function dayWords(d: WeekDay): string {
  const heard = d.budget === null ? `${d.minutes} minutes` : `${d.minutes} of ${d.budget} minutes`;
  const wakes = d.night.wakes.length;
  const night = wakes ? `, up ${wakes === 1 ? "once" : `${wakes} times`} at night` : "";
  return `${DAY_NAMES[d.weekday]}: ${heard}${night}`;
}

/**
 * A child's week at a glance, in the child's card: a bar a day (minutes; over the budget in the
 * warning colour, the budget a dash across it), a moon over each evening whose night the child was
 * up (a wake at 02:10 is the evening before's, as the journal tells it), and one
 * line under it: the week's time, its top title, the nights. Read from `GET …/week` when the card's
 * child changes or its day does (`version`: the card's minutes and journal, which move with it).
 */
@customElement("yss-child-week")
export class YssChildWeek extends LitElement {
  @property() child = "";
  /** Changes when the child's day does: the week is read again then. */
  @property() version = "";

  @state() private _week?: ChildWeek;
  readonly #action = new Action(this);

  static override styles = [
    panelStyles,
    css`
      svg {
        display: block;
        width: 100%;
        max-width: 420px;
        height: auto;
      }
      .bar {
        fill: var(--primary-color, #03a9f4);
      }
      .bar.over {
        fill: var(--warning-color, #ff9800);
      }
      .budget {
        stroke: var(--primary-text-color, #212121);
        stroke-width: 2;
        stroke-dasharray: 3 2;
      }
      .moon {
        fill: var(--secondary-text-color, #727272);
      }
      .base {
        stroke: var(--divider-color, #e0e0e0);
        stroke-width: 1;
      }
      text {
        font-size: 10px;
        fill: var(--secondary-text-color, #727272);
        text-anchor: middle;
      }
      text.today {
        font-weight: 700;
        fill: var(--primary-text-color, #212121);
      }
      .sum {
        margin: 4px 0 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("child") || changed.has("version")) && this.child) void this.#action.attempt(() => this._load());
  }

  private async _load() {
    const child = this.child;
    const week = await getWeek(child);
    if (child === this.child) this._week = week;
  }

  override render() {
    const w = this._week;
    return html`<section aria-labelledby="week">
      <h3 id="week">This week</h3>
      <yss-alert .message=${this.#action.error}></yss-alert>
      ${w ? this._chart(w) : html`<p class="small muted">Reading the week…</p>`}
    </section>`;
  }

  private _chart(w: ChildWeek) {
    const most = Math.max(30, ...w.days.map((d) => Math.max(d.minutes, d.budget ?? 0)));
    const y = (minutes: number) => TOP + HIGH - Math.round((minutes / most) * HIGH);
    const last = w.days.length - 1;
    const nights = w.days.filter((d) => d.night.wakes.length > 0).length;
    const top = w.top[0];
    return html`${svg`<svg viewBox="0 0 ${COLUMN * 7} ${TOP + HIGH + 16}" role="img" data-testid="week-chart"
      aria-label=${`${this.child}'s week. ${w.days.map(dayWords).join(". ")}.`}>
      <line class="base" x1="0" x2=${COLUMN * 7} y1=${TOP + HIGH} y2=${TOP + HIGH} />
      ${w.days.map((d, i) => {
        const x = i * COLUMN + (COLUMN - BAR) / 2;
        const over = d.budget !== null && d.minutes > d.budget;
        return svg`<g data-date=${d.date}>
          <rect class=${over ? "bar over" : "bar"} x=${x} y=${y(d.minutes)} width=${BAR} height=${TOP + HIGH - y(d.minutes)} rx="2" />
          ${d.budget === null ? nothing : svg`<line class="budget" x1=${x - 3} x2=${x + BAR + 3} y1=${y(d.budget)} y2=${y(d.budget)} />`}
          ${d.night.wakes.length ? svg`<path class="moon" data-wakes=${d.night.wakes.length} d=${mdiWeatherNight} transform="translate(${x + BAR / 2 - 6} 0) scale(0.5)" />` : nothing}
          <text class=${i === last ? "today" : ""} x=${x + BAR / 2} y=${TOP + HIGH + 12}>${DAY_NAMES[d.weekday].slice(0, 2)}</text>
        </g>`;
      })}
    </svg>`}
    <p class="small sum" data-testid="week-sum">${minutesText(w.minutes)} this week${top ? html` · most: <q>${top.title}</q>` : nothing}${
      nights ? ` · up ${nights === 1 ? "one night" : `${nights} nights`}` : ""
    }</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-child-week": YssChildWeek;
  }
}
