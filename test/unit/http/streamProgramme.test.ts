import {describe, expect, it} from "vitest";
import type {Segment} from "../../../src/files/segment.js";
import {programme} from "../../../src/http/routes/streamAudio.js";
import type {NextItem} from "../../../src/streams/programme.js";
import type {Snapshot} from "../../../src/streams/snapshots.js";

/** Three items of 10 s at 1,000 bytes a second, looping. */
function snapshot(): Snapshot {
  const segments: Segment[] = ["x", "y", "z"].map((file) => ({file, start: 0, end: 9_999}));
  return {
    stream: {} as Snapshot["stream"],
    looping: true,
    segments,
    itemIds: ["x", "y", "z"],
    size: 30_000,
    bytesPerSecond: 1000,
    etag: '"s"',
    cycle: () => segments,
  };
}

describe("an endless stream whose owner decides its programme", () => {
  it("asks for each item at the time the listener will hear it, and ends when told", () => {
    const asked: Array<[string, number, number]> = [];
    const next: NextItem = (id, seconds, at) => {
      asked.push([id, seconds, at]);
      return at >= 1_000 + 35_000 ? "end" : id === "y" ? "skip" : "play";
    };
    const played = [...programme(snapshot(), next, 1_000)].map((s) => s.file);
    // x (0 s), y skipped, z (10 s), x (20 s), y skipped, z (30 s), then x would start at 40 s: the end.
    expect(played).toEqual(["x", "z", "x", "z"]);
    expect(asked.map(([id, , at]) => `${id}@${at - 1_000}`)).toEqual([
      "x@0",
      "y@10000",
      "z@10000",
      "x@20000",
      "y@30000",
      "z@30000",
      "x@40000",
    ]);
    expect(asked.every(([, seconds]) => seconds === 10)).toBe(true);
  });

  it("ends when a whole pass plays nothing, rather than asking forever", () => {
    let asked = 0;
    const played = [
      ...programme(
        snapshot(),
        () => {
          asked++;
          return "skip";
        },
        0,
      ),
    ];
    // Nothing to play at all: a moment of silence, not an empty answer.
    expect(played.map((seg) => seg.file)).toEqual(["silence"]);
    expect(played[0]!.memory?.data.length).toBe(played[0]!.end + 1);
    expect(asked).toBe(3);
  });
});
