import {chmod, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {relayPath} from "../../../src/links/audioPaths.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addStory, announceOn} from "../../helpers/announceStory.js";
import {decodeErrors, describeAudio} from "../../helpers/audio.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {programForTests, systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();
// The first test needs the real encoder: without it (it is optional) that test is skipped with a
// word why, except under CI=true, which installs it. The others use stand-ins.
const lame = programForTests("lame", "apt-get install lame");
if (lame.reason) console.warn(lame.reason);

/** A program that notes each start in `log`, then runs `script`. */
async function wrapper(name: string, script: string): Promise<{file: string; log: string}> {
  const dir = await tempDir("yss-encoder-");
  const file = path.join(dir, name);
  const log = path.join(dir, "started");
  await writeFile(file, `#!/bin/sh\necho started >> "${log}"\n${script}\n`);
  await chmod(file, 0o755);
  return {file, log};
}

async function start(app: {ffmpegPath?: string; lamePath?: string}) {
  const linked = await startLinked({prepare: addStory, app: {linkToOwnAudioListener: true, ...app}});
  await waitFor(() => linked.t.app.players.list().length === 2, "both players");
  const {sim, t} = linked;
  sim.player(LIVING).insertCard("story");
  await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");
  return linked;
}

const announce = (adminUrl: string, body: unknown) => announceOn(adminUrl, LIVING, body);

describe("Announcements' speech through lame", () => {
  it.skipIf(!lame.path)(
    "encodes espeak-ng's speech with lame, not ffmpeg: the relay's MP3 is the clips' format and decodes cleanly",
    async () => {
      const encoder = await wrapper("lame", `exec "${lame.path}" "$@"`);
      // An ffmpeg that always fails: speech that still plays did not go through it.
      const ffmpeg = await wrapper("ffmpeg", 'echo "this ffmpeg is not to be used for speech" >&2; exit 1');
      const {sim, t} = await start({ffmpegPath: ffmpeg.file, lamePath: encoder.file});

      const done = await announce(t.adminUrl, {message: "Dinner is ready", engine: "espeak-ng", volume: 60});
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({result: "played", audio: "speech by espeak-ng", resumed: {cardId: "story"}});
      expect(await readFile(encoder.log, "utf8")).toMatch(/^started\n/);
      await expect(readFile(ffmpeg.log, "utf8")).rejects.toThrow(/ENOENT/);

      const relay = sim.player(LIVING).fetches.find((f) => f.url.includes("/relay/"));
      expect(relay).toMatchObject({status: 200, complete: true});
      // The same speech again, read whole once it is made, is the format every clip has.
      const again = announce(t.adminUrl, {message: "Dinner is ready", engine: "espeak-ng"});
      await waitFor(() => t.app.announcer.clipFor(LIVING) !== undefined, "the second announcement's clip", 5000);
      const clip = t.app.announcer.clipFor(LIVING)!;
      await clip.finished;
      const res = await fetch(`${t.app.audio.url}${t.app.links.signed(relayPath(LIVING))}`);
      const heard = path.join(await tempDir("yss-heard-"), "relay.mp3");
      await writeFile(heard, Buffer.from(await res.arrayBuffer()));
      expect(await decodeErrors(heard)).toBe("");
      expect(await describeAudio(heard)).toMatch(/^mp3.*, 44100 Hz, mono, fltp, 128 kb\/s$/);
      expect((await again).body.result).toBe("played");
    },
  );

  it.skipIf(!SPEECH.path)(
    "says why when lame cannot encode the speech, and the player goes back to its story",
    async () => {
      const encoder = await wrapper("lame", "cat > /dev/null; echo \"Can't init infile '-'\" >&2; exit 255");
      const {t} = await start({lamePath: encoder.file});

      const failed = await announce(t.adminUrl, {message: "Dinner is ready", engine: "espeak-ng"});
      expect(failed).toEqual({
        status: 422,
        body: {error: "the speech engine's audio could not be converted (Can't init infile '-')", code: "not_audio"},
      });
      await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");
      expect(t.app.players.get(LIVING).playback.status).toBe("playing");
    },
  );

  it.skipIf(!SPEECH.path)("names lame when it is gone", async () => {
    const gone = path.join(await tempDir("yss-nolame-"), "lame");
    const {t} = await start({lamePath: gone});
    const failed = await announce(t.adminUrl, {message: "Dinner is ready", engine: "espeak-ng"});
    expect(failed).toEqual({
      status: 422,
      body: {
        error: `the speech engine's audio could not be converted (lame was not found at '${gone}')`,
        code: "not_audio",
      },
    });
  });
});
