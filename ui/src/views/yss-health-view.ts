import {mdiDownload} from "@mdi/js";
import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import {ago} from "../components/format.js";
import {serviceLabel, serviceStateLabel, span, statusLabel, tokenExpiry} from "../components/insight-labels.js";
import {cloudLabel, linkLabel} from "../components/labels.js";
import {mdi} from "../components/mdi.js";
import {renderResource} from "../components/resource-view.js";
import {getHealthOverview, type HealthOverview, type PlayerPulse} from "../data/health.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/** Figures that change without an event (memory, silence, token time) are fetched this often. */
export const HEALTH_REFRESH_MS = 15_000;

/**
 * How the service is doing, in words: the cloud connection and account, each player's last word
 * (silent ones flagged), stream requests and errors, failing podcast feeds, memory, and every
 * service's state.
 */
@customElement("yss-health-view")
export class YssHealthView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  #timer?: number;

  private _health = new LiveResource(this, {
    load: getHealthOverview,
    live: () => this.live,
    reloadOn: [
      "cloud.stateChanged",
      "service.stateChanged",
      "account.changed",
      "player.added",
      "player.removed",
      "stream.requested",
      // A feed failing or working again changes the problems at the top.
      "feed.followed",
      "feed.refreshed",
    ],
  });

  static override styles = [
    panelStyles,
    css`
      .grid {
        margin-top: 12px;
        align-items: start;
      }
      .players li,
      .feeds li,
      .services li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        justify-content: space-between;
        align-items: baseline;
        padding: 6px 0;
        border-bottom: 1px solid var(--yss-divider);
      }
      .players li:last-child,
      .feeds li:last-child,
      .services li:last-child {
        border-bottom: none;
      }
      .why {
        flex-basis: 100%;
      }
      .chip.warn {
        background: color-mix(in srgb, var(--yss-warning) 22%, transparent);
      }
      .bad-text {
        color: var(--yss-error);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = window.setInterval(() => this._health.reload(), HEALTH_REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.#timer);
  }

  override render() {
    return renderResource(this._health, (h) => this._renderHealth(h));
  }

  private _renderHealth(h: HealthOverview) {
    const tone = h.status === "ok" ? "good" : h.status === "failed" ? "bad" : "warn";
    const token = h.cloud.tokenExpiresAt;
    const expired = token !== undefined && Date.parse(token) <= Date.now();
    return html`<div class="card">
        <div class="row" style="justify-content: space-between">
          <h2>Health</h2>
          <span class="chip ${tone}" data-testid="status">${statusLabel(h.status)}</span>
        </div>
        ${
          h.attention.length > 0
            ? html`<ul class="attention" data-testid="attention">
                ${h.attention.map((line) => html`<li>${line}</li>`)}
              </ul>`
            : nothing
        }
        <dl data-testid="cloud">
          <dt>Yoto's cloud</dt><dd>${cloudLabel(h.cloud.state)}</dd>
          <dt>Account</dt><dd>${linkLabel(h.cloud.account)}${h.cloud.account === "linked" || h.cloud.account === "linking" ? "" : ": see the Account tab"}</dd>
          <dt>Access</dt><dd class=${expired ? "bad-text" : ""}>${token ? tokenExpiry(token) : "No login yet"}</dd>
          ${h.cloud.reason ? html`<dt>Why</dt><dd>${h.cloud.reason}</dd>` : nothing}
          <dt>Running</dt><dd>${span(h.uptime)} · version ${h.version}</dd>
        </dl>
        <p class="row">
          <!-- Relative, like every API path, so it resolves under Home Assistant's ingress prefix. -->
          <a class="button" href="api/diagnostics" download data-testid="diagnostics">${mdi(mdiDownload, 18)} Download diagnostics</a>
          <span class="small muted">Versions, options, players, health and the last 200 log lines, with secrets and ids taken out: attach it to a bug report.</span>
        </p>
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="players-h">
          <h2 id="players-h">Players</h2>
          ${h.players.length === 0 ? html`<p class="muted">No players yet: they appear once the Yoto account is linked.</p>` : nothing}
          <ul class="plain players">${h.players.map((p) => this._renderPlayer(p, h.silentAfterMinutes))}</ul>
        </section>
        <section class="card" aria-labelledby="streams-h">
          <h2 id="streams-h">Streams and memory</h2>
          <dl>
            <dt>Stream requests</dt><dd data-testid="stream-requests">${h.streams.requests} since the start</dd>
            <dt>Answered with an error</dt><dd class=${h.streams.errors ? "bad-text" : ""}>${h.streams.errors}</dd>
            ${
              h.streams.lastError
                ? html`<dt>Last error</dt><dd>'${h.streams.lastError.stream}' got status ${h.streams.lastError.status}, ${ago(h.streams.lastError.at)}</dd>`
                : nothing
            }
            <dt>Memory</dt><dd>${h.memory.rssMb} MB in use (${h.memory.heapUsedMb} MB JavaScript heap)</dd>
          </dl>
        </section>
        ${h.feeds.following > 0 ? this._renderFeeds(h.feeds) : nothing}
        <section class="card" aria-labelledby="services-h">
          <h2 id="services-h">Services</h2>
          <ul class="plain services">
            ${Object.entries(h.services).map(
              ([name, s]) => html`<li data-service=${name}>
                <span>${serviceLabel(name)}</span>
                <span class="chip ${s.state === "failed" ? "bad" : s.state === "running" && !s.degraded ? "good" : "warn"}">${serviceStateLabel(s)}</span>
                ${s.error ? html`<span class="why small muted">${s.error}</span>` : nothing}
              </li>`,
            )}
          </ul>
        </section>
      </div>`;
  }

  private _renderFeeds(feeds: HealthOverview["feeds"]) {
    const fine = feeds.following - feeds.failing.length;
    return html`<section class="card" aria-labelledby="feeds-h" data-testid="feeds">
      <h2 id="feeds-h">Podcast feeds</h2>
      <p class="small muted">${feeds.following} followed${feeds.failing.length ? `, ${fine} working` : ", all working"}</p>
      <ul class="plain feeds">
        ${feeds.failing.map(
          (f) => html`<li data-feed=${f.stream}>
            <strong>${f.stream}</strong>
            <span class="chip bad">Failing since ${ago(f.since)}</span>
            <span class="why small bad-text">${f.error}</span>
            <span class="why small">${f.hint}</span>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private _renderPlayer(p: PlayerPulse, silentAfter: number) {
    const heard = p.lastEventAt ? `Last heard ${ago(p.lastEventAt)}` : "Not heard from since the start";
    return html`<li data-player=${p.id}>
      <strong>${p.name}</strong>
      <span class="chip ${p.online ? (p.silent ? "warn" : "good") : ""}">${p.online ? (p.silent ? "Silent" : "Online") : "Offline"}</span>
      <span class="why small ${p.silent ? "" : "muted"}">${heard}${p.silent ? `: online, yet nothing heard for over ${silentAfter} min` : ""}</span>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-health-view": YssHealthView;
  }
}
