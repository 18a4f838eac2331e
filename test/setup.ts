import {afterAll, vi} from "vitest";
import {runFileEnd} from "./helpers/fileEnd.js";
import {removeTempDirs} from "./helpers/tmp.js";

// Runs before every test file. Files share a worker process (vitest.config.ts, `isolate: false`), so
// what one file started or changed must end with it: registered first, these hooks run last, after
// the file's own. Servers and processes stop, then their folders go; a file that faked the clock
// hands the next one the real one.
afterAll(async () => {
  vi.useRealTimers();
  await runFileEnd();
  await removeTempDirs();
});
