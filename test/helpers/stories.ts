import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import type {AppOptions} from "../../src/app/app.js";
import type {EventMap} from "../../src/core/events.js";
import {analyzeMp3} from "../../src/library/mp3.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {startApp} from "./app.js";
import {makeTone} from "./audio.js";
import {CLIENT_ID, linkAccount} from "./cloud.js";
import {waitFor} from "./players.js";
import {tempDir} from "./tmp.js";

/** Scene audio, each a distinct tone; `seconds` short enough for a test, long enough to press. */
export const CAVE_AUDIO: Record<string, number> = {
  "cave/gate.mp3": 3,
  "cave/river.mp3": 10,
  "cave/river-2.mp3": 2,
  "cave/tunnel-dark.mp3": 10,
  "cave/tunnel-lit.mp3": 6,
  "cave/treasure.mp3": 10,
};

/**
 * The test story: the tunnel plays a stream, and a rule lights it (swaps its queue) when the child
 * presses left at the gate, before the player fetches the tunnel.
 */
export const CAVE_STORY = `story:
  id: cave
  title: The Cave
  start: gate
  variables: {torch: false}
  scenes:
    gate:
      audio: cave/gate.mp3
      left: tunnel
      right: river
    tunnel:
      audio: {stream: tunnel_audio}
      end: treasure
      right: stop
    river:
      audio: [cave/river.mp3, cave/river-2.mp3]
      left: gate
      end: treasure
    treasure:
      audio: cave/treasure.mp3
      icon: yoto:#treasureIconMediaId0001
`;

export const CAVE_RULES = `- id: light_the_tunnel
  mode: queued
  triggers:
    - trigger: button
      button: left
      story: cave
  conditions:
    - condition: template
      value_template: "{{ trigger.scene == 'gate' }}"
  actions:
    - action: stream.replace
      stream: tunnel_audio
      items: [cave/tunnel-lit.mp3]
    - action: story.set
      player: "{{ trigger.player }}"
      variables: {torch: true}
`;

/** The whole app on the simulator with the cave story, linked; bus events recorded. */
export async function caveApp(sim: YotoSimulator, options: Partial<AppOptions> & {gateSeconds?: number} = {}) {
  const {gateSeconds, ...appOptions} = options;
  const root = await tempDir("yss-story-");
  const mediaDir = path.join(root, "media");
  await Promise.all(
    Object.entries(CAVE_AUDIO).map(([file, seconds], i) =>
      makeTone(path.join(mediaDir, file), {
        seconds: file === "cave/gate.mp3" ? (gateSeconds ?? seconds) : seconds,
        frequency: 300 + i * 110,
        bitrate: "128k",
      }),
    ),
  );
  await mkdir(path.join(root, "rules"), {recursive: true});
  await writeFile(path.join(root, "rules", "cave.yaml"), CAVE_STORY);
  await writeFile(path.join(root, "rules", "rules.yaml"), CAVE_RULES);
  const t = await startApp(["--yoto_client_id", CLIENT_ID], {
    dataDir: path.join(root, "data"),
    mediaDir,
    cloud: sim.endpoints,
    linkToOwnAudioListener: true,
    ...appOptions,
  });
  await t.app.streams.replace("tunnel_audio", ["cave/tunnel-dark.mp3"]);
  await linkAccount(t.app.account);
  await waitFor(() => t.app.players.list().length === 2, "both players");
  // Commands go over the cloud connection, which comes up just after the players are listed.
  await waitFor(() => t.app.players.cloud.state === "connected", "the cloud connection", 15_000);
  const buttons: Array<EventMap["player.buttonPressed"]> = [];
  const scenes: Array<EventMap["story.sceneEntered"]> = [];
  t.app.bus.on({}, "player.buttonPressed", (e) => void buttons.push(e));
  t.app.bus.on({}, "story.sceneEntered", (e) => void scenes.push(e));
  const payloadBytes = async (file: string) => {
    const {start, end} = await analyzeMp3(path.join(mediaDir, file));
    return end - start;
  };
  return {t, root, mediaDir, buttons, scenes, payloadBytes};
}
