import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {bridgeEntityId} from "../../../src/bridge/discovery.js";
import {childEntityKey} from "../../../src/bridge/familyFeature.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {weekState} from "../../../src/bridge/weekFeature.js";
import {zonedInstant} from "../../../src/core/time/zoned.js";
import {childWeek} from "../../../src/family/childWeek.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {
  type Case,
  customTags,
  ENTITY_FILTER_KEYS,
  emptyStrings,
  inputsUsed,
  runAutomationBlueprint,
  SELECTOR_OPTIONS,
} from "../../helpers/haAutomations.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const FILE = path.join(PACKAGE_ROOT, "blueprints/automation/yoto_smart_stream/weekly_summary.yaml");
const jinja = systemNeed("jinja");
const WEEK = bridgeEntityId(new BridgeTopics("yoto", "homeassistant"), "sensor", childEntityKey("Mia", "week"));
const INPUTS = {child: "Mia", week_sensor: WEEK, notify_action: "notify.mobile_app_pixel_8"};
const at = (date: string, h: number, m: number) => {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  return zonedInstant(y, mo, d, h * 3600 + m * 60, "Europe/London");
};

/** A week as the add-on computes it (src/family/childWeek.ts), and its sensor as the bridge publishes it. */
function sensorOf(minutes: number, wake: boolean) {
  const week = childWeek({
    child: "Mia",
    plan: {players: ["mini"], budget: {minutes: 60}},
    timeZone: "Europe/London",
    today: "2027-11-07",
    now: at("2027-11-07", 18, 0),
    playerIds: ["mini"],
    // The history counts the night's rain too (20 minutes): the week leaves it out.
    daily: [{date: "2027-11-06", seconds: {mini: (minutes + (wake ? 20 : 0)) * 60}}],
    sessions: [
      {
        playerId: "mini",
        cardTitle: "The Gruffalo",
        startedAt: new Date(at("2027-11-06", 10, 0)).toISOString(),
        seconds: minutes * 60,
      },
    ],
    journal: [],
    runs: wake
      ? [
          {
            ...{id: "r", child: "Mia", playerId: "mini", player: "Bedroom Mini", sound: "stream:rain", title: "Rain"},
            ...{reason: "Mia is up", by: "Home Assistant", evening: "2027-11-05", night: true},
            ...{startedAt: at("2027-11-06", 2, 10), endedAt: at("2027-11-06", 2, 30)},
          },
        ]
      : [],
  });
  const attributes = weekState(week);
  return {states: {[WEEK]: String(attributes.minutes)}, attributes: {[WEEK]: attributes}};
}

describe("the shipped 'a child's week, once a week' blueprint", () => {
  it("is a valid automation blueprint: every input used, selectors Home Assistant knows, no empty strings", async () => {
    const text = await readFile(FILE, "utf8");
    // biome-ignore lint/suspicious/noExplicitAny: the YAML is read as Home Assistant reads it
    const bp: any = parse(text, {customTags, uniqueKeys: true});
    expect(text.split("\n").filter((line) => /\s$/.test(line))).toEqual([]);
    expect([bp.blueprint.domain, bp.blueprint.name, bp.mode]).toEqual([
      "automation",
      "Yoto - a child's week, once a week",
      "single",
    ]);
    const used = [...new Set(inputsUsed({t: bp.triggers, v: bp.variables, c: bp.conditions, a: bp.actions}))].sort();
    expect(used).toEqual(Object.keys(bp.blueprint.input).sort());
    for (const [name, spec] of Object.entries<{description: string; selector: Record<string, unknown>}>(
      bp.blueprint.input,
    )) {
      const [kind, ...more] = Object.keys(spec.selector);
      expect([kind && kind in SELECTOR_OPTIONS, more, spec.description.length > 20], name).toEqual([true, [], true]);
      for (const option of Object.keys((spec.selector[kind as string] ?? {}) as object))
        expect(SELECTOR_OPTIONS[kind as string], name).toContain(option);
    }
    for (const f of bp.blueprint.input.week_sensor.selector.entity.filter)
      for (const key of Object.keys(f)) expect(ENTITY_FILTER_KEYS).toContain(key);
    expect(bp.blueprint.input.week_sensor.description.replace("<child>", "mia")).toContain(WEEK);
    expect([bp.blueprint.input.at.default, bp.blueprint.input.weekday.default]).toEqual(["18:00:00", ["sun"]]);
    expect(emptyStrings(bp)).toEqual([]);
  });

  it.skipIf(!jinja.path)(
    "on Sunday at 18:00 tells a parent the week the add-on's sensor holds; on other days nothing",
    async () => {
      const sunday = (sensor: ReturnType<typeof sensorOf>): Case => ({...sensor, time: "18:00:00", weekday: "sun"});
      const ran = await runAutomationBlueprint(jinja.path as string, FILE, INPUTS, [
        sunday(sensorOf(125, true)),
        sunday(sensorOf(40, false)),
        {...sensorOf(125, true), time: "18:00:00", weekday: "mon"},
        {...sensorOf(125, true), time: "09:00:00", weekday: "sun"},
        sunday({states: {[WEEK]: "unavailable"}, attributes: {}}),
      ]);
      const told = (message: string) => ({
        fired: [{id: null, for: null}],
        calls: [{action: "notify.mobile_app_pixel_8", target: {}, data: {title: "Mia's week", message}}],
      });
      expect(ran).toEqual([
        told("2 h 5 min of listening, most of all The Gruffalo; up 1 night."),
        told("40 min of listening, most of all The Gruffalo; slept through every night."),
        {fired: [{id: null, for: null}], calls: []},
        {fired: [], calls: []},
        told("0 min of listening; slept through every night."),
      ]);
    },
  );
});
