import {Worker} from "node:worker_threads";
import {afterEach, describe, expect, it} from "vitest";
import {JobThread} from "../../../src/core/jobThread.js";

const ECHO = `const {parentPort} = require("node:worker_threads");
parentPort.on("message", (m) => parentPort.postMessage({id: m.id, doubled: m.n * 2}));`;

let thread: JobThread<{n: number}, {id: number; doubled: number}> | undefined;
afterEach(async () => {
  await thread?.stop();
});

describe("one worker thread for jobs kept off the event loop", () => {
  it("answers each job by its id, and fails a job it cannot send without holding anything for it", async () => {
    let started = 0;
    thread = new JobThread({
      start: () => {
        started++;
        return new Worker(ECHO, {eval: true});
      },
      idleMs: 60_000,
      name: "the test thread",
    });
    expect(await Promise.all([thread.run({n: 2}), thread.run({n: 5})])).toEqual([
      {id: 1, doubled: 4},
      {id: 2, doubled: 10},
    ]);
    // A job that cannot be sent (a function cannot be cloned): refused at once, nothing left waiting.
    const unsendable = {n: 1, callback: () => 1} as unknown as {n: number};
    await expect(thread.run(unsendable)).rejects.toThrow(/could not be cloned/);
    expect(await thread.run({n: 7})).toEqual({id: 4, doubled: 14});
    expect(started).toBe(1);
  });

  it("fails the jobs under way when stopped, and starts another thread for the next", async () => {
    let started = 0;
    thread = new JobThread({
      start: () => {
        started++;
        return new Worker(`require("node:worker_threads").parentPort.on("message", () => {});`, {eval: true});
      },
      idleMs: 60_000,
      name: "the silent thread",
    });
    const failed = expect(thread.run({n: 1})).rejects.toThrow("the silent thread was stopped");
    await thread.stop();
    await failed;
    const again = expect(thread.run({n: 2})).rejects.toThrow("the silent thread was stopped");
    expect(started).toBe(2);
    await thread.stop();
    await again;
  });
});
