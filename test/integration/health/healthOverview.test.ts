import {describe, expect, it} from "vitest";
import type {HealthOverview} from "../../../src/shared/api/health.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp} from "../../helpers/app.js";
import {discoveryProblems} from "../../helpers/discoverySchema.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const BRIDGE_DISCOVERY = "homeassistant/device/yoto_bridge_yoto/config";
const HEALTH_TOPIC = "yoto/bridge/health";

const startLinked = linkedBridge();

/** A second without a word is "silent" here; real installations wait 15 minutes. */
const SILENT_AFTER_MINUTES = 1 / 60;

function startWatched(silentAfterMinutes = SILENT_AFTER_MINUTES) {
  return startLinked({
    app: {health: {silentAfterMinutes, refreshMs: 200}},
    // A playing player speaks every 200 ms; an idle one only every 5 minutes, as real ones do.
    simulator: {eventsIntervalMs: 200},
  });
}

async function overview(adminUrl: string): Promise<HealthOverview> {
  const res = await fetch(`${adminUrl}/api/health/overview`);
  expect(res.status).toBe(200);
  return (await res.json()) as HealthOverview;
}

/** The last message on every topic: what a Home Assistant connecting now would receive. */
function lastOnEveryTopic(w: Watcher): Map<string, string> {
  const last = new Map<string, string>();
  for (const m of w.seen) last.set(m.topic, m.payload);
  return last;
}

describe("the health overview, on the simulated cloud", () => {
  it("shows the cloud link and token expiry, each player's last event, and flags an online player gone quiet", async () => {
    // An hour's quiet first, so a busy machine's slow second is no silence; a second's once it is looked for.
    const began = Date.now();
    const {sim, t} = await startWatched(60);
    await waitFor(() => t.app.players.cloud.state === "connected", "the cloud connection");
    await waitFor(() => t.app.players.list().every((p) => p.lastSeen !== undefined), "both players heard");
    const linked = t.app.account.status();
    const first = await overview(t.adminUrl);
    expect(first.status, JSON.stringify(first.services)).toBe("ok");
    expect(first.attention).toEqual([]);
    expect(first.version).toBe("test");
    expect(first.cloud).toEqual({state: "connected", account: "linked", tokenExpiresAt: linked.expiresAt});
    expect(Date.parse(first.cloud.tokenExpiresAt as string)).toBeGreaterThan(Date.now());
    expect(first.silentAfterMinutes).toBe(60);
    expect(first.players.map((p) => [p.name, p.online, p.silent])).toEqual([
      ["Living Room", true, false],
      ["Bedroom Mini", true, false],
    ]);
    for (const p of first.players) {
      // The player's own last event (it may have spoken again since).
      const heard = Date.parse(p.lastEventAt as string);
      expect(heard).toBeLessThanOrEqual(Date.parse(t.app.players.get(p.id).lastSeen as string));
      // Heard since this test began, and quiet no longer than that.
      expect(heard).toBeGreaterThanOrEqual(began - 1000);
      expect(p.silentSeconds).toBeLessThanOrEqual(Math.ceil((Date.now() - began) / 1000));
    }
    expect(first.services["yoto-players"]?.state).toBe("running");
    expect(first.memory.rssMb).toBeGreaterThan(first.memory.heapUsedMb);
    expect(first.memory.heapUsedMb).toBeGreaterThan(1);

    // The Living Room plays, and so reports every 200 ms; the Mini sits idle and says nothing. Five
    // seconds' quiet is silence now: more than a busy machine holds back the Living Room's next word.
    (t.app.healthMonitor as {silentAfterMinutes: number}).silentAfterMinutes = 5 / 60;
    sim.player(LIVING).insertCard("songs");
    await waitFor(
      () => t.app.healthMonitor.overview().players.some((p) => p.id === MINI && p.silent),
      "the Mini flagged silent",
      20_000,
    );
    const quiet = await overview(t.adminUrl);
    const mini = quiet.players.find((p) => p.id === MINI);
    expect(mini).toMatchObject({name: "Bedroom Mini", online: true, silent: true});
    expect(mini?.silentSeconds).toBeGreaterThanOrEqual(1);
    expect(quiet.players.find((p) => p.id === LIVING)).toMatchObject({online: true, silent: false});
    expect(quiet.status).toBe("degraded");
    expect(quiet.attention).toEqual(["Not heard from for a while: Bedroom Mini."]);

    // Switched off is offline, not silent: nothing is expected from it.
    sim.player(MINI).powerOff();
    await waitFor(() => !t.app.players.get(MINI).online, "the Mini offline");
    expect((await overview(t.adminUrl)).players.find((p) => p.id === MINI)).toMatchObject({
      online: false,
      silent: false,
    });
  });

  it("counts stream requests and those answered with an error", async () => {
    const {t} = await startWatched();
    await t.app.streams.replace("bedtime", []);
    const url = `${t.audioUrl}${t.app.signer.sign("/streams/bedtime.mp3")}`;
    // A range past the end of the (silent) stream: 416.
    const past = await fetch(url, {headers: {Range: "bytes=99999999-", "User-Agent": "player-a"}});
    expect(past.status).toBe(416);
    const ok = await fetch(url, {headers: {"User-Agent": "player-b"}});
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    await waitFor(() => t.app.healthMonitor.overview().streams.requests === 2, "both requests counted");
    const {streams} = await overview(t.adminUrl);
    expect(streams).toEqual({
      requests: 2,
      errors: 1,
      lastError: {at: expect.any(String), stream: "bedtime", status: 416},
    });
    // A card made for a stream since deleted still asks for it through a link we signed: an error.
    const gone = await fetch(`${t.audioUrl}${t.app.signer.sign("/streams/old-mix.mp3")}`);
    expect(gone.status).toBe(404);
    await gone.arrayBuffer();
    // Unsigned, it is anyone's guess: not counted.
    expect((await fetch(`${t.audioUrl}/streams/bedtime.mp3`)).status).toBe(404);
    expect((await overview(t.adminUrl)).streams).toEqual({
      requests: 3,
      errors: 2,
      lastError: {at: expect.any(String), stream: "old-mix", status: 404},
    });
  });
  it("says what needs a person on a fresh install: no account linked is not 'everything is working'", async () => {
    const t = await startApp();
    try {
      const fresh = await overview(t.adminUrl);
      expect(fresh.status).toBe("degraded");
      expect(fresh.attention).toEqual(["No Yoto account is linked yet: link one in the Account tab."]);
      // The watchdog's liveness check is not the Health page: the add-on must not be restarted for it.
      expect((await fetch(`${t.adminUrl}/api/health`)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});

describe("the bridge's health sensors in Home Assistant", () => {
  it("are discovered on the bridge device as HA takes them, with their state on a retained topic refreshed without rediscovery", async () => {
    const {sim, t, watcher: w} = await startWatched();
    await waitFor(() => w.lastJson(BRIDGE_DISCOVERY)?.components?.token_expiry !== undefined, "the health sensors");
    const components = w.lastJson(BRIDGE_DISCOVERY).components;
    expect(components.token_expiry).toEqual({
      platform: "sensor",
      unique_id: "yoto_bridge_token_expiry_yoto",
      default_entity_id: "sensor.yoto_smart_stream_token_expiry",
      name: "Yoto access renews",
      state_topic: HEALTH_TOPIC,
      device_class: "timestamp",
      entity_category: "diagnostic",
      icon: "mdi:key-chain",
      value_template: "{{ value_json.token_expires_at }}",
    });
    expect(components.silent_players).toMatchObject({platform: "sensor", state_class: "measurement"});
    expect(components.silent_players.entity_category).toBeUndefined();
    for (const key of ["stream_requests", "stream_errors"])
      expect(components[key]).toMatchObject({state_class: "total_increasing", entity_category: "diagnostic"});
    expect(components.memory).toMatchObject({
      device_class: "data_size",
      unit_of_measurement: "MB",
      entity_category: "diagnostic",
    });
    // The cloud connection is the bridge's own connectivity sensor.
    expect(components.cloud).toMatchObject({platform: "binary_sensor", device_class: "connectivity"});

    // Linking published the expiry; a silent player and a stream error follow within a refresh.
    await waitFor(
      () => w.lastJson(HEALTH_TOPIC)?.token_expires_at === t.app.account.status().expiresAt,
      "the token expiry",
    );
    sim.player(LIVING).insertCard("songs");
    await t.app.streams.replace("bedtime", []);
    const url = `${t.audioUrl}${t.app.signer.sign("/streams/bedtime.mp3")}`;
    expect((await fetch(url, {headers: {Range: "bytes=99999999-"}})).status).toBe(416);
    await waitFor(
      () => w.lastJson(HEALTH_TOPIC)?.silent_players === 1 && w.lastJson(HEALTH_TOPIC)?.stream_errors === 1,
      "the Mini silent and the error counted, in Home Assistant",
    );
    expect(w.lastJson(HEALTH_TOPIC)).toMatchObject({
      status: "degraded",
      silent_players: 1,
      silent_player_names: ["Bedroom Mini"],
      stream_requests: 1,
      stream_errors: 1,
      last_stream_error: {stream: "bedtime", status: 416},
    });
    expect(w.lastJson(HEALTH_TOPIC).memory_mb).toBeGreaterThan(1);
    // Retained: a Home Assistant that connects later is told at once.
    const late = await watchBroker(t.app.broker.connection(), [HEALTH_TOPIC]);
    try {
      await waitFor(() => late.seen.length > 0, "the retained health state");
      expect(late.seen[0]).toMatchObject({topic: HEALTH_TOPIC, retain: true});
    } finally {
      await late.close();
    }

    const last = lastOnEveryTopic(w);
    expect(discoveryProblems(w.lastJson(BRIDGE_DISCOVERY))).toEqual([]);
    expect(
      checkDiscovery([{topic: BRIDGE_DISCOVERY, payload: JSON.parse(last.get(BRIDGE_DISCOVERY) as string)}], last),
    ).toEqual([]);

    // Refreshes go to the state topic only: discovery is not sent again for them.
    const count = (topic: string) => w.seen.filter((m) => m.topic === topic).length;
    const [discoveries, states] = [count(BRIDGE_DISCOVERY), count(HEALTH_TOPIC)];
    await waitFor(() => count(HEALTH_TOPIC) >= states + 2, "two refreshes");
    expect(count(BRIDGE_DISCOVERY)).toBe(discoveries);

    // The Mini switched off: no longer silent (going offline publishes the count again).
    sim.player(MINI).powerOff();
    await waitFor(() => w.lastJson(HEALTH_TOPIC)?.silent_players === 0, "the Mini no longer counted");
  });
});
