import {mkdir, readdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {parseDocument} from "yaml";
import {Logger} from "../src/core/logger.js";
import {Dispatcher} from "../src/rules/dispatcher.js";
import {loadRules} from "../src/rules/loader.js";
import {RuleRuntime} from "../src/rules/runner.js";
import type {TriggerData} from "../src/rules/types.js";
import {newPlayer} from "../src/yoto/playerModel.js";
import {sized, table} from "./lib.js";

const RULES = sized(1000, 20);
const EVENTS = sized(2000, 50);

/** A rule reacting to one card, with a condition and two templated actions (no I/O). */
function rule(i: number, card: string): string {
  return `
- id: rule_${i}
  alias: Rule ${i}
  mode: parallel
  max: 1000
  triggers:
    - trigger: card
      card: ${card}
  conditions:
    - condition: template
      value_template: "{{ trigger.card_id == '${card}' }}"
  actions:
    - variables:
        seen: "{{ trigger.player }} put in {{ trigger.card_id }}"
    - if: "{{ seen | length > 3 }}"
      then:
        - variables: {ok: true}
`;
}

async function writeRules(dir: string, matching: number): Promise<void> {
  await mkdir(dir, {recursive: true});
  const perFile = RULES / 10;
  for (let f = 0; f < 10; f++) {
    let text = "";
    for (let i = f * perFile; i < (f + 1) * perFile; i++) text += rule(i, i < matching ? "hit" : `c${i}`);
    await writeFile(path.join(dir, `rules-${f}.yaml`), text);
  }
}

/** 1,000 rules: load time against parsing the same YAML alone; dispatch cost with 1 vs 100 matching. */
export async function rulesBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const services = {log: new Logger({level: "error", sink: () => {}})};
  const timeZone = "Europe/London";
  const rows: Array<Record<string, string | number>> = [];

  const oneDir = path.join(workDir, "rules-1");
  const hundredDir = path.join(workDir, "rules-100");
  await writeRules(oneDir, 1);
  await writeRules(hundredDir, Math.min(100, RULES));

  const parseOnly = async () => {
    for (const name of await readdir(oneDir)) parseDocument(await readFile(path.join(oneDir, name), "utf8")).toJS();
  };
  // Taken in turns, so both see the machine in the same moments; the median of each is kept.
  const {parseMs, loadMs} = await inTurns(parseOnly, () => loadRules(oneDir, {timeZone, services}));
  rows.push({measure: `load ${RULES} rules (YAML parse alone)`, value: parseMs.toFixed(1), unit: "ms", ratio: "1.00×"});
  rows.push({
    measure: `load ${RULES} rules (parse, validate, compile)`,
    value: loadMs.toFixed(1),
    unit: "ms",
    ratio: `${(loadMs / parseMs).toFixed(2)}×`,
  });

  const perEvent: Record<string, number> = {};
  for (const [label, dir, card] of [
    ["1 of 1000 match", oneDir, "hit"],
    ["100 of 1000 match", hundredDir, "hit"],
    ["0 of 1000 match", oneDir, "nothing"],
  ] as const) {
    const {rules} = await loadRules(dir, {timeZone, services});
    const dispatcher = new Dispatcher(timeZone);
    const runs: Array<Promise<unknown>> = [];
    let n = 0;
    for (const r of rules) {
      const runtime = new RuleRuntime(r, {services, dispatcher, timeZone, nextRunNumber: () => ++n, onTrace: () => {}});
      for (const t of r.triggers)
        t.compiled.attach(dispatcher, (data) =>
          runs.push(runtime.trigger({...data, type: t.type, id: t.id} as TriggerData)),
        );
    }
    const player = newPlayer({deviceId: "p1", name: "Living Room", deviceFamily: "v3", deviceType: "v3", online: true});
    const event = {player, card_id: card, event: "inserted"};
    for (let i = 0; i < 200; i++) dispatcher.dispatch("card", [card], event); // warm-up
    await Promise.all(runs.splice(0));
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      dispatcher.dispatch("card", [card], event);
      await Promise.all(runs.splice(0));
    }
    perEvent[label] = ((performance.now() - started) * 1000) / EVENTS;
    dispatcher.clear();
  }
  const base = perEvent["1 of 1000 match"] as number;
  for (const [label, us] of Object.entries(perEvent))
    rows.push({
      measure: `dispatch, ${label}`,
      value: us.toFixed(1),
      unit: "µs/event",
      ratio: `${(us / base).toFixed(2)}×`,
    });
  console.log(`\nRules (${RULES} rules, ${EVENTS} card events each)\n${table(rows)}`);
  return rows;
}

/** The parse alone and the whole load, one after the other `rounds` times after a warm-up of each: medians. */
async function inTurns(
  parse: () => Promise<unknown>,
  load: () => Promise<unknown>,
  rounds = sized(9, 1),
): Promise<{parseMs: number; loadMs: number}> {
  const time = async (fn: () => Promise<unknown>) => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };
  await parse();
  await load();
  const parses: number[] = [];
  const loads: number[] = [];
  // Which goes first changes each round, so neither always meets the garbage the other left.
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) parses.push(await time(parse));
    loads.push(await time(load));
    if (i % 2 === 1) parses.push(await time(parse));
  }
  return {parseMs: median(parses), loadMs: median(loads)};
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
