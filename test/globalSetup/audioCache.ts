import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {TestProject} from "vitest/node";
import {once} from "./once.js";
import "./provided.js";

/**
 * A folder for the run where test tones are kept by what made them (test/helpers/audio.ts): a tone
 * asked for again, by another test or file, is copied rather than encoded again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const {value, giveBack} = await once("audioCache", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "yss-test-tones-"));
    return {value: dir, cleanUp: () => rm(dir, {recursive: true, force: true})};
  });
  project.provide("audioCache", value);
  return giveBack;
}
