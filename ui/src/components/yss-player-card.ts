import {
  mdiChevronLeft,
  mdiChevronRight,
  mdiEject,
  mdiMinus,
  mdiMusicNote,
  mdiNfcVariant,
  mdiPause,
  mdiPlay,
  mdiPlus,
  mdiSkipForwardOutline,
  mdiSkipNext,
  mdiSkipPrevious,
  mdiStop,
} from "@mdi/js";
import {css, html, LitElement, nothing, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import type {CardArtwork, ChildView, FamilyCard, NowPlaying, PlayerCommand} from "../../../src/shared/api/index.js";
import {Action} from "../controllers/action.js";
import {
  endQuietHours,
  finishTrack,
  getCardArtwork,
  insertCard,
  type PlayerState,
  pressButton,
  type QuietView,
  removeCard,
  sendCommand,
  turnKnob,
} from "../data/players.js";
import {panelStyles} from "../styles.js";
import {FadingNotice} from "./fading-notice.js";
import {childChipStyles, renderChildChip} from "./family-budget.js";
import {modelName, withUnit} from "./format.js";
import {playbackLabel, powerSourceLabel} from "./labels.js";
import {mdi} from "./mdi.js";
import {playerCardStyles} from "./player-card-styles.js";
import {renderProgress, renderQuiet, renderReadings} from "./player-parts.js";
import "./yss-alert.js";
import "./yss-announce-box.js";
import "./yss-copy-text.js";
import "./yss-player-home-assistant.js";
import "./yss-volume-slider.js";

/**
 * One player, as a Home Assistant card: the card's artwork and what plays, a progress bar that
 * moves between the player's reports, transport, a volume slider in the player's own steps, its
 * battery, temperature and night light, and its quiet hours with "End now". A virtual (demo)
 * player also gets the hands of whoever holds it: left/right buttons, the knob and the card slot.
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
  /** The panel's live events: quiet hours starting, moving or ending elsewhere show at once. */
  /** The player's quiet hours, while its max volume is held at 0 (the players view loads them for all). */
  @property({attribute: false}) quiet?: QuietView;
  /** The child whose daily minutes this player's listening counts against (the family plan). */
  @property({attribute: false}) child?: ChildView;
  /** The family's time zone (the service's): quiet hours end on the family's clock. */
  @property() timeZone?: string;
  /** The name to type into Home Assistant's MQTT Media Player integration; none when that is off. */
  @property() mediaPlayerName?: string;
  /** The song its radio card's station says it plays, while it plays one. */
  @property() song?: string;
  /** What it plays in the words of what plays: a cast's track, artist and album (its card is only the relay card). */
  @property({attribute: false}) playing?: NowPlaying;

  /** A command sent from the card: one at a time, its failure shown under the card. */
  readonly #command = new Action(this);
  /** What the last command did, said back (a card started is not always visible at once), for a while. */
  readonly #notice = new FadingNotice(this);
  @state() private _card = "";
  @state() private _artwork?: CardArtwork;
  /** The details are open: only then are the player's Home Assistant switches asked for. */
  @state() private _details = false;
  /** Redrawn every second while playing, so the position moves between the player's reports. */
  @state() private _now = Date.now();
  /** Where the last report put the position, and when it came. */
  #reported = {position: 0, at: 0};
  /** The sleep timer's seconds left as last reported, and when: counted down between reports. */
  #sleep = {seconds: 0, at: 0};
  #ticker?: number;
  #artworkFor?: string;

  static override styles = [
    panelStyles,
    playerCardStyles,
    childChipStyles,
    css`
      .quiet .chip {
        background: color-mix(in srgb, var(--yss-warning) 22%, transparent);
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("player")) return;
    const before = changed.get("player")?.playback;
    const pb = this.player.playback;
    // Only a new report moves the base: a volume change must not put the bar back.
    if (!before || before.position !== pb.position || before.status !== pb.status || before.trackKey !== pb.trackKey)
      this.#reported = {position: pb.position ?? 0, at: Date.now()};
    const timer = this.player.sleepTimer;
    if (before === undefined || changed.get("player")?.sleepTimer.secondsRemaining !== timer.secondsRemaining)
      this.#sleep = {seconds: timer.secondsRemaining ?? 0, at: Date.now()};
    this._now = Date.now();
    this.#tick(pb.status === "playing");
    if (pb.cardId !== this.#artworkFor) void this.#loadArtwork(pb.cardId);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#tick(false);
    this.#artworkFor = undefined;
  }

  override render() {
    const p = this.player;
    const pb = p.playback;
    const playing = pb.status === "playing";
    const cast = this.playing?.kind === "cast" ? this.playing : undefined;
    const art = pb.cardId ? this._artwork?.image : undefined;
    // A cast plays on the relay card, whose title ("Announcements · …") says nothing of the cast.
    const cardTitle = pb.cardId && !cast ? this._artwork?.title : undefined;
    const credits = cast ? [cast.artist, cast.album].filter(Boolean).join(" · ") : "";
    return html`<section class="card player" aria-label=${p.name}>
      <div class="top">
        <div class="art">${art ? html`<img src=${art} alt="Artwork of ${cardTitle ?? "the card"}" data-testid="artwork" />` : mdi(mdiMusicNote, 36)}</div>
        <div class="what" data-testid="now">
          <div class="head">
            <h2>${p.name}</h2>
            <span class="chip ${p.online ? "good" : "bad"}" data-testid="online"><span class="dot"></span>${p.online ? "Online" : "Offline"}</span>
          </div>
          <div class="small"><strong data-testid="status">${playbackLabel(pb.status)}</strong>${
            pb.cardId && cardTitle && cardTitle !== pb.chapterTitle
              ? html` · <span data-testid="card-title">${cardTitle}</span>`
              : nothing
          }</div>
          ${renderChildChip(this.child)}
          ${pb.cardId && pb.chapterTitle ? html`<div class="title" data-testid="chapter">${pb.chapterTitle}</div>` : nothing}
          ${
            // A one-track chapter is often titled as its track: say it once.
            pb.cardId && pb.trackTitle && pb.trackTitle !== pb.chapterTitle
              ? html`<div class="muted small ellipsis">${pb.trackTitle}</div>`
              : nothing
          }
          ${credits ? html`<div class="small ellipsis" data-testid="cast-credits">${credits}</div>` : nothing}
          ${pb.cardId && playing && this.song && !cast ? html`<div class="small ellipsis" data-testid="song">♪ ${this.song}</div>` : nothing}
        </div>
      </div>
      ${renderProgress(pb, this.#position())}
      <div class="transport" role="group" aria-label="Playback">
        <button aria-label="Previous" title="Previous" @click=${() => this._send({command: "previous"})}>${mdi(mdiSkipPrevious)}</button>
        <button class="primary play" aria-label=${playing ? "Pause" : "Resume"} title=${playing ? "Pause" : "Resume"}
          @click=${() => this._send({command: playing ? "pause" : "resume"})}>${mdi(playing ? mdiPause : mdiPlay, 28)}</button>
        <button aria-label="Next" title="Next" @click=${() => this._send({command: "next"})}>${mdi(mdiSkipNext)}</button>
        <button aria-label="Stop" title="Stop" @click=${() => this._send({command: "stop"})}>${mdi(mdiStop)}</button>
      </div>
      <yss-volume-slider .level=${p.volume.level} .max=${p.volume.max}
        @volume-change=${(e: HTMLElementEventMap["volume-change"]) => this._send({command: "volume", percent: e.detail.percent})}></yss-volume-slider>
      ${renderReadings(p, this.#sleepLeft())}
      ${renderQuiet(this.quiet, () => void this._endQuiet(), this.timeZone)}
      ${this._renderCardPicker()}
      <yss-alert .message=${this.#command.error}></yss-alert>
      ${this.#notice.text ? html`<p class="small" role="status" data-testid="notice">${this.#notice.text}</p>` : nothing}
      ${this.lastMove ? html`<p class="small" data-testid="last-move">${this.lastMove}</p>` : nothing}
      <yss-announce-box .playerId=${p.id} .playerName=${p.name} .playback=${p.playback}
        .cards=${this.cards}></yss-announce-box>
      <details @toggle=${(e: Event) => (this._details = (e.target as HTMLDetailsElement).open)}>
        <summary class="small">Details</summary>
        <dl class="small">
          <dt>Power</dt><dd>${powerSourceLabel(p.powerSource)}</dd>
          <dt>Battery temperature</dt><dd>${withUnit(p.batteryTemperature, " °C")}</dd>
          <dt>Wi-Fi</dt><dd>${withUnit(p.wifiDbm, " dBm")}</dd>
          <dt>Model</dt><dd>${modelName(p.family, p.type)}</dd>
          <dt>Firmware</dt><dd>${p.firmware ?? "–"}</dd>
          ${
            this.mediaPlayerName
              ? html`<dt>Media player name</dt>
                  <dd><yss-copy-text .text=${this.mediaPlayerName} label="Copy the media player name"></yss-copy-text></dd>`
              : nothing
          }
        </dl>
        ${this._details ? html`<yss-player-home-assistant .playerId=${p.id}></yss-player-home-assistant>` : nothing}
      </details>
      ${this.virtual ? this._renderHands() : nothing}
    </section>`;
  }

  /** Where the track is now: the last report, moved on by the time since while playing. */
  #position(): number | undefined {
    const pb = this.player.playback;
    if (pb.position === undefined) return undefined;
    if (pb.status !== "playing") return pb.position;
    const moved = this.#reported.position + Math.max(0, this._now - this.#reported.at) / 1000;
    return pb.trackLength ? Math.min(pb.trackLength, moved) : moved;
  }

  /** The sleep timer's seconds left now, while the player plays with one set; otherwise undefined. */
  #sleepLeft(): number | undefined {
    const timer = this.player.sleepTimer;
    if (!timer.active || timer.secondsRemaining === undefined || this.player.playback.status !== "playing")
      return undefined;
    return Math.max(0, this.#sleep.seconds - Math.max(0, this._now - this.#sleep.at) / 1000);
  }

  #tick(on: boolean) {
    if (on && this.#ticker === undefined) this.#ticker = window.setInterval(() => (this._now = Date.now()), 1000);
    if (!on && this.#ticker !== undefined) {
      window.clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  async #loadArtwork(cardId: string | null) {
    this.#artworkFor = cardId ?? undefined;
    if (!cardId) return;
    try {
      const artwork = await getCardArtwork(cardId);
      if (this.#artworkFor === cardId) this._artwork = artwork;
    } catch {
      // No artwork is not worth an error on the card: the placeholder stays.
      if (this.#artworkFor === cardId) this._artwork = {cardId};
    }
  }

  private _endQuiet() {
    return this._do(async () => {
      await endQuietHours(this.player.id);
      // The players view holds every player's quiet hours: it loads them again.
      this.dispatchEvent(new CustomEvent("quiet-ended", {bubbles: true, composed: true}));
    }, "Quiet hours ended");
  }

  private _renderCardPicker() {
    if (this.cards.length === 0) return nothing;
    return html`<div class="row picker">
      <select aria-label="Card" @change=${(e: Event) => (this._card = (e.target as HTMLSelectElement).value)}>
        <option value="">Choose a card…</option>
        ${this.cards.map((c) => html`<option value=${c.cardId} ?selected=${c.cardId === this._card}>${c.title}</option>`)}
      </select>
      <button ?disabled=${!this._card} @click=${() =>
        this._send(
          {command: "play_card", cardId: this._card},
          `Started '${this.cards.find((c) => c.cardId === this._card)?.title ?? this._card}'`,
        )}>
        ${mdi(mdiPlay, 18)} Play card
      </button>
      ${
        this.virtual
          ? html`<button ?disabled=${!this._card} @click=${() => this._do(() => insertCard(this.player.id, this._card))}>
            ${mdi(mdiNfcVariant, 18)} Insert card
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
        <button @click=${() => this._do(() => pressButton(id, "left"))}>${mdi(mdiChevronLeft, 18)} Left</button>
        <button @click=${() => this._do(() => pressButton(id, "right"))}>Right ${mdi(mdiChevronRight, 18)}</button>
        <button class="icon" aria-label="Knob down" title="Knob down" @click=${() => this._do(() => turnKnob(id, -1))}>${mdi(mdiMinus, 18)}</button>
        <button class="icon" aria-label="Knob up" title="Knob up" @click=${() => this._do(() => turnKnob(id, 1))}>${mdi(mdiPlus, 18)}</button>
        <button @click=${() => this._do(() => finishTrack(id))}>${mdi(mdiSkipForwardOutline, 18)} End track</button>
        <button @click=${() => this._do(() => removeCard(id))}>${mdi(mdiEject, 18)} Eject card</button>
      </div>
    </div>`;
  }

  private _send(command: PlayerCommand, done?: string) {
    return this._do(() => sendCommand(this.player.id, command), done);
  }

  private async _do(action: () => Promise<unknown>, done?: string) {
    // Buttons stay enabled (disabling the one just pressed would drop the keyboard focus).
    if (this.#command.busy) return;
    this.#notice.show(done ? "Sending…" : undefined, false);
    const sent = await this.#command.run(action);
    this.#notice.show(sent ? done : undefined);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-player-card": YssPlayerCard;
  }
}
