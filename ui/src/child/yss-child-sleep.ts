import {mdiBookPlus, mdiCheck, mdiTimerSand, mdiWeatherNight} from "@mdi/js";
import {css, html, LitElement, nothing, svg} from "lit";
import {customElement, property} from "lit/decorators.js";
import {mdi} from "../components/mdi.js";
import type {ChildShelf} from "./child-api.js";
import {childStyles} from "./child-styles.js";

/** A clock face a child can read: the hour and minute hands at the time quiet ends. */
function clockFace(hour: number, minute: number) {
  const hourAngle = ((hour % 12) + minute / 60) * 30;
  const minuteAngle = minute * 6;
  const ticks = Array.from({length: 12}, (_, i) => {
    const a = (i * 30 * Math.PI) / 180;
    return svg`<line x1=${50 + 38 * Math.sin(a)} y1=${50 - 38 * Math.cos(a)} x2=${50 + 44 * Math.sin(a)} y2=${50 - 44 * Math.cos(a)} stroke="#14213d" stroke-width=${i % 3 === 0 ? 4 : 2} stroke-linecap="round" />`;
  });
  return svg`<svg viewBox="0 0 100 100" width="180" height="180" aria-hidden="true">
    <circle cx="50" cy="50" r="48" fill="#f4f1de" />${ticks}
    <line x1="50" y1="50" x2="50" y2="24" stroke="#14213d" stroke-width="6" stroke-linecap="round" transform="rotate(${hourAngle} 50 50)" />
    <line x1="50" y1="50" x2="50" y2="12" stroke="#3d5a80" stroke-width="4" stroke-linecap="round" transform="rotate(${minuteAngle} 50 50)" />
    <circle cx="50" cy="50" r="4" fill="#14213d" /></svg>`;
}

/**
 * Sleep: the moon, and a clock showing when stories come back ("sleeping until 7:00"); taps on the
 * shelf do nothing now. The moon plays the child's sleep sound when the plan has one left tonight
 * (it glows while it plays). One big "one more story" asks a parent; while it waits an hourglass turns,
 * and the answer shows: back to the shelf on yes, the moon again on "not tonight".
 *
 * @fires ask-more - the child pressed one more story
 */
@customElement("yss-child-sleep")
export class YssChildSleep extends LitElement {
  @property({attribute: false}) shelf?: ChildShelf;
  /** A press is on its way. */
  @property({type: Boolean}) asking = false;

  // The page's pictures and buttons, inside the page's own padding (not a second page's).
  static override styles = [
    childStyles,
    css`
      :host {
        padding: 0;
        min-height: 0;
      }
      .moon {
        background: none;
        border: none;
        color: inherit;
        padding: 0;
        border-radius: 50%;
      }
      button.moon {
        cursor: pointer;
      }
      .moon.playing {
        filter: drop-shadow(0 0 18px #f4f1de);
      }
    `,
  ];

  override render() {
    const sleep = this.shelf?.sleep;
    if (!sleep) return nothing;
    const time = `${sleep.hour}:${String(sleep.minute).padStart(2, "0")}`;
    const ask = this.shelf?.ask;
    return html`<section class="picture" aria-label="Sleeping until ${time}">
      ${this.#moon(sleep.sound)}
      ${clockFace(sleep.hour, sleep.minute)}
      <div class="big" aria-hidden="true">${time}</div>
      ${this.#button(ask?.state ?? "none")}
    </section>`;
  }

  #button(state: string) {
    if (state === "waiting" || this.asking)
      return html`<button class="round huge" disabled aria-label="Asked for one more story: waiting">${mdi(mdiTimerSand, 88)}</button>`;
    if (state === "allowed")
      return html`<div class="round huge" role="img" aria-label="Yes, one more story">${mdi(mdiCheck, 88)}</div>`;
    // Not tonight, or none left today: no button to press, the moon says it.
    if (state === "not_tonight" || state === "cap") return nothing;
    return html`<button class="round huge" aria-label="One more story" @click=${this.#ask}>${mdi(mdiBookPlus, 88)}</button>`;
  }

  /** The moon: a button that plays the child's sleep sound when there is one to play, else a picture. */
  #moon(sound: "ready" | "playing" | "used" | null) {
    if (sound === "ready" && !this.asking)
      return html`<button class="moon" aria-label="Sleep sound" data-testid="moon" @click=${this.#sleep}>${mdi(mdiWeatherNight, 140)}</button>`;
    const playing = sound === "playing";
    return html`<div class=${playing ? "moon playing" : "moon"} role="img" data-testid="moon"
      aria-label=${playing ? "Sleep sound playing" : "Night"}>${mdi(mdiWeatherNight, 140)}</div>`;
  }

  #sleep() {
    this.dispatchEvent(new CustomEvent("sleep-sound", {bubbles: true, composed: true}));
  }

  #ask() {
    this.dispatchEvent(new CustomEvent("ask-more", {bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-child-sleep": YssChildSleep;
  }
}
