import {afterEach, describe, expect, it} from "vitest";
import {nextTimeOfDay, offsetAt, processTimeZone, wallClock} from "../../../src/core/time/zoned.js";

// Offsets in the process's own zone come from Date's local time, others from Intl: they must agree
// at every quarter hour of a year, across DST changes (a half-hour one included).
const ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo"];
const YEAR_START = Date.UTC(2026, 0, 1);
const QUARTER_HOUR = 900_000;

const formats = new Map<string, Intl.DateTimeFormat>();
function intlOffset(at: number, timeZone: string): number {
  const format =
    formats.get(timeZone) ??
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  formats.set(timeZone, format);
  const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year as number, (p.month as number) - 1, p.day, p.hour, p.minute, p.second) - at;
}

describe("the process's own time zone", () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  it.each(ZONES)("gives the same offsets as Intl through a year in %s", (zone) => {
    process.env.TZ = zone;
    expect(processTimeZone()).toBe(zone);
    const mismatches: string[] = [];
    for (let at = YEAR_START; at < YEAR_START + 366 * 86_400_000; at += QUARTER_HOUR) {
      const expected = intlOffset(at, zone);
      const got = offsetAt(at, zone);
      if (got !== expected) mismatches.push(`${new Date(at).toISOString()}: ${got} ≠ ${expected}`);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it("places a rule's time across the spring change in London as another zone's Intl does", () => {
    process.env.TZ = "Europe/London";
    // 01:30 does not happen on 29 March 2026 in London: the rule runs when the clocks jump, at 01:00 UTC.
    const before = Date.UTC(2026, 2, 28, 12);
    expect(new Date(nextTimeOfDay(5400, before, "Europe/London")).toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(wallClock(Date.UTC(2026, 6, 1, 18), "Europe/London")).toMatchObject({hour: 19, minute: 0});
  });

  it("reads a TZ written with a leading colon as the zone it names", () => {
    process.env.TZ = ":Asia/Kolkata";
    expect(processTimeZone()).toBe("Asia/Kolkata");
  });
});
