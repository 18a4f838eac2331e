import path from "node:path";
import {expect} from "vitest";
import type {AppOptions} from "../../src/app/app.js";
import {analyzeMp3} from "../../src/library/mp3.js";
import type {NarrationProgress, StoryImported} from "../../src/shared/api/stories.js";
import type {VirtualPlayer} from "../../src/sim/player.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {startApp, type TestApp} from "./app.js";
import {CLIENT_ID, linkAccount} from "./cloud.js";
import {jsonOf} from "./http.js";
import {waitFor} from "./players.js";
import {tempDir} from "./tmp.js";

/** An ink story written for these tests: whether the lantern was taken decides what the water shows. */
export const LANTERN_INK = `VAR lantern = false
You stand at the mouth of a cave.
* [Take the lantern]
  ~ lantern = true
  The lantern glows warm.
* [Go in as you are]
  You step into the dark.
- A fork in the tunnel.
* [Follow the water]
  {lantern: By lantern light you see a sleeping bat.|It is too dark: you stumble back out.}
  -> END
* [Follow the wind]
  The wind leads home.
  -> END
`;

/**
 * The whole app on the simulator, linked, for playing imported stories. `root` and `audioPort`
 * start it again over the same data (a restart); the players' cards keep pointing at the same port.
 */
export async function storyPlayApp(
  sim: YotoSimulator,
  opts: {root?: string; audioPort?: number; app?: Partial<AppOptions>} = {},
) {
  const root = opts.root ?? (await tempDir("yss-storyplay-"));
  const port = opts.audioPort === undefined ? [] : ["--audio_port", String(opts.audioPort)];
  const t = await startApp(["--yoto_client_id", CLIENT_ID, ...port], {
    dataDir: path.join(root, "data"),
    mediaDir: path.join(root, "media"),
    cloud: sim.endpoints,
    linkToOwnAudioListener: true,
    ...opts.app,
    // Test files share both cores: the cloud's word of who put a card in can take over a second.
    stories: {attributionWaitMs: 5000, ...opts.app?.stories},
  });
  if (!opts.root) await linkAccount(t.app.account);
  await waitFor(() => t.app.players.list().length === 2, "both players", 15_000);
  await waitFor(() => t.app.players.cloud.state === "connected", "the cloud connection", 15_000);
  return {t, root};
}

/** POST a story file to the import API: its answer (201 expected). */
export async function importStory(t: TestApp, filename: string, text: string): Promise<StoryImported> {
  const res = await fetch(`${t.adminUrl}/api/stories/import?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    body: text,
  });
  const body = await jsonOf(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body as StoryImported;
}

/** The story's narration once it has finished (ready or failed). */
export async function narrated(t: TestApp, story: string): Promise<NarrationProgress> {
  let last: NarrationProgress | null = null;
  await waitFor(
    () => {
      last = t.app.narration.progress(story) ?? null;
      return last !== null && last.state !== "narrating";
    },
    `story '${story}' narrated`,
    60_000,
  );
  return last as unknown as NarrationProgress;
}

/** A card from the story (in `mode` when given): its id. */
export async function storyCard(t: TestApp, story: string, mode?: string): Promise<string> {
  const res = await fetch(`${t.adminUrl}/api/cards`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({from: "story", story, ...(mode ? {mode} : {})}),
  });
  const body = await jsonOf(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.card.cardId as string;
}

/**
 * A button (or the track's end) and the scene it leads to: waits until the player has fetched
 * `fetches` tracks, the last in full, and the service says the player is at `scene`. The player is
 * then held there (paused: a press still works) until the next act, so a short scene cannot play
 * out by itself and ask for the next slot while a busy machine gets to the test's next line.
 */
export function stepper(player: VirtualPlayer, scene: () => string | undefined) {
  return async (act: () => unknown, fetches: number, expected: string) => {
    act();
    await waitFor(
      () =>
        player.fetches.length === fetches &&
        player.fetches.at(-1)?.status === 200 &&
        player.fetches.at(-1)?.complete === true &&
        scene() === expected,
      `scene '${expected}' fetched (fetch ${fetches}); at '${scene()}' after ${player.fetches.length} fetches`,
      // A scene is narrated as it is asked for (speech, then loudness, a few ffmpeg runs): with every
      // test file running beside two busy cores that took over 20 s. A bound, not a wait.
      60_000,
    );
    player.pause();
  };
}

/** The MP3 payload of a library item: what a player fetching it alone receives. */
export async function payloadBytes(t: TestApp, itemId: string): Promise<number> {
  const item = t.app.library.resolve(itemId);
  const {start, end} = await analyzeMp3(item.absPath);
  return end - start;
}
