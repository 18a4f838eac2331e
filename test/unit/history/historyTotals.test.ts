import {describe, expect, it} from "vitest";
import {Days} from "../../../src/core/time/days.js";
import type {DailyRow} from "../../../src/history/dailyTotals.js";
import {DailyChanges, dailyQuery, dailyRows} from "../../../src/history/dailyTotals.js";
import type {HistoryStore} from "../../../src/history/historyStore.js";
import {summarise} from "../../../src/history/queries.js";
import {heardSoFar} from "../../../src/history/sessionTracker.js";
import {TodayTally} from "../../../src/history/todayTally.js";

const MIN = 60_000;
const HOUR = 3_600_000;
const london = new Days("Europe/London");

/** What `apply` would write, as [statement kind, parameters]. */
async function writes(changes: DailyChanges): Promise<Array<[string, unknown[]]>> {
  const done: Array<[string, unknown[]]> = [];
  await changes.apply(async (sql, params) => done.push([sql.split(" ")[0] as string, params]));
  return done;
}

describe("daily totals changed by sessions", () => {
  it("counts a session across midnight to both days, by the zone's midnight", async () => {
    const changes = new DailyChanges(london);
    // 23:00 GMT on 28 March to 03:00 BST (02:00 UTC) on the 29th: 1 hour, then 2 (the clocks jumped).
    changes.add({playerId: "p1", startedAt: Date.UTC(2026, 2, 28, 23), endedAt: Date.UTC(2026, 2, 29, 2)});
    changes.add({playerId: "p2", startedAt: Date.UTC(2026, 2, 29, 9), endedAt: Date.UTC(2026, 2, 29, 9, 5)});
    expect(await writes(changes)).toEqual([
      ["INSERT", ["2026-03-28", "p1", HOUR]],
      ["INSERT", ["2026-03-29", "p1", 2 * HOUR]],
      ["INSERT", ["2026-03-29", "p2", 5 * MIN]],
    ]);
  });

  it("writes nothing for a change that cancels out, or a session of no length", async () => {
    const changes = new DailyChanges(london);
    const s = {playerId: "p1", startedAt: Date.UTC(2026, 6, 1, 12), endedAt: Date.UTC(2026, 6, 1, 13)};
    changes.add(s);
    changes.add(s, -1);
    changes.add({playerId: "p2", startedAt: s.endedAt, endedAt: s.startedAt});
    expect(await writes(changes)).toEqual([]);
  });

  it("takes a deleted session away, and deletes a day brought to nothing", async () => {
    const changes = new DailyChanges(london);
    // 23:50 to 00:10 BST: 10 minutes on 30 June and 10 on 1 July.
    changes.add({playerId: "p1", startedAt: Date.UTC(2026, 5, 30, 22, 50), endedAt: Date.UTC(2026, 5, 30, 23, 10)}, -1);
    expect(await writes(changes)).toEqual([
      ["INSERT", ["2026-06-30", "p1", -10 * MIN]],
      ["DELETE", ["2026-06-30", "p1"]],
      ["INSERT", ["2026-07-01", "p1", -10 * MIN]],
      ["DELETE", ["2026-07-01", "p1"]],
    ]);
  });
});

describe("the daily rows query", () => {
  it("asks for a range of dates, of one player when given", () => {
    const [all, allParams] = dailyQuery("2026-01-01", "2026-01-31");
    expect(allParams).toEqual(["2026-01-01", "2026-01-31"]);
    expect(all).not.toContain("player_id = ?");
    const [one, oneParams] = dailyQuery("2026-01-01", "2026-01-31", "p1");
    expect(oneParams).toEqual(["2026-01-01", "2026-01-31", "p1"]);
    expect(one).toContain("AND player_id = ?");
  });

  it("unpacks one row per player back into one row per day", () => {
    const packed = [
      {playerId: "p1", days: "2026-01-01=1500,2026-01-03=86400000"},
      {playerId: "p2", days: "2026-01-02=7"},
    ];
    expect(dailyRows(packed)).toEqual([
      {date: "2026-01-01", playerId: "p1", ms: 1500},
      {date: "2026-01-03", playerId: "p1", ms: 86_400_000},
      {date: "2026-01-02", playerId: "p2", ms: 7},
    ]);
  });
});

describe("today's tally", () => {
  it("counts only today's part of sessions on the 25-hour day the clocks go back", () => {
    const tally = new TodayTally(london);
    expect(tally.rollOver(Date.UTC(2026, 9, 25, 12))).toBe(true);
    expect(tally.date).toBe("2026-10-25");
    expect(tally.rollOver(Date.UTC(2026, 9, 25, 23, 59))).toBe(false);
    // Today is 23:00 UTC on the 24th (00:00 BST) to 00:00 UTC on the 26th (00:00 GMT).
    tally.add("p1", Date.UTC(2026, 9, 24, 22, 30), Date.UTC(2026, 9, 24, 23, 30));
    tally.add("p1", Date.UTC(2026, 9, 25, 23, 30), Date.UTC(2026, 9, 26, 0, 30));
    tally.add("p1", Date.UTC(2026, 9, 24, 10), Date.UTC(2026, 9, 24, 11));
    tally.addMs("p1", -5000);
    expect(tally.seconds("p1")).toBe(3600);
    const open = {playerId: "p1", startedAt: Date.UTC(2026, 9, 25, 12), endedAt: Date.UTC(2026, 9, 25, 12, 0, 1, 499)};
    expect(tally.seconds("p1", open)).toBe(3601);
    expect(tally.seconds("p2")).toBe(0);
  });

  it("starts again from nothing on the next day", () => {
    const tally = new TodayTally(london);
    tally.rollOver(Date.UTC(2026, 9, 25, 12));
    tally.addMs("p1", 60_000);
    expect(tally.rollOver(Date.UTC(2026, 9, 26, 0))).toBe(true);
    expect(tally.date).toBe("2026-10-26");
    expect(tally.seconds("p1")).toBe(0);
  });
});

describe("what an open session counts so far", () => {
  it("is nothing until it lasts a second, then up to the last message", () => {
    expect(heardSoFar({playerId: "p", startedAt: 5000, lastAt: 5999})).toEqual({
      playerId: "p",
      startedAt: 5000,
      endedAt: 5000,
    });
    expect(heardSoFar({playerId: "p", startedAt: 5000, lastAt: 6000}).endedAt).toBe(6000);
  });
});

describe("the history summary", () => {
  const stored: DailyRow[] = [
    {date: "2026-03-27", playerId: "p1", ms: 60_400},
    {date: "2026-03-29", playerId: "p1", ms: 1_000},
  ];
  const asked: unknown[][] = [];
  const daily = async (...args: unknown[]) => {
    asked.push(args);
    return stored;
  };
  const store = {daily} as unknown as HistoryStore;
  const input = {
    store,
    days: london,
    today: "2026-03-29",
    count: 3,
    // p2 played 23:50 GMT on the 28th to 00:20 GMT on the 29th, not yet stored: 10 minutes, then 20.
    notYetStored: () => [
      {playerId: "p2", startedAt: Date.UTC(2026, 2, 28, 23, 50), endedAt: Date.UTC(2026, 2, 29, 0, 20)},
    ],
    names: new Map([
      ["p1", "Kitchen"],
      ["p2", "Bedroom"],
      ["p3", "Attic"],
    ]),
    liveIds: new Set(["p1"]),
    todaySeconds: (id: string) => (id === "p1" ? 5 : 7),
    retentionDays: 90,
  };

  it("adds what memory has to the stored days, listing live players and those who played", async () => {
    expect(await summarise(input)).toEqual({
      timeZone: "Europe/London",
      from: "2026-03-27",
      to: "2026-03-29",
      players: [
        {id: "p1", name: "Kitchen"},
        {id: "p2", name: "Bedroom"},
      ],
      days: [
        {date: "2026-03-27", seconds: {p1: 60, p2: 0}},
        {date: "2026-03-28", seconds: {p1: 0, p2: 600}},
        {date: "2026-03-29", seconds: {p1: 1, p2: 1200}},
      ],
      today: {p1: 5, p2: 7},
      retentionDays: 90,
    });
    expect(asked.at(-1)).toEqual(["2026-03-27", "2026-03-29", undefined]);
  });

  it("shows only the player asked for, even one not on the account now", async () => {
    const summary = await summarise({
      ...input,
      store: {daily: async () => []} as unknown as HistoryStore,
      playerId: "p2",
    });
    expect(summary.players).toEqual([{id: "p2", name: "Bedroom"}]);
    expect(summary.days.map((d) => d.seconds)).toEqual([{p2: 0}, {p2: 600}, {p2: 1200}]);
    expect(summary.today).toEqual({p2: 7});
  });
});
