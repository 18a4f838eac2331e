import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {TestProject} from "vitest/node";
import {requireFfmpeg} from "../../src/core/ffmpeg.js";
import {ensureSampleAudio} from "../../src/demo/sampleAudio.js";
import {ensureStoryAudio} from "../../src/demo/storyAudio.js";
import {once} from "./once.js";
import "./provided.js";

/**
 * The demo's generated audio, made once a run by the demo's own code: each test's demo starts with a
 * copy instead of making it again (four CPU-seconds a start, some fifteen starts a run); one demo
 * test still makes its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const {value, giveBack} = await once("demoMedia", async () => {
    const media = await mkdtemp(path.join(os.tmpdir(), "yss-demo-media-"));
    const ffmpeg = requireFfmpeg().path;
    await Promise.all([ensureSampleAudio(media, ffmpeg), ensureStoryAudio(media, ffmpeg)]);
    return {value: media, cleanUp: () => rm(media, {recursive: true, force: true})};
  });
  project.provide("demoMedia", value);
  return giveBack;
}
