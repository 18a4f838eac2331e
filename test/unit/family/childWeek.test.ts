import {describe, expect, it} from "vitest";
import {childWeek} from "../../../src/family/childWeek.js";
import {iso, RAIN_BEFORE_MIDNIGHT, RAIN_OVER_THE_CHANGE, weekOverTheChange} from "../../helpers/weekOverTheChange.js";

describe("a child's week", () => {
  it("counts minutes by the calendar day, refusals, asks and wakes by the night, over midnight and the hour the clocks go back", () => {
    const week = childWeek(weekOverTheChange());
    const rainBeforeMidnight = RAIN_BEFORE_MIDNIGHT;
    const rainOverTheChange = RAIN_OVER_THE_CHANGE;
    expect([week.from, week.to, week.days.map((d) => d.date)]).toEqual([
      "2027-10-26",
      "2027-11-01",
      ["2027-10-26", "2027-10-27", "2027-10-28", "2027-10-29", "2027-10-30", "2027-10-31", "2027-11-01"],
    ]);
    const [saturday, sunday] = week.days.slice(4, 6);
    expect(saturday).toEqual({
      date: "2027-10-30",
      weekday: "sat",
      minutes: 80,
      budget: 90,
      top: [
        {title: "The Gruffalo", minutes: 40},
        {title: "Songs", minutes: 20},
      ],
      refusals: 2,
      asks: 1,
      night: {
        wakes: [
          {at: iso(rainBeforeMidnight.startedAt), reason: "Mia is up", sound: "Rain", minutes: 40},
          {at: iso(rainOverTheChange.startedAt), reason: "crying", sound: "Rain", minutes: 60},
        ],
        sleep_minutes: 100,
      },
    });
    expect(sunday).toEqual({
      date: "2027-10-31",
      weekday: "sun",
      minutes: 45,
      budget: 60,
      top: [{title: "The Gruffalo", minutes: 45}],
      refusals: 1,
      asks: 0,
      night: {wakes: [], sleep_minutes: 0},
    });
    expect(week.days[0]).toMatchObject({minutes: 0, top: [], refusals: 0, night: {wakes: []}});
    expect([week.minutes, week.top]).toEqual([
      125,
      [
        {title: "The Gruffalo", minutes: 85},
        {title: "Songs", minutes: 20},
      ],
    ]);
  });
});
