import type {PlayerState} from "../../yoto/playerModel.js";
import {compileValue} from "../expressions.js";
import type {CompiledTrigger, EventSource, RunContext} from "../types.js";

/** A rule option that may hold `{{ }}`, read at run time with the run's scope. */
export function option<T>(value: T): (run: RunContext) => T {
  const compiled = compileValue(value);
  return (run) => compiled(run.scope());
}

/** `"00:05:00"`, `300`, or `{hours, minutes, seconds, milliseconds}` → milliseconds. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === "number" && value >= 0) return value * 1000;
  if (typeof value === "string") {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
    const match = /^(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$/.exec(value.trim());
    if (!match) return undefined;
    // "HH:MM" or "HH:MM:SS", as Home Assistant reads them.
    return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3] ?? 0)) * 1000;
  }
  if (value && typeof value === "object") {
    const d = value as Record<string, unknown>;
    const n = (k: string) => Number(d[k] ?? 0);
    const ms = (((n("days") * 24 + n("hours")) * 60 + n("minutes")) * 60 + n("seconds")) * 1000 + n("milliseconds");
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  }
  return undefined;
}

export const DURATION_SCHEMA = {type: ["string", "number", "object"]};

/** Player attributes rules can name, and how to read each from the normalised model. */
export const PLAYER_ATTRIBUTES: Record<string, (p: PlayerState) => unknown> = {
  playback: (p) => p.playback.status,
  online: (p) => p.online,
  card: (p) => p.playback.cardId ?? "none",
  chapter: (p) => p.playback.chapterKey,
  track: (p) => p.playback.trackKey,
  volume: (p) => p.volume.level,
  volume_percent: (p) => p.volume.percent,
  battery: (p) => p.battery,
  charging: (p) => p.charging,
  sleep_timer: (p) => p.sleepTimer.active,
  headphones: (p) => p.headphones,
  day_mode: (p) => p.dayMode,
  temperature: (p) => p.temperature,
};

/** The key player events are dispatched under: the id, and the name in lower case. */
export function playerKey(name: string | undefined): string {
  return name === undefined ? "*" : name.toLowerCase();
}

export function samePlayer(p: PlayerState, wanted: string | undefined): boolean {
  return wanted === undefined || p.id === wanted || p.name.toLowerCase() === wanted.toLowerCase();
}

export function oneOrMany(value: unknown): unknown[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}

export function matchesValue(actual: unknown, wanted: unknown[] | undefined): boolean {
  return wanted === undefined || wanted.some((w) => w === actual || String(w) === String(actual));
}

/**
 * A trigger fed by one indexed event source: subscribe under `key`, and fire with what `accept`
 * makes of an event (undefined = not for this trigger).
 */
export function eventTrigger(
  source: EventSource,
  key: string,
  accept: (event: Record<string, unknown>) => Record<string, unknown> | undefined,
): CompiledTrigger {
  return {
    attach: (host, fire) =>
      host.subscribe(source, key, (event) => {
        const data = accept(event);
        if (data) fire(data);
      }),
  };
}
