import {readFile} from "node:fs/promises";
import path from "node:path";
import mqtt from "mqtt";
import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {bridgeEntityId} from "../../../src/bridge/discovery.js";
import {childEntityKey} from "../../../src/bridge/familyFeature.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {
  type Case,
  customTags,
  ENTITY_FILTER_KEYS,
  emptyStrings,
  inputsUsed,
  runAutomationBlueprint,
  SELECTOR_OPTIONS,
} from "../../helpers/haAutomations.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {nightNow} from "../../helpers/nightNow.js";
import {waitFor} from "../../helpers/players.js";
import {rainStream} from "../../helpers/rainStream.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const FILE = path.join(PACKAGE_ROOT, "blueprints/automation/yoto_smart_stream/sleep_sound.yaml");
const jinja = systemNeed("jinja");
const startLinked = linkedBridge();
const QUIET = bridgeEntityId(
  new BridgeTopics("yoto", "homeassistant"),
  "binary_sensor",
  childEntityKey("Mia", "quiet"),
);
const CRY = "binary_sensor.nursery_cry";
const DOOR = "binary_sensor.mias_door";
const INPUTS = {child: "Mia", sensors: [CRY, DOOR], quiet_sensor: QUIET, notify_action: "notify.mobile_app_pixel_8"};

describe("the shipped 'sleep sound when a child is up' blueprint", () => {
  it("is a valid automation blueprint: every input used, selectors Home Assistant knows, no empty strings", async () => {
    const text = await readFile(FILE, "utf8");
    // biome-ignore lint/suspicious/noExplicitAny: the YAML is read as Home Assistant reads it
    const bp: any = parse(text, {customTags, uniqueKeys: true});
    expect(text.split("\n").filter((line) => /\s$/.test(line))).toEqual([]);
    expect([bp.blueprint.domain, bp.blueprint.name, bp.mode, bp.max_exceeded]).toEqual([
      "automation",
      "Yoto - a sleep sound when a child is up",
      "single",
      "silent",
    ]);
    const declared = Object.keys(bp.blueprint.input).sort();
    const used = [...new Set(inputsUsed({t: bp.triggers, v: bp.variables, c: bp.conditions, a: bp.actions}))].sort();
    expect(used).toEqual(declared);
    for (const [name, spec] of Object.entries<{description: string; selector: Record<string, unknown>}>(
      bp.blueprint.input,
    )) {
      const [kind, ...more] = Object.keys(spec.selector);
      expect([kind && kind in SELECTOR_OPTIONS, more, spec.description.length > 20], name).toEqual([true, [], true]);
      for (const option of Object.keys((spec.selector[kind as string] ?? {}) as object))
        expect(SELECTOR_OPTIONS[kind as string], name).toContain(option);
    }
    for (const f of [
      ...bp.blueprint.input.sensors.selector.entity.filter,
      ...bp.blueprint.input.quiet_sensor.selector.entity.filter,
    ])
      for (const key of Object.keys(f)) expect(ENTITY_FILTER_KEYS).toContain(key);
    expect(bp.blueprint.input.quiet_sensor.description.replace("<child>", "mia")).toContain(QUIET);
    expect(emptyStrings(bp)).toEqual([]);
  });

  it.skipIf(!jinja.path)(
    "a sensor turning on after bedtime publishes the request Home Assistant sends, and the simulated Yoto plays the sound at the night volume; by day nothing",
    async () => {
      const cases: Case[] = [
        {states: {[QUIET]: "on"}, change: {entity_id: CRY, from: "off", to: "on"}},
        {states: {[QUIET]: "off"}, change: {entity_id: DOOR, from: "off", to: "on"}},
        {states: {[QUIET]: "on"}, change: {entity_id: CRY, from: "on", to: "off"}},
      ];
      const [night, day, quietAgain] = await runAutomationBlueprint(jinja.path as string, FILE, INPUTS, cases);
      expect([day?.calls, quietAgain?.calls]).toEqual([[], []]);
      const reason = `Mia is up (${CRY})`;
      expect(night?.calls).toEqual([
        {
          action: "mqtt.publish",
          target: {},
          data: {topic: "yoto/bridge/request/family/sleep", payload: {child: "Mia", reason}},
        },
        {
          action: "notify.mobile_app_pixel_8",
          target: {},
          data: {title: "Mia is up", message: `${reason}: the sleep sound is starting on Mia's Yoto.`},
        },
      ]);
      const publish = night?.calls[0]?.data as {topic: string; payload: unknown};

      const {sim, t} = await startLinked({app: {linkToOwnAudioListener: true}});
      await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
      await rainStream(t);
      const plan = {players: ["Bedroom Mini"], schedule: nightNow(), sleep: {sounds: ["stream:rain"], volume: 3}};
      expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);
      await waitFor(() => sim.player(MINI).volumeMax === 0, "the Mini muted for bedtime");

      // Home Assistant's mqtt.publish (components/mqtt: QoS 0, not retained; a rendered JSON payload sent as text).
      const ha = await mqtt.connectAsync(t.app.broker.connection().url, {
        ...t.app.broker.connection(),
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      try {
        await ha.publishAsync(publish.topic, JSON.stringify(publish.payload), {qos: 0, retain: false});
        await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the rain playing");
        await waitFor(() => sim.player(MINI).volumeMax === 3 && sim.player(MINI).volume === 3, "the night volume, 3");
        await waitFor(() => t.app.family.journal(1).some((e) => e.what === "sleep"), "the start journaled");
        const entry = t.app.family.journal(1).find((e) => e.what === "sleep");
        expect(entry?.text).toBe(`${reason}: 'Rain' on 'Bedroom Mini' at volume 3 until wake`);
      } finally {
        await ha.endAsync();
      }
    },
  );
});
