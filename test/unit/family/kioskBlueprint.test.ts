import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {bridgeEntityId} from "../../../src/bridge/discovery.js";
import {childEntityKey} from "../../../src/bridge/familyFeature.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {
  type Call,
  type Case,
  customTags,
  ENTITY_FILTER_KEYS,
  emptyStrings,
  Input,
  inputsUsed,
  runAutomationBlueprint,
  SELECTOR_OPTIONS,
} from "../../helpers/haAutomations.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const FILE = path.join(PACKAGE_ROOT, "blueprints/automation/yoto_smart_stream/kiosk_screen.yaml");
const jinja = systemNeed("jinja");
const runBlueprint = (python: string, inputs: Record<string, unknown>, cases: Case[]) =>
  runAutomationBlueprint(python, FILE, inputs, cases);

const QUIET = bridgeEntityId(
  new BridgeTopics("yoto", "homeassistant"),
  "binary_sensor",
  childEntityKey("Mia", "quiet"),
);
const goes = (from: string, to: string): Case => ({change: {entity_id: QUIET, from, to}});
const started = (state: string): Case => ({start: true, states: {[QUIET]: state}});
const call = (action: string, entity: string, data: Record<string, unknown> = {}): Call => ({
  action,
  target: {entity_id: entity},
  data,
});

describe("the shipped 'tablet screen at bedtime' blueprint", () => {
  it("is a valid automation blueprint: every input used, selectors Home Assistant knows, no empty strings", async () => {
    const text = await readFile(FILE, "utf8");
    // biome-ignore lint/suspicious/noExplicitAny: the YAML is read as Home Assistant reads it
    const bp: any = parse(text, {customTags, uniqueKeys: true});
    expect(text.split("\n").filter((line) => /\s$/.test(line))).toEqual([]);
    expect(bp.blueprint.domain).toBe("automation");
    expect(bp.blueprint.name).toBe("Yoto - the child's tablet screen at bedtime");
    expect(bp.blueprint.homeassistant.min_version).toBe("2024.10.0");
    expect(bp.blueprint.description.length).toBeGreaterThan(100);
    expect(bp.mode).toBe("restart");
    expect(Object.keys(bp.blueprint.input)).toEqual([
      "quiet_sensor",
      "screen",
      "moon_time",
      "dim_brightness",
      "wake_brightness",
    ]);
    const declared = Object.keys(bp.blueprint.input).sort();
    const used = [
      ...new Set(
        inputsUsed({triggers: bp.triggers, variables: bp.variables, conditions: bp.conditions, actions: bp.actions}),
      ),
    ].sort();
    expect(used).toEqual(declared);
    for (const [name, spec] of Object.entries<{name: string; description: string; selector: Record<string, unknown>}>(
      bp.blueprint.input,
    )) {
      expect(spec.name.length, name).toBeGreaterThan(0);
      expect(spec.description.length, name).toBeGreaterThan(0);
      const [kind, ...more] = Object.keys(spec.selector);
      expect(more, name).toEqual([]);
      expect(Object.keys(SELECTOR_OPTIONS), name).toContain(kind);
      const options = (spec.selector[kind as string] ?? {}) as Record<string, unknown>;
      for (const option of Object.keys(options)) expect(SELECTOR_OPTIONS[kind as string], name).toContain(option);
    }
    expect(emptyStrings(bp)).toEqual([]);
    // The child's quiet: the add-on's binary sensor, through Home Assistant's MQTT integration.
    const quiet = bp.blueprint.input.quiet_sensor;
    expect(quiet.selector.entity.filter).toEqual([{domain: "binary_sensor", integration: "mqtt"}]);
    expect(quiet.description.replace("<child>", "mia")).toContain(QUIET);
    // The screen: any light or switch (Fully Kiosk's Screen light among them).
    expect(bp.blueprint.input.screen.selector.entity.filter).toEqual([{domain: ["light", "switch"]}]);
    for (const f of [...quiet.selector.entity.filter, ...bp.blueprint.input.screen.selector.entity.filter])
      for (const key of Object.keys(f)) expect(ENTITY_FILTER_KEYS).toContain(key);
    expect(bp.blueprint.input.moon_time.default).toEqual({minutes: 2});
    expect(bp.blueprint.input.dim_brightness.default).toBe(0);
    expect(bp.blueprint.input.dim_brightness.selector.number).toMatchObject({min: 0, max: 100});
    expect(bp.blueprint.input.wake_brightness.default).toBe(100);
    // The quiet trigger waits out the moon; wake and Home Assistant's start do not wait.
    expect(bp.triggers.map((t: {trigger: string; id: string}) => `${t.trigger}:${t.id}`)).toEqual([
      "state:quiet",
      "state:wake",
      "homeassistant:start",
    ]);
    expect(bp.triggers[0].for).toEqual(new Input("moon_time"));
    expect(bp.triggers[2].event).toBe("start");
  });

  it.skipIf(!jinja.path)("turns a Fully Kiosk screen off after the moon at quiet, and on at wake", async () => {
    const screen = "light.mia_tablet_screen";
    const ran = await runBlueprint(jinja.path as string, {quiet_sensor: QUIET, screen}, [
      goes("off", "on"),
      goes("on", "off"),
      goes("unavailable", "on"),
      goes("on", "unavailable"),
      goes("unknown", "off"),
    ]);
    expect(ran).toEqual([
      {fired: [{id: "quiet", for: {minutes: 2}}], calls: [call("light.turn_off", screen)]},
      {fired: [{id: "wake", for: null}], calls: [call("light.turn_on", screen)]},
      {fired: [{id: "quiet", for: {minutes: 2}}], calls: [call("light.turn_off", screen)]},
      // The add-on out of reach says nothing about bedtime: the screen is left as it is.
      {fired: [], calls: []},
      {fired: [{id: "wake", for: null}], calls: [call("light.turn_on", screen)]},
    ]);
  });

  it.skipIf(!jinja.path)("turns a plain switch off and on, with its own domain's actions", async () => {
    const screen = "switch.hall_tablet_screen";
    const ran = await runBlueprint(
      jinja.path as string,
      {quiet_sensor: QUIET, screen, moon_time: {minutes: 5}, dim_brightness: 20},
      [goes("off", "on"), goes("on", "off")],
    );
    // A switch cannot dim: off at quiet, whatever the dim input says.
    expect(ran).toEqual([
      {fired: [{id: "quiet", for: {minutes: 5}}], calls: [call("switch.turn_off", screen)]},
      {fired: [{id: "wake", for: null}], calls: [call("switch.turn_on", screen)]},
    ]);
  });

  it.skipIf(!jinja.path)("dims a light instead of turning it off, and brings it back at wake", async () => {
    const screen = "light.mia_tablet_screen";
    const ran = await runBlueprint(
      jinja.path as string,
      {quiet_sensor: QUIET, screen, dim_brightness: 10, wake_brightness: 80},
      [goes("off", "on"), goes("on", "off"), started("on"), started("off")],
    );
    expect(ran).toEqual([
      {fired: [{id: "quiet", for: {minutes: 2}}], calls: [call("light.turn_on", screen, {brightness_pct: 10})]},
      {fired: [{id: "wake", for: null}], calls: [call("light.turn_on", screen, {brightness_pct: 80})]},
      {fired: [{id: "start", for: null}], calls: [call("light.turn_on", screen, {brightness_pct: 10})]},
      {fired: [{id: "start", for: null}], calls: [call("light.turn_on", screen, {brightness_pct: 80})]},
    ]);
  });

  it.skipIf(!jinja.path)("matches the screen to the quiet as it is when Home Assistant starts", async () => {
    const screen = "light.mia_tablet_screen";
    const ran = await runBlueprint(jinja.path as string, {quiet_sensor: QUIET, screen}, [
      started("on"),
      started("off"),
      started("unavailable"),
      started("unknown"),
    ]);
    expect(ran).toEqual([
      // No moon to wait for after a restart: quiet already started.
      {fired: [{id: "start", for: null}], calls: [call("light.turn_off", screen)]},
      {fired: [{id: "start", for: null}], calls: [call("light.turn_on", screen)]},
      {fired: [{id: "start", for: null}], calls: []},
      {fired: [{id: "start", for: null}], calls: []},
    ]);
  });
});
