import {afterAll, beforeAll, expect, vi} from "vitest";
import {markCpu, recordFileCpu} from "./helpers/fileCpu.js";
import {runFileEnd} from "./helpers/fileEnd.js";
import {removeTempDirs} from "./helpers/tmp.js";

// Runs before every test file. Files share a worker process (vitest.config.ts, `isolate: false`), so
// what one file started or changed must end with it: registered first, the afterAll runs last,
// after the file's own hooks. Servers and processes stop, then their folders go; a file that faked
// the clock hands the next one the real one. Vitest stops a file's after-hooks at the first that
// throws, so the next file begins with the same cleanup of whatever the last one left.
async function cleanUp(): Promise<void> {
  vi.useRealTimers();
  await runFileEnd();
  await removeTempDirs();
}

const started = markCpu();
beforeAll(cleanUp);
afterAll(async () => {
  await cleanUp();
  recordFileCpu(expect.getState().testPath, started);
});
