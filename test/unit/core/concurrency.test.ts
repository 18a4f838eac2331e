import {describe, expect, it} from "vitest";
import {mapLimited} from "../../../src/core/concurrency.js";

/** A piece of work the test finishes by hand: `started` lists what began, `finish(i)` ends item i. */
function manual() {
  const started: number[] = [];
  const finishers = new Map<number, () => void>();
  return {
    started,
    run: (i: number) =>
      new Promise<number>((resolve) => {
        started.push(i);
        finishers.set(i, () => resolve(i * 10));
      }),
    finish: (i: number) => finishers.get(i)?.(),
  };
}

/** Lets every promise callback already queued run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("mapLimited", () => {
  it("starts at most `limit` at once, in order, each as one ends, and answers each item's own result", async () => {
    const work = manual();
    const results = mapLimited([0, 1, 2, 3, 4], 2, work.run);
    await settle();
    expect(work.started).toEqual([0, 1]);
    work.finish(1);
    expect(await results[1]).toBe(10);
    await settle();
    expect(work.started).toEqual([0, 1, 2]);
    for (const i of [0, 2, 3, 4]) {
      await settle();
      work.finish(i);
    }
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40]);
  });

  it("once aborted, rejects what has not started with the reason and lets what runs finish", async () => {
    const work = manual();
    const stop = new AbortController();
    const results = mapLimited([0, 1, 2], 1, work.run, stop.signal);
    await settle();
    stop.abort(new Error("the queue was cleared"));
    work.finish(0);
    expect(await results[0]).toBe(0);
    await expect(results[1]).rejects.toThrow("the queue was cleared");
    await expect(results[2]).rejects.toThrow("the queue was cleared");
    expect(work.started).toEqual([0]);
  });
});
