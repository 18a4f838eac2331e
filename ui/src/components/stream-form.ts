import {css, html, type ReactiveController, type ReactiveControllerHost} from "lit";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import "./yss-alert.js";

export interface StreamFormOptions {
  /** Shown when a field is empty: says which two fields the form needs. */
  missing: string;
  /** Fired on the host with `{stream}` once the service has taken the form. */
  event: string;
  namePlaceholder: string;
  addressLabel: string;
  addressPlaceholder: string;
  /** The submit button's words, and its words while the service answers. */
  submit: string;
  submitting: string;
}

/** The look of a stream form: one field a line, each as wide as the box. */
export const streamFormStyles = css`
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
`;

/**
 * What the forms that point a stream somewhere share (a radio station, a podcast feed): a stream
 * name and an address, both required, sent once at a time; the service's refusal shown in its
 * own words, and both fields emptied once it has taken them.
 */
export class StreamForm implements ReactiveController {
  name = "";
  url = "";
  readonly action: Action;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #opts: StreamFormOptions;

  constructor(host: ReactiveControllerHost & HTMLElement, opts: StreamFormOptions) {
    this.#host = host;
    this.#opts = opts;
    this.action = new Action(host);
    host.addController(this);
  }

  hostConnected(): void {}

  /** The stream name and address fields. */
  fields() {
    const o = this.#opts;
    const text = (set: (v: string) => void) => (e: Event) => {
      set((e.target as HTMLInputElement).value.trim());
      this.#host.requestUpdate();
    };
    return html`<label>Stream name
        <input type="text" placeholder=${o.namePlaceholder} autocomplete="off" .value=${live(this.name)}
          @input=${text((v) => (this.name = v))} />
      </label>
      <label>${o.addressLabel}
        <input type="url" placeholder=${o.addressPlaceholder} autocomplete="off" .value=${live(this.url)}
          @input=${text((v) => (this.url = v))} />
      </label>`;
  }

  /** The submit button and the error line under it. */
  footer() {
    const busy = this.action.busy;
    return html`<button type="submit" aria-busy=${busy ? "true" : "false"}>${busy ? this.#opts.submitting : this.#opts.submit}</button>
      <yss-alert .message=${this.action.error}></yss-alert>`;
  }

  /** The form's submit handler: checks both fields, then `send`s the stream's name and address. */
  async submit(e: Event, send: (name: string, url: string) => Promise<unknown>): Promise<void> {
    e.preventDefault();
    if (this.action.busy) return;
    if (!this.name || !this.url) {
      this.action.fail(this.#opts.missing);
      return;
    }
    await this.action.run(async () => {
      await send(this.name, this.url);
      const stream = this.name;
      this.name = "";
      this.url = "";
      this.#host.dispatchEvent(new CustomEvent(this.#opts.event, {detail: {stream}, bubbles: true, composed: true}));
    });
  }
}
