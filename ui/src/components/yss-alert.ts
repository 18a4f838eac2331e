import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";

/**
 * An inline message next to what it is about. Errors from the admin API already say what went
 * wrong and what to do, so the message is shown as it came.
 *
 * @slot - an action (a retry button, a link)
 */
@customElement("yss-alert")
export class YssAlert extends LitElement {
  /** `error` is announced at once; `info` and `success` politely. */
  @property() type: "error" | "info" | "success" = "error";

  /** The text; nothing is rendered without it. */
  @property() message?: string;

  static override styles = css`
    :host {
      display: block;
    }
    .box {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      padding: 8px 12px;
      margin: 8px 0;
      border-radius: 8px;
      border-left: 4px solid var(--yss-accent);
      background: color-mix(in srgb, var(--yss-accent) 12%, transparent);
      color: var(--primary-text-color, #212121);
    }
    .error {
      --yss-accent: var(--error-color, #db4437);
    }
    .info {
      --yss-accent: var(--primary-color, #03a9f4);
    }
    .success {
      --yss-accent: var(--success-color, #43a047);
    }
    span {
      flex: 1 1 200px;
    }
  `;

  override render() {
    // The live region is always there and only its text changes: screen readers announce a
    // region that changes, and often miss one that appears already filled.
    return html`<div class=${this.message ? `box ${this.type}` : ""} role=${this.type === "error" ? "alert" : "status"}>
      ${this.message ? html`<span>${this.message}</span><slot></slot>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-alert": YssAlert;
  }
}
