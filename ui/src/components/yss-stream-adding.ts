import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import type {StreamView} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {progressStyles} from "./progress-styles.js";

type Adding = NonNullable<StreamView["adding"]>;

/**
 * Tracks on their way into a queue (a media server folder's "Add all", an archived card played
 * as a stream): how many are in, as a bar, and each track that could not be added, with why. The
 * parent reloads the stream on `stream.addProgress`, so the bar moves as they come.
 */
@customElement("yss-stream-adding")
export class YssStreamAdding extends LitElement {
  @property({attribute: false}) adding!: Adding;

  static override styles = [
    panelStyles,
    progressStyles,
    css`
      :host {
        display: block;
        margin-top: 8px;
        overflow-wrap: anywhere;
      }
      label {
        display: block;
      }
      progress {
        color: var(--yss-primary);
      }
      ul {
        margin: 4px 0 0;
        padding-left: 20px;
      }
    `,
  ];

  override render() {
    const a = this.adding;
    const unlisted = a.failed_count - a.failed.length;
    return html`${
      a.under_way
        ? html`<div class="small" role="status">
            <label for="adding-progress">Adding tracks: ${a.done} of ${a.total}</label>
            <progress id="adding-progress" max=${a.total} .value=${a.done}></progress>
          </div>`
        : nothing
    }
    ${
      a.failed_count > 0
        ? html`<div class="small" data-testid="not-added">
            <b>Not added (${a.failed_count})</b>
            <ul>
              ${a.failed.map((f) => html`<li><b>${f.title}</b>: ${f.reason}</li>`)}
              ${unlisted > 0 ? html`<li class="muted">…and ${unlisted} more, not listed</li>` : nothing}
            </ul>
          </div>`
        : nothing
    }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-stream-adding": YssStreamAdding;
  }
}
