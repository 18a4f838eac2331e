import path from "node:path";
import sqlite3 from "sqlite3";
import {afterEach, describe, expect, it, vi} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {History} from "../../../src/history/history.js";
import {HISTORY_FILE, HistoryStore} from "../../../src/history/historyStore.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";
import {holdDatabaseLock} from "../../helpers/databaseLock.js";
import {crashMidPlay, until} from "../../helpers/historyStack.js";
import {tempDir} from "../../helpers/tmp.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (text: string) => Date.parse(`${text}Z`);

afterEach(() => {
  vi.useRealTimers();
});

/**
 * The daily totals worked out again from the sessions, independently of the service's code: each
 * closed session split at the midnights of a zone `offsetHours` from UTC (UTC, or New York in
 * January, when it is UTC-5 all month). Open sessions do not count: the service adds them itself.
 */
async function recomputed(file: string, offsetHours = 0): Promise<Record<string, number>> {
  const sessions = await query<{playerId: string; startedAt: number; endedAt: number}>(
    file,
    "SELECT player_id AS playerId, started_at AS startedAt, ended_at AS endedAt FROM sessions WHERE open = 0",
  );
  const days: Record<string, number> = {};
  const offset = offsetHours * HOUR;
  for (const s of sessions)
    for (let from = s.startedAt; from < s.endedAt; ) {
      const dayStart = Math.floor((from + offset) / DAY) * DAY - offset;
      const to = Math.min(s.endedAt, dayStart + DAY);
      const key = `${new Date(dayStart + offset).toISOString().slice(0, 10)} ${s.playerId}`;
      days[key] = (days[key] ?? 0) + (to - from);
      from = to;
    }
  return days;
}

async function stored(file: string): Promise<Record<string, number>> {
  const rows = await query<{date: string; playerId: string; ms: number}>(
    file,
    "SELECT date, player_id AS playerId, ms FROM daily_listening",
  );
  return Object.fromEntries(rows.map((r) => [`${r.date} ${r.playerId}`, r.ms]));
}

/** Another connection, as a backup tool would read the file: what is committed, nothing else. */
async function query<T>(file: string, sql: string): Promise<T[]> {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  try {
    return await new Promise<T[]>((resolve, reject) =>
      db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
    );
  } finally {
    await new Promise((resolve) => db.close(resolve));
  }
}

/** Poll on real time (the fake clock does not move by itself). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Wait until the open rows in the file end at `times` (their last checkpoints), oldest session first. */
async function checkpointsAt(file: string, times: string[]): Promise<void> {
  const ends = async () =>
    (await query<{endedAt: number}>(file, "SELECT ended_at AS endedAt FROM sessions WHERE open = 1 ORDER BY id")).map(
      (r) => r.endedAt,
    );
  await eventually(
    async () => JSON.stringify(await ends()) === JSON.stringify(times.map(at)),
    `open rows ending at ${times.join(", ") || "nothing"}`,
  );
}

/** Two players the test plays by hand, with the events the player model would send. */
function fakePlayers(bus: EventBus) {
  const players = new Map<string, PlayerState>();
  for (const [id, name] of [
    ["den", "Den"],
    ["attic", "Attic"],
  ] as const)
    players.set(id, newPlayer({deviceId: id, name, deviceFamily: "v3", deviceType: "v3", online: true}));
  return {
    list: () => [...players.values()],
    get: (id: string) => players.get(id) as PlayerState,
    familyCards: async () => [],
    cardSummary: async () => undefined,
    /** The player says `status` for `cardId` at `time` (the clock moves there first). */
    heard(id: string, time: number, status: "playing" | "paused", cardId = "songs") {
      vi.setSystemTime(time);
      const previous = players.get(id) as PlayerState;
      const player = {...previous, playback: {status, cardId}, lastSeen: new Date(time).toISOString()};
      players.set(id, player);
      bus.emit("player.changed", {player, previous, changed: ["playback"]});
    },
  };
}

describe("listening per day", () => {
  it("matches the sessions after a crash, a session across midnight, checkpoints, a refused write and pruning; another zone rebuilds it", async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    const file = path.join(dataDir, HISTORY_FILE);
    const log = new Logger({level: "error", sink: () => {}});

    // Older listening, with two days kept (today and yesterday) from 9 January.
    const seed = new HistoryStore({file, dataDir, log, busyTimeoutMs: 1000, timeZone: "UTC"});
    await seed.open();
    const old = (playerId: string, from: string, to: string) =>
      seed.insert({
        playerId,
        player: playerId === "den" ? "Den" : "Attic",
        cardId: "songs",
        cardTitle: "Songs",
        chapterTitle: null,
        startedAt: at(from),
        endedAt: at(to),
        open: false,
      });
    await old("den", "2031-01-06T10:00:00", "2031-01-06T10:30:00"); // older than 2 days: goes at start
    await old("den", "2031-01-07T23:50:00", "2031-01-08T00:20:00"); // ends on a day kept: stays, for now
    await old("attic", "2031-01-08T12:00:00", "2031-01-08T12:40:00");
    await seed.close();
    // A service killed mid-play on 9 January, its session last written 65 s in.
    expect(await crashMidPlay(dataDir, at("2031-01-09T20:00:00"))).toBe("SIGKILL");

    vi.useFakeTimers({toFake: ["Date"], now: at("2031-01-09T23:50:00")});
    const bus = new EventBus(log);
    const players = fakePlayers(bus);
    const options = {dataDir, players, bus, log, retentionDays: 2, timeZone: "UTC", sweepMs: 10, busyTimeoutMs: 200};
    const history = new History(options);
    await history.start();
    const expected = {
      "2031-01-07 den": 10 * 60_000,
      "2031-01-08 den": 20 * 60_000,
      "2031-01-08 attic": 40 * 60_000,
      "2031-01-09 p1": 65_000,
    };
    expect(await stored(file)).toEqual(expected);
    expect(await recomputed(file)).toEqual(expected);

    // Both play from 23:50 and are written as open (checkpoints) at 23:51:10: neither counts yet.
    players.heard("den", at("2031-01-09T23:50:00"), "playing");
    players.heard("attic", at("2031-01-09T23:50:00"), "playing");
    const both = (time: string) => {
      players.heard("den", at(time), "playing");
      players.heard("attic", at(time), "playing");
    };
    both("2031-01-09T23:51:10");
    await checkpointsAt(file, ["2031-01-09T23:51:10", "2031-01-09T23:51:10"]);
    expect(await stored(file)).toEqual(expected);
    expect(await recomputed(file)).toEqual(expected);
    // The summary adds the open sessions from memory, up to now.
    expect((await history.summary(2)).days.map((d) => d.seconds)).toEqual([
      {den: 1200, attic: 2400, p1: 0},
      {den: 70, attic: 70, p1: 65},
    ]);

    // Midnight: the 8th is no longer kept (pruned); Den pauses at 00:10, ten minutes each side of it.
    both("2031-01-10T00:05:00");
    await checkpointsAt(file, ["2031-01-10T00:05:00", "2031-01-10T00:05:00"]);
    await eventually(async () => (await stored(file))["2031-01-08 attic"] === undefined, "the daily pruning");
    expect(history.todaySeconds("attic")).toBe(300);
    both("2031-01-10T00:10:00");
    players.heard("den", at("2031-01-10T00:10:00"), "paused");
    const afterMidnight = {"2031-01-09 p1": 65_000, "2031-01-09 den": 10 * 60_000, "2031-01-10 den": 10 * 60_000};
    await eventually(async () => (await stored(file))["2031-01-10 den"] !== undefined, "Den's close saved");
    await checkpointsAt(file, ["2031-01-10T00:10:00"]);
    expect(await stored(file)).toEqual(afterMidnight);
    expect(await recomputed(file)).toEqual(afterMidnight);

    // A close the database refuses (another program holds it) changes neither table; memory counts it.
    const lock = await holdDatabaseLock(file);
    players.heard("attic", at("2031-01-10T00:20:00"), "paused");
    await until(() => history.health().degraded === true, "the refused write");
    await checkpointsAt(file, ["2031-01-10T00:10:00"]);
    expect(await stored(file)).toEqual(afterMidnight);
    expect(await recomputed(file)).toEqual(afterMidnight);
    const withAttic = [
      {den: 600, attic: 600, p1: 65},
      {den: 600, attic: 1200, p1: 0},
    ];
    expect((await history.summary(2)).days.map((d) => d.seconds)).toEqual(withAttic);
    await lock.release();
    await until(() => history.health().degraded === undefined, "the write retried");
    const settled = {...afterMidnight, "2031-01-09 attic": 10 * 60_000, "2031-01-10 attic": 20 * 60_000};
    expect(await stored(file)).toEqual(settled);
    expect(await recomputed(file)).toEqual(settled);
    await checkpointsAt(file, []);
    expect((await history.summary(2)).days.map((d) => d.seconds)).toEqual(withAttic);
    await history.stop();

    // The add-on's zone changes: the days are worked out again in New York's (UTC-5 in January).
    const ny = new History({...options, timeZone: "America/New_York", retentionDays: 30});
    await ny.start();
    try {
      const inNewYork = {"2031-01-09 p1": 65_000, "2031-01-09 den": 20 * 60_000, "2031-01-09 attic": 30 * 60_000};
      expect(await recomputed(file, -5)).toEqual(inNewYork);
      expect(await stored(file)).toEqual(inNewYork);
    } finally {
      await ny.stop();
    }
  });
});
