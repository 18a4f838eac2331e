import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {simulateRules} from "../../../src/rules/simulate.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {discoveryProblems} from "../../helpers/discoverySchema.js";
import {jsonOf} from "../../helpers/http.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {startEngine} from "../../helpers/rules.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
let engineStack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await engineStack?.stop();
  await t?.stop();
  await sim?.stop();
  sim = t = engineStack = undefined;
});

const RULES = `
- id: quiet_card
  alias: Quiet card
  triggers:
    - trigger: card
      card: songs
  actions:
    - action: player.volume
      player: "{{ trigger.player_id }}"
      percent: 30
    - action: player.sleep_timer
      player: "{{ trigger.player_id }}"
      minutes: 20
- id: lights_out
  alias: Lights out
  triggers:
    - trigger: mqtt
      topic: home/lights_out
  actions:
    - action: player.stop
      player: "{{ trigger.payload_json.player }}"
    - action: mqtt.publish
      topic: home/lights_out/done
      payload: "{{ trigger.payload_json.player }}"
`;

describe("rules in the running service", () => {
  it("react to a card in a virtual player and to Home Assistant over MQTT, and show up as HA switches", async () => {
    sim = await startSimulator();
    addSongsCard(sim);
    t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints, republishDelayMs: () => 0});
    await writeFile(path.join(t.app.config.rules_dir, "rules.yaml"), RULES);
    await t.app.rules.reload();
    await linkAccount(t.app.account);
    await waitFor(() => t!.app.players.list().filter((p) => p.battery !== undefined).length === 2, "both players");

    sim.player(LIVING).insertCard("songs");
    await waitFor(
      () => sim!.player(LIVING).volume === 5 && sim!.player(LIVING).sleepTimer !== undefined,
      "the card rule to act",
    );
    // The player acts before its ack reaches us: the run completes once both acks are in.
    await waitFor(() => t!.app.rules.traces("quiet_card")[0]?.result !== "running", "the card rule's run to end");
    expect(t.app.rules.traces("quiet_card")[0]).toMatchObject({
      result: "completed",
      trigger: {type: "card", card_id: "songs", player: "Living Room"},
    });

    const w = await watchBroker(t.app.broker.connection(), [
      "home/#",
      "homeassistant/device/yoto_bridge_yoto/config",
      "yoto/bridge/#",
    ]);
    sim.player(MINI).insertCard("songs"); // physical insert on the Mini too: the rule runs there
    await waitFor(() => sim!.player(MINI).volume === 5, "the card rule on the Mini");
    await w.client.publishAsync("home/lights_out", JSON.stringify({player: "Bedroom Mini"}));
    await waitFor(() => w.last("home/lights_out/done") === "Bedroom Mini", "the MQTT rule's reply").catch((e) => {
      console.log(JSON.stringify(t!.app.rules.traces("lights_out"), null, 1));
      console.log(JSON.stringify(t!.app.rules.traces("quiet_card"), null, 1));
      throw e;
    });
    await waitFor(() => t!.app.players.get(MINI).playback.status === "stopped", "the Mini to stop");

    const bridge = w.lastJson("homeassistant/device/yoto_bridge_yoto/config");
    expect(discoveryProblems(bridge)).toEqual([]);
    expect(bridge.components.rule_lights_out).toMatchObject({platform: "switch", name: "Rule Lights out"});
    // Home Assistant turns the switch off: the rule stops reacting, and the choice survives restarts.
    await w.client.publishAsync("yoto/bridge/request/rules/enable", bridge.components.rule_lights_out.payload_off);
    await waitFor(() => w.lastJson("yoto/bridge/info")?.rules?.lights_out === false, "the switch state");
    await w.client.publishAsync("home/lights_out", JSON.stringify({player: "Living Room"}));
    await w.handledSoFar();
    expect(t.app.rules.traces("lights_out")).toHaveLength(1);
    await w.close();

    const api = await jsonOf(await fetch(`${t.adminUrl}/api/rules`));
    // The example file written into the empty folder at first start loads too.
    expect(api.rules.map((r: {id: string; enabled: boolean}) => [r.id, r.enabled])).toEqual([
      ["example_bedtime_volume", true],
      ["quiet_card", true],
      ["lights_out", false],
    ]);
    const bad = await fetch(`${t.adminUrl}/api/rules/lights_out`, {
      method: "PUT",
      headers: {"Content-Type": "application/json"},
      body: "{}",
    });
    expect([bad.status, (await jsonOf(bad)).error]).toEqual([400, 'Send {"enabled": true} or {"enabled": false}']);
    const traces = await jsonOf(await fetch(`${t.adminUrl}/api/rules/quiet_card/traces`));
    expect(traces.traces[0].actions.map((a: {type: string}) => a.type)).toEqual([
      "player.volume",
      "player.sleep_timer",
    ]);
  });
});

describe("rules listening on MQTT while the rule files reload", () => {
  it("lose no message: a reload keeps the broker subscriptions of rules that still want them", async () => {
    t = await startApp();
    const rules = `
- id: echo
  mode: queued
  triggers: [{trigger: mqtt, topic: home/ping}]
  actions:
    - action: mqtt.publish
      topic: home/pong
      payload: "{{ trigger.payload }}"
`;
    await writeFile(path.join(t.app.config.rules_dir, "echo.yaml"), rules);
    await t.app.rules.reload();
    const w = await watchBroker(t.app.broker.connection(), ["home/pong"]);
    // Editors save often: every reload re-attaches every rule while messages keep arriving.
    let reloading = true;
    let reloaded = 0;
    const reloads = (async () => {
      while (reloading) {
        await t!.app.rules.reload();
        reloaded++;
      }
      return reloaded;
    })();
    const sent: string[] = [];
    // At least 40 pings, and on until several reloads happened among them (pings are fast now).
    for (let i = 0; i < 40 || (reloaded < 8 && i < 5000); i++) {
      sent.push(String(i));
      await w.client.publishAsync("home/ping", String(i), {qos: 1});
    }
    await waitFor(() => w.seen.length >= sent.length, "every ping answered").catch(() => undefined);
    reloading = false;
    expect(await reloads).toBeGreaterThan(5);
    expect(w.seen.map((m) => m.payload).sort((a, b) => Number(a) - Number(b))).toEqual(sent);
    await w.close();
  });
});

describe("rules simulate", () => {
  it("names exactly the rules the engine then runs, with the same actions", async () => {
    const files = {
      "r.yaml": `
- id: bedtime
  triggers: [{trigger: time, at: "19:00"}]
  conditions: [{condition: time, weekday: [mon, tue]}]
  actions:
    - action: stream.replace
      stream: bedtime
      items: []
      mode: shuffle
- id: weekend_only
  triggers: [{trigger: time, at: "19:00"}]
  conditions: [{condition: time, weekday: [sat, sun]}]
  actions:
    - action: stream.clear
      stream: bedtime
- id: hourly
  triggers: [{trigger: time_pattern, minutes: 0}]
  actions:
    - action: log
      message: "on the hour"
- id: other_time
  triggers: [{trigger: time, at: "07:00"}]
  actions:
    - action: log
      message: morning
`,
    };
    const at = Date.parse("2026-12-01T19:00:00Z"); // a Tuesday, GMT in London
    engineStack = await startEngine(files);
    const {runs} = await simulateRules(engineStack.rulesDir, {
      at,
      timeZone: "Europe/London",
      services: {log: new Logger({sink: () => {}})},
    });
    await engineStack.stop();
    const predicted = runs.map((r) => [r.rule, r.result, r.would.map((w) => w.split(" ")[0])]).sort();
    expect(predicted).toEqual([
      ["bedtime", "completed", ["stream.replace"]],
      ["hourly", "completed", ["log"]],
      ["weekend_only", "condition_failed", []],
    ]);

    vi.useFakeTimers({now: at - 1000, toFake: ["setTimeout", "clearTimeout", "Date"]});
    engineStack = await startEngine(files);
    await vi.advanceTimersByTimeAsync(2000);
    await vi.waitFor(() =>
      expect(engineStack!.engine.traces("bedtime").every((tr) => tr.result !== "running")).toBe(true),
    );
    const actual = ["bedtime", "hourly", "weekend_only", "other_time"]
      .flatMap((id) => engineStack!.engine.traces(id).filter((tr) => tr.trigger.type !== "startup"))
      .map((tr) => [tr.rule, tr.result, tr.actions.map((a) => a.type)])
      .sort();
    expect(actual).toEqual(predicted);
    expect(engineStack.streams.get("bedtime").mode).toBe("shuffle");
  });
});
