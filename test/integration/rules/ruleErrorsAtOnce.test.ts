import {afterEach, describe, expect, it} from "vitest";
import {startEngine} from "../../helpers/rules.js";

// Four mistakes in two rules, as a person makes them: misspelt keys, a misspelt trigger and action.
const TYPOS = `- id: one
  triggers:
    - trigger: tme
      at: "07:00"
  condtions:
    - condition: time
      after: "06:00"
  actions:
    - action: log
      mesage: hi
- id: two
  triggers:
    - trigger: time
      at: "08:00"
  actions:
    - acton: log
      message: hi
`;

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("rule errors, all at once", () => {
  it("reports every mistake of a file in one round, at the key's own place, with what was meant", async () => {
    stack = await startEngine({"typos.yaml": TYPOS});
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "typos.yaml:5:3 [0].condtions unknown key 'condtions' (did you mean 'conditions'?): a rule takes id, alias, description, mode, max, max_exceeded, enabled, variables, triggers, conditions, actions",
      "typos.yaml:3:16 [0].triggers[0].trigger unknown trigger 'tme' (did you mean 'time'?): known triggers are button, card, family, listening, mqtt, player, startup, story, stream_requested, time, time_pattern, volume",
      "typos.yaml:10:7 [0].actions[0].mesage unknown key 'mesage' (did you mean 'message'?) for action 'log' (it takes message, level)",
      "typos.yaml:16:7 [1].actions[0].acton unknown key 'acton' (did you mean 'action'?)",
    ]);
    expect(stack.engine.list()).toEqual([]);
  });
});
