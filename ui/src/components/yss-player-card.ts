import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import type {FamilyCard, PlayerCommand} from "../../../src/http/api.js";
import {
  finishTrack,
  insertCard,
  type PlayerState,
  pressButton,
  removeCard,
  sendCommand,
  turnKnob,
} from "../data/players.js";
import {panelStyles} from "../styles.js";
import {duration, messageOf, modelName, withUnit} from "./format.js";
import {GLYPHS} from "./glyphs.js";
import "./yss-alert.js";
import "./yss-announce-box.js";

/**
 * One player: what it plays, its volume and battery, transport controls and a card to play. A
 * virtual (demo) player also gets the hands of whoever holds it: left/right buttons, the knob and
 * the card slot. The state arrives from the parent; commands go straight to the service.
 */
@customElement("yss-player-card")
export class YssPlayerCard extends LitElement {
  @property({attribute: false}) player!: PlayerState;
  /** Cards on the account, for the "play a card" and card-slot pickers. */
  @property({attribute: false}) cards: FamilyCard[] = [];
  /** A simulated player: show its buttons, knob and card slot. */
  @property({type: Boolean}) virtual = false;
  /** The last story move, e.g. "left pressed: gate → river". */
  @property() lastMove?: string;

  @state() private _error?: string;
  /** What the last command did, said back (a card started is not always visible at once). */
  @state() private _notice?: string;
  @state() private _busy = false;
  @state() private _card = "";

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        align-items: baseline;
      }
      .now {
        margin: 8px 0;
        min-height: 42px;
      }
      progress {
        width: 100%;
        height: 6px;
        accent-color: var(--yss-primary);
      }
      .volume {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      .volume input {
        flex: 1;
      }
      .hands {
        margin-top: 12px;
        padding-top: 8px;
        border-top: 1px dashed var(--yss-divider);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px 12px;
        margin: 8px 0 0;
      }
      dd {
        margin: 0;
      }
    `,
  ];

  override render() {
    const p = this.player;
    const playing = p.playback.status === "playing";
    return html`<section class="card" aria-label=${p.name}>
      <div class="head">
        <h2>${p.name}</h2>
        <span class="chip ${p.online ? "good" : "bad"}">${p.online ? "online" : "offline"}</span>
      </div>
      <div class="now" data-testid="now">
        <div><strong data-testid="status">${p.playback.status === "unknown" ? "–" : p.playback.status}</strong>
          ${p.playback.cardId && p.playback.chapterTitle ? html`· <span data-testid="chapter">${p.playback.chapterTitle}</span>` : nothing}</div>
        ${
          // A one-track chapter is often titled as its track: say it once.
          p.playback.cardId && p.playback.trackTitle && p.playback.trackTitle !== p.playback.chapterTitle
            ? html`<div class="muted small">${p.playback.trackTitle}</div>`
            : nothing
        }
        ${
          p.playback.trackLength
            ? html`<progress max=${p.playback.trackLength} value=${p.playback.position ?? 0}
                aria-label="Position"></progress>
              <div class="small muted">${duration(p.playback.position)} / ${duration(p.playback.trackLength)}</div>`
            : p.playback.cardId && p.playback.position !== undefined
              ? // A stream has no length: how far in it is, at least.
                html`<div class="small muted" data-testid="position">${duration(p.playback.position)} in</div>`
              : nothing
        }
      </div>
      <div class="row" role="group" aria-label="Playback">
        <button class="icon" aria-label="Previous" @click=${() => this._send({command: "previous"})}>${GLYPHS.previous}</button>
        <button class="icon primary" aria-label=${playing ? "Pause" : "Resume"}
          @click=${() => this._send({command: playing ? "pause" : "resume"})}>${playing ? GLYPHS.pause : GLYPHS.play}</button>
        <button class="icon" aria-label="Next" @click=${() => this._send({command: "next"})}>${GLYPHS.next}</button>
        <button class="icon" aria-label="Stop" @click=${() => this._send({command: "stop"})}>${GLYPHS.stop}</button>
      </div>
      <label class="volume">
        <span>Volume</span>
        <input type="range" min="0" max="100" step="1" .value=${live(String(p.volume.percent ?? 0))}
          aria-valuetext="${p.volume.percent ?? 0}%" @change=${this._onVolume} />
        <span class="small" data-testid="volume">${p.volume.percent ?? "–"}%</span>
      </label>
      ${this._renderCardPicker()}
      <yss-alert .message=${this._error}></yss-alert>
      ${this._notice ? html`<p class="small" role="status" data-testid="notice">${this._notice}</p>` : nothing}
      ${this.lastMove ? html`<p class="small" data-testid="last-move">${this.lastMove}</p>` : nothing}
      <yss-announce-box .playerId=${p.id} .playerName=${p.name} .playback=${p.playback}
        .cards=${this.cards}></yss-announce-box>
      <details>
        <summary class="small">Details</summary>
        <dl class="small">
          <dt>Battery</dt><dd>${withUnit(p.battery, "%")}${p.charging ? " (charging)" : ""}</dd>
          <dt>Sleep timer</dt><dd>${p.sleepTimer.active ? duration(p.sleepTimer.secondsRemaining) : "off"}</dd>
          <dt>Temperature</dt><dd>${withUnit(p.temperature, " °C")}</dd>
          <dt>Wi-Fi</dt><dd>${withUnit(p.wifiDbm, " dBm")}</dd>
          <dt>Model</dt><dd>${modelName(p.family, p.type)}</dd>
          <dt>Firmware</dt><dd>${p.firmware ?? "–"}</dd>
        </dl>
      </details>
      ${this.virtual ? this._renderHands() : nothing}
    </section>`;
  }

  private _renderCardPicker() {
    if (this.cards.length === 0) return nothing;
    return html`<div class="row">
      <select aria-label="Card" @change=${(e: Event) => (this._card = (e.target as HTMLSelectElement).value)}>
        <option value="">Choose a card…</option>
        ${this.cards.map((c) => html`<option value=${c.cardId} ?selected=${c.cardId === this._card}>${c.title}</option>`)}
      </select>
      <button ?disabled=${!this._card} @click=${() =>
        this._send(
          {command: "play_card", cardId: this._card},
          `Started '${this.cards.find((c) => c.cardId === this._card)?.title ?? this._card}'`,
        )}>
        Play card
      </button>
      ${
        this.virtual
          ? html`<button ?disabled=${!this._card} @click=${() => this._do(() => insertCard(this.player.id, this._card))}>
            Insert card
          </button>`
          : nothing
      }
    </div>`;
  }

  private _renderHands() {
    const id = this.player.id;
    return html`<div class="hands" role="group" aria-label="Virtual player controls">
      <div class="small muted">Demo player: its own buttons</div>
      <div class="row">
        <button @click=${() => this._do(() => pressButton(id, "left"))}>◀ Left</button>
        <button @click=${() => this._do(() => pressButton(id, "right"))}>Right ▶</button>
        <button aria-label="Knob down" @click=${() => this._do(() => turnKnob(id, -1))}>Knob −</button>
        <button aria-label="Knob up" @click=${() => this._do(() => turnKnob(id, 1))}>Knob +</button>
        <button @click=${() => this._do(() => finishTrack(id))}>End track</button>
        <button @click=${() => this._do(() => removeCard(id))}>Eject card</button>
      </div>
    </div>`;
  }

  private _onVolume(e: Event) {
    const percent = Number((e.target as HTMLInputElement).value);
    void this._send({command: "volume", percent});
  }

  private _send(command: PlayerCommand, done?: string) {
    return this._do(() => sendCommand(this.player.id, command), done);
  }

  private async _do(action: () => Promise<unknown>, done?: string) {
    // Buttons stay enabled (disabling the one just pressed would drop the keyboard focus).
    if (this._busy) return;
    this._busy = true;
    this._error = undefined;
    this._notice = done ? "Sending…" : undefined;
    try {
      await action();
      this._notice = done;
    } catch (err) {
      this._notice = undefined;
      this._error = messageOf(err);
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-player-card": YssPlayerCard;
  }
}
