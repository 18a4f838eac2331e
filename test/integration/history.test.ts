import {describe, expect, it, vi} from "vitest";
import {checkDiscovery} from "../helpers/haDiscoveryRules.js";
import type {Watcher} from "../helpers/linkedBridge.js";
import {watchBroker} from "../helpers/mqtt.js";
import {getJson, historyStack, LIVING, MINI, until, ZONE} from "./historyStack.js";

const start = historyStack();
/** 12:00 in New York (17:00 UTC). */
const NOON = Date.parse("2031-03-04T17:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = performance.now() + 5000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const listening = (w: Watcher, id = LIVING) => w.lastJson(`yoto/${id}/listening`);
const playback = (w: Watcher, id = LIVING) => w.lastJson(`yoto/${id}`)?.playback;

describe("listening history", () => {
  it("records a play and a pause to the second, with the card's title, in the API, the rules' reading and Home Assistant", async () => {
    const {sim, t, watcher: w} = await start(NOON);
    sim.player(LIVING).insertCard("songs");
    await until(() => playback(w) === "playing", "the card playing");
    vi.setSystemTime(NOON + 42_000);
    await t.app.players.command(LIVING, {command: "pause"});
    await until(() => listening(w)?.today_seconds === 42, "the sensor at 42 s");

    const {body} = await eventually(
      () => getJson(t.adminUrl, "/api/history/sessions"),
      (r) => r.body.sessions?.[0]?.cardTitle !== undefined,
      "the session with its title",
    );
    expect(body).toEqual({
      sessions: [
        {
          id: expect.any(Number),
          playerId: LIVING,
          player: "Living Room",
          cardId: "songs",
          cardTitle: "Songs",
          chapterTitle: "One",
          startedAt: iso(NOON),
          endedAt: iso(NOON + 42_000),
          seconds: 42,
          open: false,
        },
      ],
    });
    const summary = await getJson(t.adminUrl, "/api/history?days=3");
    expect(summary).toEqual({
      status: 200,
      body: {
        timeZone: ZONE,
        from: "2031-03-02",
        to: "2031-03-04",
        players: [
          {id: LIVING, name: "Living Room"},
          {id: MINI, name: "Bedroom Mini"},
        ],
        days: [
          {date: "2031-03-02", seconds: {[LIVING]: 0, [MINI]: 0}},
          {date: "2031-03-03", seconds: {[LIVING]: 0, [MINI]: 0}},
          {date: "2031-03-04", seconds: {[LIVING]: 42, [MINI]: 0}},
        ],
        today: {[LIVING]: 42, [MINI]: 0},
        retentionDays: 365,
      },
    });
    // One player, by name in any case.
    expect((await getJson(t.adminUrl, "/api/history?days=1&player=living%20ROOM")).body.days).toEqual([
      {date: "2031-03-04", seconds: {[LIVING]: 42}},
    ]);
    expect(t.app.history.todaySeconds("living room")).toBe(42);
    expect(t.app.history.todaySeconds(MINI)).toBe(0);

    // Home Assistant: the sensor's discovery on the player's device, checked on what it would render.
    expect(listening(w)).toEqual({today_minutes: 0.7, today_seconds: 42, date: "2031-03-04"});
    // Retained: Home Assistant connecting later gets it at once.
    const late = await watchBroker(t.app.broker.connection(), [`yoto/${LIVING}/listening`]);
    await until(() => late.seen.length > 0, "the retained sensor state");
    expect(late.seen[0]).toMatchObject({retain: true});
    expect(JSON.parse(late.seen[0]!.payload)).toEqual(listening(w));
    await late.close();
    const discovery = w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`);
    expect(discovery.components.listening_today).toEqual({
      platform: "sensor",
      unique_id: `yoto_${LIVING}_listening_today_yoto`,
      default_entity_id: "sensor.living_room_listening_today",
      name: "Listening today",
      icon: "mdi:headphones",
      state_topic: `yoto/${LIVING}/listening`,
      value_template: "{{ value_json.today_minutes }}",
      device_class: "duration",
      unit_of_measurement: "min",
      state_class: "total_increasing",
      suggested_display_precision: 0,
      availability: [{topic: "yoto/bridge/state", value_template: "{{ value_json.state }}"}],
    });
    const last = new Map<string, string>();
    for (const m of w.seen) last.set(m.topic, m.payload);
    const payloads = [...last]
      .filter(([topic, payload]) => topic.startsWith("homeassistant/device/") && payload !== "")
      .map(([topic, payload]) => ({topic, payload: JSON.parse(payload) as Record<string, unknown>}));
    expect(checkDiscovery(payloads, last)).toEqual([]);
  });

  it("keeps one session through a chapter change, and starts another for another card", async () => {
    const {sim, t, watcher: w} = await start(NOON);
    const player = sim.player(LIVING);
    player.insertCard("tales");
    await until(() => playback(w) === "playing", "the tales playing");
    vi.setSystemTime(NOON + 10_000);
    player.pressRight();
    await until(() => w.lastJson(`yoto/${LIVING}`)?.chapter_title === "The Owl", "the second chapter");
    vi.setSystemTime(NOON + 25_000);
    player.insertCard("songs");
    await until(() => w.lastJson(`yoto/${LIVING}`)?.card_id === "songs", "the songs card");
    vi.setSystemTime(NOON + 30_000);
    player.removeCard();
    await until(() => listening(w)?.today_seconds === 30, "both sessions closed");

    const {body} = await eventually(
      () => getJson(t.adminUrl, `/api/history/sessions?player=${LIVING}&from=2031-03-04&to=2031-03-04`),
      (r) => r.body.sessions?.every((s: {cardTitle?: string}) => s.cardTitle),
      "both titles",
    );
    const brief = body.sessions.map((s: Record<string, unknown>) => [s.cardTitle, s.chapterTitle, s.seconds, s.open]);
    expect(brief).toEqual([
      ["Songs", "One", 5, false],
      ["Bedtime Tales", "The Owl", 25, false],
    ]);
    expect(body.sessions[1].startedAt).toBe(iso(NOON));
    expect(body.sessions[1].endedAt).toBe(body.sessions[0].startedAt);
    expect((await getJson(t.adminUrl, "/api/history/sessions?limit=1")).body.sessions).toHaveLength(1);
  });

  it("ends a session at the player's last message when it drops offline, or falls silent while playing", async () => {
    const {sim, t, watcher: w} = await start(NOON);
    const player = sim.player(LIVING);
    player.insertCard("songs");
    await until(() => playback(w) === "playing", "the card playing");
    vi.setSystemTime(NOON + 20_000);
    player.turnKnob(1);
    await until(() => w.lastJson(`yoto/${LIVING}`)?.volume === 9, "the knob's event");
    // The network goes: Yoto notices later (presence), and nothing after the knob was heard.
    vi.setSystemTime(NOON + 80_000);
    player.setOnline(false);
    await until(() => listening(w)?.today_seconds === 20, "the session ended at the knob");

    // Back with the card out (taken out while offline, so unheard): stopped, nothing to count.
    player.removeCard();
    player.setOnline(true);
    await until(() => w.lastJson(`yoto/${LIVING}`)?.online === true, "the player back");
    expect(playback(w)).toBe("stopped");
    vi.setSystemTime(NOON + 100_000);
    player.insertCard("songs");
    await until(() => t.app.history.todaySeconds(LIVING) === 20 && playback(w) === "playing", "a new session");
    vi.setSystemTime(NOON + 130_000);
    player.turnKnob(-1);
    await until(() => w.lastJson(`yoto/${LIVING}`)?.volume === 8, "the knob's event");
    // The player still says "playing" but sends nothing more (its events stop, nothing else tells).
    player.silenceEvents();
    vi.setSystemTime(NOON + 130_000 + 91_000);
    await until(() => listening(w)?.today_seconds === 50, "the silent session closed at its last message");
    expect(t.logs.some((l) => l.includes("'Living Room' has sent nothing for 91 s while playing"))).toBe(true);

    const {body} = await getJson(t.adminUrl, "/api/history/sessions");
    expect(body.sessions.map((s: Record<string, unknown>) => [s.startedAt, s.endedAt, s.seconds, s.open])).toEqual([
      [iso(NOON + 100_000), iso(NOON + 130_000), 30, false],
      [iso(NOON), iso(NOON + 20_000), 20, false],
    ]);
  });

  it("splits a session at midnight in the service's time zone; the sensor starts again from the midnight", async () => {
    // 23:59:30 in New York on 4 March 2031 (EST, UTC-5).
    const midnight = Date.parse("2031-03-05T05:00:00Z");
    const {sim, t, watcher: w} = await start(midnight - 30_000);
    sim.player(LIVING).insertCard("songs");
    await until(() => playback(w) === "playing", "the card playing");
    vi.setSystemTime(midnight + 15_000);
    await until(() => listening(w)?.date === "2031-03-05", "the new day on the sensor");
    expect(listening(w)).toEqual({today_minutes: 0.3, today_seconds: 15, date: "2031-03-05"});
    vi.setSystemTime(midnight + 45_000);
    await t.app.players.command(LIVING, {command: "pause"});
    await until(() => listening(w)?.today_seconds === 45, "the pause after midnight");

    const {body} = await getJson(t.adminUrl, `/api/history?days=2&player=${LIVING}`);
    expect(body.days).toEqual([
      {date: "2031-03-04", seconds: {[LIVING]: 30}},
      {date: "2031-03-05", seconds: {[LIVING]: 45}},
    ]);
    expect(body.today).toEqual({[LIVING]: 45});
    expect(t.app.history.todaySeconds(LIVING)).toBe(45);
    const sessions = (await getJson(t.adminUrl, "/api/history/sessions?from=2031-03-04&to=2031-03-04")).body.sessions;
    expect(sessions.map((s: {seconds: number}) => s.seconds)).toEqual([75]);
  });

  it("answers every wrong query with a 400 that says what to send, and an unknown player with the players there are", async () => {
    const {t} = await start(NOON);
    const cases: Array<[string, string]> = [
      ["/api/history?days=0", "'days' must be a whole number from 1 to 366, e.g. days=14"],
      ["/api/history?days=367", "'days' must be a whole number from 1 to 366, e.g. days=14"],
      ["/api/history?days=1.5", "'days' must be a whole number from 1 to 366, e.g. days=14"],
      ["/api/history?days=14&days=7", "'days' is given 2 times: give it once"],
      ["/api/history?player=", "'player' is empty: name a player by id or name, or leave it out for every player"],
      ["/api/history/sessions?from=2031-02-30", "'from' must be a date written YYYY-MM-DD, e.g. from=2025-01-31"],
      ["/api/history/sessions?to=4.3.2031", "'to' must be a date written YYYY-MM-DD, e.g. to=2025-01-31"],
      [
        "/api/history/sessions?from=2031-03-04&to=2031-03-01",
        "'from' (2031-03-04) is after 'to' (2031-03-01): give the earlier date as 'from'",
      ],
      ["/api/history/sessions?limit=0", "'limit' must be a whole number from 1 to 1000, e.g. limit=100"],
      ["/api/history/sessions?limit=1001", "'limit' must be a whole number from 1 to 1000, e.g. limit=100"],
    ];
    for (const [path, error] of cases)
      expect([path, await getJson(t.adminUrl, path)]).toEqual([path, {status: 400, body: {error, code: "bad_query"}}]);
    expect(await getJson(t.adminUrl, "/api/history?player=Kitchen")).toEqual({
      status: 404,
      body: {
        error: `No player 'Kitchen': known players are 'Living Room' (${LIVING}), 'Bedroom Mini' (${MINI})`,
        code: "not_found",
      },
    });
    expect(() => t.app.history.todaySeconds("Kitchen")).toThrow(/^No player 'Kitchen': known players are/);
  });
});
