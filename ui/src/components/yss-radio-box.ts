import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import {RADIO_STATE_LABELS, type RadioView, setStation} from "../data/radio.js";
import {panelStyles} from "../styles.js";
import {ago, plural} from "./format.js";
import "./yss-alert.js";

/**
 * A station stream's radio: the station's address (without credentials: the service never shows
 * them), whether it is on air, what it plays now, why it is not answering, who listens, and a way
 * to change the station. The parent reloads on the live `radio.*` events.
 *
 * @fires stream-updated - the station changed: the stream should be loaded again
 */
@customElement("yss-radio-box")
export class YssRadioBox extends LitElement {
  @property() stream = "";
  @property({attribute: false}) radio!: RadioView;

  @state() private _editing = false;
  @state() private _url = "";
  #save = new Action(this);

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
        margin-top: 12px;
        padding: 12px;
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
      }
      .address,
      .now,
      .why,
      yss-alert {
        overflow-wrap: anywhere;
      }
      .now {
        font-size: 16px;
        margin: 6px 0;
      }
      .why {
        color: var(--yss-error);
      }
      input {
        width: 100%;
        margin: 6px 0;
      }
    `,
  ];

  override render() {
    const r = this.radio;
    const good = r.state === "playing";
    const bad = r.state === "down";
    return html`<div class="row">
        <span class="chip ${good ? "good" : bad ? "bad" : ""}" data-testid="radio-state">${RADIO_STATE_LABELS[r.state] ?? r.state}</span>
        <span class="small muted">${plural(r.listeners, "listener")}${r.since ? html` · since ${ago(r.since)}` : nothing}</span>
      </div>
      <div class="small muted address" data-testid="radio-url">${r.url}</div>
      ${r.now_playing ? html`<div class="now" data-testid="radio-now">♪ ${r.now_playing}</div>` : nothing}
      ${r.error ? html`<div class="small why" data-testid="radio-error">${r.error}</div>` : nothing}
      ${
        this._editing
          ? html`<form @submit=${this._onSave} novalidate>
              <input type="url" aria-label="New station address" placeholder="https://…" .value=${live(this._url)}
                @input=${(e: Event) => (this._url = (e.target as HTMLInputElement).value.trim())} />
              <div class="row">
                <button type="submit" class="primary" ?disabled=${!this._url || this.#save.busy}>Save station</button>
                <button type="button" @click=${() => (this._editing = false)}>Cancel</button>
              </div>
            </form>`
          : html`<button @click=${this._onChange}>Change station</button>`
      }
      <yss-alert .message=${this.#save.error}></yss-alert>`;
  }

  private _onChange = () => {
    this._editing = true;
    this._url = "";
  };

  private async _onSave(e: Event) {
    e.preventDefault();
    // The save button is disabled while one is under way.
    await this.#save.run(async () => {
      await setStation(this.stream, this._url);
      this._editing = false;
      this.dispatchEvent(new CustomEvent("stream-updated", {bubbles: true, composed: true}));
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-radio-box": YssRadioBox;
  }
}
