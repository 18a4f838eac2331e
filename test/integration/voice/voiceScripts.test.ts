import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {type ScriptBlueprintId, scriptBlueprintFile} from "../../../src/voice/scriptBlueprint.js";
import type {TestApp} from "../../helpers/app.js";
import {addTitledCard} from "../../helpers/cloud.js";
import {answerScript, callScriptTool, type ScriptResponse} from "../../helpers/haScripts.js";
import {hassilPython} from "../../helpers/hassil.js";
import {call} from "../../helpers/http.js";
import {linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const BLUEPRINT = (id: ScriptBlueprintId) => path.join(PACKAGE_ROOT, scriptBlueprintFile(id));
const startLinked = linkedBridge();
const hassil = hassilPython();

const addCard = addTitledCard;

/** The card the simulated player itself holds ("none" when it holds nothing). */
const simCard = (sim: YotoSimulator, id: string) => sim.player(id).eventsSnapshot().cardId ?? "none";

let turns = 0;
/**
 * An LLM assistant calls the script's tool, as Home Assistant's LLM API does (`script.<object_id>`
 * with the tool's arguments, in the conversation turn's context): the arguments checked against the
 * tool's schema, the script's request rendered by Jinja2 and published on the service's real broker;
 * then, as the script's wait subscribes only after the publish, a subscriber that comes once the
 * service has answered: what it receives is matched by the wait's mqtt trigger, and the script's
 * `stop` hands back the response the LLM reads.
 */
async function callTool(
  t: TestApp,
  w: Watcher,
  id: ScriptBlueprintId,
  args: Record<string, string>,
): Promise<ScriptResponse> {
  const python = hassil.python as string;
  const context = `01JLLMTURN${++turns}`;
  const [made] = await callScriptTool(python, BLUEPRINT(id), [{args, context_id: context}]);
  expect(made?.error, `${id} ${JSON.stringify(args)}`).toBeUndefined();
  // The run's own transaction: the turn's context and a number of its own.
  const transaction = JSON.parse(made!.payload as string).transaction as string;
  expect(transaction).toMatch(new RegExp(`^${context}_\\d+$`));
  await w.client.publishAsync(made!.topic as string, made!.payload as string);
  const answered = (m: {topic: string; payload: string}) =>
    m.topic === "yoto/bridge/response/voice" && m.payload.includes(`"transaction":"${transaction}"`);
  await waitFor(() => w.seen.some(answered), `the answer to ${id}`, 10_000);
  const late = await watchBroker(t.app.broker.connection(), [`yoto/bridge/response/voice/${transaction}`]);
  try {
    await waitFor(() => late.seen.length > 0, `the kept answer to ${id}`, 10_000);
    const [ran] = await answerScript(python, BLUEPRINT(id), [
      {variables: made!.variables as Record<string, unknown>, messages: late.seen},
    ]);
    expect(ran?.tool_result).toEqual({success: true, result: ran?.response});
    return ran!.response;
  } finally {
    await late.close();
  }
}

describe.skipIf(!hassil.python)(
  "voice scripts, end to end: an LLM assistant's tool calls, the service over its broker",
  () => {
    it("plays the card on the child's Yoto, says what's playing, and answers one more story", async () => {
      const {sim, t, watcher: w} = await startLinked({prepare: (s) => addCard(s, "dragn", "The Sleepy Dragon")});
      await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
      const put = (name: string, body: unknown) => call("PUT", `${t.adminUrl}/api/children/${name}`, body);
      expect((await put("Mia", {players: ["Bedroom Mini"]})).status).toBe(200);
      expect((await put("Ben", {players: ["Living Room"]})).status).toBe(200);

      // "Could you put the dragon story on for Mia": the LLM calls the tool with the title and the child.
      expect(await callTool(t, w, "play_on_yoto", {what: "The Sleepy Dragon", who: "Mia"})).toEqual({
        speech: "Playing “The Sleepy Dragon” on Mia's Yoto.",
        outcome: "played",
        title: "The Sleepy Dragon",
        player: "Bedroom Mini",
        child: "Mia",
      });
      expect(simCard(sim, MINI)).toBe("dragn");
      expect(simCard(sim, LIVING)).toBe("none");
      await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the dragon playing");

      expect(await callTool(t, w, "whats_playing", {who: "Mia"})).toMatchObject({
        speech: "Mia's Yoto is playing “The Sleepy Dragon”.",
        title: "The Sleepy Dragon",
        child: "Mia",
      });
      // Outside bedtime and the day's budget: nothing to ask a parent.
      expect(await callTool(t, w, "one_more_story", {who: "Mia"})).toMatchObject({
        speech: "Mia can listen now: just ask me to play a story.",
        child: "Mia",
      });
      // A name the family plan does not have: said back, nothing played.
      expect((await callTool(t, w, "play_on_yoto", {what: "songs", who: "Zoe"})).speech).toBe(
        "I don't know Zoe. I know Ben and Mia.",
      );
      expect(simCard(sim, LIVING)).toBe("none");
    }, 60_000);
  },
);
