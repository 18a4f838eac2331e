import {describe, expect, it} from "vitest";
import {readBonusAsk} from "../../../src/family/bonuses.js";
import {checkChildName} from "../../../src/family/childNames.js";
import {checkChildPlan, type PlanChecks} from "../../../src/family/childPlan.js";

const checks: PlanChecks = {
  playerId: (name) => ({"Bedroom Mini": "mini", "Car Mini": "car", mini: "mini"})[name],
  playerNames: () => ["Bedroom Mini", "Car Mini"],
  ownerOf: (id) => (id === "car" ? "Leo" : undefined),
  streamExists: (name) => name === "Bedtime",
  streamNames: () => ["Bedtime", "Morning"],
  today: "2026-11-23",
};
const check = (body: Record<string, unknown>) => checkChildPlan("Mia", {players: ["Bedroom Mini"], ...body}, checks);
const refusal = (body: Record<string, unknown>) => {
  try {
    check(body);
  } catch (err) {
    return (err as Error).message;
  }
  return "accepted";
};

describe("checking a child's plan", () => {
  it("names every mistake at once, each day and each part on its own, so one save mends them all", () => {
    expect(
      refusal({
        colour: "blue",
        budget: {minutes: 2000},
        schedule: {
          mon: {bedtime: "7pm", wake: "07:00"},
          tue: {bedtime: "19:30", wake: "19:30"},
          fri: {bedtime: "19:30", wake: "07:00"},
        },
        bonus: {daily_cap: 99},
      }),
    ).toBe(
      "5 mistakes in the plan: 'colour' is not a field of a child's plan; the fields are players, shared_players, age, budget, schedule, overrides, bedtime, morning_volume, bonus, warning, not_tonight, shelf, sleep (got \"blue\"); " +
        "'budget.minutes' must be a whole number of minutes a day from 0 to 1440 (got 2000); " +
        '\'schedule.mon.bedtime\' must be a time of day such as "19:30" (HH:MM) (got "7pm"); ' +
        '\'schedule.tue\' needs a wake time other than its bedtime: quiet from and until the same minute is no quiet (got {"bedtime":"19:30","wake":"19:30"}); ' +
        "'bonus.daily_cap' must be a whole number of bonuses a day from 0 to 20 (got 99)",
    );
    // Thousands of bad keys: the first ten in full, then a count (the answer stays small).
    const flood = Object.fromEntries(Array.from({length: 3000}, (_, i) => [`k${i}`, 0]));
    const many = refusal(flood);
    expect(many.startsWith("3000 mistakes in the plan: 'k0' is not a field")).toBe(true);
    expect(many.endsWith("; … and 2990 more")).toBe(true);
    expect(many.length).toBeLessThan(3000);
    // One mistake reads as it always did.
    expect(refusal({bonus: {daily_cap: 99}})).toBe(
      "'bonus.daily_cap' must be a whole number of bonuses a day from 0 to 20 (got 99)",
    );
  });

  it("takes every field, players as ids, overrides in date order", () => {
    expect(
      check({
        age: "3-5",
        budget: {minutes: 60, weekdays: {SAT: 90}},
        schedule: {mon: {bedtime: " 19:30", wake: "07:00"}},
        overrides: [
          {date: "2026-12-24", bedtime: "21:00", wake: "09:00", note: "Christmas Eve"},
          {date: "2026-11-28", quiet: false},
        ],
        bedtime: {transition: {stream: "Bedtime", minutes_before: 20}, wind_down: {minutes: 10, volume: 3}},
        morning_volume: 6,
        bonus: {minutes: 20, daily_cap: 2},
        warning: {minutes: 5, say: "Five more minutes."},
        not_tonight: {say: "Sleep well."},
      }),
    ).toEqual({
      players: ["mini"],
      age: "3-5",
      budget: {minutes: 60, weekdays: {sat: 90}},
      schedule: {mon: {bedtime: "19:30", wake: "07:00"}},
      overrides: [
        {date: "2026-11-28", quiet: false},
        {date: "2026-12-24", bedtime: "21:00", wake: "09:00", note: "Christmas Eve"},
      ],
      bedtime: {transition: {stream: "Bedtime", minutes_before: 20}, wind_down: {minutes: 10, volume: 3}},
      morning_volume: 6,
      bonus: {minutes: 20, daily_cap: 2},
      warning: {minutes: 5, say: "Five more minutes."},
      not_tonight: {say: "Sleep well."},
    });
    expect(
      check({bedtime: {transition: {card: "Gruffalo", minutes_before: 5}}, not_tonight: {}, bonus: {}, warning: {}}),
    ).toMatchObject({
      bedtime: {transition: {card: "Gruffalo", minutes_before: 5}},
      not_tonight: {},
    });
    // Left grey in the panel: the placeholder's 20 minutes, not "minutes_before … (got undefined)".
    expect(check({bedtime: {transition: {stream: "Bedtime"}}}).bedtime).toEqual({
      transition: {stream: "Bedtime", minutes_before: 20},
    });
  });

  it("names the field and echoes the value of every mistake", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        {players: ["Car Mini"]},
        `'players[0]' already belongs to Leo: a player belongs to one child at a time (take it off Leo first, or make it shared) (got "Car Mini")`,
      ],
      [{players: ["Bedroom Mini", "mini"]}, `'players[1]' is listed twice (got "mini")`],
      [{players: "Bedroom Mini"}, `'players' must be a list of player names (got "Bedroom Mini")`],
      [{players: [3]}, "'players[0]' must be a player's name or id (got 3)"],
      [{shared_players: ["Bedroom Mini"]}, `'shared_players[0]' is listed twice (got "Bedroom Mini")`],
      [{age: "5-3"}, `'age' must be an age band in years such as "3-5" (from 0 to 18) (got "5-3")`],
      [{age: 4}, `'age' must be an age band in years such as "3-5" (from 0 to 18) (got 4)`],
      [{budget: 60}, "'budget' must be an object with 'minutes', 'weekdays' (got 60)"],
      [
        {budget: {minutes: 60, daily: 5}},
        "'budget.daily' is not a field here; the fields are minutes, weekdays (got 5)",
      ],
      [
        {budget: {minutes: 60, weekdays: {sat: 1.5}}},
        "'budget.weekdays.sat' must be a whole number of minutes a day from 0 to 1440 (got 1.5)",
      ],
      [
        {budget: {minutes: 60, weekdays: []}},
        "'budget.weekdays' must be an object keyed by weekday (sun, mon, tue, wed, thu, fri, sat) (got [])",
      ],
      [{overrides: {}}, "'overrides' must be a list of at most 366 dates (got {})"],
      [
        {overrides: [{date: "2026-02-30", quiet: false}]},
        `'overrides[0].date' must be a date, YYYY-MM-DD (the evening it applies to) (got "2026-02-30")`,
      ],
      [
        {overrides: [{date: "2026-12-01", quiet: true}]},
        "'overrides[0].quiet' can only be false (no quiet that night) (got true)",
      ],
      [
        {overrides: [{date: "2026-12-01", quiet: false, bedtime: "20:00"}]},
        "'overrides[0]' gives either quiet: false or other bedtime and wake times, not both",
      ],
      [
        {
          overrides: [
            {date: "2026-12-01", quiet: false},
            {date: "2026-12-01", quiet: false},
          ],
        },
        `'overrides[1].date' is given twice (got "2026-12-01")`,
      ],
      [
        {overrides: [{date: "2026-12-01", quiet: false, note: ""}]},
        "'overrides[0].note' must be a sentence to speak, at most 300 characters",
      ],
      [
        {bedtime: {transition: {minutes_before: 5}}},
        "'bedtime.transition' names one 'card' (an id or a title) or one 'stream' to play",
      ],
      [
        {bedtime: {transition: {stream: "Nope", minutes_before: 5}}},
        `'bedtime.transition.stream' names no stream (make it in the Streams view first) (got "Nope")`,
      ],
      [
        {bedtime: {transition: {stream: "bedtme", minutes_before: 5}}},
        `'bedtime.transition.stream' names no stream: did you mean 'Bedtime'? (or make it in the Streams view first) (got "bedtme")`,
      ],
      [
        {bedtime: {transition: {card: "", minutes_before: 5}}},
        `'bedtime.transition.card' must be a card id or a card's exact title (got "")`,
      ],
      [
        {bedtime: {transition: {card: "x", minutes_before: 0}}},
        "'bedtime.transition.minutes_before' must be a whole number of minutes from 1 to 180 (got 0)",
      ],
      [
        {bedtime: {wind_down: {minutes: 10, volume: 17}}},
        "'bedtime.wind_down.volume' must be a whole number of volume steps from 0 to 16 (got 17)",
      ],
      [
        {bedtime: {lights: true}},
        "'bedtime.lights' is not a field here; the fields are transition, wind_down (got true)",
      ],
      [{bonus: {minutes: 0}}, "'bonus.minutes' must be a whole number of minutes from 1 to 240 (got 0)"],
      [{bonus: {daily_cap: 21}}, "'bonus.daily_cap' must be a whole number of bonuses a day from 0 to 20 (got 21)"],
      [{warning: {minutes: 121}}, "'warning.minutes' must be a whole number of minutes from 1 to 120 (got 121)"],
      [{warning: {say: 5}}, "'warning.say' must be a sentence to speak, at most 300 characters (got 5)"],
      [{not_tonight: {say: "x".repeat(301)}}, "'not_tonight.say' must be a sentence to speak, at most 300 characters"],
      [
        {warning: {say: "Five {{ more"}},
        `'warning.say' must be plain words to speak: '{{' and '}}' are not spoken (leave them out) (got "Five {{ more")`,
      ],
      [
        {schedule: {mon: {bedtime: "19:30"}}},
        "'schedule.mon.wake' must be a time of day such as \"19:30\" (HH:MM) (got undefined)",
      ],
    ];
    for (const [body, message] of cases) expect(refusal(body), JSON.stringify(body)).toContain(message);
  });

  it("checks a child's name and a bonus's body", () => {
    expect(checkChildName(" Zoë-Ann ")).toBe("Zoë-Ann");
    expect(() => checkChildName("-x")).toThrow("A child's name is 1–40 letters");
    expect(readBonusAsk({})).toEqual({});
    expect(readBonusAsk({until: "end_of_track"})).toEqual({endOfTrack: true});
    expect(readBonusAsk({minutes: 30})).toEqual({minutes: 30});
    expect(() => readBonusAsk({until: "midnight"})).toThrow(
      `'until' can only be "end_of_track", without 'minutes' (got "midnight")`,
    );
    expect(() => readBonusAsk({hours: 1})).toThrow(
      `'hours' is not a field of a bonus: send {"minutes": 15} or {"until": "end_of_track"}`,
    );
  });
});
