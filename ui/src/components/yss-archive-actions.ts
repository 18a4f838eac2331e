import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {Action} from "../controllers/action.js";
import {
  type ArchivedCardDetail,
  type ArchiveStreamResult,
  type RestoreRequest,
  type RestoreResult,
  restoreCard,
  streamCard,
} from "../data/archive.js";
import type {LiveEvents} from "../data/live.js";
import type {StreamView} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {fileSize, plural} from "./format.js";
import "./yss-alert.js";
import "./yss-copy-text.js";
import "./yss-stream-adding.js";

type Mode = NonNullable<RestoreRequest["mode"]>;
type Audio = NonNullable<RestoreRequest["audio"]>;
type Adding = NonNullable<StreamView["adding"]>;

/**
 * What can be done with an archived card: restore it to the Yoto account (as a new card or over
 * the one it came from; audio uploaded to Yoto or streamed from here), then see Yoto's copy checked
 * against the archive; or play it from the archive, without Yoto: a stream of its archived audio.
 */
@customElement("yss-archive-actions")
export class YssArchiveActions extends LitElement {
  @property({attribute: false}) card!: ArchivedCardDetail;
  @property({attribute: false}) live?: LiveEvents;

  @state() private _mode: Mode = "new";
  @state() private _audio: Audio = "upload";
  readonly #restore = new Action(this);
  @state() private _restored?: RestoreResult;
  @state() private _streamName = "";
  readonly #stream = new Action(this);
  @state() private _stream?: ArchiveStreamResult;
  /** The stream's tracks on their way in, as `stream.addProgress` says. */
  @state() private _adding?: Adding;
  #offAdding?: () => void;

  static override styles = [
    panelStyles,
    css`
      fieldset {
        border: none;
        margin: 0 0 6px;
        padding: 0;
        min-width: 0;
      }
      legend {
        padding: 0;
        margin-bottom: 2px;
        font-weight: 500;
      }
      label.choice {
        display: flex;
        align-items: center;
        gap: 6px;
        min-height: 32px;
      }
      ul {
        margin: 4px 0;
        padding-left: 20px;
        overflow-wrap: anywhere;
      }
      p {
        margin: 4px 0;
      }
      form input[type="text"] {
        flex: 1 1 160px;
        min-width: 0;
      }
    `,
  ];

  override render() {
    const gone = Boolean(this.card.deletedAt);
    return html`<h3>Restore to Yoto</h3>
      <fieldset ?disabled=${this.#restore.busy}>
        <legend class="small">Where</legend>
        ${this._choice("mode", "new", "As a new card", this._mode, (v) => (this._mode = v as Mode))}
        ${this._choice("mode", "replace", gone ? "Over the card it came from (deleted at Yoto)" : "Over the card it came from", this._mode, (v) => (this._mode = v as Mode), gone)}
      </fieldset>
      <fieldset ?disabled=${this.#restore.busy}>
        <legend class="small">Audio</legend>
        ${this._choice("audio", "upload", "Uploaded to Yoto", this._audio, (v) => (this._audio = v as Audio))}
        ${this._choice("audio", "stream", "Streamed from this service", this._audio, (v) => (this._audio = v as Audio))}
      </fieldset>
      <button aria-disabled=${this.#restore.busy ? "true" : "false"} @click=${this._onRestore}>
        ${this.#restore.busy ? "Restoring…" : "Restore"}
      </button>
      <p class="small muted" role="status">
        ${this.#restore.busy ? "Restoring: uploading audio to Yoto can take a few minutes, then Yoto's copy is checked." : ""}
      </p>
      <yss-alert .message=${this.#restore.error}></yss-alert>
      ${this._restored ? this._renderRestored(this._restored) : nothing}

      <h3>Play from the archive</h3>
      <p class="small muted">
        Without Yoto: a stream of this card's archived audio, a chapter a track, for your players
        and speakers. Left unnamed, it is named after the card.
      </p>
      <form class="row" @submit=${this._onStream}>
        <input type="text" aria-label="Name of the stream (optional)" placeholder="Name of the stream (optional)"
          .value=${this._streamName} @input=${(e: Event) => (this._streamName = (e.target as HTMLInputElement).value.trim())} />
        <button type="submit" aria-disabled=${this.#stream.busy ? "true" : "false"}>
          ${this.#stream.busy ? "Making it playable…" : "Make it playable"}
        </button>
      </form>
      <yss-alert .message=${this.#stream.error}></yss-alert>
      ${this._stream ? this._renderStream(this._stream) : nothing}`;
  }

  private _choice(name: string, value: string, text: string, current: string, pick: (v: string) => void, off = false) {
    return html`<label class="choice small">
      <input type="radio" name=${name} value=${value} .checked=${current === value} ?disabled=${off}
        @change=${() => pick(value)} />${text}
    </label>`;
  }

  private _renderRestored(r: RestoreResult) {
    const where = r.mode === "new" ? "as a new card" : "over the card it came from";
    const sent = r.uploaded.files
      ? `${plural(r.uploaded.files, "audio file")} (${fileSize(r.uploaded.bytes)}) sent to Yoto`
      : r.audio === "stream"
        ? "its audio streams from this service"
        : "Yoto still had all its audio";
    return html`<div data-testid="restore-result" data-card=${r.cardId}>
      <yss-alert type=${r.check.ok ? "success" : "error"}
        .message=${`Restored '${r.title}' ${where} (${r.cardId}): ${sent}. ${
          r.check.ok
            ? `Yoto's copy matches the archive: ${plural(r.check.chapters.restored, "chapter")}, ${plural(r.check.tracks.restored, "track")}.`
            : "Yoto's copy differs from the archive:"
        }`}></yss-alert>
      ${
        r.check.ok
          ? nothing
          : html`<ul class="small" aria-label="Differences">${r.check.differences.map((d) => html`<li>${d}</li>`)}</ul>`
      }
    </div>`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#offAdding?.();
  }

  private _renderStream(s: ArchiveStreamResult) {
    // Once the live progress says the last is in, the answer's "on their way" is over.
    const allIn = this._adding ? !this._adding.under_way : s.ready === s.items;
    const coming = allIn
      ? ""
      : s.ready === 0
        ? " Its tracks join it as they are made; a player that starts it now waits for the first."
        : ` ${s.ready} in, the others join it as they are made.`;
    return html`<div data-testid="stream-result">
      <yss-alert type="success" .message=${`Stream '${s.stream}' made with ${plural(s.items, "track")}.${coming}`}>
        <a href="#streams">Open Streams</a>
      </yss-alert>
      ${this._adding ? html`<yss-stream-adding .adding=${this._adding}></yss-stream-adding>` : nothing}
      ${
        s.url
          ? html`<p class="small">Any speaker can play it at:</p>
              <yss-copy-text .text=${s.url} label="Copy the stream's address"></yss-copy-text>`
          : html`<p class="small muted">Set public_url to play it on speakers outside the panel.</p>`
      }
    </div>`;
  }

  private _onRestore = async () => {
    if (this.#restore.busy) return;
    if (
      this._mode === "replace" &&
      !confirm(
        `Write the archived '${this.card.title}' over the card on the Yoto account? Its present content is replaced.`,
      )
    )
      return;
    this._restored = undefined;
    await this.#restore.run(async () => {
      this._restored = await restoreCard(this.card.cardId, {mode: this._mode, audio: this._audio});
    });
  };

  private _onStream = async (e: Event) => {
    e.preventDefault();
    if (this.#stream.busy) return;
    this._stream = undefined;
    this._adding = undefined;
    // Listening before asking: the stream's name comes with the answer, its first progress may come before.
    const early = new Map<string, Adding>();
    this.#offAdding?.();
    this.#offAdding = this.live?.on("stream.addProgress", ({stream, ...adding}) => {
      if (!this._stream) early.set(stream, adding);
      else if (stream === this._stream.stream) this._adding = adding;
    });
    await this.#stream.run(async () => {
      const s = await streamCard(this.card.cardId, this._streamName || undefined);
      this._adding =
        early.get(s.stream) ??
        (s.ready < s.items ? {under_way: true, done: s.ready, total: s.items, failed: [], failed_count: 0} : undefined);
      this._stream = s;
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-archive-actions": YssArchiveActions;
  }
}
