import {css, html, LitElement} from "lit";
import {customElement, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {type FeedOrder, followFeed} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {StreamForm, streamFormStyles} from "./stream-form.js";
import {ORDER_LABELS} from "./yss-feed-box.js";

/**
 * "Follow a podcast": a stream named here follows the feed at the address given (made when it does
 * not exist). The service answers at once and downloads the episodes in the background; its
 * refusals (a bad address, a bad name) are shown as it words them.
 *
 * @fires feed-followed - `{stream}`: the stream follows the feed now
 */
@customElement("yss-feed-follow")
export class YssFeedFollow extends LitElement {
  @state() private _keep = "10";
  @state() private _order: FeedOrder = "oldest_first";
  #form = new StreamForm(this, {
    missing: "Give the stream a name and the feed's address.",
    event: "feed-followed",
    namePlaceholder: "bedtime-tales",
    addressLabel: "Feed address",
    addressPlaceholder: "https://…/feed.xml",
    submit: "Follow",
    submitting: "Following…",
  });

  static override styles = [
    panelStyles,
    streamFormStyles,
    css`
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
      ${this.#form.fields()}
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
      ${this.#form.footer()}
    </form>`;
  }

  private _onSubmit(e: Event) {
    return this.#form.submit(e, (name, url) => {
      // Empty is the service's default; the service checks the range (1–100) and words its refusal.
      const keep = this._keep.trim() === "" ? undefined : Number(this._keep);
      return followFeed(name, {url, keep, order: this._order});
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
