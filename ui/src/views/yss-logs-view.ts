import {mdiDownload, mdiPause, mdiPlay} from "@mdi/js";
import {css, html, LitElement, nothing, type PropertyValues} from "lit";
import {customElement, property, query, state} from "lit/decorators.js";
import {repeat} from "lit/directives/repeat.js";
import {messageOf} from "../components/format.js";
import {levelFilterLabel, levelLabel} from "../components/insight-labels.js";
import {mdi} from "../components/mdi.js";
import "../components/yss-alert.js";
import type {LiveEvents} from "../data/live.js";
import {
  getLogs,
  LOG_LEVELS,
  type LogEntry,
  type LogFilter,
  type LogLevel,
  logMatches,
  logsDownloadUrl,
} from "../data/logs.js";
import {followPlayers} from "../data/players.js";
import {panelStyles} from "../styles.js";

/** Rows kept in the DOM: enough to read back through, few enough that a flood of lines stays smooth. */
export const MAX_ROWS = 500;
const TYPING_PAUSE_MS = 300;
/** How far above the bottom the reader may be and still count as following. */
const BOTTOM_SLACK_PX = 24;

const TIME = new Intl.DateTimeFormat(undefined, {hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false});

/**
 * The service's log, as Zigbee2MQTT shows its own: newest at the bottom, live, filtered by level,
 * text and player. Lines arriving in a burst are added once per frame, and only the newest
 * `MAX_ROWS` stay in the DOM. Paused (or scrolled up), new lines wait below a counter instead of
 * moving what is being read.
 */
@customElement("yss-logs-view")
export class YssLogsView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _entries: LogEntry[] = [];
  /** Lines that arrived while paused. */
  @state() private _waiting: LogEntry[] = [];
  @state() private _filter: LogFilter = {level: "debug", q: "", player: ""};
  @state() private _text = "";
  @state() private _following = true;
  @state() private _loaded = false;
  @state() private _error?: string;
  @state() private _about?: {capacity: number; level: LogLevel};

  @query(".lines") private _box?: HTMLElement;

  /** The highest `seq` seen, whatever the filter: `after=` catches up from it. */
  #lastSeq = 0;
  /** Lines from the live stream not drawn yet (drawn once per frame), or held while a load runs. */
  #incoming: LogEntry[] = [];
  #frame?: number;
  /** Counts loads, so only the newest one's answer is shown (a slower earlier one is dropped). */
  #generation = 0;
  /** A load is under way: live lines wait for it. */
  #loading = false;
  #typing?: number;
  #pausedByScrolling = false;
  #unsubscribe: Array<() => void> = [];

  private _players = followPlayers(this, () => this.live);

  static override styles = [
    panelStyles,
    css`
      .filters {
        margin-bottom: 8px;
      }
      .filters label {
        display: inline-flex;
        gap: 6px;
        align-items: center;
      }
      .filters input[type="search"] {
        flex: 1 1 160px;
        min-width: 0;
      }
      a.button {
        display: inline-flex;
        gap: 4px;
        align-items: center;
        min-height: 36px;
        padding: 6px 12px;
        border-radius: 18px;
        border: 1px solid var(--yss-divider);
        color: var(--yss-primary);
        text-decoration: none;
      }
      button.follow {
        display: inline-flex;
        gap: 4px;
        align-items: center;
      }
      .lines {
        height: min(65vh, 640px);
        overflow: auto;
        background: var(--yss-bg);
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
        padding: 4px 0;
        font-family: var(--ha-font-family-code, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
        font-size: 12px;
        line-height: 1.5;
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        column-gap: 8px;
        padding: 1px 8px;
        border-left: 3px solid transparent;
      }
      .line time {
        color: var(--yss-muted);
      }
      .line .level {
        min-width: 7ch;
        font-weight: 500;
      }
      .line .ns {
        color: var(--yss-primary);
      }
      .line .msg {
        flex: 1 1 40ch;
        min-width: 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .debug .level {
        color: var(--yss-muted);
      }
      .info .level {
        color: var(--yss-success);
      }
      .warning {
        border-left-color: var(--yss-warning);
      }
      .warning .level {
        color: var(--yss-warning);
      }
      .error {
        border-left-color: var(--yss-error);
        background: color-mix(in srgb, var(--yss-error) 8%, transparent);
      }
      .error .level {
        color: var(--yss-error);
      }
      .empty {
        padding: 12px;
        font-family: var(--ha-font-family-body, Roboto, system-ui, sans-serif);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    const live = this.live;
    if (live) {
      this.#unsubscribe.push(live.on("log.written", (entry) => this.#onLine(entry)));
      this.#unsubscribe.push(live.onResync(() => void this.#catchUp()));
    }
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    window.clearTimeout(this.#typing);
  }

  override render() {
    const f = this._filter;
    const players = this._players.value?.players ?? [];
    return html`<div class="card">
      <h2>Logs</h2>
      <div class="filters row">
        <label>Level
          <select @change=${(e: Event) => this.#setFilter({level: (e.target as HTMLSelectElement).value as LogLevel})}>
            ${LOG_LEVELS.map((l) => html`<option value=${l} ?selected=${l === f.level}>${levelFilterLabel(l)}</option>`)}
          </select>
        </label>
        <label>Player
          <select @change=${(e: Event) => this.#setFilter({player: (e.target as HTMLSelectElement).value})}>
            <option value="" ?selected=${!f.player}>All players</option>
            ${players.map((p) => html`<option value=${p.id} ?selected=${p.id === f.player}>${p.name}</option>`)}
          </select>
        </label>
        <input type="search" placeholder="Filter text" aria-label="Filter text" .value=${this._text} @input=${this._onText} />
        <button class="follow" @click=${this._onFollow}>
          ${this._following ? html`${mdi(mdiPause, 18)} Pause` : html`${mdi(mdiPlay, 18)} Follow${this._waiting.length ? ` (${this._waiting.length} new)` : ""}`}
        </button>
        <a class="button" href=${logsDownloadUrl(f)} download data-testid="download">${mdi(mdiDownload, 18)} Download (redacted)</a>
      </div>
      <p class="small muted">
        The download keeps these filters and leaves out tokens, passwords, signed links, e-mail addresses, Wi-Fi
        names and the MQTT login; player and card ids become player-1, card-1: safe to paste into an issue.
      </p>
      <yss-alert .message=${this._error}></yss-alert>
      <div class="lines" role="log" aria-live="off" aria-label="Log lines, newest last" tabindex="0" @scroll=${this._onScroll}>
        ${repeat(
          this._entries,
          (e) => e.seq,
          (e) => html`<div class="line ${e.level}">
            <time datetime=${e.at} title=${new Date(e.at).toLocaleString()}>${TIME.format(new Date(e.at))}</time>
            <span class="level">${levelLabel(e.level)}</span>
            ${e.namespace ? html`<span class="ns">${e.namespace}</span>` : nothing}
            <span class="msg">${e.message}</span>
          </div>`,
        )}
        ${this._loaded && this._entries.length === 0 ? html`<p class="empty muted">${this.#emptyText()}</p>` : nothing}
      </div>
      ${this._about ? html`<p class="small muted">Shows the newest ${MAX_ROWS} matching lines of the ${this._about.capacity.toLocaleString()} the service keeps; it writes ${levelFilterLabel(this._about.level).toLowerCase()} (the add-on's log_level option).</p>` : nothing}
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this._following && this._box) this._box.scrollTop = this._box.scrollHeight;
  }

  #emptyText(): string {
    const {level, q, player} = this._filter;
    if (q || player || level !== "debug")
      return "No lines match these filters yet: new ones appear here as they are written.";
    return "Nothing logged yet: lines appear here as the service writes them.";
  }

  #setFilter(change: Partial<LogFilter>): void {
    this._filter = {...this._filter, ...change};
    void this.#load();
  }

  private _onText = (e: Event) => {
    this._text = (e.target as HTMLInputElement).value;
    window.clearTimeout(this.#typing);
    this.#typing = window.setTimeout(() => this.#setFilter({q: this._text}), TYPING_PAUSE_MS);
  };

  private _onFollow = () => {
    this.#pausedByScrolling = false;
    this.#follow(!this._following);
  };

  /**
   * Scrolling up to read pauses; scrolling back to the bottom follows again, unless the Pause
   * button paused it (then only Follow does).
   */
  private _onScroll = () => {
    const box = this._box;
    if (!box) return;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight <= BOTTOM_SLACK_PX;
    if (this._following && !atBottom) {
      this.#pausedByScrolling = true;
      this.#follow(false);
    } else if (!this._following && atBottom && this.#pausedByScrolling) {
      this.#pausedByScrolling = false;
      this.#follow(true);
    }
  };

  #follow(on: boolean): void {
    this._following = on;
    if (on) this.#show(this._waiting);
    this._waiting = [];
  }

  /** The newest lines under the filter; lines that arrive meanwhile are added after it. */
  async #load(): Promise<void> {
    const generation = ++this.#generation;
    this.#loading = true;
    try {
      const page = await getLogs(this._filter, {limit: MAX_ROWS});
      if (generation !== this.#generation) return;
      this._about = {capacity: page.capacity, level: page.level};
      this._entries = page.entries;
      this._waiting = [];
      this._error = undefined;
      this.#lastSeq = Math.max(this.#lastSeq, page.entries.at(-1)?.seq ?? 0);
    } catch (err) {
      if (generation === this.#generation) this._error = messageOf(err);
    } finally {
      if (generation === this.#generation) {
        this.#loading = false;
        this._loaded = true;
        this.#schedule();
      }
    }
  }

  /** After a reconnect: what was written while the stream was down. */
  async #catchUp(): Promise<void> {
    if (this.#loading) return;
    try {
      const page = await getLogs(this._filter, {after: this.#lastSeq});
      this.#incoming.push(...page.entries);
      this.#schedule();
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  #onLine(entry: LogEntry): void {
    // Numbering starts again when the service restarts: what is on screen is from before.
    if (entry.seq <= this.#lastSeq && !this.#loading) {
      this.#lastSeq = 0;
      void this.#load();
      return;
    }
    this.#incoming.push(entry);
    if (this.#incoming.length > MAX_ROWS) this.#incoming.splice(0, this.#incoming.length - MAX_ROWS);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#frame !== undefined || this.#loading || this.#incoming.length === 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = undefined;
      this.#flush();
    });
  }

  #flush(): void {
    const batch = this.#incoming.splice(0).filter((e) => e.seq > this.#lastSeq);
    if (batch.length === 0) return;
    this.#lastSeq = Math.max(...batch.map((e) => e.seq));
    const name = this._players.value?.players.find((p) => p.id === this._filter.player)?.name;
    const fresh = batch.filter((e) => logMatches(e, this._filter, name));
    if (fresh.length === 0) return;
    if (this._following) this.#show(fresh);
    else this._waiting = [...this._waiting, ...fresh].slice(-MAX_ROWS);
  }

  #show(lines: LogEntry[]): void {
    if (lines.length) this._entries = [...this._entries, ...lines].slice(-MAX_ROWS);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-logs-view": YssLogsView;
  }
}
