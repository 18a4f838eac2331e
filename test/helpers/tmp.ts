import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const made: string[] = [];

/** A fresh temp folder, removed when the test file is done (a beforeAll may share it with every test). */
export async function tempDir(prefix = "yss-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every temp folder made so far (test/setup.ts, when a test file is done). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, {recursive: true, force: true})));
}
