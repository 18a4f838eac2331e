import {processTimeZone} from "../core/time/zoned.js";

/** The zone the service keeps its clock in, and what is wrong with the one it was given, if anything. */
export interface ZoneInUse {
  zone: string;
  problem?: string;
}

/**
 * The time zone for quiet hours, bedtimes, rules and the day's listening: `asked` (an app option),
 * else `TZ` (Home Assistant passes its own), else the system's. A `TZ` that names no zone
 * (`Mars/Olympus`, a typo, a POSIX rule such as `CET-1CEST`) makes Node keep time in UTC without a
 * word, and every bedtime hours off; that is said once here, and the zone used is then "UTC" by
 * name, so what the panel and the API show is what runs.
 */
export function zoneInUse(asked: string | undefined, env: string | undefined = process.env.TZ): ZoneInUse {
  if (asked !== undefined)
    return isZone(asked)
      ? {zone: asked}
      : {zone: "UTC", problem: `The time zone '${asked}' is not one this system knows: times are kept in UTC.`};
  const zone = env ? env.replace(/^:/, "") : processTimeZone();
  // Only a TZ that left the process at UTC can be a wrong one; asking Intl costs ~8 MB, so only then.
  if (!env || new Date().getTimezoneOffset() !== 0 || isZone(zone)) return {zone};
  return {
    zone: "UTC",
    problem: `TZ is '${env}', which is not a time zone this system knows: quiet hours, bedtimes, rules and the day's listening minutes run in UTC. Set TZ to a zone name such as Europe/London or America/New_York (the add-on takes Home Assistant's: Settings → System → General → Time zone) and restart.`,
  };
}

function isZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", {timeZone: name});
    return true;
  } catch {
    return false;
  }
}
