import {execFile} from "node:child_process";
import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {afterEach, describe, expect, it} from "vitest";
import {decodeErrors} from "../../helpers/audio.js";
import {type RunningDemo, startDemo} from "../../helpers/demo.js";
import {jsonOf} from "../../helpers/http.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {freePort} from "../../helpers/ports.js";
import {SHIPPED_RULE_FILES, SHIPPED_STORY_FILES, shippedRulesFolder} from "../../helpers/shippedRules.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

let demo: RunningDemo | undefined;
afterEach(() => {
  demo?.child.kill("SIGKILL");
  demo = undefined;
});

const run = promisify(execFile);

/** A parent's rule for their own child's player and stream, which the demo does not have. */
const PARENTS_OWN_RULES = `- id: bens_bedtime_stories
  triggers:
    - trigger: time
      at: "19:00"
  actions:
    - action: player.play_stream
      player: Ben's Mini
      stream: bens_stories
`;

describe("npm run demo", () => {
  it.skipIf(!SPEECH.path)(
    "starts the product, serves a sample track and the demo stream through signed URLs that ffmpeg decodes, and stops on SIGTERM",
    async () => {
      // The simulator's and the radio station's ports pinned, as a flag and as an environment variable.
      const [simPort, radioPort] = [await freePort(), await freePort()];
      // The shipped examples, and a parent's own file beside them for their own player (the demo has
      // no such player, so the running service reports it): nothing the test checks may change.
      const rulesDir = await shippedRulesFolder();
      await writeFile(path.join(rulesDir, "bens-bedtime.yaml"), PARENTS_OWN_RULES);
      // A first demo: it makes its sample audio and narration itself (the other demo tests start with a copy).
      demo = await startDemo({
        args: ["--sim-port", String(simPort)],
        env: {DEMO_RADIO_PORT: String(radioPort)},
        rulesDir,
        freshMedia: true,
      });
      const {printed, dataDir} = demo;
      expect(printed).toContain(`Yoto cloud simulator: http://127.0.0.1:${simPort} with virtual players`);
      // The demo says it looks for media servers on this machine only, never the family's network.
      expect(printed).toContain("  Media servers: looked for on this machine only (SSDP), not on the home network\n");
      const sampleUrl = printed.match(/Sample track: (\S+)/)?.[1];
      const panelUrl = printed.match(/Panel:\s+(\S+)/)?.[1];
      expect(panelUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(sampleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/audio\/[0-9a-f]{16}\.mp3\?sig=[\w-]{32}$/);

      const res = await fetch(sampleUrl as string);
      expect(res.status).toBe(200);
      const file = path.join(dataDir, "fetched.mp3");
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      expect(await decodeErrors(file)).toBe("");
      expect((await fetch(`${panelUrl}api/health`)).status).toBe(200);

      const streamUrl = printed.match(/Demo stream:\s+(\S+)/)?.[1];
      expect(streamUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/streams\/demo\.mp3\?sig=[\w-]{32}$/);
      const joined = path.join(dataDir, "stream.mp3");
      await writeFile(joined, Buffer.from(await (await fetch(streamUrl as string)).arrayBuffer()));
      expect(await decodeErrors(joined)).toBe("");

      // Home Assistant's view: the players' state on the embedded broker.
      const mqttUrl = printed.match(/MQTT:\s+(\S+)/)?.[1];
      expect(mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
      // Its login was made on first start; the welcome says where it is, never what it is.
      const loginFile = path.join(dataDir, "mqtt-broker-login.json");
      const login = JSON.parse(await readFile(loginFile, "utf8"));
      expect(printed).toContain(`  MQTT login:   user 'yoto', password in '${loginFile}' and at ${panelUrl}api/mqtt`);
      expect(printed).not.toContain(login.password);
      const watcher = await watchBroker({url: mqttUrl as string, ...login}, ["yoto/bridge/players"]);
      await waitFor(() => (watcher.lastJson("yoto/bridge/players") ?? []).length === 2, "both players on MQTT");
      await watcher.close();

      // The shipped example rules load without a single error (checked by name: a parent's own file
      // adds rules, and its errors are its own).
      const rules = await jsonOf(await fetch(`${panelUrl}api/rules`));
      const errorFiles: string[] = rules.errors.map((e: {file: string}) => e.file);
      expect(errorFiles.filter((f) => [...SHIPPED_RULE_FILES, ...SHIPPED_STORY_FILES].includes(f))).toEqual([]);
      expect(errorFiles).toContain("bens-bedtime.yaml");
      expect(SHIPPED_RULE_FILES.filter((f) => !rules.rules.some((r: {file: string}) => r.file === f))).toEqual([]);

      // The simulated cloud's two players are live behind the admin API, and take commands.
      const simUrl = printed.match(/Yoto cloud simulator: (\S+)/)?.[1];
      // The demo radio stream plays the station on the pinned port.
      const radio = await jsonOf(await fetch(`${panelUrl}api/streams/demo-radio`));
      expect(JSON.stringify(radio)).toContain(`http://127.0.0.1:${radioPort}/demo-radio.mp3`);
      let players: Array<{id: string; name: string; family: string; online: boolean; volume: {level?: number}}> = [];
      for (let i = 0; i < 100 && players.filter((p) => p.volume.level !== undefined).length < 2; i++) {
        players = (await jsonOf(await fetch(`${panelUrl}api/players`))).players;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(players.map((p) => [p.name, p.family, p.online]).sort()).toEqual([
        ["Bedroom Mini", "mini", true],
        ["Living Room", "v3", true],
      ]);
      const living = players.find((p) => p.family === "v3")!;
      const command = await fetch(`${panelUrl}api/players/${living.id}/commands`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({command: "play_card", cardId: "demo1"}),
      });
      expect(await jsonOf(command)).toMatchObject({ok: true, command: "play_card"});
      // The virtual player fetches the card's stream track from this service, as hardware would.
      let fetches: Array<{url: string; status: number}> = [];
      for (let i = 0; i < 100 && !fetches[0]?.status; i++) {
        fetches = (await jsonOf(await fetch(`${simUrl}/sim/players/${living.id}`))).fetches;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(fetches[0]).toMatchObject({url: streamUrl, status: 200});

      // The printed announce line, run as a newcomer would paste it: the Living Room speaks, then goes
      // back to the demo card.
      const announceLine = printed.match(/^ {4}(curl -X POST \S+\/announce .*)$/m)?.[1];
      expect(announceLine).toContain(`/api/players/${living.id}/announce`);
      const {stdout} = await run("sh", ["-c", announceLine!]);
      expect(JSON.parse(stdout)).toMatchObject({
        player: "Living Room",
        result: "played",
        audio: expect.stringMatching(/^speech by /),
        resumed: {cardId: "demo1"},
      });

      // The demo story: its card is made, and the Mini follows it as a child presses left then right.
      const storyCard = printed.match(/Story card: .*\((\w{5})\)/)?.[1];
      expect(storyCard).toMatch(/^\w{5}$/);
      const mini = players.find((p) => p.family === "mini")!;
      const sim = (action: string, body: object) =>
        fetch(`${simUrl}/sim/players/${mini.id}/${action}`, {method: "POST", body: JSON.stringify(body)});
      const storyState = async () =>
        (await jsonOf(await fetch(`${panelUrl}api/stories/sleepy_dragon`))).sessions[0] as
          | {scene: string; path: string[]; variables: {lullabies_sung: number}}
          | undefined;
      const until = async (scene: string, sung = 0) => {
        for (let i = 0; i < 100; i++) {
          const state = await storyState();
          if (state?.scene === scene && state.variables.lullabies_sung === sung) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      await sim("card", {cardId: storyCard});
      await until("hill");
      await sim("press", {button: "left"});
      await until("cave");
      await sim("press", {button: "right"});
      // The rule counting lullabies runs on the press (before the player gets the lullaby).
      await until("lullaby", 1);
      expect(await storyState()).toMatchObject({path: ["hill", "cave", "lullaby"], variables: {lullabies_sung: 1}});

      expect(await demo.stop()).toBe(0);
      // The first start generates and narrates the sample audio: well over the default 20 s on a busy machine.
    },
    90_000,
  );
});
