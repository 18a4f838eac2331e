import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {rulesCommand} from "../../../src/rules/cli.js";
import {loadRules} from "../../../src/rules/loader.js";
import {tempDir} from "../../helpers/tmp.js";

/** The errors `rules check` prints for one file of rules. */
async function errorsOf(yaml: string): Promise<string[]> {
  const dir = await tempDir("yss-rule-values-");
  await writeFile(path.join(dir, "values.yaml"), yaml);
  const log = new Logger({level: "error", sink: () => {}});
  const {errors} = await loadRules(dir, {timeZone: "Europe/London", services: {log}});
  return errors.map((e) => e.text);
}

describe("a rule value that is not one of the allowed ones", () => {
  it("is echoed in the error, with its key, so the line's other values are not suspects", async () => {
    const long = "x".repeat(60);
    expect(
      await errorsOf(`- id: values
  mode: fast
  triggers:
    - trigger: card
      event: pulled
    - trigger: button
      button: [left, middle]
  conditions:
    - condition: time
      weekday: funday
    - condition: time
      weekday: [mon, 5]
    - condition: player
      player: Kitchen
      attribute: ${long}
  actions:
    - action: log
      message: hi
      level: loud
`),
    ).toEqual([
      "values.yaml:2:9 [0].mode mode 'fast' must be one of single, restart, queued, parallel",
      "values.yaml:5:14 [0].triggers[0].event event 'pulled' must be one of inserted, removed",
      // In a list, the item that is wrong, not the list as a whole.
      "values.yaml:7:22 [0].triggers[1].button[1] button 'middle' must be one of left, right, end",
      "values.yaml:10:16 [0].conditions[0].weekday weekday 'funday' must be one of sun, mon, tue, wed, thu, fri, sat",
      "values.yaml:12:22 [0].conditions[1].weekday[1] weekday 5 must be one of sun, mon, tue, wed, thu, fri, sat",
      // A long value is shortened: the message stays one readable line.
      `values.yaml:15:18 [0].conditions[2].attribute attribute '${"x".repeat(40)}…' must be one of playback, online, card, chapter, track, volume, volume_percent, battery, charging, sleep_timer, headphones, day_mode, temperature`,
      "values.yaml:19:14 [0].actions[0].level level 'loud' must be one of debug, info, warning, error",
    ]);
  });
});

describe("rules check on a file with a good rule and a bad one", () => {
  it("counts only the good one as OK, prints the bad one's error and exits 1", async () => {
    const dir = await tempDir("yss-rule-check-");
    await writeFile(
      path.join(dir, "mixed.yaml"),
      `- id: good
  triggers: [{trigger: startup}]
  actions: [{action: log, message: hi}]
- id: bad
  triggers: [{trigger: startup}]
  conditions: [{condition: time, weekday: funday}]
  actions: [{action: log, message: hi}]
`,
    );
    const printed: string[] = [];
    const code = await rulesCommand(["check", dir], (line) => printed.push(line));
    expect({code, printed}).toEqual({
      code: 1,
      printed: [
        "mixed.yaml:6:43 [1].conditions[0].weekday weekday 'funday' must be one of sun, mon, tue, wed, thu, fri, sat",
        `1 rule(s) OK in 1 file(s) under ${dir}; 1 error(s)`,
      ],
    });
  });
});
