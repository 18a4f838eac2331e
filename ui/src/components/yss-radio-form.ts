import {css, html, LitElement} from "lit";
import {customElement, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import {setStation} from "../data/radio.js";
import {panelStyles} from "../styles.js";
import "./yss-alert.js";

/**
 * "Add a radio station": a stream named here plays the station at the address given (made when
 * it does not exist). The service checks the address (a web page, a playlist that points back at
 * itself, a home-network host not in fetch_allow) and its refusal is shown as it words it.
 *
 * @fires station-set - `{stream}`: the stream plays the station now
 */
@customElement("yss-radio-form")
export class YssRadioForm extends LitElement {
  @state() private _name = "";
  @state() private _url = "";
  #add = new Action(this);

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
      input {
        display: block;
        width: 100%;
        margin-top: 2px;
      }
    `,
  ];

  override render() {
    const text = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value.trim());
    return html`<form @submit=${this._onSubmit} novalidate>
      <label>Stream name
        <input type="text" placeholder="kids-radio" autocomplete="off" .value=${live(this._name)}
          @input=${text((v) => (this._name = v))} />
      </label>
      <label>Station address
        <input type="url" placeholder="https://…/stream.mp3 or …/listen.pls" autocomplete="off" .value=${live(this._url)}
          @input=${text((v) => (this._url = v))} />
      </label>
      <button type="submit" aria-busy=${this.#add.busy ? "true" : "false"}>${this.#add.busy ? "Adding…" : "Add station"}</button>
      <yss-alert .message=${this.#add.error}></yss-alert>
    </form>`;
  }

  private async _onSubmit(e: Event) {
    e.preventDefault();
    if (this.#add.busy) return;
    if (!this._name || !this._url) {
      this.#add.fail("Give the stream a name and the station's address.");
      return;
    }
    await this.#add.run(async () => {
      await setStation(this._name, this._url);
      const stream = this._name;
      this._name = "";
      this._url = "";
      this.dispatchEvent(new CustomEvent("station-set", {detail: {stream}, bubbles: true, composed: true}));
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-radio-form": YssRadioForm;
  }
  interface HTMLElementEventMap {
    "station-set": CustomEvent<{stream: string}>;
  }
}
