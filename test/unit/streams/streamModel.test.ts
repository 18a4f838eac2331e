import {describe, expect, it} from "vitest";
import {AppError} from "../../../src/core/errors.js";
import {checkMode, checkName, edits, playOrder} from "../../../src/streams/model.js";
import {sliceSegments, totalLength} from "../../../src/streams/slice.js";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.message}`;
    throw err;
  }
  throw new Error("expected an AppError");
}

describe("stream model", () => {
  it("validates names and modes with what to type instead", () => {
    expect(checkName("stream", "bed-time_2")).toBe("bed-time_2");
    expect(messageOf(() => checkName("stream", "Bed Time"))).toBe(
      "400 'Bed Time' is not a valid stream name: use 1–64 lowercase letters, digits, '-' or '_', starting with a letter or digit",
    );
    expect(messageOf(() => checkName("preset", "-x"))).toMatch(/^400 '-x' is not a valid preset name/);
    expect(messageOf(() => checkMode("random"))).toBe("400 mode must be one of: once, loop, shuffle, shuffle_loop");
  });

  it("edits queues and names the bad index and the queue length", () => {
    expect(edits.insert(["a", "b"], 1, ["x", "y"])).toEqual(["a", "x", "y", "b"]);
    expect(edits.insert(["a", "b"], 2, ["x"])).toEqual(["a", "b", "x"]);
    expect(edits.removeAt(["a", "b", "c"], 1)).toEqual(["a", "c"]);
    expect(edits.move(["a", "b", "c", "d"], 0, 2)).toEqual(["b", "c", "a", "d"]);
    expect(edits.move(["a", "b", "c", "d"], 3, 0)).toEqual(["d", "a", "b", "c"]);
    expect(messageOf(() => edits.removeAt(["a"], 3))).toBe("400 index 3 is out of range: the queue has 1 item(s)");
    expect(messageOf(() => edits.insert(["a"], -1, ["x"]))).toBe(
      "400 index -1 is out of range: the queue has 1 item(s)",
    );
    expect(messageOf(() => edits.move(["a", "b"], 0, 2))).toBe("400 to 2 is out of range: the queue has 2 item(s)");
    expect(
      messageOf(() =>
        edits.append(
          [],
          Array.from({length: 2001}, (_, i) => `${i}`),
        ),
      ),
    ).toBe("413 A stream holds at most 2000 items");
  });

  it("shuffles deterministically per version, so ranges stay valid until the queue changes", () => {
    const items = Array.from({length: 30}, (_, i) => `item${i}`);
    const base = {name: "s", items, mode: "shuffle" as const, version: 7};
    const first = playOrder(base);
    expect(playOrder(base)).toEqual(first);
    expect([...first].sort()).toEqual([...items].sort());
    expect(first).not.toEqual(items);
    expect(playOrder({...base, version: 8})).not.toEqual(first);
    expect(playOrder({...base, mode: "shuffle_loop"}, 1)).not.toEqual(playOrder({...base, mode: "shuffle_loop"}, 0));
    expect(playOrder({...base, mode: "loop"})).toEqual(items);
  });
});

describe("sliceSegments", () => {
  const segs = [
    {file: "a", start: 10, end: 19},
    {file: "b", start: 0, end: 4},
    {file: "c", start: 100, end: 199},
  ];

  it("maps a range across file boundaries to per-file byte ranges", () => {
    expect(totalLength(segs)).toBe(115);
    expect(sliceSegments(segs, 0, 114)).toEqual(segs);
    expect(sliceSegments(segs, 5, 16)).toEqual([
      {file: "a", start: 15, end: 19},
      {file: "b", start: 0, end: 4},
      {file: "c", start: 100, end: 101},
    ]);
    expect(sliceSegments(segs, 10, 14)).toEqual([{file: "b", start: 0, end: 4}]);
    expect(sliceSegments(segs, 114, 114)).toEqual([{file: "c", start: 199, end: 199}]);
  });
});
