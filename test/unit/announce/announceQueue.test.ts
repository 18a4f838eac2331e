import {describe, expect, it} from "vitest";
import {AnnounceQueue} from "../../../src/announce/announceQueue.js";

/** A run that finishes when told, recording that it started. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return {open, opened};
}

describe("a player's announcement queue", () => {
  it("plays the same announcement again once the first is over (an automation firing twice, a minute apart)", async () => {
    const queue = new AnnounceQueue();
    let runs = 0;
    const run = async () => ++runs;
    expect(await queue.enqueue("p", "Living Room", "same", run)).toBe(1);
    // Asked again the moment the first answered: a new announcement, not the finished one's answer.
    expect(await queue.enqueue("p", "Living Room", "same", run)).toBe(2);
    expect(queue.busy("p")).toBe(false);
  });

  it("joins a repeat of the one playing or waiting, caps what waits with the count, and cancels", async () => {
    const queue = new AnnounceQueue(2);
    const first = gate();
    const started: string[] = [];
    const run = (key: string, g?: ReturnType<typeof gate>) => (signal: AbortSignal) => {
      started.push(key);
      return new Promise<string>((resolve, reject) => {
        signal.addEventListener("abort", () => reject(new Error(`${key} aborted`)));
        void (g ? g.opened : Promise.resolve()).then(() => resolve(key));
      });
    };
    const a = queue.enqueue("p", "Living Room", "a", run("a", first));
    const a2 = queue.enqueue("p", "Living Room", "a", run("a"));
    expect(a2).toBe(a);
    const b = queue.enqueue("p", "Living Room", "b", run("b"));
    expect(queue.enqueue("p", "Living Room", "b", run("b"))).toBe(b);
    const c = queue.enqueue("p", "Living Room", "c", run("c"));
    await expect(queue.enqueue("p", "Living Room", "d", run("d"))).rejects.toThrow(
      "'Living Room' already has 2 announcements waiting (the most one player may have): wait for them, or cancel them with DELETE /api/players/p/announce",
    );
    expect(queue.cancel("p", "Living Room")).toEqual({waiting: 2, playing: true});
    await expect(a).rejects.toThrow("a aborted");
    await expect(b).rejects.toThrow("The announcement on 'Living Room' was cancelled before it played");
    await expect(c).rejects.toThrow("The announcement on 'Living Room' was cancelled before it played");
    expect(started).toEqual(["a"]);
    expect(queue.cancel("p", "Living Room")).toEqual({waiting: 0, playing: false});
  });

  it("plays a repeat asked for after a Stop, even while the stopped one is still finishing", async () => {
    const queue = new AnnounceQueue();
    const finishing = gate();
    const runs: string[] = [];
    const first = queue.enqueue("p", "Living Room", "same", async (signal) => {
      runs.push("first");
      await new Promise<void>((r) => signal.addEventListener("abort", () => r()));
      // Putting the player back takes a moment after the abort.
      await finishing.opened;
      return "stopped";
    });
    expect(queue.cancel("p", "Living Room")).toEqual({waiting: 0, playing: true});
    const again = queue.enqueue("p", "Living Room", "same", async () => {
      runs.push("again");
      return "played";
    });
    expect(again).not.toBe(first);
    finishing.open();
    expect(await first).toBe("stopped");
    expect(await again).toBe("played");
    expect(runs).toEqual(["first", "again"]);
  });
});
