import {
  mdiBattery,
  mdiBattery20,
  mdiBattery50,
  mdiBatteryCharging,
  mdiLightbulb,
  mdiSleep,
  mdiThermometer,
  mdiVolumeHigh,
  mdiVolumeOff,
} from "@mdi/js";
import {html, nothing} from "lit";
import type {PlayerState, QuietView} from "../data/players.js";
import {untilLabel} from "./family-time.js";
import {duration, sleepIn} from "./format.js";
import {nightLightColour, powerSourceLabel} from "./labels.js";
import {mdi} from "./mdi.js";

/**
 * The track's progress: a bar with the position and the length under it; a stream has no length,
 * so only how far in it is. `position` is the player's last report moved on by the time since.
 */
export function renderProgress(pb: PlayerState["playback"], position: number | undefined) {
  if (!pb.cardId || position === undefined) return nothing;
  if (!pb.trackLength)
    return html`<div class="progress-text small muted" data-testid="position">${duration(position)} in</div>`;
  const fraction = Math.min(1, Math.max(0, position / pb.trackLength));
  return html`<div class="progress" role="progressbar" aria-label="Position" aria-valuemin="0"
      aria-valuemax=${Math.round(pb.trackLength)} aria-valuenow=${Math.round(position)}
      aria-valuetext="${duration(position)} of ${duration(pb.trackLength)}">
      <div class="fill" style="width: ${(fraction * 100).toFixed(2)}%"></div>
    </div>
    <div class="progress-text small muted" data-testid="progress">
      <span>${duration(position)}</span><span>${duration(pb.trackLength)}</span>
    </div>`;
}

/**
 * Battery, temperature, night light and sleep timer as a row of small readings, HA tile style.
 * `sleepLeft` is the sleep timer's seconds left now, given only while the player plays: a stopped
 * player has nothing to stop, so a timer still set on it is not shown.
 */
export function renderReadings(p: PlayerState, sleepLeft?: number) {
  const light = nightLightColour(p.nightlight);
  const charging = p.charging === true;
  const power = p.powerSource && p.powerSource !== "battery" ? powerSourceLabel(p.powerSource) : undefined;
  return html`<ul class="plain readings small" aria-label="Readings">
    ${
      p.battery === undefined
        ? nothing
        : html`<li data-testid="battery" title=${charging ? "Charging" : "Battery"}>
          ${mdi(charging ? mdiBatteryCharging : p.battery > 60 ? mdiBattery : p.battery > 25 ? mdiBattery50 : mdiBattery20, 18)}
          ${p.battery}%${charging ? " · Charging" : ""}${power ? ` · ${power}` : ""}</li>`
    }
    ${
      p.temperature === undefined
        ? nothing
        : html`<li data-testid="temperature" title="Room temperature">${mdi(mdiThermometer, 18)} ${p.temperature} °C</li>`
    }
    ${
      p.nightlight === undefined
        ? nothing
        : html`<li data-testid="night-light" title="Night light">${mdi(mdiLightbulb, 18)}
          ${
            light
              ? html`<span class="swatch" style="background: ${light}" role="img" aria-label="Night light colour ${light}"></span>`
              : html`<span>Night light off</span>`
          }</li>`
    }
    ${
      sleepLeft === undefined
        ? nothing
        : html`<li data-testid="sleep-timer" title="Sleep timer">${mdi(mdiSleep, 18)} ${sleepIn(sleepLeft)}</li>`
    }
  </ul>`;
}

/**
 * Quiet hours on a player: a chip saying until when ("tomorrow 7:00 AM" on the family's clock,
 * `timeZone`), and "End now". Over but not undone yet (the player is offline), the chip says so
 * and why, and the button stays for trying again.
 */
export function renderQuiet(quiet: QuietView | undefined, onEnd: () => void, timeZone?: string) {
  if (!quiet) return nothing;
  return html`<div class="quiet row" role="group" aria-label="Quiet hours" data-testid="quiet">
    <span class="chip" data-testid="quiet-chip" title=${quiet.waiting ?? `Max volume 0 until then; day ${quiet.restore.dayMaxVolume} and night ${quiet.restore.nightMaxVolume} of 16 come back`}>
      ${mdi(mdiVolumeOff, 16)} ${quiet.waiting ? "Quiet hours over" : `Quiet until ${untilLabel(quiet.until, timeZone)}`}
    </span>
    <button class="quiet-end" @click=${onEnd}>${mdi(mdiVolumeHigh, 18)} End now</button>
    ${quiet.waiting ? html`<span class="small muted" data-testid="quiet-waiting">Volume not back yet: ${quiet.waiting}</span>` : nothing}
  </div>`;
}
