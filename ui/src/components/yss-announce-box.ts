import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import type {FamilyCard, PlayerState} from "../../../src/shared/api/index.js";
import {Action} from "../controllers/action.js";
import {type AnnounceOutcome, announce, cancelAnnouncements, cancelSummary} from "../data/announce.js";
import {afterNextPaint} from "../data/paint.js";
import {panelStyles} from "../styles.js";
import {duration} from "./format.js";
import "./yss-alert.js";

/** Volumes offered while announcing; empty is the player's own. */
const VOLUMES = [25, 50, 75, 100];

/** What the player was on when the announcement was asked for, to name what it went back to. */
export interface Before {
  cardId: string | null;
  chapterKey?: string;
  chapterTitle?: string;
}

/**
 * An announcement's outcome in words: "Said on Living Room, then back to Story chapter 02 at 1:24",
 * "Skipped: Living Room is playing". The API gives only the card's id: `titleOf` names it, or else
 * the chapter's title from `before` does.
 */
export function announceSummary(
  o: AnnounceOutcome,
  titleOf: (cardId: string) => string | undefined,
  before?: Before,
): string {
  if (o.result === "cancelled") {
    const back = o.resumed ? ", then it went back to what it was playing" : "";
    return `Stopped on ${o.player}${back}`;
  }
  if (o.result === "skipped")
    return /is playing/.test(o.detail) ? `Skipped: ${o.player} is playing` : `Skipped: ${o.detail}`;
  if (o.detail === "another card was started during it")
    return `Said on ${o.player}; another card was started meanwhile, so that one keeps playing`;
  const said = o.detail === "played to the end" ? `Said on ${o.player}` : `Sent to ${o.player} (${o.detail})`;
  const r = o.resumed;
  if (!r) return said;
  const title = titleOf(r.cardId);
  const sameChapter = before?.cardId === r.cardId && before.chapterKey === r.chapterKey;
  const where = title
    ? `${title}${r.chapterKey === undefined ? "" : ` chapter ${r.chapterKey}`}`
    : sameChapter && before?.chapterTitle
      ? before.chapterTitle
      : r.chapterKey === undefined
        ? "what it was playing"
        : `chapter ${r.chapterKey}`;
  return `${said}, then back to ${where}${r.position ? ` at ${duration(r.position)}` : ""}${r.paused ? ", paused" : ""}`;
}

/**
 * Say something on one player: a message, a chime first if asked, only when it is idle if asked,
 * at a chosen volume or its own. The service answers once the announcement is over and the player
 * is back on what it was playing; that answer is said back in a line under the box.
 */
@customElement("yss-announce-box")
export class YssAnnounceBox extends LitElement {
  /** The player's id (what the API is called with) and name (what the labels say). */
  @property() playerId = "";
  @property() playerName = "";
  /** What the player plays now: what it goes back to afterwards, named in the result. */
  @property({attribute: false}) playback?: PlayerState["playback"];
  /** Cards on the account, to name the one the player goes back to. */
  @property({attribute: false}) cards: FamilyCard[] = [];

  @state() private _message = "";
  @state() private _chime = false;
  @state() private _onlyIfIdle = false;
  @state() private _volume = "";
  /** Speak and Stop share the error line; only Speak shows as under way. */
  readonly #action = new Action(this);
  @state() private _result?: string;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
        margin-top: 12px;
        padding-top: 8px;
        border-top: 1px solid var(--yss-divider);
        /* Its height on one row of options, kept while it is not drawn yet (a frame), so the card
           does not grow then; on a narrow card the options take two rows and it grows by one. */
        min-height: 152px;
      }
      h3 {
        margin-top: 0;
      }
      .say {
        display: flex;
        gap: 8px;
      }
      .say input {
        flex: 1 1 auto;
        min-width: 0;
      }
      .say button {
        flex: none;
      }
      .options {
        margin-top: 8px;
        gap: 4px 16px;
      }
      .options label {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        min-height: 32px;
      }
      input[type="checkbox"] {
        margin: 0;
        width: 16px;
        height: 16px;
        accent-color: var(--yss-primary);
      }
      select {
        min-height: 32px;
        padding: 4px 8px;
      }
      .result:empty {
        display: none;
      }
      .result {
        margin: 8px 0;
        overflow-wrap: anywhere;
      }
      yss-alert {
        overflow-wrap: anywhere;
      }
    `,
  ];

  /**
   * Drawn once the card's own controls are on screen: its field, checkboxes, select and buttons were
   * about 15 ms of the panel's first frame here, before any player could be paused (#38).
   */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated) await afterNextPaint();
    await super.scheduleUpdate();
  }

  override render() {
    return html`<form @submit=${this._onSubmit} aria-labelledby="announce-title" novalidate>
      <h3 id="announce-title">Announce</h3>
      <div class="say">
        <input id="message" type="text" maxlength="1000" placeholder="Say something…" autocomplete="off"
          aria-label="Message to say on ${this.playerName}" .value=${live(this._message)}
          @input=${(e: Event) => (this._message = (e.target as HTMLInputElement).value)} />
        <!-- Stays enabled while busy (a disabled button drops the keyboard focus); a second press is ignored. -->
        <button class="primary" type="submit" aria-busy=${this.#action.busy ? "true" : "false"}>
          ${this.#action.busy ? "Speaking…" : "Speak"}
        </button>
      </div>
      <div class="row options small">
        <label><input type="checkbox" .checked=${live(this._chime)}
          @change=${(e: Event) => (this._chime = (e.target as HTMLInputElement).checked)} />Chime first</label>
        <label><input type="checkbox" .checked=${live(this._onlyIfIdle)}
          @change=${(e: Event) => (this._onlyIfIdle = (e.target as HTMLInputElement).checked)} />Only if idle</label>
        <label>Volume
          <select aria-label="Volume while announcing"
            @change=${(e: Event) => (this._volume = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${this._volume === ""}>unchanged</option>
            ${VOLUMES.map((v) => html`<option value=${v} ?selected=${this._volume === String(v)}>${v}%</option>`)}
          </select>
        </label>
        <button type="button" class="stop" data-testid="announce-stop" @click=${this._onStop}
          aria-label="Stop announcements on ${this.playerName}">Stop announcements</button>
      </div>
      <p class="small result" role="status" data-testid="announce-result">${this._result ?? nothing}</p>
      <yss-alert .message=${this.#action.error}></yss-alert>
    </form>`;
  }

  /** Cancels what waits and stops what plays, from this box or anywhere else (an automation). */
  private async _onStop() {
    await this.#action.attempt(async () => {
      const cancelled = await cancelAnnouncements(this.playerId);
      // Our own request, if one was playing, answers too; this line says what the stop did.
      this._result = cancelSummary(cancelled);
    });
  }

  private async _onSubmit(e: Event) {
    e.preventDefault();
    if (this.#action.busy) return;
    const message = this._message.trim();
    this._result = undefined;
    if (!message) {
      this.#action.fail("Type what to say first.");
      return;
    }
    const before = this.playback && {...this.playback};
    await this.#action.run(async () => {
      try {
        const outcome = await announce(this.playerId, {
          message,
          chime: this._chime,
          only_if_idle: this._onlyIfIdle,
          ...(this._volume ? {volume: Number(this._volume)} : {}),
        });
        const summary = announceSummary(outcome, (id) => this.cards.find((c) => c.cardId === id)?.title, before);
        // A stop pressed meanwhile has already said what it did.
        if (outcome.result !== "cancelled" || !this._result) this._result = summary;
        // Said: the field is free for the next one. Skipped: the words stay, to try again later.
        if (outcome.result === "played") this._message = "";
      } catch (err) {
        // Cancelled while it waited: the stop's own line says so.
        if (!(err instanceof Error && /was cancelled before it played/.test(err.message))) throw err;
      }
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-announce-box": YssAnnounceBox;
  }
}
