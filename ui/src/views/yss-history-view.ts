import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {repeat} from "lit/directives/repeat.js";
import {listened} from "../components/insight-labels.js";
import {renderResource} from "../components/resource-view.js";
import {playerColour} from "../components/yss-history-chart.js";
import "../components/yss-history-chart.js";
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
 * a minute more of one playing).
 */
@customElement("yss-history-view")
export class YssHistoryView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _range: HistoryRange = 14;

  private _history = new LiveResource<History>(this, {
    load: async () => {
      const summary = await getHistory(this._range);
      const {sessions} = await getSessions({from: summary.from, to: summary.to, limit: SESSIONS_SHOWN});
      return {summary, sessions};
    },
    live: () => this.live,
    reloadOn: ["history.changed", "player.added"],
  });

  static override styles = [
    panelStyles,
    css`
      .card + .card {
        margin-top: 12px;
      }
      header {
        justify-content: space-between;
        margin-bottom: 8px;
      }
      [role="group"] button[aria-pressed="true"] {
        background: color-mix(in srgb, var(--yss-primary) 18%, transparent);
        border-color: var(--yss-primary);
        color: var(--yss-primary);
        font-weight: 500;
      }
      .today {
        display: grid;
        gap: 8px;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 150px), 1fr));
        margin-bottom: 16px;
      }
      .today li {
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
        padding: 8px 12px;
      }
      .today strong {
        display: block;
        font-size: 20px;
        font-weight: 400;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin-top: 12px;
      }
      .swatch {
        display: inline-block;
        width: 12px;
        height: 12px;
        border-radius: 3px;
        margin-right: 6px;
        vertical-align: -1px;
      }
      .sessions li {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 12px;
        justify-content: space-between;
        padding: 8px 0;
        border-bottom: 1px solid var(--yss-divider);
      }
      .sessions li:last-child {
        border-bottom: none;
      }
      .sessions .what {
        flex: 1 1 220px;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .sessions .when {
        margin-left: auto;
        text-align: right;
        white-space: nowrap;
      }
      .empty {
        max-width: 60ch;
      }
    `,
  ];

  override render() {
    return html`<div class="card">
      <header class="row">
        <h2>Listening history</h2>
        <div class="row" role="group" aria-label="Range">
          ${HISTORY_RANGES.map(
            (days) =>
              html`<button aria-pressed=${days === this._range ? "true" : "false"} @click=${() => this._onRange(days)}>${RANGE_LABELS[days]}</button>`,
          )}
        </div>
      </header>
      ${renderResource(this._history, (h) => this._renderHistory(h))}
    </div>`;
  }

  private _renderHistory({summary, sessions}: History) {
    const totals = new Map(summary.players.map((p) => [p.id, 0]));
    for (const day of summary.days)
      for (const [id, seconds] of Object.entries(day.seconds)) totals.set(id, (totals.get(id) ?? 0) + seconds);
    const any = [...totals.values()].some((s) => s > 0) || sessions.length > 0;
    return html`<h3>Listening today</h3>
      <ul class="plain today">
        ${summary.players.map(
          (p) =>
            html`<li data-player=${p.id}><span class="small muted">${p.name}</span><strong>${listened(summary.today[p.id] ?? 0)}</strong></li>`,
        )}
      </ul>
      ${summary.players.length === 0 ? html`<p class="muted">No players yet: they appear once the Yoto account is linked.</p>` : nothing}
      ${
        any
          ? html`<h3>Per day</h3>
            <yss-history-chart data-days=${summary.days.length} .days=${summary.days} .players=${summary.players}></yss-history-chart>
            <ul class="plain legend" aria-label="Players">
              ${summary.players.map(
                (p, i) =>
                  html`<li><span class="swatch" style="background: ${playerColour(i)}"></span>${p.name}: ${listened(totals.get(p.id) ?? 0)} in ${RANGE_LABELS[this._range]}</li>`,
              )}
            </ul>
            <h3>Sessions</h3>
            ${this._renderSessions(sessions)}`
          : html`<p class="muted empty" data-testid="history-empty">
            Nothing played in the last ${RANGE_LABELS[this._range]}. When a player plays a card, its listening
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
