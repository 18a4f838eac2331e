import {describe, expect, it} from "vitest";
import {
  archivedCoverOf,
  archivedCoverPath,
  archivedTrackOf,
  archivedTrackPath,
  audioPathTarget,
  fileOf,
  itemPath,
  relayPath,
  scenePath,
  slotPath,
  streamPath,
} from "../../../src/links/audioPaths.js";

// Every path the audio listener serves is built and read in one module: what is built reads back.
describe("the audio listener's paths", () => {
  it("reads back what it builds, for each kind", () => {
    const file = (p: string) => p.slice(p.lastIndexOf("/") + 1);
    expect(fileOf.item(file(itemPath("0123456789abcdef", ".MP3")))).toBe("0123456789abcdef");
    expect(itemPath("0123456789abcdef", ".MP3")).toBe("/audio/0123456789abcdef.mp3");
    expect(fileOf.stream(file(streamPath("bed_time-2")))).toBe("bed_time-2");
    expect(fileOf.scene(file(scenePath("cave", "gate")))).toBe("gate");
    expect(scenePath("cave", "gate")).toBe("/stories/cave/gate.mp3");
    expect(fileOf.slot(file(slotPath("cave", 3)))).toBe(3);
    expect(slotPath("cave", 0)).toBe("/stories/cave/slots/0.mp3");
    expect(fileOf.relay(file(relayPath("y7s9dk3mqp2x8v4n1c6b0zlq")))).toBe("y7s9dk3mqp2x8v4n1c6b0zlq");
    const at = {cardId: "4vZqK", chapter: 2, track: 11};
    expect(archivedTrackOf(archivedTrackPath(at, "m4a"))).toEqual(at);
    expect(archivedCoverOf(archivedCoverPath("4vZqK"))).toBe("4vZqK");
  });

  it("says what a whole path plays: a library item, a stream or an archived track", () => {
    expect(audioPathTarget(itemPath("0123456789abcdef"))).toEqual({kind: "item", id: "0123456789abcdef"});
    expect(audioPathTarget(streamPath("bedtime"))).toEqual({kind: "stream", stream: "bedtime"});
    expect(audioPathTarget("/archive/4vZqK/1/2.mp3")).toEqual({kind: "card", cardId: "4vZqK", chapter: 1, track: 2});
    expect(audioPathTarget(scenePath("cave", "gate"))).toBeUndefined();
  });

  it("reads nothing from a path no route serves", () => {
    for (const path of [
      "/streams/Bedtime.mp3",
      "/streams/bedtime.ogg",
      "/streams/bedtime.mp3/x",
      "/audio/../../etc/passwd",
      "/audio/0123456789ABCDEF.mp3",
      "/audio/abc.mp3",
      "/archive/4vZqK/0/1.mp3",
      "/archive/4vZqK/1/1.mp3.exe",
      "/relay/x.mp3",
    ])
      expect(audioPathTarget(path), path).toBeUndefined();
    expect(fileOf.slot("4.mp3")).toBeUndefined();
    expect(fileOf.relay("a/b.mp3")).toBeUndefined();
    expect(fileOf.scene("-gate.mp3")).toBeUndefined();
  });
});
