import {mdiVolumeHigh, mdiVolumeMedium, mdiVolumeMute} from "@mdi/js";
import {css, html, LitElement, nothing, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {VOLUME_PERCENTS} from "../data/players.js";
import {panelStyles} from "../styles.js";
import {mdi} from "./mdi.js";

const TOP = VOLUME_PERCENTS.length - 1;

/**
 * A player's volume as the player has it: 17 steps (levels 0–16), each shown as its percent. The
 * thumb snaps to the steps while dragged and the level is sent once, on release (or per key
 * press), not for every pixel of the drag.
 *
 * @fires volume-change - `{level, percent}`: the step let go on
 */
@customElement("yss-volume-slider")
export class YssVolumeSlider extends LitElement {
  /** The level the player reports (0–16). */
  @property({type: Number}) level?: number;
  /** The player's cap for the current mode (0–16); steps above it are refused by the player. */
  @property({type: Number}) max?: number;
  @property() label = "Volume";

  /** The step under the thumb while dragging, and after release until the player reports a level. */
  @state() private _dragging?: number;
  #settle?: number;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: 8px;
        min-width: 0;
      }
      input {
        flex: 1;
        min-width: 0;
        height: 28px;
        margin: 0;
      }
      .value {
        min-width: 3.5em;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      svg {
        color: var(--yss-muted);
        flex: none;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("level")) this._dragging = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.#settle);
  }

  override render() {
    const level = this._dragging ?? this.level;
    const percent = level === undefined ? undefined : VOLUME_PERCENTS[level];
    const icon = !level ? mdiVolumeMute : level < TOP / 2 ? mdiVolumeMedium : mdiVolumeHigh;
    return html`${mdi(icon, 20)}
      <input type="range" min="0" max=${TOP} step="1" .value=${live(String(level ?? 0))} aria-label=${this.label}
        aria-valuetext=${percent === undefined ? "unknown" : `${percent}%`}
        @input=${this._onInput} @change=${this._onChange} />
      <span class="value small" data-testid="volume">${percent === undefined ? "–" : `${percent}%`}</span>
      ${
        this.max !== undefined && this.max < TOP
          ? html`<span class="small muted" title="The player's maximum volume for now">max ${VOLUME_PERCENTS[this.max]}%</span>`
          : nothing
      }`;
  }

  private _onInput(e: Event) {
    this._dragging = Number((e.target as HTMLInputElement).value);
  }

  private _onChange(e: Event) {
    const level = Number((e.target as HTMLInputElement).value);
    // The thumb stays where it was let go until the player reports; if it never does (refused,
    // offline), it goes back to the player's level.
    window.clearTimeout(this.#settle);
    this.#settle = window.setTimeout(() => (this._dragging = undefined), 8000);
    const detail = {level, percent: VOLUME_PERCENTS[level] as number};
    this.dispatchEvent(new CustomEvent("volume-change", {detail, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-volume-slider": YssVolumeSlider;
  }
  interface HTMLElementEventMap {
    "volume-change": CustomEvent<{level: number; percent: number}>;
  }
}
