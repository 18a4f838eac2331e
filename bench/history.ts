import path from "node:path";
import sqlite3 from "sqlite3";
import {EventBus} from "../src/core/events.js";
import {Logger} from "../src/core/logger.js";
import {History} from "../src/history/history.js";
import {HISTORY_FILE, HistoryStore} from "../src/history/historyStore.js";
import {newPlayer} from "../src/yoto/playerModel.js";
import {quantile} from "./cloud.js";
import {sized, table} from "./lib.js";

const PLAYERS = sized(10, 2);
const DAYS = sized(365, 7);
/** A realistic day: a few stories and songs morning, afternoon and bedtime, 5–40 minutes each. */
const SESSIONS_PER_DAY = sized(6, 2);
const ZONE = "Europe/London";

/**
 * A year of listening for 10 players in a real SQLite file: the panel's summaries (14 and 365
 * days), a sessions page, the rules' `todaySeconds` and the write of a session's close, each
 * against a bare full-scan SQL aggregate over the same sessions measured in the same run.
 */
export async function historyBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const dataDir = path.join(workDir, "history");
  const log = new Logger({level: "error", sink: () => {}});
  const storeOptions = {file: path.join(dataDir, HISTORY_FILE), dataDir, log, busyTimeoutMs: 5000, timeZone: ZONE};
  const store = new HistoryStore(storeOptions);
  await store.open();
  await store.close();
  const db = new sqlite3.Database(path.join(dataDir, HISTORY_FILE));
  const rows = await fill(db);
  // As a file from before the daily totals: the start below works them out from the sessions, with
  // the split every write uses (22k one-by-one writes would take the bench a quarter of a minute).
  await exec(db, "DELETE FROM history_meta");

  const players = Array.from({length: PLAYERS}, (_, i) =>
    newPlayer({deviceId: `player${i}`, name: `Player ${i}`, deviceFamily: "v3", deviceType: "v3", online: true}),
  );
  const history = new History({
    dataDir,
    players: {
      list: () => players,
      get: () => players[0]!,
      familyCards: async () => [],
      cardSummary: async () => undefined,
    },
    bus: new EventBus(log),
    log,
    retentionDays: 3650,
    timeZone: ZONE,
  });
  const startedAt = performance.now();
  await history.start();
  const startMs = performance.now() - startedAt;
  await sameTotals(db);

  const baseline = await timed(50, () =>
    all(db, "SELECT player_id, SUM(ended_at - started_at) FROM sessions GROUP BY player_id"),
  );
  const measures: Array<[string, number[]]> = [
    ["bare full-scan SUM … GROUP BY player_id (baseline)", baseline],
    ["summary, 14 days", await timed(200, () => history.summary(14))],
    ["summary, 14 days, one player", await timed(200, () => history.summary(14, "player3"))],
    ["summary, 365 days", await timed(30, () => history.summary(365))],
    ["sessions page (100, newest first)", await timed(200, () => history.sessions({limit: 100}))],
    [
      "sessions page (100), one player, one month",
      await timed(200, () => history.sessions({player: "player3", from: monthAgo(), to: today(), limit: 100})),
    ],
    // Rules call it on every check: per call, a thousand at a time to measure something.
    [
      "todaySeconds (per call)",
      await timed(200, () => {
        for (let i = 0; i < 1000; i++) history.todaySeconds(`player${i % PLAYERS}`);
      }).then((samples) => samples.map((ms) => ms / 1000)),
    ],
  ];
  await history.stop();
  measures.push(["a session's close written (session and its days, one transaction)", await closeWrites(storeOptions)]);
  measures.push(["start, days worked out from every session (once, after an upgrade)", [startMs]]);
  await sameTotals(db);
  await new Promise((resolve) => db.close(resolve));

  const base = quantile(baseline, 0.5);
  const out = measures.map(([measure, samples]) => ({
    measure,
    runs: samples.length,
    p50_ms: quantile(samples, 0.5).toFixed(4),
    p99_ms: quantile(samples, 0.99).toFixed(4),
    ratio_p50: `${(quantile(samples, 0.5) / base).toFixed(3)}×`,
  }));
  console.log(`\nListening history: ${rows} sessions (${PLAYERS} players × ${DAYS} days) in SQLite\n${table(out)}`);
  return out;
}

/**
 * Closing sessions of today as the service does (each inserted open first, not timed): the cost
 * of a write now that it keeps the daily totals in the same transaction.
 */
async function closeWrites(options: ConstructorParameters<typeof HistoryStore>[0]): Promise<number[]> {
  const store = new HistoryStore(options);
  await store.open();
  const now = Date.now();
  const ids: number[] = [];
  for (let i = 0; i < 103; i++) {
    const open = {playerId: "player0", player: "Player 0", cardId: "card0", cardTitle: "Card 0", chapterTitle: null};
    ids.push(await store.insert({...open, startedAt: now - 60_000, endedAt: now - 30_000, open: true}));
  }
  let next = 0;
  const samples = await timed(100, () =>
    store.update(ids[next++] as number, {
      endedAt: now,
      open: false,
      cardTitle: "Card 0",
      chapterTitle: null,
      player: "Player 0",
    }),
  );
  await store.close();
  return samples;
}

/** The daily totals hold exactly the closed sessions' time: the bench measures realistic data, or stops. */
async function sameTotals(db: sqlite3.Database): Promise<void> {
  const [sessions] = (await all(db, "SELECT SUM(ended_at - started_at) AS ms FROM sessions WHERE open = 0")) as Array<{
    ms: number;
  }>;
  const [days] = (await all(db, "SELECT SUM(ms) AS ms FROM daily_listening")) as Array<{ms: number}>;
  if (sessions?.ms !== days?.ms) throw new Error(`daily totals ${days?.ms} ms, sessions ${sessions?.ms} ms`);
}

/** A year of sessions ending now, in one transaction (a bulk load, not what the service does). */
async function fill(db: sqlite3.Database): Promise<number> {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const now = Date.now();
  const dayMs = 86_400_000;
  await exec(db, "BEGIN");
  const insert = db.prepare(
    "INSERT INTO sessions (player_id, player, card_id, card_title, chapter_title, started_at, ended_at, open) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
  );
  let rows = 0;
  for (let day = DAYS - 1; day >= 0; day--) {
    const midnight = Math.floor((now - day * dayMs) / dayMs) * dayMs;
    for (let p = 0; p < PLAYERS; p++) {
      for (let s = 0; s < SESSIONS_PER_DAY; s++) {
        const startedAt = midnight + (7 + s * 2.5 + random()) * 3_600_000;
        const endedAt = startedAt + (5 + random() * 35) * 60_000;
        if (endedAt > now) continue;
        insert.run(`player${p}`, `Player ${p}`, `card${s}`, `Card ${s}`, "Chapter 1", startedAt, endedAt);
        rows++;
      }
    }
  }
  await new Promise((resolve) => insert.finalize(resolve));
  await exec(db, "COMMIT");
  return rows;
}

async function timed(runs: number, fn: () => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const started = performance.now();
    await fn();
    // The first few warm the caches (SQLite's pages, the zone's offsets).
    if (i >= 3) samples.push(performance.now() - started);
  }
  return samples;
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

function all(db: sqlite3.Database, sql: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows))));
}

const today = () => new Date().toISOString().slice(0, 10);
const monthAgo = () => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
