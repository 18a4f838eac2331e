import {css, html, LitElement} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {keyed} from "lit/directives/keyed.js";
import {messageOf} from "../components/format.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-alert.js";
import "../components/yss-feed-follow.js";
import "../components/yss-radio-form.js";
import "../components/yss-stream-editor.js";
import type {LiveEvents} from "../data/live.js";
import {followPlayers} from "../data/players.js";
import {RADIO_STATE_LABELS, type RadioView, radioOf} from "../data/radio.js";
import {LiveResource} from "../data/resource.js";
import {getStreams, replaceQueue} from "../data/streams.js";
import {panelStyles} from "../styles.js";

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Named stream queues: pick one to edit, or start a new one. */
@customElement("yss-streams-view")
export class YssStreamsView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _selected?: string;
  @state() private _newName = "";
  @state() private _error?: string;

  private _streams = new LiveResource(this, {
    load: getStreams,
    live: () => this.live,
    reloadOn: [
      "stream.changed",
      "stream.addProgress",
      "stream.deleted",
      "library.changed",
      "feed.followed",
      "feed.progress",
      "feed.refreshed",
      "radio.stateChanged",
      "radio.songChanged",
    ],
  });
  private _players = followPlayers(this, () => this.live);

  static override styles = [
    panelStyles,
    css`
      .split {
        --yss-split: minmax(180px, 240px) 1fr;
      }
      /* Grid items size to their content by default: a long track title (ellipsized in the queue) would widen the page. */
      .split > * {
        min-width: 0;
      }
      nav button {
        width: 100%;
        justify-content: flex-start;
        flex-wrap: wrap;
        text-align: left;
        color: var(--yss-text);
        font-weight: 400;
        border-radius: 8px;
        margin-bottom: 4px;
      }
      nav button[aria-current="true"] {
        background: color-mix(in srgb, var(--yss-primary) 18%, transparent);
      }
      form {
        margin-top: 8px;
      }
      form input {
        width: 100%;
        margin-bottom: 6px;
      }
      details {
        margin-top: 12px;
        padding-top: 8px;
        border-top: 1px solid var(--yss-divider);
      }
      summary {
        cursor: pointer;
        min-height: 32px;
        line-height: 32px;
      }
      .feed-mark {
        margin-left: 4px;
      }
      .feed-error {
        flex-basis: 100%;
        color: var(--yss-error);
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    return renderResource(this._streams, ({streams}) => {
      const selected = streams.find((s) => s.name === this._selected) ?? streams[0];
      return html`<div class="split">
        <nav class="card" aria-label="Streams">
          <h2>Streams</h2>
          ${streams.map(
            (s) => html`<button aria-current=${s === selected} @click=${() => (this._selected = s.name)}>
              ${s.name} ${radioMark(s)}${
                s.feed ? html`<span class="chip feed-mark" title="Follows a podcast feed">podcast</span>` : ""
              }${
                // Seen without opening the stream: the family keeps hearing the last good episodes.
                s.feed?.error
                  ? html`<span class="chip feed-mark bad">feed failing</span>
                      <span class="small feed-error" data-testid="feed-error">${s.feed.error}</span>`
                  : ""
              }
            </button>`,
          )}
          <form @submit=${this._onCreate}>
            <input type="text" placeholder="new-stream-name" aria-label="New stream name" .value=${this._newName}
              @input=${(e: Event) => (this._newName = (e.target as HTMLInputElement).value.trim())} />
            <button type="submit" ?disabled=${!this._newName}>New stream</button>
            <yss-alert .message=${this._error}></yss-alert>
          </form>
          <details>
            <summary>Follow a podcast</summary>
            <yss-feed-follow @feed-followed=${this._onFollowed}></yss-feed-follow>
          </details>
          <details>
            <summary>Add a radio station</summary>
            <yss-radio-form @station-set=${this._onFollowed}></yss-radio-form>
          </details>
        </nav>
        ${
          selected
            ? keyed(
                selected.name,
                html`<yss-stream-editor .stream=${selected} .players=${this._players.value?.players ?? []}
              @stream-updated=${() => this._streams.reload()}></yss-stream-editor>`,
              )
            : html`<p class="muted">No streams yet: name one to start.</p>`
        }
      </div>`;
    });
  }

  private _onFollowed(e: HTMLElementEventMap["feed-followed"] | HTMLElementEventMap["station-set"]) {
    this._selected = e.detail.stream;
    this._streams.reload();
  }

  private async _onCreate(e: Event) {
    e.preventDefault();
    // An existing name selects that stream: replacing it would empty its queue.
    if (this._streams.value?.streams.some((s) => s.name === this._newName)) {
      this._selected = this._newName;
      this._newName = "";
      return;
    }
    if (!NAME.test(this._newName)) {
      this._error = "Use lower-case letters, digits, '-' and '_' (up to 64), starting with a letter or digit.";
      return;
    }
    try {
      await replaceQueue(this._newName, []);
      this._selected = this._newName;
      this._newName = "";
      this._error = undefined;
      this._streams.reload();
    } catch (err) {
      this._error = messageOf(err);
    }
  }
}

/** A station stream shows "radio" and whether it is on air; a queue shows how many items it holds. */
function radioMark(s: {items: unknown[]; radio: RadioView | null}) {
  const radio = radioOf(s);
  if (!radio) return html`<span class="small muted">(${s.items.length})</span>`;
  return html`<span class="chip feed-mark ${radio.state === "down" ? "bad" : ""}" title=${RADIO_STATE_LABELS[radio.state]}>radio</span>`;
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-streams-view": YssStreamsView;
  }
}
