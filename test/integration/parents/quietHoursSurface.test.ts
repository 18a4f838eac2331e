import {describe, expect, it} from "vitest";
import type {QuietChanged} from "../../../src/parents/types.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {call} from "../../helpers/http.js";
import {type LinkedBridge, linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {readEvents} from "../../helpers/sse.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const HOUR = 3_600_000;

const startLinked = linkedBridge();

/** Poll in real time until `check` holds; the error says what was awaited. */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every `quiet.changed` the panel's live events carry, from the moment the stream is open. */
async function quietEvents(adminUrl: string) {
  const stream = readEvents(`${adminUrl}/api/events`);
  await stream.opened;
  return {
    get seen(): QuietChanged[] {
      return stream.seen.filter((e) => e.event === "quiet.changed").map((e) => e.data as QuietChanged);
    },
    close: stream.close,
  };
}

/**
 * The whole service on the simulator, linked, the Bedroom Mini's max volumes at 12 (day) and 9
 * (night), and the panel's live events read from the start.
 */
async function quietApp() {
  const stack = await startLinked({app: {timeZone: "Europe/London"}});
  const {t} = stack;
  await until(
    () =>
      t.app.players.list().length === 2 &&
      t.app.players.list().every((p) => p.settings?.dayMaxVolume !== undefined && p.volume.level !== undefined),
    "both players' settings and volume",
  );
  await t.app.players.command(MINI, {command: "settings", settings: {dayMaxVolume: 12, nightMaxVolume: 9}});
  const events = await quietEvents(t.adminUrl);
  return {
    ...stack,
    events,
    api: (method: string, path: string, body?: unknown) => call(method, `${t.adminUrl}${path}`, body),
  };
}

/** The max volumes as the simulated cloud holds the Mini's config (what the player obeys). */
const maxVolumes = ({sim}: LinkedBridge) => {
  const config = sim.player(MINI).config as Record<string, unknown>;
  return [config.maxVolumeLimit, config.nightMaxVolumeLimit];
};

const quietTopic = (id: string) => `yoto/${id}/quiet`;

/** What Home Assistant would take from the discovery payloads seen so far, rendered on the retained state. */
function discoveryProblems(w: Watcher): string[] {
  const last = new Map<string, string>();
  for (const m of w.seen) last.set(m.topic, m.payload);
  const payloads = [...last]
    .filter(([topic, payload]) => topic.startsWith("homeassistant/device/") && payload !== "")
    .map(([topic, payload]) => ({topic, payload: JSON.parse(payload) as Record<string, unknown>}));
  return checkDiscovery(payloads, last);
}

describe("quiet hours in the admin API, the live events and Home Assistant", () => {
  it("lists quiet hours, shows them on, and ends them now through the API with the volumes back", async () => {
    const s = await quietApp();
    const {t, watcher: w, events} = s;
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === false, "the sensor's first state");

    const end = Date.now() + 2 * HOUR;
    await t.app.quietHours.begin("Bedroom Mini", end);
    const endIso = new Date(end).toISOString();
    expect(maxVolumes(s)).toEqual(["0", "0"]);
    expect(await s.api("GET", "/api/quiet-hours")).toEqual({
      status: 200,
      body: {
        quiet: [
          {
            playerId: MINI,
            player: "Bedroom Mini",
            until: endIso,
            restore: {dayMaxVolume: 12, nightMaxVolume: 9},
            volume: 8,
          },
        ],
      },
    });
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === true, "the sensor to turn on");
    expect(w.lastJson(quietTopic(MINI))).toEqual({quiet: true, until: endIso});
    // Retained: Home Assistant connecting later gets it at once.
    const late = await watchBroker(t.app.broker.connection(), [quietTopic(MINI)]);
    await until(() => late.seen.length > 0, "the retained state");
    expect(late.seen[0]).toMatchObject({retain: true, payload: JSON.stringify({quiet: true, until: endIso})});
    await late.close();
    await until(() => events.seen.length > 0, "the live event");
    expect(events.seen).toEqual([{playerId: MINI, player: "Bedroom Mini", until: endIso}]);

    expect(await s.api("DELETE", `/api/players/${encodeURIComponent("bedroom mini")}/quiet`)).toEqual({
      status: 200,
      body: {
        playerId: MINI,
        player: "Bedroom Mini",
        restore: {dayMaxVolume: 12, nightMaxVolume: 9},
        volume: 8,
        restored: true,
      },
    });
    expect(maxVolumes(s)).toEqual(["12", "9"]);
    expect(await t.app.store.entries("quiet_hours")).toEqual([]);
    expect(await s.api("GET", "/api/quiet-hours")).toEqual({status: 200, body: {quiet: []}});
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === false, "the sensor to turn off");
    expect(w.lastJson(quietTopic(MINI))).toEqual({quiet: false, until: null});
    await until(() => events.seen.length === 2, "the live event for the end");
    expect(events.seen[1]).toEqual({playerId: MINI, player: "Bedroom Mini"});
    expect(t.logs.some((l) => l.includes("Quiet hours on 'Bedroom Mini' ended early"))).toBe(true);

    // Once more: nothing to end, said as such; an unknown player names the known ones.
    expect(await s.api("DELETE", `/api/players/${MINI}/quiet`)).toEqual({
      status: 404,
      body: {error: "'Bedroom Mini' is not in quiet hours: there is nothing to end", code: "not_quiet"},
    });
    expect(await s.api("DELETE", "/api/players/Kitchen/quiet")).toEqual({
      status: 404,
      body: {
        error: `No player 'Kitchen': known players are 'Living Room' (${LIVING}), 'Bedroom Mini' (${MINI})`,
        code: "not_found",
      },
    });
    events.close();
  });

  it("starts quiet hours from the panel at a time of day, and refuses what the rule action refuses", async () => {
    const s = await quietApp();
    const answer = await s.api("POST", `/api/players/${MINI}/quiet`, {until: "07:00"});
    expect(answer.status).toBe(200);
    const end = new Date(answer.body.until).getTime();
    // The next 07:00 in London: within a day.
    expect(end > Date.now() && end <= Date.now() + 24 * HOUR).toBe(true);
    expect(new Intl.DateTimeFormat("en-GB", {timeZone: "Europe/London", timeStyle: "short"}).format(end)).toBe("07:00");
    expect(answer.body).toEqual({
      playerId: MINI,
      player: "Bedroom Mini",
      until: answer.body.until,
      restore: {dayMaxVolume: 12, nightMaxVolume: 9},
      // The volume it had comes back with the max volumes: max volume 0 pulls the volume to 0.
      volume: 8,
    });
    expect(maxVolumes(s)).toEqual(["0", "0"]);
    expect(await s.t.app.store.entries("quiet_hours")).toEqual([
      [
        MINI,
        {
          playerId: MINI,
          player: "Bedroom Mini",
          until: end,
          restore: {dayMaxVolume: 12, nightMaxVolume: 9},
          before: 8,
          volume: 8,
        },
      ],
    ]);

    expect(await s.api("POST", `/api/players/${MINI}/quiet`, {until: "7pm"})).toEqual({
      status: 400,
      body: {error: `'until' must be a time of day such as "07:00" (HH:MM or HH:MM:SS; got "7pm")`, code: "bad_until"},
    });
    expect(await s.api("POST", `/api/players/${MINI}/quiet`, {})).toEqual({
      status: 400,
      body: {error: `'until' must be a time of day such as "07:00" (HH:MM or HH:MM:SS; got null)`, code: "bad_until"},
    });
    expect(await s.api("POST", `/api/players/${MINI}/quiet`, {until: "07:00", minutes: 5})).toEqual({
      status: 400,
      body: {
        error: `Unknown field 'minutes': Send {"until": "07:00"}: the time of day quiet hours end`,
        code: "bad_quiet",
      },
    });
    expect(await s.api("POST", `/api/players/${MINI}/quiet`, ["07:00"])).toEqual({
      status: 400,
      body: {error: `Send {"until": "07:00"}: the time of day quiet hours end`, code: "bad_quiet"},
    });
    expect((await s.api("POST", "/api/players/Kitchen/quiet", {until: "07:00"})).status).toBe(404);
    s.events.close();
  });

  it("ends quiet hours from Home Assistant's button, with discovery Home Assistant takes", async () => {
    const s = await quietApp();
    const {t, watcher: w} = s;
    await t.app.quietHours.begin(MINI, Date.now() + HOUR);
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === true, "the sensor to turn on");

    const discovery = w.lastJson(`homeassistant/device/yoto_${MINI}_yoto/config`);
    expect(discovery.components.quiet_hours).toEqual({
      platform: "binary_sensor",
      unique_id: `yoto_${MINI}_quiet_hours_yoto`,
      default_entity_id: "binary_sensor.bedroom_mini_quiet_hours",
      name: "Quiet hours",
      icon: "mdi:volume-off",
      state_topic: `yoto/${MINI}/quiet`,
      value_template: "{{ 'ON' if value_json.quiet else 'OFF' }}",
      json_attributes_topic: `yoto/${MINI}/quiet`,
      json_attributes_template: "{{ {'until': value_json.until} | tojson }}",
      availability: [{topic: "yoto/bridge/state", value_template: "{{ value_json.state }}"}],
    });
    const button = discovery.components.end_quiet_hours;
    expect(button).toEqual({
      platform: "button",
      unique_id: `yoto_${MINI}_end_quiet_hours_yoto`,
      default_entity_id: "button.bedroom_mini_end_quiet_hours",
      name: "End quiet hours",
      icon: "mdi:volume-high",
      command_topic: "yoto/bridge/request/player/quiet/end",
      payload_press: JSON.stringify({player: MINI}),
      availability: [
        {topic: "yoto/bridge/state", value_template: "{{ value_json.state }}"},
        {topic: `yoto/${MINI}/quiet`, value_template: "{{ 'online' if value_json.quiet else 'offline' }}"},
      ],
      availability_mode: "all",
    });
    expect(discoveryProblems(w)).toEqual([]);

    // Home Assistant presses the button: it publishes payload_press on the command topic.
    await w.client.publishAsync(button.command_topic, button.payload_press);
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === false, "the sensor to turn off");
    expect(maxVolumes(s)).toEqual(["12", "9"]);
    expect(await t.app.store.entries("quiet_hours")).toEqual([]);
    await until(() => w.last("yoto/bridge/response/player/quiet/end") !== undefined, "the answer");
    expect(w.lastJson("yoto/bridge/response/player/quiet/end")).toEqual({
      status: "ok",
      data: {
        playerId: MINI,
        player: "Bedroom Mini",
        restore: {dayMaxVolume: 12, nightMaxVolume: 9},
        volume: 8,
        restored: true,
      },
    });

    // Pressed again: the answer says there is nothing to end.
    await w.client.publishAsync(button.command_topic, JSON.stringify({player: MINI, transaction: 7}));
    await until(() => w.lastJson("yoto/bridge/response/player/quiet/end")?.transaction === 7, "the second answer");
    expect(w.lastJson("yoto/bridge/response/player/quiet/end")).toEqual({
      status: "error",
      data: {},
      error: "'Bedroom Mini' is not in quiet hours: there is nothing to end",
      transaction: 7,
    });
    s.events.close();
  });

  it("turns the sensor off at the timed end too", async () => {
    const s = await quietApp();
    const {t, watcher: w} = s;
    await t.app.quietHours.begin(MINI, Date.now() + 300);
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === true, "the sensor to turn on");
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === false, "the sensor to turn off at the end");
    expect(maxVolumes(s)).toEqual(["12", "9"]);
    await until(() => s.events.seen.length === 2, "both live events");
    expect(s.events.seen[1]).toEqual({playerId: MINI, player: "Bedroom Mini"});
    s.events.close();
  });

  it("ends quiet hours of an offline player at once on record, and gives the volumes back on its return", async () => {
    const s = await quietApp();
    const {t, sim, watcher: w} = s;
    await t.app.quietHours.begin(MINI, Date.now() + HOUR);
    sim.player(MINI).setOnline(false);
    await until(() => !t.app.players.get(MINI).online, "the Mini to go offline");

    const before = Date.now();
    const waiting = "the player is offline; it is done when it comes back";
    expect(await s.api("DELETE", `/api/players/${MINI}/quiet`)).toEqual({
      status: 200,
      body: {
        playerId: MINI,
        player: "Bedroom Mini",
        restore: {dayMaxVolume: 12, nightMaxVolume: 9},
        volume: 8,
        restored: false,
        waiting,
      },
    });
    expect(maxVolumes(s)).toEqual(["0", "0"]);
    // The earlier end is saved: a restart now would not keep the Mini muted for the hour.
    const [[, saved]] = (await t.app.store.entries<{until: number}>("quiet_hours")) as [[string, {until: number}]];
    expect(saved.until >= before && saved.until <= Date.now()).toBe(true);
    const listed = (await s.api("GET", "/api/quiet-hours")).body.quiet;
    expect(listed).toEqual([
      {
        playerId: MINI,
        player: "Bedroom Mini",
        until: new Date(saved.until).toISOString(),
        restore: {dayMaxVolume: 12, nightMaxVolume: 9},
        volume: 8,
        waiting,
      },
    ]);
    // Still held at 0: Home Assistant keeps showing quiet hours until the volumes are back.
    expect(w.lastJson(quietTopic(MINI))).toEqual({quiet: true, until: new Date(saved.until).toISOString()});

    sim.player(MINI).setOnline(true);
    await until(() => maxVolumes(s)[0] === "12", "the volumes back once the Mini is online");
    expect(maxVolumes(s)).toEqual(["12", "9"]);
    await until(() => w.lastJson(quietTopic(MINI))?.quiet === false, "the sensor to turn off");
    await until(async () => (await t.app.store.entries("quiet_hours")).length === 0, "the record to go");
    s.events.close();
  });
});
