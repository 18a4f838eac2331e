import type {SimConfig} from "./deviceConfig.js";

/**
 * A player's wall clock, which decides day or night mode. Its formatter is made again only when
 * the timezone changes: building an Intl formatter takes about a millisecond, and `isDay` is read
 * with every event.
 */
export class PlayerClock {
  #formatFor?: {zone: string; format: Intl.DateTimeFormat | undefined};

  /** Day mode between the config's `dayTime` and `nightTime`, on the player's clock (its timezone). */
  isDay(config: SimConfig): boolean {
    const now = minutesOfDay(new Date(), this.#format(config));
    const day = hhmmMinutes(config.dayTime);
    const night = hhmmMinutes(config.nightTime);
    if (day === undefined || night === undefined || day === night) return true;
    return day < night ? now >= day && now < night : now >= day || now < night;
  }

  #format(config: SimConfig): Intl.DateTimeFormat | undefined {
    const zone = String(config.timezone || "UTC");
    if (this.#formatFor?.zone !== zone) this.#formatFor = {zone, format: clockFormat(zone)};
    return this.#formatFor.format;
  }
}

function hhmmMinutes(value: unknown): number | undefined {
  const m = typeof value === "string" ? /^(\d{2}):(\d{2})$/.exec(value) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** A formatter for hours and minutes in `timeZone`, or undefined for a zone Intl does not know (UTC then). */
function clockFormat(timeZone: string): Intl.DateTimeFormat | undefined {
  try {
    return new Intl.DateTimeFormat("en-GB", {timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  } catch {
    return undefined;
  }
}

function minutesOfDay(at: Date, clock: Intl.DateTimeFormat | undefined): number {
  if (!clock) return at.getUTCHours() * 60 + at.getUTCMinutes();
  const parts = clock.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}
