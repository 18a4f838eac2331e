import {mdiCheck, mdiContentCopy} from "@mdi/js";
import {css, html, LitElement} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {panelStyles} from "../styles.js";
import {mdi} from "./mdi.js";

/**
 * A short text someone types elsewhere (a name for Home Assistant's config flow), shown whole and
 * selectable, with a button that copies it. Inside Home Assistant's ingress frame the clipboard
 * API may be refused: the text is then selected, so Ctrl+C or a long press copies it.
 */
@customElement("yss-copy-text")
export class YssCopyText extends LitElement {
  @property() text = "";
  /** What is copied, for the button's label ("Copy the media player name"). */
  @property() label = "Copy";
  @state() private _said = "";

  static override styles = [
    panelStyles,
    css`
      :host {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px;
        max-width: 100%;
      }
      code {
        overflow-wrap: anywhere;
        user-select: all;
        font-size: 0.85em;
        min-width: 0;
        flex: 1 1 auto;
      }
      /* What happened goes on its own line, so the name never squeezes. */
      span:not(:empty) {
        flex-basis: 100%;
      }
      button {
        padding: 2px 6px;
        min-height: 32px;
        min-width: 32px;
      }
    `,
  ];

  override render() {
    return html`<code>${this.text}</code
      ><button aria-label=${this.label} title=${this.label} @click=${() => void this.#copy()}>
        ${mdi(this._said === "Copied" ? mdiCheck : mdiContentCopy, 18)}</button
      ><span class="small" role="status">${this._said}</span>`;
  }

  async #copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text);
      this._said = "Copied";
    } catch {
      const code = this.renderRoot.querySelector("code");
      const range = document.createRange();
      if (code) range.selectNodeContents(code);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      this._said = "Selected: copy it with Ctrl+C";
    }
    window.setTimeout(() => (this._said = ""), 3000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-copy-text": YssCopyText;
  }
}
