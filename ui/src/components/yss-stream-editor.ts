import {css, html, LitElement, nothing, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import type {PlayerState} from "../data/players.js";
import {radioOf} from "../data/radio.js";
import {
  activatePreset,
  appendItems,
  createCard,
  deletePreset,
  deleteStream,
  moveItem,
  PLAY_MODES,
  type PlayMode,
  playStream,
  removeAt,
  type StreamView,
  savePreset,
  setMode,
} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {duration, messageOf} from "./format.js";
import {playModeLabel} from "./labels.js";
import type {QueueMove} from "./yss-queue-editor.js";
import "./yss-alert.js";
import "./yss-feed-box.js";
import "./yss-icon-picker.js";
import "./yss-library-picker.js";
import "./yss-queue-editor.js";
import "./yss-radio-box.js";
import "./yss-source-browser.js";
import "./yss-stream-adding.js";

/**
 * One stream: its queue (reorder, remove, add from the library), play mode, presets, and the
 * ways out to a player: play it now, or make a Make Your Own card that streams it. Changes show at
 * once and are replaced by what the service answers.
 *
 * @fires stream-updated - the stream was deleted or changed in a way the list shows
 */
@customElement("yss-stream-editor")
export class YssStreamEditor extends LitElement {
  @property({attribute: false}) stream!: StreamView;
  @property({attribute: false}) players: PlayerState[] = [];

  @state() private _view?: StreamView;
  @state() private _error?: string;
  @state() private _notice?: string;
  @state() private _preset = "";
  @state() private _player = "";
  @state() private _cardTitle = "";
  @state() private _cardIcon?: string;

  static override styles = [
    panelStyles,
    css`
      section + section {
        margin-top: 16px;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        justify-content: space-between;
        align-items: center;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("stream")) this._view = this.stream;
  }

  override render() {
    const s = this._view ?? this.stream;
    const radio = radioOf(s);
    return html`<div class="card">
      <section class="head">
        <div>
          <h2>${s.name}</h2>
          <div class="small muted">
            ${radio ? "Radio station" : html`${s.items.length} tracks · ${duration(s.duration)}${s.activePreset ? html` · preset <b>${s.activePreset}</b>` : ""}`}
          </div>
        </div>
        ${radio ? nothing : this._renderMode(s)}
      </section>
      ${s.adding ? html`<yss-stream-adding .adding=${s.adding}></yss-stream-adding>` : nothing}
      <yss-alert .message=${this._error}></yss-alert>
      <yss-alert type="success" .message=${this._notice}></yss-alert>
      ${s.feed ? html`<section><yss-feed-box .stream=${s.name} .feed=${s.feed}></yss-feed-box></section>` : nothing}
      ${radio ? html`<section><yss-radio-box .stream=${s.name} .radio=${radio}></yss-radio-box></section>` : this._renderQueue(s)}
      <section>
        <h3>Play</h3>
        <div class="row">
          <select aria-label="Player" @change=${(e: Event) => (this._player = (e.target as HTMLSelectElement).value)}>
            <option value="">Choose a player…</option>
            ${this.players.map((p) => html`<option value=${p.id} ?selected=${p.id === this._player}>${p.name}</option>`)}
          </select>
          <button class="primary" ?disabled=${!this._player} @click=${this._onPlay}>Play on player</button>
        </div>
      </section>
      <section>
        <details>
          <summary>Make a card</summary>
          <p class="small muted">A Make Your Own card with one track that streams this queue as it is when played.</p>
          <div class="row">
            <input type="text" placeholder=${s.name} aria-label="Card title" .value=${this._cardTitle}
              @input=${(e: Event) => (this._cardTitle = (e.target as HTMLInputElement).value)} />
            <button @click=${this._onCreateCard}>Create card</button>
          </div>
          <yss-icon-picker .value=${this._cardIcon} @icon-picked=${(e: HTMLElementEventMap["icon-picked"]) => (this._cardIcon = e.detail.icon.ref)}></yss-icon-picker>
        </details>
      </section>
      <section>
        <button class="danger" @click=${this._onDelete}>Delete stream</button>
      </section>
    </div>`;
  }

  private _renderMode(s: StreamView) {
    return html`<label>Play mode
          <select aria-label="Play mode" .value=${live(s.mode)} @change=${(e: Event) => this._run(() => setMode(s.name, (e.target as HTMLSelectElement).value as PlayMode))}>
            ${PLAY_MODES.map((m) => html`<option value=${m} ?selected=${m === s.mode}>${playModeLabel(m)}</option>`)}
          </select>
    </label>`;
  }

  /** The queue, adding from the library or the media server, and presets: what a station stream does not have. */
  private _renderQueue(s: StreamView) {
    const presets = Object.keys(s.presets);
    return html`<section>
        <yss-queue-editor .items=${s.items} .episodes=${new Set(s.feed?.episodes.map((e) => e.item))} @queue-move=${this._onMove}
          @queue-remove=${(e: CustomEvent<{index: number}>) => this._run(() => removeAt(s.name, e.detail.index))}></yss-queue-editor>
      </section>
      <section>
        <details>
          <summary>Add from the library</summary>
          <yss-library-picker mp3Only
            @item-picked=${(e: HTMLElementEventMap["item-picked"]) => this._run(() => appendItems(s.name, [e.detail.item.id]))}></yss-library-picker>
        </details>
        <details>
          <summary>Add from your media server</summary>
          <yss-source-browser
            @ref-picked=${(e: HTMLElementEventMap["ref-picked"]) => this._run(() => appendItems(s.name, [e.detail.ref]))}></yss-source-browser>
        </details>
      </section>
      <section>
        <h3>Presets</h3>
        ${presets.length === 0 ? html`<p class="small muted">Save this queue under a name to come back to it.</p>` : nothing}
        <ul class="plain">
          ${presets.map(
            (p) => html`<li class="row">
              <span>${p}</span><span class="small muted">(${s.presets[p]?.length ?? 0})</span>
              <button @click=${() => this._run(() => activatePreset(s.name, p))}>Use</button>
              <button class="danger" aria-label="Delete preset ${p}" @click=${() => this._run(() => deletePreset(s.name, p))}>Delete</button>
            </li>`,
          )}
        </ul>
        <div class="row">
          <input type="text" placeholder="preset-name" aria-label="Preset name" .value=${this._preset}
            @input=${(e: Event) => (this._preset = (e.target as HTMLInputElement).value.trim())} />
          <button ?disabled=${!this._preset} @click=${() =>
            this._run(() => savePreset(s.name, this._preset, presentIds(s)))}>
            Save as preset
          </button>
        </div>
      </section>
    `;
  }

  private _onMove(e: CustomEvent<QueueMove>) {
    const s = this._view ?? this.stream;
    const {from, to} = e.detail;
    // Show the new order at once; the service's answer replaces it.
    const items = [...s.items];
    const [moved] = items.splice(from, 1);
    if (moved) items.splice(to, 0, moved);
    this._view = {...s, items};
    void this._run(() => moveItem(s.name, from, to));
  }

  private _onPlay = () =>
    this._run(async () => {
      const {card} = await playStream(this.stream.name, this._player);
      this._notice = `Playing '${this.stream.name}' through card '${card.title}'`;
    });

  private _onCreateCard = () =>
    this._run(async () => {
      const title = this._cardTitle.trim() || undefined;
      const {card} = await createCard({from: "stream", stream: this.stream.name, title, icon: this._cardIcon});
      this._notice = `Card '${card.title}' made; it is on your Yoto account now`;
    });

  private _onDelete = () => {
    if (!confirm(`Delete the stream '${this.stream.name}'? Cards that stream it will play silence.`)) return;
    void this._run(async () => {
      await deleteStream(this.stream.name);
      this.dispatchEvent(new CustomEvent("stream-updated", {bubbles: true, composed: true}));
    });
  };

  /** Run a call; a `StreamChange` answer becomes the shown state, a failure an inline error. */
  private async _run(call: () => Promise<unknown>) {
    this._error = undefined;
    this._notice = undefined;
    try {
      const answer = (await call()) as {stream?: StreamView} | undefined;
      if (answer?.stream) this._view = answer.stream;
    } catch (err) {
      this._error = messageOf(err);
      this._view = this.stream;
    }
  }
}

/** The queue's items that are still in the library (a preset of missing ones would be refused). */
function presentIds(s: StreamView): string[] {
  return s.items.filter((i) => !("missing" in i)).map((i) => i.id);
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-stream-editor": YssStreamEditor;
  }
}
