import path from "node:path";
import {describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {HISTORY_FILE, HistoryStore} from "../../../src/history/historyStore.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {holdDatabaseLock} from "../../helpers/databaseLock.js";
import {crashMidPlay, getJson, historyStack, LIVING, until, ZONE} from "../../helpers/historyStack.js";
import {tempDir} from "../../helpers/tmp.js";

const start = historyStack();
/** 12:00 in New York (17:00 UTC). */
const NOON = Date.parse("2031-03-04T17:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const brief = (sessions: Array<Record<string, unknown>>) =>
  sessions.map((s) => [s.startedAt, s.endedAt, s.seconds, s.open]);

describe("listening history across restarts and over time", () => {
  it("after a kill -9 mid-play, the next start closes the session at its checkpoint, once", async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    const startedAt = Date.now() - 10 * 60_000;
    expect(await crashMidPlay(dataDir, startedAt)).toBe("SIGKILL");

    let t: TestApp | undefined;
    try {
      t = await startApp([], {dataDir, mediaDir: path.join(root, "media"), timeZone: "UTC"});
      expect(
        t.logs.filter((l) => l.includes("Closed 1 listening session(s) left open by an unclean stop")),
      ).toHaveLength(1);
      const expected = {
        id: expect.any(Number),
        playerId: "p1",
        player: "Den",
        cardId: "songs",
        cardTitle: "Songs",
        chapterTitle: "One",
        // At the checkpoint (start + 65 s), not at the last message before the kill (+100 s), nor now.
        startedAt: iso(startedAt),
        endedAt: iso(startedAt + 65_000),
        seconds: 65,
        open: false,
      };
      expect((await getJson(t.adminUrl, "/api/history/sessions")).body).toEqual({sessions: [expected]});
      const summary = (await getJson(t.adminUrl, "/api/history?days=2")).body;
      expect(summary.players).toEqual([{id: "p1", name: "Den"}]);
      const total = summary.days.reduce((sum: number, d: {seconds: {p1: number}}) => sum + d.seconds.p1, 0);
      expect(total).toBe(65);

      // Started again: nothing is closed twice or counted again.
      await t.stop();
      t = await startApp([], {dataDir, mediaDir: path.join(root, "media"), timeZone: "UTC"});
      expect(t.logs.some((l) => l.includes("left open by an unclean stop"))).toBe(false);
      expect((await getJson(t.adminUrl, "/api/history/sessions")).body).toEqual({sessions: [expected]});
    } finally {
      await t?.stop();
    }
  });

  it("a stop mid-play ends the session at the last message; after the start a new one begins, nothing counted twice", async () => {
    const {sim, t, restart} = await start(NOON);
    sim.player(LIVING).insertCard("songs");
    await until(() => t.app.players.get(LIVING).playback.status === "playing", "the card playing");
    vi.setSystemTime(NOON + 70_000);
    sim.player(LIVING).turnKnob(1);
    await until(() => t.app.players.get(LIVING).volume.level === 9, "the knob's event");
    await t.stop();

    vi.setSystemTime(NOON + 80_000);
    const again = await restart();
    try {
      await until(
        () => again.app.players.list().find((p) => p.id === LIVING)?.playback.status === "playing",
        "the card still playing after the start",
      );
      vi.setSystemTime(NOON + 90_000);
      await again.app.players.command(LIVING, {command: "pause"});
      await until(() => again.app.history.todaySeconds(LIVING) === 80, "the second session closed");
      const {body} = await getJson(again.adminUrl, "/api/history/sessions");
      expect(brief(body.sessions)).toEqual([
        [iso(NOON + 80_000), iso(NOON + 90_000), 10, false],
        [iso(NOON), iso(NOON + 70_000), 70, false],
      ]);
      expect((await getJson(again.adminUrl, `/api/history?days=1`)).body.today[LIVING]).toBe(80);
    } finally {
      await again.stop();
    }
  });

  it("keeps history_days days: prunes at start and again when a day begins", async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    const store = new HistoryStore({
      file: path.join(dataDir, HISTORY_FILE),
      dataDir,
      log: new Logger({sink: () => {}}),
      busyTimeoutMs: 1000,
      timeZone: ZONE,
    });
    await store.open();
    const row = (from: string, to: string) => ({
      playerId: LIVING,
      player: "Living Room",
      cardId: "songs",
      cardTitle: "Songs",
      chapterTitle: null,
      startedAt: Date.parse(from),
      endedAt: Date.parse(to),
      open: false,
    });
    // New York times (EST, UTC-5); with 2 days kept on 4 March, 3 March 00:00 is the limit.
    await store.insert(row("2031-03-01T12:00:00-05:00", "2031-03-01T12:10:00-05:00"));
    await store.insert(row("2031-03-02T23:55:00-05:00", "2031-03-03T00:05:00-05:00"));
    await store.insert(row("2031-03-03T12:00:00-05:00", "2031-03-03T12:20:00-05:00"));
    await store.close();

    const {t} = await start(NOON, {flags: ["--history_days", "2"], dataDir, mediaDir: path.join(root, "media")});
    expect(t.logs.some((l) => l.includes("Deleted 1 listening session(s) older than 2 days"))).toBe(true);
    const {body} = await getJson(t.adminUrl, "/api/history/sessions");
    expect(brief(body.sessions)).toEqual([
      [iso(Date.parse("2031-03-03T17:00:00Z")), iso(Date.parse("2031-03-03T17:20:00Z")), 1200, false],
      [iso(Date.parse("2031-03-03T04:55:00Z")), iso(Date.parse("2031-03-03T05:05:00Z")), 600, false],
    ]);
    const summary = (await getJson(t.adminUrl, `/api/history?days=2&player=${LIVING}`)).body;
    expect(summary.days).toEqual([
      {date: "2031-03-03", seconds: {[LIVING]: 1500}},
      {date: "2031-03-04", seconds: {[LIVING]: 0}},
    ]);
    expect(summary.retentionDays).toBe(2);

    // 5 March begins: 3 March is now outside the two days kept.
    vi.setSystemTime(Date.parse("2031-03-05T00:00:01-05:00"));
    await until(
      () => t.logs.some((l) => l.includes("Deleted 2 listening session(s) older than 2 days")),
      "the daily pruning",
    );
    expect((await getJson(t.adminUrl, "/api/history/sessions")).body).toEqual({sessions: []});
  });

  it("a write the database refuses (locked by another program) is logged and shown in health, and saved once it can be", async () => {
    const {sim, t} = await start(NOON, {app: {store: {busyTimeoutMs: 200}}});
    const file = path.join(t.dataDir, HISTORY_FILE);
    sim.player(LIVING).insertCard("songs");
    await until(() => t.app.players.get(LIVING).playback.status === "playing", "the card playing");
    await until(() => t.app.history.health().details.playing === 1, "the session open");
    const lock = await holdDatabaseLock(file);
    vi.setSystemTime(NOON + 30_000);
    await t.app.players.command(LIVING, {command: "pause"});
    const reason = `The listening history '${file}' is locked by another program (SQLITE_BUSY): close whatever has it open (a backup, an sqlite3 shell, a second copy of this service) and retry`;
    await until(() => t.logs.some((l) => l.includes("to the listening history:")), "the failed write logged");
    expect(t.logs.filter((l) => l.includes("ERROR"))).toEqual([
      expect.stringContaining(`Could not save a session on 'Living Room' to the listening history: ${reason}`),
    ]);
    const health = (await getJson(t.adminUrl, "/api/health")).body;
    expect(health.status).toBe("degraded");
    expect(health.services.history).toMatchObject({
      state: "running",
      degraded: true,
      error: `Listening history is not being saved: ${reason}`,
    });
    // Meanwhile today's listening is still known (memory), for rules and the sensor.
    expect(t.app.history.todaySeconds(LIVING)).toBe(30);

    await lock.release();
    await until(() => t.app.history.health().degraded === undefined, "the history saving again");
    expect(t.logs.some((l) => l.includes("The listening history takes writes again"))).toBe(true);
    const {body} = await getJson(t.adminUrl, "/api/history/sessions");
    expect(brief(body.sessions)).toEqual([[iso(NOON), iso(NOON + 30_000), 30, false]]);
    expect((await getJson(t.adminUrl, "/api/health")).body.services.history.degraded).toBeUndefined();
  });
});
