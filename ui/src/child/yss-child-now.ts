import {mdiPause, mdiPlay, mdiSkipNext, mdiVolumeMinus, mdiVolumePlus} from "@mdi/js";
import {html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import {mdi} from "../components/mdi.js";
import type {ShelfPlayer} from "./child-api.js";
import {nowStyles} from "./child-styles.js";

const BARS = 8;
/** Steps a press of quieter or louder moves: a child hears the difference. */
const STEP = 2;

export interface ChildControl {
  action: "pause" | "resume" | "next" | "volume";
  volume?: number;
}

/**
 * What plays on the child's player, as pictures: its cover, a big pause or play, next for a card
 * with chapters, and the volume as a row of bars with quieter and louder, never past the max
 * volume the parents allow now (the bars stop there).
 *
 * @fires child-control - `ChildControl`: the child pressed a control
 */
@customElement("yss-child-now")
export class YssChildNow extends LitElement {
  @property({attribute: false}) player?: ShelfPlayer;

  static override styles = nowStyles;

  override render() {
    const p = this.player;
    if (!p?.online) return nothing;
    const playing = p.status === "playing" || p.status === "loading";
    const active = playing || p.status === "paused";
    const max = Math.max(0, p.max_volume);
    const level = Math.min(p.volume ?? 0, max);
    const lit = max === 0 ? 0 : Math.round((level / 16) * BARS);
    const allowed = Math.round((max / 16) * BARS);
    return html`${
      active
        ? html`<div class="group">
            ${p.cover ? html`<img class="cover" src=${p.cover} alt=${p.title ?? "Playing now"} />` : nothing}
            <button class="round main" aria-label=${playing ? "Pause" : "Play"}
              @click=${() => this.#send({action: playing ? "pause" : "resume"})}>${mdi(playing ? mdiPause : mdiPlay, 56)}</button>
            ${p.can_next ? html`<button class="round" aria-label="Next" @click=${() => this.#send({action: "next"})}>${mdi(mdiSkipNext, 48)}</button>` : nothing}
          </div>`
        : nothing
    }
      <div class="group">
        <button class="round" aria-label="Quieter" ?disabled=${level <= 0}
          @click=${() => this.#send({action: "volume", volume: Math.max(0, level - STEP)})}>${mdi(mdiVolumeMinus, 44)}</button>
        <div class="meter" role="meter" aria-label="Volume" aria-valuemin="0" aria-valuemax=${max} aria-valuenow=${level}>
          ${Array.from({length: allowed}, (_, i) => html`<span class=${i < lit ? "on" : ""} style="height:${14 + i * 6}px"></span>`)}
        </div>
        <button class="round" aria-label="Louder" ?disabled=${level >= max}
          @click=${() => this.#send({action: "volume", volume: Math.min(max, level + STEP)})}>${mdi(mdiVolumePlus, 44)}</button>
      </div>`;
  }

  #send(detail: ChildControl) {
    this.dispatchEvent(new CustomEvent("child-control", {detail, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-child-now": YssChildNow;
  }
  interface HTMLElementEventMap {
    "child-control": CustomEvent<ChildControl>;
  }
}
