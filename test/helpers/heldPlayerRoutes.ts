import {writeFile} from "node:fs/promises";
import path from "node:path";
import {expect} from "vitest";
import type {Trace} from "../../src/shared/api/rules.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {makeTone} from "./audio.js";
import {addSongsCard, addTitledCard, startSimulator} from "./cloud.js";
import {DmrLikeDevice, trackServer} from "./dmrDevice.js";
import {call} from "./http.js";
import {assistantToken, callOnce} from "./mcp.js";
import {watchBroker} from "./mqtt.js";
import {waitFor} from "./players.js";
import {caveApp} from "./stories.js";
import {MINI} from "./upnpHttp.js";

export {MINI};

/** Why the plan holds the Mini (Ben's day used before it began), as the gate says it (UTC). */
export const WHY = "Ben's listening for today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00";
/** The 409's sentence: why, and how a parent ends it. */
export const REFUSED = `${WHY}. A parent can end it: Allow on the Family page, or "End now" on the player (Home Assistant's "End quiet hours" button)`;

/** Every rule that plays, one rule each, fired by a message on `routes/<id>`. */
export const RULE_ACTIONS: Record<string, string> = {
  rule_card: `{action: player.play_card, player: "Bedroom Mini", card: songs}`,
  rule_group: `{action: player.play_card, player: "Bedroom Mini", group: Bedtime}`,
  rule_resume: `{action: player.resume, player: "Bedroom Mini"}`,
  rule_next: `{action: player.next, player: "Bedroom Mini"}`,
  rule_previous: `{action: player.previous, player: "Bedroom Mini"}`,
  rule_stream: `{action: player.play_stream, player: "Bedroom Mini", stream: evening}`,
  rule_story: `{action: story.start, player: "Bedroom Mini", story: cave}`,
  rule_goto: `{action: story.goto, player: "Bedroom Mini", scene: river}`,
};

/**
 * The whole service on the simulator, linked, with something of every kind to play (the songs card,
 * two titled cards, a card group, the cave story, a library item, a stream, Ben's shelf with story
 * radio, a rule for every action that plays) and the Mini's renderer up; the cave story started
 * on the Mini, then Ben's day used before it began, so the plan holds the Mini.
 */
export async function heldMini() {
  const sim: YotoSimulator = await startSimulator();
  addSongsCard(sim);
  addTitledCard(sim, "moon", "The Moon");
  addTitledCard(sim, "stars", "The Stars");
  sim.addGroup("Bedtime", ["songs", "moon"]);
  const {t, root, mediaDir} = await caveApp(sim, {timeZone: "UTC", republishDelayMs: () => 0});
  const watcher = await watchBroker(t.app.broker.connection(), ["yoto/#"]);
  await makeTone(path.join(mediaDir, "lullaby.mp3"), {seconds: 3, frequency: 500, title: "Lullaby", quick: true});
  await t.app.library.scan();
  const item = t.app.library.items().find((i) => i.title === "Lullaby");
  if (!item) throw new Error("the library has no 'Lullaby'");
  expect((await call("PUT", `${t.adminUrl}/api/streams/evening`, {items: [item.id]})).status).toBe(200);
  const rules = Object.entries(RULE_ACTIONS).map(
    ([id, action]) => `- id: ${id}\n  triggers: [{trigger: mqtt, topic: routes/${id}}]\n  actions: [${action}]\n`,
  );
  await writeFile(path.join(root, "rules", "routes.yaml"), rules.join(""));
  const reload = await call("POST", `${t.adminUrl}/api/rules/reload`);
  expect(reload.status, JSON.stringify(reload.body)).toBe(200);
  await waitFor(() => t.app.upnp.renderer(MINI) !== undefined, "the Mini's renderer");
  const dmr = await DmrLikeDevice.open(`http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}`);

  // A cast, so a control point has something to set the next track after.
  const tracks = await trackServer({moth: {seconds: 60, frequency: 440}});
  await dmr.setUri(tracks.url("moth"), "The Moth");
  await dmr.play();
  await waitFor(() => dmr.state.TransportState === "PLAYING", "the cast playing", 15_000);
  // Then the cave story on the Mini, so a rule has a story to move in.
  const story = await call("POST", `${t.adminUrl}/api/stories/cave/play`, {player: "Bedroom Mini"});
  expect(story.status, JSON.stringify(story.body)).toBe(200);
  await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the cave on the Mini", 15_000);

  // Ben's day used before it began: the plan holds the Mini.
  const plan = await call("PUT", `${t.adminUrl}/api/children/Ben`, {
    players: ["Bedroom Mini"],
    budget: {minutes: 0},
    shelf: ["Songs", "stream:evening", `library:${item.id}`, "story-radio"],
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(200);
  await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "the Mini quiet");
  await waitFor(() => t.app.streams.has("story-radio-ben"), "Ben's story radio");
  await waitFor(() => t.app.players.get(MINI).playback.status !== "playing", "the Mini held");
  const shelf = await call("GET", `${t.adminUrl}/api/children/Ben/shelf`);
  const shelfItems = shelf.body.items as Array<{id: string; title: string}>;

  let transaction = 0;
  const answers = (topic: string) => watcher.seen.filter((m) => m.topic === topic).length;
  /** A bridge request, answered on its response topic with the same transaction. */
  const ask = async (topic: string, response: string, data: Record<string, unknown>) => {
    const mine = ++transaction;
    await watcher.client.publishAsync(topic, JSON.stringify({...data, transaction: mine}));
    await waitFor(() => watcher.lastJson(response)?.transaction === mine, `the answer to ${topic}`);
    return watcher.lastJson(response);
  };
  /** A message on a topic whose answer carries no transaction: the next answer on `response`. */
  const publish = async (topic: string, payload: string, response: string) => {
    const before = answers(response);
    await watcher.client.publishAsync(topic, payload);
    await waitFor(() => answers(response) > before, `the answer to ${topic}`);
    return watcher.lastJson(response);
  };
  // An assistant's token, made once when a row first calls a tool.
  let token: string | undefined;
  return {
    sim,
    t,
    watcher,
    /** A tool called over the MCP server by the assistant 'Kitchen tablet'. */
    tool: async (name: string, args: Record<string, unknown>) => {
      token ??= await assistantToken(t.adminUrl, {name: "Kitchen tablet"});
      return callOnce(t.adminUrl, token, name, args);
    },
    dmr,
    item,
    shelfItem: (title: string) => {
      const found = shelfItems.find((i) => i.title === title);
      if (!found) throw new Error(`'${title}' is not on Ben's shelf: ${shelfItems.map((i) => i.title).join(", ")}`);
      return found.id;
    },
    request: (name: string, data: Record<string, unknown>) =>
      ask(`yoto/bridge/request/${name}`, `yoto/bridge/response/${name}`, data),
    /** `yoto/<Mini>/set` with a transaction, answered on `player/set`. */
    set: (body: Record<string, unknown>) => ask(`yoto/${MINI}/set`, "yoto/bridge/response/player/set", body),
    setAttribute: (attribute: string, value: string) =>
      publish(`yoto/${MINI}/set/${attribute}`, value, "yoto/bridge/response/player/set"),
    media: (command: string, payload: string) =>
      publish(`yoto/${MINI}/media/set/${command}`, payload, "yoto/bridge/response/player/media"),
    /** A rule fired by its MQTT trigger: its run's trace, once it ended. */
    rule: async (id: string): Promise<Trace> => {
      const runs = () => t.app.rules.traces(id).filter((r) => r.result !== "running");
      const before = runs().length;
      await watcher.client.publishAsync(`routes/${id}`, "go");
      await waitFor(() => runs().length > before, `a run of ${id}`);
      return runs().at(-1) as Trace;
    },
    async stop() {
      await watcher.close();
      await t.stop();
      await sim.stop();
    },
  };
}

export type HeldMini = Awaited<ReturnType<typeof heldMini>>;
