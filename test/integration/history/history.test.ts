import {describe, expect, it, vi} from "vitest";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {getJson, historyStack, LIVING, MINI, until, ZONE} from "../../helpers/historyStack.js";
import type {Watcher} from "../../helpers/linkedBridge.js";
import {watchBroker} from "../../helpers/mqtt.js";

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
    vi.setSystemTime(NOON + 88_000);
    await t.app.players.command(LIVING, {command: "pause"});
    await until(() => listening(w)?.today_seconds === 88, "the sensor at 88 s");
    // One line per session, for the Logs view's player filter.
    await until(
      () => t.logs.some((l) => l.includes("INFO (history): Living Room listened to 'Songs' for 1 min 28 s")),
      "the session's log line",
    );

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
          endedAt: iso(NOON + 88_000),
          seconds: 88,
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
          {date: "2031-03-04", seconds: {[LIVING]: 88, [MINI]: 0}},
        ],
        today: {[LIVING]: 88, [MINI]: 0},
        retentionDays: 365,
      },
    });
    // One player, by name in any case.
    expect((await getJson(t.adminUrl, "/api/history?days=1&player=living%20ROOM")).body.days).toEqual([
      {date: "2031-03-04", seconds: {[LIVING]: 88}},
    ]);
    expect(t.app.history.todaySeconds("living room")).toBe(88);
    expect(t.app.history.todaySeconds(MINI)).toBe(0);

    // Home Assistant: the sensor's discovery on the player's device, checked on what it would render.
    // Minutes to two places: 1.47 shows as "1 min" in Home Assistant, as in the panel (a tenth, 1.5, showed "2 min").
    expect(listening(w)).toEqual({today_minutes: 1.47, today_seconds: 88, date: "2031-03-04"});
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
      // Both rows written (the sensor may move before the second insert lands), each with its title.
      (r) => r.body.sessions?.length === 2 && r.body.sessions.every((s: {cardTitle?: string}) => s.cardTitle),
      "both sessions with their titles",
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
    // Online first (its presence), then what it plays (its status): a message apart.
    await until(() => w.lastJson(`yoto/${LIVING}`)?.online === true, "the player back");
    await until(() => playback(w) === "stopped", "the player back, stopped");
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

    // Listed once written: on a busy machine the last close can still be on its way to the file.
    let body: {sessions: Array<Record<string, unknown>>} = {sessions: []};
    await until(async () => {
      body = (await getJson(t.adminUrl, "/api/history/sessions")).body;
      return body.sessions.length >= 2;
    }, "both sessions written");
    expect(body.sessions.map((s: Record<string, unknown>) => [s.startedAt, s.endedAt, s.seconds, s.open])).toEqual([
      [iso(NOON + 100_000), iso(NOON + 130_000), 30, false],
      [iso(NOON), iso(NOON + 20_000), 20, false],
    ]);
  });

  it("never lowers Listening today when a player falls silent mid-play: an open session counts to its last message, everywhere", async () => {
    const {sim, t, watcher: w} = await start(NOON);
    const player = sim.player(LIVING);
    player.insertCard("songs");
    await until(() => playback(w) === "playing", "the card playing");
    vi.setSystemTime(NOON + 30_000);
    player.turnKnob(1);
    await until(() => t.app.players.get(LIVING).volume.level === 9, "the knob's event");
    // Its last message: the player still says "playing", but nothing more comes.
    player.silenceEvents();

    // A minute in, the open session is checkpointed and the sensor moves on: to what was heard.
    vi.setSystemTime(NOON + 70_000);
    await until(() => (listening(w)?.today_seconds ?? 0) > 0, "the checkpoint on the sensor");
    expect(listening(w)).toEqual({today_minutes: 0.5, today_seconds: 30, date: "2031-03-04"});
    // The page's tiles, its chart and the open session say the same.
    const summary = (await getJson(t.adminUrl, `/api/history?days=1&player=${LIVING}`)).body;
    const [open] = (await getJson(t.adminUrl, "/api/history/sessions")).body.sessions;
    expect([summary.today[LIVING], summary.days[0].seconds[LIVING], open.seconds, open.open]).toEqual([
      30,
      30,
      30,
      true,
    ]);
    expect(t.app.history.todaySeconds(LIVING)).toBe(30);

    // 91 s after its last message it is closed there, at 30 s: the same figure, not a drop.
    vi.setSystemTime(NOON + 30_000 + 91_000);
    await until(() => t.app.history.health().details.playing === 0, "the silent session closed");
    await until(() => t.logs.some((l) => l.includes("has sent nothing for 91 s")), "the log of the silence");
    expect(t.app.history.todaySeconds(LIVING)).toBe(30);
    const published = w.seen
      .filter((m) => m.topic === `yoto/${LIVING}/listening` && m.payload !== "")
      .map((m) => JSON.parse(m.payload) as {today_seconds: number; today_minutes: number});
    expect(published.length).toBeGreaterThan(1);
    for (let i = 1; i < published.length; i++) {
      expect(published[i]!.today_seconds).toBeGreaterThanOrEqual(published[i - 1]!.today_seconds);
      expect(published[i]!.today_minutes).toBeGreaterThanOrEqual(published[i - 1]!.today_minutes);
    }
    expect(published.at(-1)).toEqual({today_minutes: 0.5, today_seconds: 30, date: "2031-03-04"});
  });

  it("splits a session at midnight in the service's time zone; the sensor starts again from the midnight", async () => {
    // 23:59:30 in New York on 4 March 2031 (EST, UTC-5).
    const midnight = Date.parse("2031-03-05T05:00:00Z");
    const {sim, t, watcher: w} = await start(midnight - 30_000);
    sim.player(LIVING).insertCard("songs");
    await until(() => playback(w) === "playing", "the card playing");
    vi.setSystemTime(midnight + 15_000);
    await until(() => listening(w)?.date === "2031-03-05", "the new day on the sensor");
    // Nothing heard from the player since midnight yet: the new day starts from 0.
    expect(listening(w)).toEqual({today_minutes: 0, today_seconds: 0, date: "2031-03-05"});
    sim.player(LIVING).turnKnob(1);
    await until(() => t.app.history.todaySeconds(LIVING) === 15, "15 s heard after midnight");
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
    // The session's row is written after the pause is heard: on a busy machine, a moment later.
    let sessions: Array<{seconds: number; open: boolean}> = [];
    await until(async () => {
      sessions = (await getJson(t.adminUrl, "/api/history/sessions?from=2031-03-04&to=2031-03-04")).body.sessions;
      return sessions.length > 0 && sessions.every((s) => !s.open);
    }, "the session across midnight written");
    expect(sessions.map((s) => s.seconds)).toEqual([75]);
  });

  it("answers every wrong query with a 400 that says what to send, and an unknown player with the players there are", async () => {
    const {t} = await start(NOON);
    const cases: Array<[string, string]> = [
      ["/api/history?days=0", "'days' must be a whole number from 1 to 366, e.g. days=14, not '0'"],
      ["/api/history?days=367", "'days' must be a whole number from 1 to 366, e.g. days=14, not '367'"],
      ["/api/history?days=1.5", "'days' must be a whole number from 1 to 366, e.g. days=14, not '1.5'"],
      ["/api/history?days=14&days=7", "'days' is given 2 times ('14', '7'): give it once"],
      ["/api/history?player=", "'player' must name a player by id or name, not '': leave it out for every player"],
      [
        "/api/history?player=%20%20",
        "'player' must name a player by id or name, not '  ': leave it out for every player",
      ],
      [
        "/api/history/sessions?from=2031-02-30",
        "'from' (2031-02-30) is not a day in the calendar: check the month and the day",
      ],
      [
        "/api/history/sessions?to=4.3.2031",
        "'to' must be a date written YYYY-MM-DD, e.g. to=2025-01-31, not '4.3.2031'",
      ],
      // Well-formed, but past the last date a range can end on: the message says which dates are taken.
      [
        "/api/history/sessions?from=9999-12-31",
        "'from' (9999-12-31) is out of range: give a date from 1970-01-01 to 9998-12-31",
      ],
      [
        "/api/history/sessions?to=1969-12-31",
        "'to' (1969-12-31) is out of range: give a date from 1970-01-01 to 9998-12-31",
      ],
      [
        "/api/history/sessions?from=2031-03-04&to=2031-03-01",
        "'from' (2031-03-04) is after 'to' (2031-03-01): give the earlier date as 'from'",
      ],
      ["/api/history/sessions?limit=0", "'limit' must be a whole number from 1 to 1000, e.g. limit=100, not '0'"],
      ["/api/history/sessions?limit=1001", "'limit' must be a whole number from 1 to 1000, e.g. limit=100, not '1001'"],
    ];
    for (const [path, error] of cases)
      expect([path, await getJson(t.adminUrl, path)]).toEqual([path, {status: 400, body: {error, code: "bad_query"}}]);
    // The first and last dates taken are taken.
    expect((await getJson(t.adminUrl, "/api/history/sessions?from=1970-01-01&to=9998-12-31")).status).toBe(200);
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
