import {
  mdiBattery,
  mdiBattery20,
  mdiBattery50,
  mdiBatteryCharging,
  mdiLightbulb,
  mdiSleep,
  mdiThermometer,
} from "@mdi/js";
import {html, nothing} from "lit";
import type {PlayerState} from "../data/players.js";
import {duration} from "./format.js";
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

/** Battery, temperature, night light and sleep timer as a row of small readings, HA tile style. */
export function renderReadings(p: PlayerState) {
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
      p.sleepTimer.active
        ? html`<li data-testid="sleep-timer" title="Sleep timer">${mdi(mdiSleep, 18)} ${duration(p.sleepTimer.secondsRemaining)}</li>`
        : nothing
    }
  </ul>`;
}
