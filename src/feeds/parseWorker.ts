// Runs in a worker thread: parses one feed and chooses its episodes, so a huge feed (tens of
// thousands of items) neither blocks the service's event loop nor keeps its memory afterwards
// (the thread, and its heap, end with the parse).
import {parentPort, workerData} from "node:worker_threads";
import {summarise} from "./feedSummary.js";

const input = workerData as Parameters<typeof summarise>[0];
try {
  parentPort?.postMessage({ok: true, result: summarise(input)});
} catch (err) {
  parentPort?.postMessage({ok: false, message: (err as Error).message});
}
