import {html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {repeat} from "lit/directives/repeat.js";
import {budgetLabel, childListeningOn, type DailyBudget, dailyBudget} from "../components/family-budget.js";
import {historyStyles} from "../components/history-styles.js";
import {listened} from "../components/insight-labels.js";
import {renderResource} from "../components/resource-view.js";
import {playerColour} from "../components/yss-history-chart.js";
import "../components/yss-history-chart.js";
import {followChildren} from "../data/family-live.js";
import {
  getHistory,
  getSessions,
  HISTORY_RANGES,
  type HistoryRange,
  type HistorySummary,
  type ListeningSession,
} from "../data/history.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/** Sessions listed under the chart: the newest of the range. */
const SESSIONS_SHOWN = 50;
const RANGE_LABELS: Record<HistoryRange, string> = {
  7: "7 days",
  14: "14 days",
  30: "30 days",
  90: "90 days",
  365: "1 year",
};
const STARTED = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

interface History {
  summary: HistorySummary;
  sessions: ListeningSession[];
}

/**
 * What each player played, when and for how long: today's listening per player, a bar per day
 * stacked by player, and the sessions behind it. Follows `history.changed` (a session closed, or
 * a minute more of one playing). Filtered to one player of a child with a daily budget in the
 * family plan, the chart marks the budget.
 */
@customElement("yss-history-view")
export class YssHistoryView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _range: HistoryRange = 14;
  /** The one player shown, by id; "" for every player. */
  @state() private _player = "";

  private _history = new LiveResource<History>(this, {
    load: async () => {
      // Every player's days, so the filter can offer them all; only the sessions are asked for by player.
      const summary = await getHistory(this._range);
      const player = this._player || undefined;
      const {sessions} = await getSessions({from: summary.from, to: summary.to, player, limit: SESSIONS_SHOWN});
      return {summary, sessions};
    },
    live: () => this.live,
    reloadOn: ["history.changed", "player.added"],
  });

  /** For the budget of the child a filtered player is for. */
  private _children = followChildren(this, () => this.live);

  static override styles = [panelStyles, historyStyles];

  override render() {
    return html`<div class="card">
      <header class="row">
        <h2>Listening history</h2>
        <div class="row filters">
          <select aria-label="Player" @change=${(e: Event) => this._onPlayer((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this._player}>All players</option>
            ${(this._history.value?.summary.players ?? []).map(
              (p) => html`<option value=${p.id} ?selected=${p.id === this._player}>${p.name}</option>`,
            )}
          </select>
          <div class="row" role="group" aria-label="Range">
            ${HISTORY_RANGES.map(
              (days) =>
                html`<button aria-pressed=${days === this._range ? "true" : "false"} @click=${() => this._onRange(days)}>${RANGE_LABELS[days]}</button>`,
            )}
          </div>
        </div>
      </header>
      ${renderResource(this._history, (h) => this._renderHistory(h))}
    </div>`;
  }

  private _renderHistory({summary, sessions}: History) {
    const one = summary.players.find((p) => p.id === this._player);
    const players = one ? [one] : summary.players;
    const totals = new Map(players.map((p) => [p.id, 0]));
    for (const day of summary.days)
      for (const {id} of players) totals.set(id, (totals.get(id) ?? 0) + (day.seconds[id] ?? 0));
    const budget = one ? dailyBudget(childListeningOn(this._children.value?.children, one.id)) : undefined;
    // A budget is worth seeing before anything has played: the chart shows it against empty days.
    const any = [...totals.values()].some((s) => s > 0) || sessions.length > 0 || budget !== undefined;
    return html`<h3>Listening today</h3>
      <ul class="plain today">
        ${players.map(
          (p) =>
            html`<li data-player=${p.id}><span class="small muted">${p.name}</span><strong>${listened(summary.today[p.id] ?? 0)}</strong></li>`,
        )}
      </ul>
      ${summary.players.length === 0 ? html`<p class="muted">No players yet: they appear once the Yoto account is linked.</p>` : nothing}
      ${
        any
          ? html`<h3>Per day</h3>
            <yss-history-chart data-days=${summary.days.length} .days=${summary.days} .players=${players}
              .budget=${budget}></yss-history-chart>
            <ul class="plain legend" aria-label="Players">
              ${players.map(
                (p, i) =>
                  html`<li><span class="swatch" style="background: ${playerColour(i)}"></span>${p.name}: ${listened(totals.get(p.id) ?? 0)} in ${RANGE_LABELS[this._range]}</li>`,
              )}
              ${budget ? this._renderBudgetLegend(budget) : nothing}
            </ul>
            <h3>Sessions</h3>
            ${this._renderSessions(sessions)}`
          : html`<p class="muted empty" data-testid="history-empty">
            Nothing played${one ? ` on ${one.name}` : ""} in the last ${RANGE_LABELS[this._range]}. When a player plays a card, its listening
            shows up here per day and per player: within a minute while it plays, and as a session when it
            stops. Sessions are kept for ${summary.retentionDays} days.
          </p>`
      }
      <p class="small muted">Days are counted in ${summary.timeZone}; history older than ${summary.retentionDays} days is deleted.</p>`;
  }

  private _renderSessions(sessions: ListeningSession[]) {
    if (sessions.length === 0) return html`<p class="muted">No sessions in this range.</p>`;
    return html`<ul class="plain sessions">
      ${repeat(
        sessions,
        (s) => s.id,
        (s) => html`<li data-session=${s.id}>
          <div class="what">
            <strong>${s.cardTitle ?? "A card not on the account"}</strong>
            ${s.chapterTitle ? html`<div class="small">${s.chapterTitle}</div>` : nothing}
            <div class="small muted">${s.player}</div>
          </div>
          <div class="when small">
            <div>${STARTED.format(new Date(s.startedAt))} · ${listened(s.seconds)}</div>
            ${s.open ? html`<span class="chip good">playing now</span>` : nothing}
          </div>
        </li>`,
      )}
    </ul>`;
  }

  private _renderBudgetLegend(budget: DailyBudget) {
    return html`<li data-testid="budget-legend"><span class="swatch budget"></span>${budgetLabel(budget)}</li>`;
  }

  private _onPlayer(id: string) {
    if (id === this._player) return;
    this._player = id;
    this._history.reload();
  }

  private _onRange(days: HistoryRange) {
    if (days === this._range) return;
    this._range = days;
    this._history.reload();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-history-view": YssHistoryView;
  }
}
