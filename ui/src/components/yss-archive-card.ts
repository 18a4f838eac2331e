import {mdiPlay, mdiStop} from "@mdi/js";
import {css, html, LitElement, nothing, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {keyed} from "lit/directives/keyed.js";
import {
  type ArchivedCardDetail,
  type ArchivedCardSummary,
  type ArchivedTrack,
  archivedAudioUrl,
  getArchivedCard,
} from "../data/archive.js";
import type {LiveEvents} from "../data/live.js";
import {panelStyles} from "../styles.js";
import {ago, duration, fileSize, messageOf, plural} from "./format.js";
import {label} from "./labels.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";
import "./yss-archive-actions.js";

/**
 * What an archived card holds, after "Archived …": its size, chapters, tracks and length. A card
 * whose tracks all stream from a web address holds no audio here and its length is unknown, so it
 * says "streamed" rather than "0 B" and "0:00"; some streamed tracks are counted beside the rest.
 */
export function archivedFacts(c: ArchivedCardSummary): string {
  const held = c.trackCount - c.streamTracks;
  const tracks =
    c.streamTracks > 0 && held > 0
      ? `${plural(c.trackCount, "track")} (${c.streamTracks} streamed)`
      : plural(c.trackCount, "track");
  const contents = [plural(c.chapterCount, "chapter"), tracks, ...(c.duration > 0 ? [duration(c.duration)] : [])];
  return [held === 0 && c.streamTracks > 0 ? "streamed" : fileSize(c.bytes), contents.join(", ")].join(" · ");
}

const changeKind = label<ArchivedCardDetail["changes"][number]["kind"]>({
  new: "New",
  changed: "Changed",
  deleted: "Deleted at Yoto",
});

/**
 * One archived card: its chapters and tracks (an archived track can be heard from here), its
 * change history, and what can be done with it (restore, play from the archive). `revision` is bumped
 * by the view when a run changed the card, so it is read again.
 */
@customElement("yss-archive-card")
export class YssArchiveCard extends LitElement {
  @property() cardId!: string;
  @property({type: Number}) revision = 0;
  @property({attribute: false}) live?: LiveEvents;

  @state() private _card?: ArchivedCardDetail;
  @state() private _error?: string;
  /** The track whose preview player is open. */
  @state() private _playing?: string;

  static override styles = [
    panelStyles,
    css`
      p {
        margin: 4px 0;
      }
      ol {
        margin: 4px 0 8px;
        padding-left: 22px;
      }
      li {
        overflow-wrap: anywhere;
      }
      .track {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 8px;
        min-height: 40px;
      }
      .track .title {
        flex: 1 1 140px;
        min-width: 0;
      }
      audio {
        width: 100%;
        margin: 2px 0 6px;
      }
      .history li {
        margin-bottom: 4px;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("cardId")) {
      this._card = undefined;
      this._playing = undefined;
    }
    if (changed.has("cardId") || changed.has("revision")) void this._load();
  }

  override render() {
    const card = this._card;
    if (!card)
      return html`<div class="card">
        ${this._error ? html`<yss-alert .message=${this._error}></yss-alert>` : html`<p class="muted" aria-busy="true">Loading…</p>`}
      </div>`;
    return html`<section class="card" aria-label="Archived card ${card.title}" data-testid="archive-card">
      <h2>${card.title}</h2>
      <p class="small muted" data-testid="archive-facts">Archived ${ago(card.archivedAt)} · ${archivedFacts(card)}</p>
      ${card.deletedAt ? html`<p><span class="chip bad">Deleted at Yoto on ${new Date(card.deletedAt).toLocaleDateString()}</span></p>` : nothing}
      <yss-alert .message=${this._error}></yss-alert>
      <h3>Chapters</h3>
      <ol aria-label="Chapters" data-testid="archive-chapters">
        ${card.chapters.map(
          (chapter) => html`<li>
            <strong>${chapter.title}</strong>
            <ol aria-label="Tracks of ${chapter.title}">${chapter.tracks.map((t) => this._renderTrack(chapter.key, t))}</ol>
          </li>`,
        )}
      </ol>
      <h3>Changes</h3>
      ${
        card.changes.length
          ? html`<ul class="small history plain" data-testid="archive-history">
              ${card.changes.map(
                (c) =>
                  html`<li>
                    <span class="chip ${c.kind === "deleted" ? "bad" : ""}">${changeKind(c.kind)}</span>
                    <span class="muted">${ago(c.at)}</span>${c.summary ? ` · ${c.summary}` : ""}
                  </li>`,
              )}
            </ul>`
          : html`<p class="small muted">No changes seen since it was first archived.</p>`
      }
      ${keyed(card.cardId, html`<yss-archive-actions .card=${card} .live=${this.live}></yss-archive-actions>`)}
    </section>`;
  }

  private _renderTrack(chapterKey: string, track: ArchivedTrack) {
    const id = `${chapterKey}/${track.key}`;
    const open = this._playing === id;
    return html`<li>
      <div class="track">
        <span class="title">${track.title}</span>
        <span class="small muted">${[
          ...(track.duration !== undefined ? [duration(track.duration)] : []),
          ...(track.bytes ? [fileSize(track.bytes)] : []),
        ].join(" · ")}</span>
        ${
          track.type === "audio" && track.sha
            ? html`<button class="icon" aria-label="${open ? "Stop" : "Hear"} ${track.title}" title=${open ? "Stop" : "Hear it"}
                aria-pressed=${open ? "true" : "false"} @click=${() => (this._playing = open ? undefined : id)}>
                ${mdi(open ? mdiStop : mdiPlay, 20)}</button>`
            : html`<span class="chip" title="The card streams this from a web address: it is not archived">streamed</span>`
        }
      </div>
      ${
        open && track.sha
          ? html`<audio controls autoplay preload="metadata" src=${archivedAudioUrl(track.sha)}
              aria-label="Preview ${track.title}"></audio>`
          : nothing
      }
    </li>`;
  }

  private async _load() {
    const id = this.cardId;
    try {
      const card = await getArchivedCard(id);
      if (id !== this.cardId) return;
      this._card = card;
      this._error = undefined;
    } catch (err) {
      if (id === this.cardId) this._error = messageOf(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-archive-card": YssArchiveCard;
  }
}
