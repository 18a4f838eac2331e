import {readFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {newPlayer} from "../../../src/yoto/playerModel.js";
import {startEngine} from "../../helpers/rules.js";

// The players the account has, as the cloud client lists them (only their names matter here).
const livingRoom = newPlayer({
  deviceId: "y7s9",
  name: "Living Room",
  deviceFamily: "v3",
  deviceType: "v3",
  online: true,
});
const players = {
  list: () => [livingRoom],
  get: () => livingRoom,
  command: async () => null,
};

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/rules");
let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("loading rules", () => {
  it("reports every bad file at file:line:col with its path, and runs the good rule beside them", async () => {
    const good = await readFile(path.join(FIXTURES, "good/rules.yaml"), "utf8");
    stack = await startEngine({"z-good.yaml": good}, {from: path.join(FIXTURES, "bad"), services: {players}});
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      '01-yaml-syntax.yaml:6:1 YAML syntax: Missing closing "quote',
      "02-unknown-trigger.yaml:3:16 [0].triggers[0].trigger unknown trigger 'tme' (did you mean 'time'?): known triggers are button, card, family, listening, mqtt, player, startup, story, stream_requested, time, time_pattern, volume",
      "03-missing-key.yaml:3:7 [0].triggers[0] missing key 'topic'",
      "04-wrong-type.yaml:8:14 [0].actions[0].index must be a whole number",
      "05-bad-cron.yaml:4:13 [0].triggers[0].cron bad cron '0 25 * * *': the hour field '25' is out of range 0-23",
      '06-bad-expression.yaml:6:16 [0].actions[0].message bad expression "Volume is {{ trigger.player.volume + }}": the expression ends too early',
      "07-unknown-stream.yaml:6:15 [0].actions[0].stream unknown stream 'bedtmie' (did you mean 'bedtime'?): known streams are bedtime",
      "08-unknown-player.yaml:4:15 [0].triggers[0].player unknown player 'Kitchen': known players are Living Room",
    ]);
    expect(stack.engine.list().map((r) => r.id)).toEqual(["fine"]);
  });
});
