import {afterEach, describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {Logs} from "../../../src/logs/logs.js";
import type {LogEntry, LogsPage} from "../../../src/logs/types.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {waitFor} from "../../helpers/players.js";
import {readEvents} from "../../helpers/sse.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const JWT =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdXRoMHxhYmMiLCJleHAiOjE3NjcyMjU2MDB9.c2lnbmF0dXJlLXBhcnQtaGVyZQ";

let t: TestApp | undefined;
let sim: YotoSimulator | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  t = undefined;
  sim = undefined;
});

async function linkedApp(): Promise<TestApp> {
  sim = await startSimulator();
  addSongsCard(sim);
  const app = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
  t = app;
  await linkAccount(app.app.account);
  await waitFor(() => app.app.players.list().length === 2, "both players");
  return app;
}

async function logs(query: string): Promise<LogsPage> {
  const res = await fetch(`${t?.adminUrl}/api/logs${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as LogsPage;
}

async function refused(query: string): Promise<{status: number; body: unknown}> {
  const res = await fetch(`${t?.adminUrl}/api/logs${query}`);
  return {status: res.status, body: await res.json()};
}

const messages = (page: LogsPage) => page.entries.map((e) => e.message);

describe("GET /api/logs", () => {
  it("filters by level, text and player, pages with after, and keeps the newest when limited", async () => {
    const app = await linkedApp();
    const log = app.app.log.child("test");
    log.debug("Marker one: a debug line");
    log.info("MARKER two: Bedroom Mini said hello");
    log.warning(`marker three: ${MINI} answered late`);
    log.error("marker four: Living Room failed");

    const all = await logs("?q=marker");
    expect(messages(all)).toEqual([
      "Marker one: a debug line",
      "MARKER two: Bedroom Mini said hello",
      `marker three: ${MINI} answered late`,
      "marker four: Living Room failed",
    ]);
    expect(all.capacity).toBe(2000);
    expect(all.level).toBe("debug");
    expect(all.entries.map((e) => [e.level, e.namespace])).toEqual([
      ["debug", "test"],
      ["info", "test"],
      ["warning", "test"],
      ["error", "test"],
    ]);
    const seqs = all.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    expect(messages(await logs("?q=marker&level=warning"))).toEqual([
      `marker three: ${MINI} answered late`,
      "marker four: Living Room failed",
    ]);
    // By name or by id, a player's lines are those naming it either way.
    const mini = ["MARKER two: Bedroom Mini said hello", `marker three: ${MINI} answered late`];
    expect(messages(await logs("?q=marker&player=bedroom%20mini"))).toEqual(mini);
    expect(messages(await logs(`?q=marker&player=${MINI}`))).toEqual(mini);
    expect(messages(await logs(`?q=marker&player=${LIVING}`))).toEqual(["marker four: Living Room failed"]);
    // The text is plain text, not a pattern.
    expect(messages(await logs(`?q=${encodeURIComponent("marker t.o")}`))).toEqual([]);

    // Paging forward from a line: the first ones after it; without a cursor: the newest ones.
    const first = seqs[0] as number;
    expect(messages(await logs(`?q=marker&after=${first}&limit=2`))).toEqual([
      "MARKER two: Bedroom Mini said hello",
      `marker three: ${MINI} answered late`,
    ]);
    expect(messages(await logs("?q=marker&limit=2"))).toEqual([
      `marker three: ${MINI} answered late`,
      "marker four: Living Room failed",
    ]);
    expect(await logs(`?q=marker&after=${seqs[3]}`)).toEqual({entries: [], capacity: 2000, level: "debug"});
  });

  it("refuses bad values with what to send instead", async () => {
    await linkedApp();
    const bad = "bad_query";
    expect(await refused("?level=verbose")).toEqual({
      status: 400,
      body: {error: "level must be one of debug, info, warning, error (got 'verbose')", code: bad},
    });
    expect(await refused("?limit=0")).toEqual({
      status: 400,
      body: {error: "limit must be a whole number from 1 to 2000, not '0'", code: bad},
    });
    expect(await refused("?limit=2001")).toEqual({
      status: 400,
      body: {error: "limit must be a whole number from 1 to 2000, not '2001'", code: bad},
    });
    expect(await refused("?after=-1")).toEqual({
      status: 400,
      body: {error: "after must be a whole number 0 or more (the seq of the last line you have), not '-1'", code: bad},
    });
    expect(await refused("?level=info&level=error")).toEqual({
      status: 400,
      body: {error: "level is given 2 times: give it once", code: bad},
    });
    expect(await refused(`?q=${"x".repeat(201)}`)).toEqual({
      status: 400,
      body: {error: "q must be at most 200 characters: search for a shorter part of the line", code: bad},
    });
    expect(await refused("?player=Kitchen")).toEqual({
      status: 400,
      body: {
        error: "No player 'Kitchen': use the name or id of one of 'Living Room', 'Bedroom Mini'",
        code: "unknown_player",
      },
    });
    const download = await fetch(`${t?.adminUrl}/api/logs/download?limit=abc`);
    expect(download.status).toBe(400);
    expect(await download.json()).toEqual({error: "limit must be a whole number from 1 to 2000, not 'abc'", code: bad});
  });
});

describe("GET /api/logs/download", () => {
  it("is a dated attachment whose every line is redacted for a public issue", async () => {
    const app = await linkedApp();
    sim?.player(LIVING).insertCard("songs");
    await waitFor(() => app.app.players.get(LIVING).playback.cardId === "songs", "the songs card playing");
    const signed = `${app.audioUrl}${app.app.signer.sign("/streams/bedtime.mp3")}`;
    const sig = new URL(signed).searchParams.get("sig") as string;
    const log = app.app.log.child("players");
    log.warning(`Yoto answered 401 to GET /card/songs: Authorization: Bearer ${JWT}`);
    log.info(`Living Room fetches ${signed}`);
    log.warning(
      `Ignored a status message from 'Bedroom Mini' because battery is not a number: {"ssid":"Smith Family 5G","battery":"x"}`,
    );
    log.warning(`Yoto's broker refused device/${MINI}/data/events`);
    log.info("Signed in as jane.doe@example.com");
    log.warning(`The saved Yoto login was issued to client '${CLIENT_ID}', not to the one configured now`);
    const password = app.app.broker.summary().login?.password as string;
    expect(password).toMatch(/^[\w-]{16,}$/);

    const res = await fetch(`${app.adminUrl}/api/logs/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const today = new Date().toISOString().slice(0, 10);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="yoto-smart-stream-${today}.log"`);
    const text = await res.text();
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^# Yoto Smart Stream test, log downloaded \d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(lines[1]).toMatch(/^# redacted: tokens and passwords, your home folder's path, signed URLs/);
    expect(lines[2]).toMatch(/^# \d+ lines$/);

    const line = (end: string) => lines.find((l) => l.endsWith(end));
    expect(line("Authorization: Bearer <redacted>")).toMatch(
      /^\[[\d :-]+\] WARNING \(players\): Yoto answered 401 to GET \/card\/card-1: Authorization: Bearer <redacted>$/,
    );
    expect(line("/streams/bedtime.mp3?<redacted>")).toMatch(
      / INFO \(players\): Living Room fetches http:\/\/127\.0\.0\.1:\d+\/streams\/bedtime\.mp3\?<redacted>$/,
    );
    expect(line(`{"ssid":"<ssid>","battery":"x"}`)).toBeDefined();
    expect(line("Yoto's broker refused device/player-2/data/events")).toBeDefined();
    expect(line("Signed in as <email>")).toBeDefined();
    expect(line("was issued to client '<redacted>', not to the one configured now")).toBeDefined();
    // The service's own line from the first start, with the login the add-on made.
    expect(line("give it to every MQTT client, Home Assistant's MQTT integration included")).toContain(
      "user '<mqtt-user>'",
    );
    for (const secret of [
      JWT.slice(0, 40),
      sig,
      "Smith Family",
      "jane.doe",
      LIVING,
      MINI,
      password,
      "(songs)",
      CLIENT_ID,
    ])
      expect(text, secret).not.toContain(secret);

    // The same filters as the view: only what the user asked for is in the file.
    const filtered = await (
      await fetch(`${app.adminUrl}/api/logs/download?level=warning&player=Bedroom%20Mini`)
    ).text();
    expect(filtered.split("\n").slice(2)).toEqual([
      "# 2 lines (level warning and above, about player 'Bedroom Mini')",
      expect.stringMatching(/WARNING \(players\): Ignored a status message from 'Bedroom Mini' because/),
      expect.stringMatching(/WARNING \(players\): Yoto's broker refused device\/player-2\/data\/events$/),
      "",
    ]);
  });
});

describe("live lines over /api/events", () => {
  it("sends each new line as log.written, the same entry /api/logs then returns", async () => {
    const app = await linkedApp();
    const events = readEvents(
      `${app.adminUrl}/api/events`,
      (event, data) => event === "log.written" && (data as LogEntry).message === "A live marker",
    );
    await events.opened;
    app.app.log.child("rules").info("A live marker");
    const seen = await events.done;
    events.close();
    const live = seen?.findLast((e) => e.event === "log.written")?.data as LogEntry;
    expect(live).toMatchObject({level: "info", namespace: "rules", message: "A live marker"});
    expect((await logs(`?q=live%20marker`)).entries).toEqual([live]);
    expect((await logs(`?after=${live.seq - 1}&limit=1`)).entries).toEqual([live]);
  });
});

describe("a log.written listener cannot make the log loop", () => {
  function setup(level: "debug" | "info" = "debug") {
    const sink: string[] = [];
    const log = new Logger({level, sink: (line) => sink.push(line)});
    const bus = new EventBus(log.child("events"));
    const logs = new Logs({log, bus});
    return {sink, log, bus, logs};
  }

  it("reports a listener that throws, or rejects, once per line, and keeps going", async () => {
    const {sink, log, bus, logs} = setup();
    await logs.start();
    class FlakyReader {}
    class SlowFlakyReader {}
    bus.on(new FlakyReader(), "log.written", () => {
      throw new Error("boom");
    });
    bus.on(new SlowFlakyReader(), "log.written", async () => {
      throw new Error("later boom");
    });
    log.child("test").info("one line");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reports = sink.filter((l) => l.includes("' failed ("));
    expect(reports.map((l) => l.replace(/^\[[^\]]+\] /, ""))).toEqual([
      "ERROR (events): Event listener 'FlakyReader/log.written' failed (boom)",
      "ERROR (events): Event listener 'SlowFlakyReader/log.written' failed (later boom)",
    ]);
    // The reports go to the add-on log, not round again through the listeners.
    expect(logs.page().entries.map((e) => e.message)).toEqual(["one line"]);
    await logs.stop();
  });

  it("keeps a line a listener writes while being told of another, without announcing it", async () => {
    const {log, bus, logs} = setup();
    await logs.start();
    const heard: string[] = [];
    const echo = log.child("echo");
    bus.on({}, "log.written", (entry) => {
      heard.push(entry.message);
      echo.debug(`heard ${entry.seq}`);
    });
    log.info("first");
    log.info("second");
    expect(heard).toEqual(["first", "second"]);
    expect(logs.page().entries.map((e) => e.message)).toEqual(["first", "heard 1", "second", "heard 3"]);
    await logs.stop();
    log.info("after stop");
    expect(logs.page().entries).toHaveLength(4);
  });

  it("never builds a debug line it does not write, nor keeps one", async () => {
    const {log, logs} = setup("info");
    await logs.start();
    let built = 0;
    log.child("quiet").debug(() => {
      built++;
      return "expensive";
    });
    log.info("kept");
    expect(built).toBe(0);
    expect(logs.page()).toEqual({
      entries: [expect.objectContaining({seq: 1, message: "kept"})],
      capacity: 2000,
      level: "info",
    });
    await logs.stop();
  });

  it("keeps only the newest lines once full, with seqs that go on counting", async () => {
    const {log, bus} = setup();
    const small = new Logs({log, bus, capacity: 3});
    await small.start();
    for (let i = 1; i <= 5; i++) log.info(`line ${i}`);
    expect(small.page().entries.map((e) => [e.seq, e.message])).toEqual([
      [3, "line 3"],
      [4, "line 4"],
      [5, "line 5"],
    ]);
    expect(small.page({after: 1}).entries.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(small.page({after: 4}).entries.map((e) => e.seq)).toEqual([5]);
    await small.stop();
  });
});
