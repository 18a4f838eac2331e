import {Writable} from "node:stream";
import {afterEach, describe, expect, it, vi} from "vitest";
import {PacedWriter} from "../../../src/http/pacedWriter.js";

/**
 * A response as the paced writer meets it: writes are taken, or failed the way a socket reset by
 * the client fails them. Its own errors are the server's to handle (a real response never emits
 * them for a reset); here they are only collected.
 */
function target(fail?: Error) {
  const written: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, callback) {
      if (fail) return callback(fail);
      written.push(chunk);
      callback();
    },
  });
  out.on("error", () => undefined);
  return {out, written};
}

/** 1,000 bytes a second, no speed-up: a 1 KB slice at once, then a wait of about a second per slice. */
const SLOW = {bytesPerSecond: 1000, burstSeconds: 1, speedUp: 1};

/** The writer's bookkeeping settles on the next turn (a write's callback is never synchronous). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A write's outcome: its callback's error (null when it went through). */
function write(paced: PacedWriter, bytes: number): Promise<Error | null> {
  return new Promise((resolve) => paced.write(Buffer.alloc(bytes), (err) => resolve(err ?? null)));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("PacedWriter when the client leaves", () => {
  it("a write the target fails (a reset) is called back with that error, and no 'error' event escapes", async () => {
    const reset = Object.assign(new Error("write ECONNRESET"), {code: "ECONNRESET"});
    const paced = new PacedWriter(target(reset).out, SLOW);
    const errors: Error[] = [];
    paced.on("error", (err) => errors.push(err));
    const closed = new Promise((resolve) => paced.once("close", resolve));

    expect(await write(paced, 100)).toBe(reset);
    await closed;
    expect(paced.destroyed).toBe(true);
    // Later writes fail too, quietly: whoever writes sees the error in its callback.
    expect(await write(paced, 100)).toMatchObject({code: "ERR_STREAM_DESTROYED"});
    expect(errors).toEqual([]);
  });

  it("a target destroyed while the writer waits for its pace: the wait's timer is cleared and the write fails", async () => {
    vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout", "performance"]});
    const {out, written} = target();
    const paced = new PacedWriter(out, SLOW);
    const errors: Error[] = [];
    paced.on("error", (err) => errors.push(err));

    const pending = write(paced, 4096);
    await turn();
    // The first slice went at once; the rest waits on a timer.
    expect(Buffer.concat(written).length).toBe(1024);
    expect(vi.getTimerCount()).toBe(1);

    out.destroy();
    expect(await pending).toMatchObject({message: "the client left"});
    expect(vi.getTimerCount()).toBe(0);
    expect(paced.destroyed).toBe(true);
    expect(Buffer.concat(written).length).toBe(1024);
    expect(errors).toEqual([]);
  });

  it("a target already gone when the writer is made: nothing is written, nothing waits, no 'error'", async () => {
    vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout", "performance"]});
    const {out, written} = target();
    // Closed well before (the client left while the answer was being prepared).
    out.destroy();
    await new Promise((resolve) => out.once("close", resolve));
    const paced = new PacedWriter(out, SLOW);
    const errors: Error[] = [];
    paced.on("error", (err) => errors.push(err));
    const closed = new Promise((resolve) => paced.once("close", resolve));

    expect(await write(paced, 4096)).toMatchObject({code: "ERR_STREAM_DESTROYED"});
    // An 'error' would come by the time it has closed.
    await closed;
    expect(written).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a client that stays passes everything, paced", async () => {
    vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout", "performance"]});
    const {out, written} = target();
    const paced = new PacedWriter(out, {bytesPerSecond: 1_000_000, burstSeconds: 1, speedUp: 1});
    const done = write(paced, 3_000_000);
    await turn();
    // A second's worth at once, then a slice a quarter second apart.
    expect(Buffer.concat(written).length).toBe(1_000_000);
    await vi.runAllTimersAsync();
    expect(await done).toBeNull();
    expect(Buffer.concat(written).length).toBe(3_000_000);
  });
});
