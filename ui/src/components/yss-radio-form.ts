import {html, LitElement} from "lit";
import {customElement} from "lit/decorators.js";
import {setStation} from "../data/radio.js";
import {panelStyles} from "../styles.js";
import {StreamForm, streamFormStyles} from "./stream-form.js";

/**
 * "Add a radio station": a stream named here plays the station at the address given (made when
 * it does not exist). The service checks the address (a web page, a playlist that points back at
 * itself, a home-network host not in fetch_allow) and its refusal is shown as it words it.
 *
 * @fires station-set - `{stream}`: the stream plays the station now
 */
@customElement("yss-radio-form")
export class YssRadioForm extends LitElement {
  #form = new StreamForm(this, {
    missing: "Give the stream a name and the station's address.",
    event: "station-set",
    namePlaceholder: "kids-radio",
    addressLabel: "Station address",
    addressPlaceholder: "https://…/stream.mp3 or …/listen.pls",
    submit: "Add station",
    submitting: "Adding…",
  });

  static override styles = [panelStyles, streamFormStyles];

  override render() {
    return html`<form @submit=${this._onSubmit} novalidate>
      ${this.#form.fields()}
      ${this.#form.footer()}
    </form>`;
  }

  private _onSubmit(e: Event) {
    return this.#form.submit(e, setStation);
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
