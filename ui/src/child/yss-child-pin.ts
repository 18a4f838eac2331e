import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {ApiError} from "../data/http.js";

/** The parent PIN is 4 to 8 digits (the service's `PUT /api/devices/pin`). */
const MAX_DIGITS = 8;
const MIN_DIGITS = 4;
const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

/**
 * The parent PIN, typed on the page itself (a kiosk browser may never show a dialog, and a
 * dialog's field shows the digits as they are typed): big digit buttons, the digits entered shown
 * only as dots, Delete, Cancel, Unlock. Digits, Backspace, Enter and Escape on a keyboard do the
 * same. The service's refusal (a wrong PIN, too many tries and how long to wait) is said in its
 * words under the dots, and the digits are cleared for the next try.
 *
 * @fires pin-closed - `detail`: whether it unlocked
 */
@customElement("yss-child-pin")
export class YssChildPin extends LitElement {
  /** Unlocks with the PIN typed; throws (the service's refusal) when it does not. */
  @property({attribute: false}) submit?: (pin: string) => Promise<void>;
  @state() private _digits = "";
  @state() private _error = "";
  @state() private _busy = false;

  static override styles = css`
    :host {
      position: fixed;
      inset: 0;
      z-index: 10;
      display: flex;
      align-items: center;
      justify-content: center;
      overflow: auto;
      background: #14213d;
      color: #f4f1de;
      font-family: system-ui, sans-serif;
    }
    * {
      box-sizing: border-box;
    }
    section {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 12px;
      padding: 12px;
      width: 100%;
      max-width: 420px;
    }
    h2 {
      margin: 0;
      font-size: 24px;
    }
    .dots {
      display: flex;
      gap: 14px;
      min-height: 24px;
    }
    .dot {
      width: 20px;
      height: 20px;
      border-radius: 50%;
      background: #f2cc8f;
    }
    .error {
      margin: 0;
      min-height: 1.4em;
      text-align: center;
      color: #f4a8a0;
      font-size: 18px;
    }
    .pad {
      display: grid;
      grid-template-columns: repeat(3, minmax(56px, 96px));
      gap: 12px;
      justify-content: center;
    }
    button {
      font: inherit;
      color: inherit;
      border: 0;
      cursor: pointer;
      touch-action: manipulation;
      min-width: 56px;
      min-height: 56px;
      border-radius: 16px;
      background: #3d5a80;
      font-size: 30px;
      font-weight: 600;
    }
    button.word {
      font-size: 18px;
    }
    button.unlock {
      background: #81b29a;
      color: #14213d;
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
    }
    button:focus-visible {
      outline: 4px solid #f2cc8f;
      outline-offset: 3px;
    }
    .pad button {
      height: clamp(56px, 11vh, 72px);
    }
    .actions {
      display: flex;
      gap: 12px;
    }
    .actions button {
      padding: 0 24px;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("keydown", this.#onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("keydown", this.#onKey);
  }

  override render() {
    const n = this._digits.length;
    return html`<section role="dialog" aria-modal="true" aria-labelledby="title">
      <h2 id="title">Parent PIN</h2>
      <div class="dots" role="img" aria-label=${n === 1 ? "1 digit entered" : `${n} digits entered`}>
        ${Array.from({length: n}, () => html`<span class="dot"></span>`)}
      </div>
      <p class="error" role="alert">${this._error || nothing}</p>
      <div class="pad" role="group" aria-label="Digits">
        ${DIGITS.map((d) => this.#digit(d))}
        <button type="button" class="word" aria-label="Delete the last digit" ?disabled=${n === 0 || this._busy}
          @click=${this.#back}>⌫</button>
        ${this.#digit("0")}
        <button type="button" class="word unlock" ?disabled=${n < MIN_DIGITS || this._busy}
          @click=${() => void this.#unlock()}>Unlock</button>
      </div>
      <div class="actions">
        <button type="button" class="word" ?disabled=${n === 0 || this._busy} @click=${this.#clear}>Clear</button>
        <button type="button" class="word" @click=${() => this.#close(false)}>Cancel</button>
      </div>
    </section>`;
  }

  #digit(d: string) {
    return html`<button type="button" ?disabled=${this._busy} @click=${() => this.#type(d)}>${d}</button>`;
  }

  #type(d: string) {
    if (this._busy || this._digits.length >= MAX_DIGITS) return;
    this._digits += d;
  }

  readonly #back = () => {
    this._digits = this._digits.slice(0, -1);
  };

  readonly #clear = () => {
    this._digits = "";
  };

  readonly #onKey = (e: KeyboardEvent) => {
    if (/^[0-9]$/.test(e.key)) this.#type(e.key);
    else if (e.key === "Backspace") this.#back();
    else if (e.key === "Enter") void this.#unlock();
    else if (e.key === "Escape") this.#close(false);
    else return;
    e.preventDefault();
  };

  async #unlock() {
    if (this._busy || this._digits.length < MIN_DIGITS || !this.submit) return;
    this._busy = true;
    try {
      await this.submit(this._digits);
      this.#close(true);
    } catch (err) {
      // The service says why in a parent's words (the wrong PIN, too many tries and how long to wait).
      this._error =
        err instanceof ApiError ? err.message : "The tablet could not reach the service: try again in a moment";
      this._digits = "";
    } finally {
      this._busy = false;
    }
  }

  #close(unlocked: boolean) {
    this.dispatchEvent(new CustomEvent("pin-closed", {detail: unlocked}));
    this.remove();
  }
}

/** Asks for the parent PIN on the page: resolves true once `submit` took it, false when cancelled. */
export function askParentPin(submit: (pin: string) => Promise<void>): Promise<boolean> {
  const pad = document.createElement("yss-child-pin");
  pad.submit = submit;
  return new Promise((resolve) => {
    pad.addEventListener("pin-closed", (e) => resolve((e as CustomEvent<boolean>).detail), {once: true});
    document.body.append(pad);
  });
}

/**
 * A line for the parent on the page, where a dialog may never show (a kiosk browser): said at the
 * top until tapped away.
 */
export function sayOnPage(text: string): void {
  const note = document.createElement("p");
  note.setAttribute("role", "alert");
  note.textContent = text;
  note.style.cssText =
    "position:fixed;top:0;left:0;right:0;z-index:10;margin:0;padding:16px;min-height:48px;background:#3d5a80;color:#f4f1de;font:18px system-ui,sans-serif;text-align:center";
  note.addEventListener("click", () => note.remove());
  document.body.append(note);
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-child-pin": YssChildPin;
  }
}
