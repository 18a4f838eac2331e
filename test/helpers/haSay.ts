import path from "node:path";
import {expect} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import type {TestApp} from "./app.js";
import {type HaRegistry, hearWithBlueprint, speakWithBlueprint} from "./hassil.js";
import type {Watcher} from "./linkedBridge.js";
import {watchBroker} from "./mqtt.js";
import {waitFor} from "./players.js";

/** The shipped voice blueprint of a language. */
export const VOICE_BLUEPRINT = (code: string) =>
  path.join(PACKAGE_ROOT, `blueprints/automation/yoto_smart_stream/voice_${code}.yaml`);

/** The card the simulated player itself holds ("none" when it holds nothing). */
export const simCard = (sim: YotoSimulator, id: string) => sim.player(id).eventsSnapshot().cardId ?? "none";

let asked = 0;

/**
 * Say it as Home Assistant hears it: the blueprint's sentence triggers (hassil; the slots are what
 * its match gives, none for a template without one), its request rendered by Jinja2 and published
 * on the service's real broker, and, as Home Assistant's wait subscribes only after the publish, a
 * subscriber that comes once the service has answered: what it receives on the wait's topic is
 * matched by the wait's mqtt trigger, and set_conversation_response says it. `fired`, when given,
 * is the one trigger the sentence must fire.
 */
export async function sayToHa(
  python: string,
  t: TestApp,
  w: Watcher,
  text: string,
  {
    code = "en",
    device_id,
    registry = {},
    fired,
  }: {code?: string; device_id?: string; registry?: HaRegistry; fired?: string} = {},
): Promise<string> {
  const id = `01JVOICE${++asked}`;
  const [heard] = await hearWithBlueprint(python, VOICE_BLUEPRINT(code), [{text, device_id, context_id: id}], registry);
  expect(heard?.fired, text).toHaveLength(1);
  if (fired) expect(heard?.fired, text).toEqual([fired]);
  await w.client.publishAsync(heard!.topic as string, heard!.payload as string);
  const answered = (m: {topic: string; payload: string}) =>
    m.topic === "yoto/bridge/response/voice" && m.payload.includes(`"transaction":"${id}"`);
  await waitFor(() => w.seen.some(answered), `the answer to '${text}'`, 10_000);
  // The late subscriber: only what the broker still holds for it.
  const late = await watchBroker(t.app.broker.connection(), [`yoto/bridge/response/voice/${id}`]);
  try {
    await waitFor(() => late.seen.length > 0, `the kept answer to '${text}'`, 10_000);
    const [spoken] = await speakWithBlueprint(python, VOICE_BLUEPRINT(code), [
      {variables: heard!.variables as Record<string, unknown>, messages: late.seen},
    ]);
    return spoken as string;
  } finally {
    await late.close();
  }
}
