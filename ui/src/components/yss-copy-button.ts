import {mdiCheck, mdiContentCopy} from "@mdi/js";
import {css, html, LitElement} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {panelStyles} from "../styles.js";
import {mdi} from "./mdi.js";

/**
 * A button that copies a longer text shown elsewhere on the page (a YAML block, a list of
 * sentences). Inside Home Assistant's ingress frame the clipboard API may be refused: `selectable`
 * is then selected instead, so Ctrl+C or a long press copies it. Either way `copied` is dispatched
 * (its detail says which), so the page can remember what was handed over.
 */
@customElement("yss-copy-button")
export class YssCopyButton extends LitElement {
  @property() text = "";
  /** The button's words. */
  @property() label = "Copy";
  /** What it copies, for assistive technology ("Copy the sentences of Pause"); the words when unset. */
  @property() describe = "";
  @property({type: Boolean}) primary = false;
  /** What to select when the clipboard is refused (shown first if it was folded away). */
  @property({attribute: false}) selectable?: () => Promise<Element | null | undefined> | Element | null | undefined;
  @state() private _said = "";
  #clear?: number;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 8px;
        max-width: 100%;
      }
      span:empty {
        display: none;
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.#clear);
  }

  override render() {
    const name = this.describe || this.label;
    return html`<button class=${this.primary ? "primary" : ""} aria-label=${name} title=${name} @click=${() => void this.#copy()}>
        ${mdi(this._said === "Copied" ? mdiCheck : mdiContentCopy, 18)} ${this.label}</button
      ><span class="small" role="status">${this._said}</span>`;
  }

  async #copy(): Promise<void> {
    let copied = true;
    try {
      await navigator.clipboard.writeText(this.text);
      this._said = "Copied";
    } catch {
      copied = false;
      const target = await this.selectable?.();
      if (target) {
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
      this._said = target ? "Selected: copy it with Ctrl+C" : "The browser refused to copy";
    }
    this.dispatchEvent(new CustomEvent("copied", {detail: {copied}, bubbles: true, composed: true}));
    window.clearTimeout(this.#clear);
    this.#clear = window.setTimeout(() => (this._said = ""), 3000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-copy-button": YssCopyButton;
  }
}
