import {execFile} from "node:child_process";
import {mkdir, readFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {runMeasured} from "../../../src/library/ffmpegRun.js";
import {CEILING_DBTP, type Loudness, measureArgs, TARGET_LUFS} from "../../../src/library/loudness.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {ffmpegPath, makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {importStory, narrated} from "../../helpers/storyPlay.js";
import {programForTests} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

const ESPEAK = programForTests("espeak-ng", "apt-get install espeak-ng");
const run = promisify(execFile);

/** Lines of about 0.5, 1, 3 and 10 seconds, as espeak-ng says them (the lengths are checked too). */
const LINES = [
  {about: "0.5 s", text: "Up.", seconds: [0.4, 0.8]},
  {about: "1 s", text: "Sleep well.", seconds: [0.8, 1.3]},
  {about: "3 s", text: "The fox crept through the moonlit wood, looking for berries.", seconds: [2.5, 4.2]},
  {
    about: "10 s",
    text: "The little fox climbed the hill every night to watch the moon rise over the dark trees, and tonight she brought her brother along to see it too. They sat together in the grass.",
    seconds: [7.5, 12],
  },
] as const;

/** What the library measures a file as (loudness.ts: looped, so a half-second line is measured whole). */
async function loudnessOf(file: string): Promise<Loudness> {
  return (await runMeasured(ffmpegPath, measureArgs(file), 60)).file as Loudness;
}

/** Within 2 LU of the target, under the true-peak ceiling: `why` names the line when it is not. */
function expectOnTarget(measured: Loudness, why: string): void {
  expect(measured.integrated, why).toBeGreaterThanOrEqual(TARGET_LUFS - 2);
  expect(measured.integrated, why).toBeLessThanOrEqual(TARGET_LUFS + 2);
  expect(measured.truePeak, why).toBeLessThanOrEqual(CEILING_DBTP);
}

async function upload(
  t: TestApp,
  filename: string,
  file: string,
): Promise<{id: string; relPath: string; duration: number}> {
  const res = await fetch(`${t.adminUrl}/api/library/uploads?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    headers: {"Content-Type": "application/octet-stream"},
    body: await readFile(file),
  });
  const body = await jsonOf(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body;
}

const uploaded = (t: TestApp, relPath: string) => path.join(t.dataDir, "uploads", relPath);

describe.skipIf(!ESPEAK.path)("every line at the same loudness", () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startApp();
    dir = await tempDir();
  });
  afterAll(() => t?.stop());

  it("narrates lines of 0.5, 1, 3 and 10 seconds within 2 LU of -16 LUFS", async () => {
    for (const line of LINES) {
      const id = await t.app.narration.say(line.text, {engine: "espeak-ng"});
      const {item, absPath} = t.app.library.resolve(id);
      const why = `narration of the ${line.about} line (${item.duration} s)`;
      expect(item.duration, why).toBeGreaterThanOrEqual(line.seconds[0]);
      expect(item.duration, why).toBeLessThanOrEqual(line.seconds[1]);
      expectOnTarget(await loudnessOf(absPath), why);
    }
  }, 120_000);

  it("normalises spoken uploads of 0.5, 1, 3 and 10 seconds and a steady tone, sent over the API, to -16 LUFS", async () => {
    for (const [i, line] of LINES.entries()) {
      const wav = path.join(dir, `line${i}.wav`);
      await run(ESPEAK.path as string, ["-w", wav, line.text]);
      const item = await upload(t, `Line ${i}.wav`, wav);
      const why = `upload of the ${line.about} line (${item.duration} s)`;
      expect(item.duration, why).toBeGreaterThanOrEqual(line.seconds[0]);
      expect(item.duration, why).toBeLessThanOrEqual(line.seconds[1]);
      expectOnTarget(await loudnessOf(uploaded(t, item.relPath)), why);
    }
    // A steady tone, 20 dB under the target, short and long enough for one pass.
    for (const seconds of [0.5, 4]) {
      const tone = await makeTone(path.join(dir, `tone${seconds}.wav`), {seconds, sampleRate: 22050, channels: 1});
      const item = await upload(t, `Tone ${seconds}.wav`, tone);
      expectOnTarget(await loudnessOf(uploaded(t, item.relPath)), `a ${seconds} s tone`);
    }
  }, 120_000);

  it("keeps silence silent and makes a 0.1-second clip as loud as the rest, uploaded or narrated", async () => {
    const silence = path.join(dir, "silence.wav");
    await runFfmpeg(ffmpegPath, ["-y", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "2", silence]);
    const speech = path.join(dir, "speech.wav");
    await run(ESPEAK.path as string, ["-w", speech, "Sleep well."]);
    // A tenth of a second from the middle of a word: shorter than one 400 ms block of EBU R128.
    const blip = path.join(dir, "blip.wav");
    await runFfmpeg(ffmpegPath, ["-y", "-ss", "0.15", "-i", speech, "-t", "0.1", blip]);

    const quiet = await upload(t, "Silence.wav", silence);
    expect(quiet.duration).toBeCloseTo(2, 0);
    // Nothing above the standard's gate, no peak at all: still silence.
    expect(await loudnessOf(uploaded(t, quiet.relPath))).toEqual({});
    const short = await upload(t, "Blip.wav", blip);
    expect(short.duration).toBeLessThan(0.3);
    expectOnTarget(await loudnessOf(uploaded(t, short.relPath)), "a 0.1 s upload");

    // The same as a story's recordings (audio/<passage>.mp3): narration goes the same way.
    const audio = path.join(t.dataDir, "..", "rules", "stories", "hush", "audio");
    await mkdir(audio, {recursive: true});
    await runFfmpeg(ffmpegPath, ["-y", "-i", silence, path.join(audio, "Night.mp3")]);
    await runFfmpeg(ffmpegPath, ["-y", "-i", blip, path.join(audio, "Owl.mp3")]);
    await importStory(t, "hush.twee", HUSH);
    expect(await narrated(t, "hush")).toEqual({state: "ready", total: 2, done: 2, failed: []});
    const story = t.app.stories.get("hush");
    const file = async (scene: string) =>
      t.app.library.resolve(await t.app.narration.audioFor(story, story.scenes.find((s) => s.id === scene)!)).absPath;
    expect(await loudnessOf(await file("night"))).toEqual({});
    expectOnTarget(await loudnessOf(await file("owl")), "a 0.1 s recording narrated");
  }, 120_000);
});

const HUSH = `:: StoryData
{"ifid":"7C1E9A42-5B3D-4F6A-8E2C-9D0B1A3C5E7F","start":"Night"}

:: Night
The night is still. [[Owl]]

:: Owl
Hoo.
`;
