import {describe, expect, it} from "vitest";
import {nextTimeOfDay, parseTimeOfDay, wallClock, zonedInstant} from "../../../src/core/time/zoned.js";

// Quiet hours (`player.quiet`, POST /api/players/<player>/quiet) end at the next "until" on the
// wall clock of the rules' zone: parseTimeOfDay reads it, nextTimeOfDay places it.
const LONDON = "Europe/London";
const iso = (epoch: number) => new Date(epoch).toISOString();
/** When quiet hours set at `now` (epoch ms) until `until` end, in London. */
const quietUntil = (until: string, now: number) => iso(nextTimeOfDay(parseTimeOfDay(until) as number, now, LONDON));

describe("a time of day", () => {
  it("reads HH:MM and HH:MM:SS as seconds of the day", () => {
    expect(parseTimeOfDay("07:00")).toBe(25_200);
    expect(parseTimeOfDay("7:05")).toBe(25_500);
    expect(parseTimeOfDay("00:00")).toBe(0);
    expect(parseTimeOfDay("23:59:59")).toBe(86_399);
    expect(parseTimeOfDay(" 21:30 ")).toBe(77_400);
    expect(parseTimeOfDay("06:30:15")).toBe(23_415);
  });

  it("is not one outside the clock or written otherwise", () => {
    for (const text of [
      "24:00",
      "12:60",
      "12:00:60",
      "7",
      "07:0",
      "123:00",
      "",
      "7pm",
      "07:00:00:00",
      "-1:00",
      "07.00",
    ])
      expect(parseTimeOfDay(text)).toBeUndefined();
  });
});

describe("when quiet hours end", () => {
  it("is the next morning when set in the evening, in winter and in summer", () => {
    expect(quietUntil("07:00", Date.UTC(2026, 0, 10, 19, 30))).toBe("2026-01-11T07:00:00.000Z");
    // 19:00 BST; 07:00 BST is 06:00 UTC.
    expect(quietUntil("07:00", Date.UTC(2026, 6, 1, 18))).toBe("2026-07-02T06:00:00.000Z");
  });

  it("is later the same day when that time is still to come", () => {
    expect(quietUntil("07:00", Date.UTC(2026, 6, 2, 4))).toBe("2026-07-02T06:00:00.000Z");
    expect(quietUntil("18:30", Date.UTC(2026, 0, 10, 9))).toBe("2026-01-10T18:30:00.000Z");
  });

  it("is a day later when set at that very time", () => {
    expect(quietUntil("07:00", Date.UTC(2026, 6, 2, 6))).toBe("2026-07-03T06:00:00.000Z");
    expect(quietUntil("07:00", Date.UTC(2026, 6, 2, 6, 0, 1))).toBe("2026-07-03T06:00:00.000Z");
  });

  it("crosses midnight", () => {
    expect(quietUntil("00:00", Date.UTC(2026, 0, 10, 23, 59, 30))).toBe("2026-01-11T00:00:00.000Z");
    expect(quietUntil("00:15", Date.UTC(2026, 0, 10, 23, 50))).toBe("2026-01-11T00:15:00.000Z");
    // 23:50 BST on 30 June is 22:50 UTC; 00:15 BST on 1 July is 23:15 UTC on 30 June.
    expect(quietUntil("00:15", Date.UTC(2026, 5, 30, 22, 50))).toBe("2026-06-30T23:15:00.000Z");
    expect(quietUntil("23:59:59", Date.UTC(2026, 0, 10, 23, 59, 59))).toBe("2026-01-11T23:59:59.000Z");
  });
});

describe("quiet hours across the spring change in London (29 March 2026, 01:00 GMT becomes 02:00 BST)", () => {
  const evening = Date.UTC(2026, 2, 28, 20);

  it("makes the night an hour shorter", () => {
    expect(quietUntil("07:00", evening)).toBe("2026-03-29T06:00:00.000Z");
    expect(quietUntil("00:59", evening)).toBe("2026-03-29T00:59:00.000Z");
  });

  it("ends a time the clocks skip when they jump past it", () => {
    for (const until of ["01:00", "01:30", "01:59:59", "02:00"])
      expect(quietUntil(until, evening)).toBe("2026-03-29T01:00:00.000Z");
    expect(quietUntil("02:01", evening)).toBe("2026-03-29T01:01:00.000Z");
  });

  it("goes on to the next day's time once the jump has passed", () => {
    expect(quietUntil("01:30", Date.UTC(2026, 2, 29, 1))).toBe("2026-03-30T00:30:00.000Z");
  });
});

describe("quiet hours across the autumn change in London (25 October 2026, 02:00 BST becomes 01:00 GMT)", () => {
  const evening = Date.UTC(2026, 9, 24, 19);

  it("makes the night an hour longer", () => {
    // 20:00 BST to 07:00 GMT: twelve hours.
    expect(quietUntil("07:00", evening)).toBe("2026-10-25T07:00:00.000Z");
  });

  it("ends a time that happens twice at the first", () => {
    expect(quietUntil("01:30", evening)).toBe("2026-10-25T00:30:00.000Z");
    expect(wallClock(Date.UTC(2026, 9, 25, 0, 30), LONDON)).toMatchObject({day: 25, hour: 1, minute: 30});
    expect(wallClock(Date.UTC(2026, 9, 25, 1, 30), LONDON)).toMatchObject({day: 25, hour: 1, minute: 30});
  });

  it("counts that time once a day: after the first, the next is the following night's", () => {
    expect(quietUntil("01:30", Date.UTC(2026, 9, 25, 0, 30))).toBe("2026-10-26T01:30:00.000Z");
  });
});

describe("other zones", () => {
  it("follows New York's change at 02:00 and India's half-hour offset", () => {
    // 8 March 2026: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    const nyEvening = Date.UTC(2026, 2, 8, 3);
    expect(iso(nextTimeOfDay(parseTimeOfDay("02:30") as number, nyEvening, "America/New_York"))).toBe(
      "2026-03-08T07:00:00.000Z",
    );
    expect(iso(nextTimeOfDay(parseTimeOfDay("07:00") as number, nyEvening, "America/New_York"))).toBe(
      "2026-03-08T11:00:00.000Z",
    );
    // 05:30 IST; 07:00 IST is 01:30 UTC.
    expect(iso(nextTimeOfDay(25_200, Date.UTC(2026, 0, 1), "Asia/Kolkata"))).toBe("2026-01-01T01:30:00.000Z");
  });

  it("places a wall-clock time on a date, weekday included", () => {
    expect(zonedInstant(2026, 3, 29, 5400, LONDON)).toBe(Date.UTC(2026, 2, 29, 1));
    expect(zonedInstant(2026, 10, 25, 5400, LONDON)).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(zonedInstant(2026, 12, 31, 86_399, LONDON)).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
    expect(wallClock(Date.UTC(2026, 2, 29, 1), LONDON)).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      hour: 2,
      minute: 0,
      second: 0,
      weekday: 0,
    });
  });
});
