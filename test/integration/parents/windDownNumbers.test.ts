import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {rulesCommand} from "../../../src/rules/cli.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, {recursive: true, force: true});
  dir = undefined;
});

async function check(yaml: string): Promise<string[]> {
  dir = await mkdtemp(path.join(tmpdir(), "yss-review-rules-"));
  await writeFile(path.join(dir, "parents.yaml"), yaml);
  const lines: string[] = [];
  await rulesCommand(["check", dir], (line) => lines.push(line));
  return lines.join("\n").split("\n");
}

describe("player.wind_down numbers as a parent writes them", () => {
  it("takes decimals only, and says what was written when YAML's .inf is given", async () => {
    const out = await check(`- id: w
  triggers: [{trigger: startup}]
  actions:
    - {action: player.wind_down, player: Bedroom Mini, minutes: 10, volume: "0x3"}
    - {action: player.wind_down, player: Bedroom Mini, minutes: "1e2"}
    - {action: player.wind_down, player: Bedroom Mini, minutes: .inf}
    - {action: player.wind_down, player: Bedroom Mini, minutes: " 20 ", volume: "4"}
`);
    expect(out).toEqual([
      `parents.yaml:4:77 [0].actions[0].volume 'volume' is the level to end at, a hardware step from 0 to 16 (got "0x3")`,
      `parents.yaml:5:65 [0].actions[1].minutes 'minutes' must be a number of minutes above 0 and at most 240 (got "1e2")`,
      `parents.yaml:6:65 [0].actions[2].minutes 'minutes' must be a number of minutes above 0 and at most 240 (got Infinity)`,
      `0 rule(s) OK in 1 file(s) under ${dir}; 3 error(s)`,
    ]);
  });
});
