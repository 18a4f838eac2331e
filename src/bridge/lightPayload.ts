import {badRequest} from "../core/errors.js";
import {readColour} from "../yoto/settings.js";

/**
 * The night light has one colour and no separate brightness, so brightness is folded into the
 * colour (as Home Assistant's own Yoto integration does): a colour reads as its full-brightness
 * RGB and a brightness equal to its brightest channel, and a change scales the RGB back down.
 */
export interface LightView {
  state: "on" | "off";
  /** Full-brightness channels; null while off (Home Assistant then shows no colour). */
  r: number | null;
  g: number | null;
  b: number | null;
  /** 1–255 while on, 0 while off. */
  brightness: number;
}

export interface LightCommand {
  on: boolean;
  rgb?: [number, number, number];
  brightness?: number;
}

/** "#rrggbb", "0xrrggbb", "off", "#0" or nothing → what the light entity shows. */
export function lightView(colour: string | null | undefined): LightView {
  const hex = readColour(colour);
  if (!hex) return {state: "off", r: null, g: null, b: null, brightness: 0};
  const channels = rgbOf(hex);
  const top = Math.max(...channels);
  const [r, g, b] = channels.map((c) => Math.round((c * 255) / top)) as [number, number, number];
  return {state: "on", r, g, b, brightness: top};
}

/**
 * The colour to set: the command's RGB (or the light's own, or white when it has none) at the
 * command's brightness (or the light's own); null is off.
 */
export function nextColour(current: string | null | undefined, command: LightCommand): string | null {
  if (!command.on) return null;
  const view = lightView(current);
  const rgb = command.rgb ?? (view.state === "on" ? [view.r, view.g, view.b] : [255, 255, 255]);
  const brightness = command.brightness ?? (view.state === "on" ? view.brightness : 255);
  const scaled = (rgb as number[]).map((c) => Math.round(((c ?? 0) * brightness) / 255));
  if (scaled.every((c) => c === 0)) return null;
  return `#${scaled.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * What Home Assistant's light sends (our `command_on_template`/`command_off_template` render
 * `{"state": "on", "r": …, "g": …, "b": …, "brightness": …}`); also a plain "ON"/"OFF", or a
 * colour such as "#ff8800" for people and scripts.
 */
export function parseLightCommand(key: string, value: unknown): LightCommand {
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "on" || text === "off") return {on: text === "on"};
    if (/^#[0-9a-f]{6}$/.test(text)) {
      const hex = readColour(text);
      return hex ? {on: true, rgb: rgbOf(hex), brightness: 255} : {on: false};
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw wrongLight(key, value);
  const v = value as Record<string, unknown>;
  const state = typeof v.state === "string" ? v.state.toLowerCase() : undefined;
  if (state !== "on" && state !== "off") throw wrongLight(key, value);
  const out: LightCommand = {on: state === "on"};
  const channels = [v.r, v.g, v.b];
  if (channels.some((c) => c !== undefined)) {
    if (!channels.every(isByte)) throw wrongLight(key, value);
    out.rgb = channels.map((c) => Math.round(c as number)) as [number, number, number];
  }
  if (v.brightness !== undefined) {
    if (!isByte(v.brightness)) throw wrongLight(key, value);
    out.brightness = Math.round(v.brightness as number);
  }
  return out;
}

function isByte(c: unknown): boolean {
  return typeof c === "number" && Number.isFinite(c) && c >= 0 && c <= 255;
}

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function wrongLight(key: string, got: unknown) {
  return badRequest(
    `'${key}' must be ON, OFF, a colour like "#ff8800", or {"state": "on", "r": 0–255, "g": 0–255, "b": 0–255, "brightness": 0–255} (got ${JSON.stringify(got)})`,
    "invalid_payload",
  );
}
