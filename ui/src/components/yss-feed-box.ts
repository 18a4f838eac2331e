import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import {Action} from "../controllers/action.js";
import {type FeedOrder, type FeedView, refreshFeed, unfollowFeed, unhideEpisode} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {ago, duration} from "./format.js";
import {progressStyles} from "./progress-styles.js";
import "./yss-alert.js";

export const ORDER_LABELS: Record<FeedOrder, string> = {oldest_first: "Oldest first", newest_first: "Newest first"};

/** How often the "… ago" words are redrawn, and a running refresh looked at again. */
const TICK_MS = 5000;

/** The feed's address for people: no query (it may hold a private feed's token), no credentials. */
export function feedAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? "";
  }
}

/** "2m" → "2 min", "1h30m" → "1 h 30 min", each number kept with its unit (no-break space). */
const length = (text: string) =>
  text.replace(/(\d+)([hms])/g, (_, n, u) => ` ${n}\u00a0${u === "m" ? "min" : u}`).trim();

const day = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, {day: "numeric", month: "short", year: "numeric"});

/**
 * A stream's podcast feed: where it comes from, when it last looked and last brought news, why the
 * last refresh failed, the episodes it holds and those hidden (each with Unhide), a refresh button
 * and the download's progress. The
 * parent hands in the feed as the service last showed it, and reloads on the live feed events.
 *
 * @fires stream-updated - the feed changed (refreshed, stopped): the stream should be loaded again
 */
@customElement("yss-feed-box")
export class YssFeedBox extends LitElement {
  @property() stream = "";
  @property({attribute: false}) feed!: FeedView;

  /** Refresh, unhide and stop: one error line; only a refresh shows as under way. */
  #action = new Action(this);
  #timer?: number;

  static override styles = [
    panelStyles,
    progressStyles,
    css`
      :host {
        display: block;
        margin-top: 12px;
        padding: 12px;
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
      }
      h3 {
        margin: 0 0 4px;
        overflow-wrap: anywhere;
      }
      h4 {
        font-size: 14px;
        font-weight: 500;
        margin: 12px 0 4px;
      }
      .address,
      .episode .title,
      .hidden .title,
      .skipped li,
      yss-alert {
        overflow-wrap: anywhere;
      }
      .facts > * + * {
        margin-top: 2px;
      }
      .actions {
        margin: 8px 0;
      }
      .progress label {
        display: block;
        overflow-wrap: anywhere;
      }
      progress {
        color: var(--yss-primary);
      }
      /* No value while the feed itself is read: a band slides along. */
      progress:indeterminate {
        background:
          linear-gradient(90deg, transparent 35%, var(--yss-primary) 35% 65%, transparent 65%) 0 0 / 300% 100%,
          color-mix(in srgb, var(--yss-primary) 18%, transparent);
        animation: slide 1.4s linear infinite;
      }
      @keyframes slide {
        from {
          background-position: 100% 0, 0 0;
        }
        to {
          background-position: 0 0, 0 0;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        progress:indeterminate {
          animation: none;
        }
      }
      .episode {
        padding: 6px 0;
        border-top: 1px solid var(--yss-divider);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = window.setInterval(() => {
      this.requestUpdate();
      // An unchanged feed's check sends no event: look again while the service says it is busy.
      if (this.feed?.refreshing && !this.#action.busy) this.#updated();
    }, TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.#timer);
  }

  override render() {
    const f = this.feed;
    return html`<section aria-labelledby="feed-title">
      <div class="small muted">Follows a podcast</div>
      <h3 id="feed-title">${f.title ?? "Podcast feed"}</h3>
      <div class="small facts">
        <div class="address muted" data-testid="feed-address">${feedAddress(f.url)}</div>
        <div>
          Keeps the newest ${f.keep} · ${ORDER_LABELS[f.order] ?? f.order}${
            f.skip_shorter_than ? ` · skips episodes under ${length(f.skip_shorter_than)}` : ""
          } · looks every ${length(f.refresh_every)}
        </div>
        <div class="muted" data-testid="feed-times">
          ${f.last_refresh ? `Last refreshed ${ago(f.last_refresh)}` : "Not refreshed yet"} ·
          ${f.last_checked ? `last checked ${ago(f.last_checked)}` : "not checked yet"}
        </div>
      </div>
      <div class="row actions">
        <button class="primary" aria-busy=${this.#action.busy ? "true" : "false"} @click=${this._onRefresh}>
          ${this.#action.busy ? "Refreshing…" : "Refresh now"}
        </button>
        <button @click=${this._onUnfollow}>Stop following</button>
      </div>
      ${f.refreshing || f.progress ? this._renderProgress(f) : nothing}
      <yss-alert .message=${this.#action.error ?? f.error ?? undefined}></yss-alert>
      ${
        f.skipped.length
          ? html`<h4>Not added (${f.skipped.length + f.skipped_more})</h4>
            <ul class="small skipped">
              ${f.skipped.map((s) => html`<li><b>${s.title}</b>: ${s.reason}</li>`)}
              ${f.skipped_more ? html`<li class="muted">…and ${f.skipped_more} more, not listed</li>` : nothing}
            </ul>`
          : nothing
      }
      ${
        f.hidden.length
          ? html`<h4>Hidden (${f.hidden.length})</h4>
            <p class="small muted">Refreshes leave these out; the next newest episodes take their places.</p>
            <ul class="plain hidden" aria-label="Hidden episodes">
              ${f.hidden.map(
                (h) => html`<li class="row">
                  <span class="title">${h.title}</span>
                  <button aria-label="Unhide ${h.title}" @click=${() => this._onUnhide(h.key)}>Unhide</button>
                </li>`,
              )}
            </ul>`
          : nothing
      }
      <h4>Episodes (${f.episodes.length})</h4>
      ${
        f.episodes.length === 0
          ? html`<p class="small muted">${f.refreshing ? "On their way…" : "None yet."}</p>`
          : html`<ol class="plain" aria-label="Episodes">
            ${f.episodes.map(
              (e) => html`<li class="episode">
                <div class="title">${e.title}</div>
                <div class="small muted">
                  ${[e.published ? day(e.published) : "", e.duration === null ? "" : duration(e.duration)]
                    .filter(Boolean)
                    .join(" · ")}
                </div>
              </li>`,
            )}
          </ol>`
      }
    </section>`;
  }

  private _renderProgress(f: FeedView) {
    const p = f.progress;
    const label = p
      ? `Downloading ${Math.min(p.done + 1, p.total)} of ${p.total}: ${p.title}`
      : "Looking for new episodes…";
    // Without a value the bar is indeterminate: the feed itself is being read.
    return html`<div class="progress small" role="status">
      <label for="feed-progress">${label}</label>
      ${
        p
          ? html`<progress id="feed-progress" max=${p.total} .value=${p.done}></progress>`
          : html`<progress id="feed-progress"></progress>`
      }
    </div>`;
  }

  /** The button stays enabled while busy (a disabled button drops the keyboard focus); a second press is ignored. */
  private _onRefresh = async () => {
    await this.#action.run(async () => {
      this.feed = await refreshFeed(this.stream);
      this.#updated();
    });
  };

  /** The episode comes back with the refresh the service starts; its events reload the stream. */
  private _onUnhide = async (key: string) => {
    await this.#action.attempt(async () => {
      this.feed = (await unhideEpisode(this.stream, key)).feed;
      this.#updated();
    });
  };

  private _onUnfollow = async () => {
    await this.#action.attempt(async () => {
      await unfollowFeed(this.stream);
      this.#updated();
    });
  };

  #updated() {
    this.dispatchEvent(new CustomEvent("stream-updated", {bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-feed-box": YssFeedBox;
  }
}
