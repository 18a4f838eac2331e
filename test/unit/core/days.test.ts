import {describe, expect, it} from "vitest";
import {addByDay, Days, FIRST_DATE, LAST_DATE} from "../../../src/core/time/days.js";

const HOUR = 3_600_000;
const london = new Days("Europe/London");

describe("the date an instant falls on", () => {
  it("is the date on the zone's wall clock, not UTC's", () => {
    // 23:30 UTC on 30 June is 00:30 BST on 1 July; in winter London reads UTC.
    expect(london.dateOf(Date.UTC(2026, 5, 30, 23, 30))).toBe("2026-07-01");
    expect(london.dateOf(Date.UTC(2026, 0, 15, 23, 30))).toBe("2026-01-15");
    // 03:00 UTC on 1 January is 22:00 on New Year's Eve in New York (UTC-5).
    expect(new Days("America/New_York").dateOf(Date.UTC(2026, 0, 1, 3))).toBe("2025-12-31");
  });
});

describe("the start of a date", () => {
  it("is local midnight: 23:00 UTC the evening before in summer, 00:00 UTC in winter", () => {
    expect(london.startOf("2026-07-01")).toBe(Date.UTC(2026, 5, 30, 23));
    expect(london.startOf("2026-01-15")).toBe(Date.UTC(2026, 0, 15));
  });

  it("is when the clocks allow on a day with no midnight (São Paulo, 4 November 2018: 00:00 became 01:00)", () => {
    // 01:00 at UTC-2 is 03:00 UTC, the moment the clocks jumped from 00:00 at UTC-3.
    expect(new Days("America/Sao_Paulo").startOf("2018-11-04")).toBe(Date.UTC(2018, 10, 4, 3));
  });

  it("refuses text that is not a date", () => {
    expect(() => london.startOf("2026-1-5")).toThrow("not a date: '2026-1-5'");
  });
});

describe("a range of dates", () => {
  it("has a 23-hour day when the clocks go forward (29 March 2026)", () => {
    const {dates, bounds} = london.range("2026-03-28", "2026-03-30");
    expect(dates).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(bounds).toEqual([
      Date.UTC(2026, 2, 28),
      Date.UTC(2026, 2, 29),
      Date.UTC(2026, 2, 29, 23),
      Date.UTC(2026, 2, 30, 23),
    ]);
    expect(bounds.slice(1).map((b, i) => (b - (bounds[i] as number)) / HOUR)).toEqual([24, 23, 24]);
  });

  it("has a 25-hour day when the clocks go back (25 October 2026)", () => {
    const {bounds} = london.range("2026-10-25", "2026-10-25");
    expect(bounds).toEqual([Date.UTC(2026, 9, 24, 23), Date.UTC(2026, 9, 26)]);
  });

  it("is empty, with only the end's boundary, when it ends before it starts", () => {
    expect(new Days("Etc/UTC").range("2026-01-02", "2026-01-01")).toEqual({dates: [], bounds: [Date.UTC(2026, 0, 2)]});
  });
});

describe("calendar arithmetic", () => {
  it("steps over month ends, leap days and years", () => {
    expect(Days.add("2024-02-28", 1)).toBe("2024-02-29");
    expect(Days.add("2024-02-28", 2)).toBe("2024-03-01");
    expect(Days.add("2023-02-28", 1)).toBe("2023-03-01");
    expect(Days.add("2026-01-01", -1)).toBe("2025-12-31");
    expect(Days.add("2026-03-28", 2)).toBe("2026-03-30");
    expect(Days.add("2025-01-01", 365)).toBe("2026-01-01");
  });
});

describe("what is wrong with a date", () => {
  it("takes real days in range", () => {
    for (const ok of ["2024-02-29", FIRST_DATE, LAST_DATE, "2026-12-31"]) expect(Days.problem(ok)).toBeUndefined();
  });

  it("names the problem", () => {
    expect(Days.problem("2024-2-01")).toBe("format");
    expect(Days.problem(" 2024-02-01")).toBe("format");
    expect(Days.problem("2024-02-01T00:00")).toBe("format");
    expect(Days.problem("")).toBe("format");
    expect(Days.problem("2023-02-29")).toBe("no_such_day");
    expect(Days.problem("2024-04-31")).toBe("no_such_day");
    expect(Days.problem("2024-13-01")).toBe("no_such_day");
    expect(Days.problem("2024-00-10")).toBe("no_such_day");
    expect(Days.problem("1969-12-31")).toBe("out_of_range");
    expect(Days.problem("9999-01-01")).toBe("out_of_range");
  });
});

describe("splitting a stretch of time between days", () => {
  const bounds = [0, 10, 20, 30];

  it("gives each day its part, a stretch across midnight counting to both", () => {
    const into = [0, 0, 0];
    addByDay(bounds, 5, 25, into);
    expect(into).toEqual([5, 10, 5]);
    addByDay(bounds, 10, 20, into);
    expect(into).toEqual([5, 20, 5]);
  });

  it("leaves out what falls before the first day or after the last", () => {
    const into: number[] = [];
    addByDay(bounds, -5, 3, into);
    addByDay(bounds, 28, 40, into);
    addByDay(bounds, -10, -1, into);
    addByDay(bounds, 30, 50, into);
    expect(into).toEqual([3, undefined, 2]);
  });

  it("adds nothing for an empty or backwards stretch", () => {
    const into = [1, 1, 1];
    addByDay(bounds, 15, 15, into);
    addByDay(bounds, 25, 5, into);
    expect(into).toEqual([1, 1, 1]);
  });

  it("splits at the zone's midnight across the short spring night", () => {
    const {bounds: march} = london.range("2026-03-28", "2026-03-29");
    const into = [0, 0];
    // 23:30 GMT on the 28th to 03:00 BST (02:00 UTC) on the 29th: 30 minutes, then 2 hours.
    addByDay(march, Date.UTC(2026, 2, 28, 23, 30), Date.UTC(2026, 2, 29, 2), into);
    expect(into).toEqual([30 * 60_000, 2 * HOUR]);
  });
});
