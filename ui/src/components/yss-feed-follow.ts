import {css, html, LitElement} from "lit";
import {customElement, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import {type FeedOrder, followFeed} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {ORDER_LABELS} from "./yss-feed-box.js";
import "./yss-alert.js";

/**
 * "Follow a podcast": a stream named here follows the feed at the address given (made when it does
 * not exist). The service answers at once and downloads the episodes in the background; its
 * refusals (a bad address, a bad name) are shown as it words them.
 *
 * @fires feed-followed - `{stream}`: the stream follows the feed now
 */
@customElement("yss-feed-follow")
export class YssFeedFollow extends LitElement {
  @state() private _name = "";
  @state() private _url = "";
  @state() private _keep = "10";
  @state() private _order: FeedOrder = "oldest_first";
  #follow = new Action(this);

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      label {
        display: block;
        margin-bottom: 6px;
      }
      input,
      select {
        display: block;
        width: 100%;
        margin-top: 2px;
      }
      input[type="number"] {
        min-height: 36px;
        padding: 6px 10px;
        border-radius: 8px;
        border: 1px solid var(--yss-divider);
        background: var(--yss-bg);
      }
      .pair {
        display: grid;
        grid-template-columns: minmax(0, 5em) minmax(0, 1fr);
        gap: 8px;
      }
    `,
  ];

  override render() {
    const text = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
    return html`<form @submit=${this._onSubmit} novalidate>
      <label>Stream name
        <input type="text" placeholder="bedtime-tales" autocomplete="off" .value=${live(this._name)}
          @input=${text((v) => (this._name = v.trim()))} />
      </label>
      <label>Feed address
        <input type="url" placeholder="https://…/feed.xml" autocomplete="off" .value=${live(this._url)}
          @input=${text((v) => (this._url = v.trim()))} />
      </label>
      <div class="pair">
        <label>Keep
          <input type="number" min="1" max="100" step="1" .value=${live(this._keep)} @input=${text((v) => (this._keep = v))} />
        </label>
        <label>Order
          <select @change=${text((v) => (this._order = v as FeedOrder))}>
            ${Object.entries(ORDER_LABELS).map(
              ([value, label]) => html`<option value=${value} ?selected=${value === this._order}>${label}</option>`,
            )}
          </select>
        </label>
      </div>
      <button type="submit" aria-busy=${this.#follow.busy ? "true" : "false"}>${this.#follow.busy ? "Following…" : "Follow"}</button>
      <yss-alert .message=${this.#follow.error}></yss-alert>
    </form>`;
  }

  private async _onSubmit(e: Event) {
    e.preventDefault();
    if (this.#follow.busy) return;
    if (!this._name || !this._url) {
      this.#follow.fail("Give the stream a name and the feed's address.");
      return;
    }
    await this.#follow.run(async () => {
      // Empty is the service's default; the service checks the range (1–100) and words its refusal.
      const keep = this._keep.trim() === "" ? undefined : Number(this._keep);
      await followFeed(this._name, {url: this._url, keep, order: this._order});
      const stream = this._name;
      this._name = "";
      this._url = "";
      this.dispatchEvent(new CustomEvent("feed-followed", {detail: {stream}, bubbles: true, composed: true}));
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-feed-follow": YssFeedFollow;
  }
  interface HTMLElementEventMap {
    "feed-followed": CustomEvent<{stream: string}>;
  }
}
