import {css, html, LitElement, nothing, svg} from "lit";
import {customElement, property} from "lit/decorators.js";
import type {HistoryDay} from "../data/history.js";
import {budgetLabel, budgetOn, type DailyBudget} from "./family-budget.js";
import {listened} from "./insight-labels.js";

/** One colour per player, in the order the summary lists them; the first is the theme's own. */
const COLOURS = ["var(--yss-primary, #03a9f4)", "#ff9800", "#8e6ccf", "#4caf50", "#e91e63", "#009688", "#795548"];
export const playerColour = (index: number) => COLOURS[index % COLOURS.length] as string;

/** Bar geometry in the SVG's own units: it is stretched to the width it gets, so only ratios matter. */
const SLOT = 10;
const HEIGHT = 100;
/** Height of the band around the budget line that shows its name on hover. */
const HIT = 4;
/** Minutes per grid step: the smallest one giving at most four steps to the tallest day. */
const STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720];

const DAY = new Intl.DateTimeFormat(undefined, {weekday: "short", day: "numeric", month: "short"});
const SHORT = new Intl.DateTimeFormat(undefined, {day: "numeric", month: "short"});
/** `YYYY-MM-DD` read at noon, so no time zone moves it to the day before. */
const asDate = (date: string) => new Date(`${date}T12:00:00`);

/**
 * Listening per day, one stacked bar per day and one colour per player, drawn as SVG (no chart
 * library: the panel stays small). Each day with listening is an image whose name says the day and
 * each player's time, so a screen reader hears what the bar shows; hovering shows the same text.
 * Given a child's budget, a dashed line marks it on every day, at that weekday's minutes.
 */
@customElement("yss-history-chart")
export class YssHistoryChart extends LitElement {
  @property({attribute: false}) days: HistoryDay[] = [];
  @property({attribute: false}) players: Array<{id: string; name: string}> = [];
  /** The family plan's daily budget of the child these players are for: drawn as a line. */
  @property({attribute: false}) budget?: DailyBudget;

  static override styles = css`
    :host {
      display: block;
    }
    .plot {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0 6px;
      font-size: 11px;
      color: var(--yss-muted, #5f6368);
    }
    .y {
      position: relative;
      height: 180px;
      min-width: 4ch;
      text-align: right;
    }
    /* The longest label, unseen, gives the axis its width (the placed labels take none). */
    .y .widest {
      visibility: hidden;
      height: 0;
      white-space: nowrap;
    }
    .y span {
      position: absolute;
      right: 0;
      transform: translateY(-50%);
      white-space: nowrap;
    }
    svg {
      display: block;
      width: 100%;
      height: 180px;
      overflow: visible;
    }
    .grid {
      stroke: var(--yss-divider, rgba(0, 0, 0, 0.12));
      stroke-width: 1;
    }
    /* A hairline of the same colour around each bar: a day in a year's chart stays visible. */
    rect {
      stroke-width: 1px;
      vector-effect: non-scaling-stroke;
    }
    g[role="img"]:hover rect {
      opacity: 0.8;
    }
    .budget line {
      stroke: var(--yss-text, #212121);
      stroke-width: 1.5px;
      stroke-dasharray: 5 4;
    }
    /* A band around the line that hovering finds (a line has no height to point at). */
    .budget .hit {
      fill: transparent;
      stroke: none;
    }
    .x {
      grid-column: 2;
      display: flex;
      justify-content: space-between;
      padding-top: 4px;
    }
  `;

  override render() {
    const days = this.days;
    if (days.length === 0) return nothing;
    const totals = days.map((d) => this.players.reduce((sum, p) => sum + (d.seconds[p.id] ?? 0), 0));
    const budget = this.budget;
    const budgets = budget ? days.map((d) => budgetOn(budget, d.date) * 60) : [];
    // A budget above every bar raises the axis, so its line stays inside the chart.
    const highest = Math.max(...totals, ...budgets);
    const stepMin = STEPS_MIN.find((s) => s * 4 * 60 >= highest) ?? 1440;
    const steps = Math.max(1, Math.ceil(highest / (stepMin * 60)));
    const top = steps * stepMin * 60;
    const ticks = Array.from({length: steps + 1}, (_, i) => i);
    const yLabels = ticks.map((i) => (i === 0 ? "0" : listened(i * stepMin * 60)));
    const width = days.length * SLOT;
    // Narrow slots (a year) lose their gap, or the bars would be thinner than the gaps.
    const bar = days.length > 60 ? SLOT : SLOT * 0.7;
    const listenedDays = totals.filter((t) => t > 0).length;
    const first = days[0] as HistoryDay;
    const last = days.at(-1) as HistoryDay;
    const label = `Minutes listened per day from ${SHORT.format(asDate(first.date))} to ${SHORT.format(asDate(last.date))}: ${listenedDays} day${listenedDays === 1 ? "" : "s"} with listening`;

    return html`<div class="plot">
      <div class="y" aria-hidden="true">
        <div class="widest">${yLabels.reduce((a, b) => (b.length > a.length ? b : a), "")}</div>
        ${ticks.map((i) => html`<span style="top: ${100 - (i / steps) * 100}%">${yLabels[i]}</span>`)}
      </div>
      <svg viewBox="0 0 ${width} ${HEIGHT}" preserveAspectRatio="none" role="group" aria-label=${label}>
        ${ticks.map((i) => svg`<line class="grid" x1="0" x2=${width} y1=${HEIGHT - (i / steps) * HEIGHT} y2=${HEIGHT - (i / steps) * HEIGHT} vector-effect="non-scaling-stroke" />`)}
        ${days.map((day, index) => (totals[index] ? this.#bar(day, index * SLOT + (SLOT - bar) / 2, bar, top, totals[index] as number, budgets[index]) : nothing))}
        ${budget ? this.#budgetLine(budget, budgets, top) : nothing}
      </svg>
      <div class="x" aria-hidden="true">
        <span>${SHORT.format(asDate(first.date))}</span>
        ${days.length > 2 ? html`<span>${SHORT.format(asDate((days[Math.floor(days.length / 2)] as HistoryDay).date))}</span>` : nothing}
        <span>${SHORT.format(asDate(last.date))}</span>
      </div>
    </div>`;
  }

  #bar(day: HistoryDay, x: number, width: number, top: number, total: number, budget?: number) {
    let y = HEIGHT;
    const parts: string[] = [];
    const rects = this.players.map((player, index) => {
      const seconds = day.seconds[player.id] ?? 0;
      if (!seconds) return nothing;
      parts.push(`${player.name} ${listened(seconds)}`);
      // At least a sliver, so a short listen next to a long one still shows.
      const height = Math.max(1.5, (seconds / top) * HEIGHT);
      y -= height;
      return svg`<rect x=${x} y=${y} width=${width} height=${height} style="fill: ${playerColour(index)}; stroke: ${playerColour(index)}" data-player=${player.id} />`;
    });
    const of = budget === undefined ? "" : ` of a ${budget / 60} min budget`;
    const name = `${DAY.format(asDate(day.date))}: ${listened(total)}${of} (${parts.join(", ")})`;
    return svg`<g role="img" aria-label=${name} data-date=${day.date}><title>${name}</title>${rects}</g>`;
  }

  /** One dashed segment per run of days with the same budget: a single line when every day has the same. */
  #budgetLine(budget: DailyBudget, perDay: number[], top: number) {
    const runs: Array<{from: number; to: number; seconds: number}> = [];
    perDay.forEach((seconds, index) => {
      const last = runs.at(-1);
      if (last && last.seconds === seconds) last.to = index + 1;
      else runs.push({from: index, to: index + 1, seconds});
    });
    const name = budgetLabel(budget);
    return svg`<g class="budget" role="img" aria-label=${name} data-testid="budget-line" data-minutes=${budget.minutes}>
      <title>${name}</title>
      ${runs.map((r) => {
        const y = HEIGHT - (r.seconds / top) * HEIGHT;
        return svg`<rect class="hit" x=${r.from * SLOT} y=${y - HIT / 2} width=${(r.to - r.from) * SLOT} height=${HIT} />
          <line x1=${r.from * SLOT} x2=${r.to * SLOT} y1=${y} y2=${y} vector-effect="non-scaling-stroke" data-budget-minutes=${r.seconds / 60} />`;
      })}
    </g>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-history-chart": YssHistoryChart;
  }
}
