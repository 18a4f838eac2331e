import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {caveApp} from "../../helpers/stories.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

async function createStoryCard(app: TestApp, mode?: "linear") {
  const res = await fetch(`${app.adminUrl}/api/cards`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({from: "story", story: "cave", ...(mode ? {mode} : {})}),
  });
  expect(res.status).toBe(201);
  return (await jsonOf(res)).card.cardId as string;
}

const goto = (key: string) => ({cmd: "goto", params: {chapterKey: key, trackKey: key}});

describe("choose-your-own-adventure stories", () => {
  it("interactive card: the player branches by itself, the service follows, and a rule relights a scene before it is fetched", async () => {
    sim = await startSimulator();
    const cave = await caveApp(sim, {gateSeconds: 20});
    t = cave.t;
    const watcher = await watchBroker(t.app.broker.connection(), [`yoto/${LIVING}/event`]);
    const cardId = await createStoryCard(t);

    // The card as Yoto stores it (reference §2.4, §5.3).
    const card = sim.card(cardId)!;
    expect(card.content).toMatchObject({
      playbackType: "interactive",
      config: {disableTrackNav: true, disableChapterNav: true, autoadvance: "none", resumeTimeout: 2592000},
      editSettings: {interactiveContent: true, autoOverlayLabels: "chapters", editKeys: false},
    });
    expect(card.metadata).toMatchObject({category: "activities"});
    const chapters = card.content.chapters;
    expect(chapters.map((c) => [c.key, c.title, c.tracks.map((tr) => tr.key)])).toEqual([
      ["01", "gate", ["01"]],
      ["02", "tunnel", ["02"]],
      ["03", "river", ["03"]],
      ["04", "treasure", ["04"]],
    ]);
    expect(chapters.map((c) => c.tracks[0]!.events)).toEqual([
      {onLhb: goto("02"), onRhb: goto("03"), onEnd: {cmd: "stop"}},
      {onRhb: {cmd: "stop"}, onEnd: goto("04")},
      {onLhb: goto("01"), onEnd: goto("04")},
      {onEnd: {cmd: "stop"}},
    ]);
    const track = chapters[0]!.tracks[0]!;
    // Its length and size are its audio's (the gate's 20 s file), as the Yoto app shows them.
    const caveStory = t.app.stories.get("cave");
    const gatePlays = t.app.stories.sceneAudio(caveStory, caveStory.scenes[0]!);
    const gateBytes = ("items" in gatePlays ? gatePlays.items : []).reduce(
      (n, id) => n + t!.app.library.get(id)!.size,
      0,
    );
    expect(gateBytes).toBeGreaterThan(0);
    expect(track).toMatchObject({
      type: "stream",
      format: "mp3",
      duration: 20,
      fileSize: gateBytes,
      display: {icon16x16: null},
    });
    expect(track.trackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/stories\/cave\/gate\.mp3\?sig=[\w-]{32}$/);
    expect(chapters[3]!.display).toEqual({icon16x16: "yoto:#treasureIconMediaId0001"});
    expect(chapters[0]).toMatchObject({hasStreams: true, duration: 20, fileSize: gateBytes});

    const player = sim.player(LIVING);
    const session = () => t!.app.stories.session(LIVING);
    const step = async (act: () => unknown, fetches: number, scene: string) => {
      act();
      await waitFor(
        // Each scene is heard in full before the next press (a press aborts the download).
        () =>
          player.fetches.length === fetches &&
          player.fetches.at(-1)!.status === 200 &&
          player.fetches.at(-1)!.complete === true &&
          session()?.scene === scene,
        `scene '${scene}' fetched (fetch ${fetches})`,
      );
    };
    await step(() => player.insertCard(cardId), 1, "gate");
    await step(() => player.pressRight(), 2, "river");
    await step(() => player.pressLeft(), 3, "gate");
    await step(() => player.pressLeft(), 4, "tunnel");
    // The rule swapped the tunnel's queue on the left press, before the player fetched it.
    const lit = await cave.payloadBytes("cave/tunnel-lit.mp3");
    await waitFor(() => player.fetches[3]!.bytes === lit, "the lit tunnel in full");
    expect(lit).not.toBe(await cave.payloadBytes("cave/tunnel-dark.mp3"));
    await step(() => player.finishTrack(), 5, "treasure");

    expect(player.fetches.map((f) => new URL(f.url).pathname)).toEqual([
      "/stories/cave/gate.mp3",
      "/stories/cave/river.mp3",
      "/stories/cave/gate.mp3",
      "/stories/cave/tunnel.mp3",
      "/stories/cave/treasure.mp3",
    ]);
    const river = (await cave.payloadBytes("cave/river.mp3")) + (await cave.payloadBytes("cave/river-2.mp3"));
    expect(player.fetches[1]!.bytes).toBe(river);
    expect(cave.buttons.map((b) => [b.button, b.scene, b.to, b.player, b.story, b.cardId])).toEqual([
      ["right", "gate", "river", "Living Room", "cave", cardId],
      ["left", "river", "gate", "Living Room", "cave", cardId],
      ["left", "gate", "tunnel", "Living Room", "cave", cardId],
      ["end", "tunnel", "treasure", "Living Room", "cave", cardId],
    ]);
    expect(cave.scenes.map((s) => [s.scene, s.from, s.button])).toEqual([
      ["gate", undefined, undefined],
      ["river", "gate", "right"],
      ["gate", "river", "left"],
      ["tunnel", "gate", "left"],
      ["treasure", "tunnel", "end"],
    ]);
    expect(session()).toMatchObject({
      story: "cave",
      cardId,
      scene: "treasure",
      path: ["gate", "river", "gate", "tunnel", "treasure"],
      variables: {torch: true},
      active: true,
    });
    // Home Assistant's event entity hears the same presses.
    // (card_inserted comes from the cloud's report, which may arrive before or after the first fetch.)
    const storyEvents = () =>
      watcher.seen.map((m) => JSON.parse(m.payload.toString()).event_type).filter((e) => e !== "card_inserted");
    await waitFor(() => storyEvents().length >= 9, "nine story events");
    expect(storyEvents()).toEqual([
      "story_started",
      "button_right",
      "story_choice",
      "button_left",
      "story_choice",
      "button_left",
      "story_choice",
      "track_end",
      "story_choice",
    ]);
    await watcher.close();
    expect(t.app.rules.traces("light_the_tunnel").map((tr) => tr.result)).toEqual(["completed", "condition_failed"]);
  });

  it("linear card: chapters in order, right and left from the direction, a track that ran out is the end", async () => {
    sim = await startSimulator();
    const cave = await caveApp(sim, {gateSeconds: 3});
    t = cave.t;
    const cardId = await createStoryCard(t, "linear");
    const card = sim.card(cardId)!;
    expect(card.content.playbackType).toBe("linear");
    expect(card.content.chapters.map((c) => [c.key, c.title, c.tracks[0]!.events])).toEqual([
      ["01", "gate", undefined],
      ["02", "tunnel", undefined],
      ["03", "river", undefined],
      ["04", "treasure", undefined],
    ]);

    const player = sim.player(LIVING);
    const session = () => t!.app.stories.session(LIVING);
    const step = async (act: () => unknown, fetches: number, scene: string, timeoutMs?: number) => {
      act();
      await waitFor(
        // Each scene is heard in full before the next press (a press aborts the download).
        () =>
          player.fetches.length === fetches &&
          player.fetches.at(-1)!.status === 200 &&
          player.fetches.at(-1)!.complete === true &&
          session()?.scene === scene,
        `scene '${scene}' fetched (fetch ${fetches})`,
        timeoutMs,
      );
    };
    await step(() => player.insertCard(cardId), 1, "gate");
    await step(() => player.pressRight(), 2, "tunnel");
    await step(() => player.pressLeft(), 3, "gate");
    // Nothing pressed: the 3-second gate plays out and the card moves on by itself.
    await step(() => {}, 4, "tunnel", 8000);

    expect(player.fetches.map((f) => new URL(f.url).pathname)).toEqual([
      "/stories/cave/gate.mp3",
      "/stories/cave/tunnel.mp3",
      "/stories/cave/gate.mp3",
      "/stories/cave/tunnel.mp3",
    ]);
    expect(cave.buttons.map((b) => [b.button, b.scene, b.to])).toEqual([
      ["right", "gate", "tunnel"],
      ["left", "tunnel", "gate"],
      ["end", "gate", "tunnel"],
    ]);
    expect(session()).toMatchObject({
      mode: "linear",
      path: ["gate", "tunnel", "gate", "tunnel"],
      variables: {torch: false},
    });
    // No left press at the gate in this run: the tunnel stayed dark.
    expect(player.fetches[1]!.bytes).toBe(await cave.payloadBytes("cave/tunnel-dark.mp3"));
  });

  it("starts a story on a player at a scene, and moves it on from a rule, without inventing button presses", async () => {
    sim = await startSimulator();
    const cave = await caveApp(sim);
    t = cave.t;
    const res = await fetch(`${t.adminUrl}/api/stories/cave/play`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({player: "Bedroom Mini", scene: "river"}),
    });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).session).toMatchObject({player: "Bedroom Mini", scene: "river", path: ["river"]});
    const mini = sim.player(MINI);
    await waitFor(() => mini.fetches.at(-1)?.status === 200, "the Mini fetching the river");
    // The card was made on demand; the Mini plays its third chapter.
    const cardId = t.app.cards.forStory("cave")[0]!.cardId;
    expect(mini.eventsSnapshot()).toMatchObject({cardId, chapterKey: "03"});

    await t.app.stories.goto("Bedroom Mini", "treasure", {route: "api"});
    await waitFor(() => mini.fetches.length === 2 && mini.fetches[1]!.status === 200, "the treasure fetched");
    expect(mini.fetches.map((f) => new URL(f.url).pathname)).toEqual([
      "/stories/cave/river.mp3",
      "/stories/cave/treasure.mp3",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // late cloud reports change nothing
    expect(cave.buttons).toEqual([]);
    expect(cave.scenes.map((s) => [s.player, s.scene, s.from])).toEqual([
      ["Bedroom Mini", "river", undefined],
      ["Bedroom Mini", "treasure", "river"],
    ]);
    const api = await jsonOf(await fetch(`${t.adminUrl}/api/stories/cave`));
    expect(api.sessions).toMatchObject([{playerId: MINI, scene: "treasure", path: ["river", "treasure"]}]);
    expect(api.cards).toMatchObject([{cardId, source: {type: "story", story: "cave", mode: "interactive"}}]);
    await expect(t.app.stories.goto("Living Room", "gate", {route: "api"})).rejects.toThrow(
      "Player 'Living Room' is not in a story right now",
    );
    const unknown = await fetch(`${t.adminUrl}/api/stories/dragon`);
    expect([unknown.status, (await jsonOf(unknown)).error]).toEqual([404, "No story 'dragon' (stories: cave)"]);
  });
});
