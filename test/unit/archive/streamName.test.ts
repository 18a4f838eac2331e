import {describe, expect, it} from "vitest";
import {nameFromTitle} from "../../../src/archive/ownStreams.js";

describe("a stream name from an archived card's title", () => {
  it("reads as the title does, in the letters a stream name may hold", () => {
    expect(nameFromTitle("The Moon Fox")).toBe("the-moon-fox");
    expect(nameFromTitle("Grandma's songs")).toBe("grandmas-songs");
    expect(nameFromTitle("Grandma’s 🦉 stories!")).toBe("grandmas-stories");
    expect(nameFromTitle("Élan & Große Bär, Søren")).toBe("elan-grosse-bar-soren");
    expect(nameFromTitle("1, 2, 3 — go")).toBe("1-2-3-go");
    expect(nameFromTitle("月の狐")).toBeUndefined();
    expect(nameFromTitle("🦉🦉")).toBeUndefined();
  });

  it("is cut at a word, leaving room for '-2' within a stream name's 64 characters", () => {
    const long = "Songs we sang in the car on the long way to Grandma's house by the sea";
    expect(nameFromTitle(long)).toBe("songs-we-sang-in-the-car-on-the-long-way-to-grandmas");
    expect(nameFromTitle("a".repeat(80))).toBe("a".repeat(56));
  });
});
