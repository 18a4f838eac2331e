import {describe, expect, it} from "vitest";
import {compileGlob, isGlob} from "../../../src/streams/glob.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

const PATHS = [
  "a.mp3",
  "lullabies/moon.mp3",
  "lullabies/stars.mp3",
  "lullabies/old/owl.mp3",
  "lullabies/old/deep/whale.mp3",
  "stories/ep1.mp3",
  "stories/ep2.mp3",
  "stories/ep10.mp3",
  "stories/ep1.ogg",
  "music/lullabies/moon.mp3",
  "🌙/é1.mp3",
];

const matching = (pattern: string) => PATHS.filter(compileGlob(pattern));

describe("library globs", () => {
  it("tells globs from ids and paths", () => {
    expect(isGlob("lullabies/*")).toBe(true);
    expect(isGlob("stories/ep?.mp3")).toBe(true);
    expect(isGlob("lullabies/moon.mp3")).toBe(false);
    expect(isGlob("0123456789abcdef")).toBe(false);
  });

  it("`*` stays inside one folder", () => {
    expect(matching("lullabies/*")).toEqual(["lullabies/moon.mp3", "lullabies/stars.mp3"]);
    expect(matching("*.mp3")).toEqual(["a.mp3"]);
    expect(matching("stories/*.mp3")).toEqual(["stories/ep1.mp3", "stories/ep2.mp3", "stories/ep10.mp3"]);
    expect(matching("*/moon.mp3")).toEqual(["lullabies/moon.mp3"]);
    expect(matching("stories/e*1*")).toEqual(["stories/ep1.mp3", "stories/ep10.mp3", "stories/ep1.ogg"]);
    expect(matching("lullabies*")).toEqual([]);
  });

  it("`**` as a whole segment crosses any number of folders, none included", () => {
    expect(matching("lullabies/**")).toEqual([
      "lullabies/moon.mp3",
      "lullabies/stars.mp3",
      "lullabies/old/owl.mp3",
      "lullabies/old/deep/whale.mp3",
    ]);
    expect(matching("**/moon.mp3")).toEqual(["lullabies/moon.mp3", "music/lullabies/moon.mp3"]);
    expect(matching("**/*.ogg")).toEqual(["stories/ep1.ogg"]);
    expect(matching("**/lullabies/**/*.mp3")).toEqual([
      "lullabies/moon.mp3",
      "lullabies/stars.mp3",
      "lullabies/old/owl.mp3",
      "lullabies/old/deep/whale.mp3",
      "music/lullabies/moon.mp3",
    ]);
    expect(matching("lullabies/**/deep/**/*")).toEqual(["lullabies/old/deep/whale.mp3"]);
    expect(matching("**/**/owl.mp3")).toEqual(["lullabies/old/owl.mp3"]);
    expect(matching("**")).toEqual(PATHS);
    // Inside a name `**` is a plain star: it does not reach into folders.
    expect(matching("lullabies/**.mp3")).toEqual(["lullabies/moon.mp3", "lullabies/stars.mp3"]);
    // A globstar is not a prefix match on names: `**/oon.mp3` needs a whole segment `oon.mp3`.
    expect(matching("**/oon.mp3")).toEqual([]);
  });

  it("`?` is exactly one character, never a folder separator", () => {
    expect(matching("stories/ep?.mp3")).toEqual(["stories/ep1.mp3", "stories/ep2.mp3"]);
    expect(matching("stories/ep??.mp3")).toEqual(["stories/ep10.mp3"]);
    expect(matching("lullabies?moon.mp3")).toEqual([]);
    expect(matching("?/??.mp3")).toEqual(["🌙/é1.mp3"]);
  });

  it("takes every other character literally", () => {
    const paths = ["a+b (1).mp3", "a+b (1)xmp3", "[x]$.mp3", "x.mp3"];
    expect(paths.filter(compileGlob("a+b (1).*"))).toEqual(["a+b (1).mp3"]);
    expect(paths.filter(compileGlob("[x]$.*"))).toEqual(["[x]$.mp3"]);
    expect(paths.filter(compileGlob("[x]*"))).toEqual(["[x]$.mp3"]);
  });

  it("answers a hostile pattern over 2,000 long paths in time growing with their length", () => {
    // Paths a tenth as long first, then the whole length in no more than 40 times their time.
    const paths = (n: number) =>
      Array.from({length: 2000}, (_, i) => `${"folder/".repeat(n / 10)}${"a".repeat(n)}${i}.mp3`);
    const hostile = [
      "**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?!",
      "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
      `${"**/".repeat(40)}${"?*".repeat(100)}!`,
      `${"**/*/".repeat(30)}x`,
      `${"*".repeat(100_000)}!`,
    ];
    for (const pattern of hostile) {
      const matched = readsInLinearTime(paths, (all) => all.filter(compileGlob(pattern)), 200);
      expect(matched, pattern.slice(0, 40)).toEqual([]);
    }
    // The same shapes still match where they should.
    expect(compileGlob(hostile[0] as string)(`${"x".repeat(24)}!`)).toBe(true);
    expect(compileGlob(hostile[0] as string)(`${"x".repeat(23)}!`)).toBe(false);
    expect(compileGlob(hostile[2] as string)(`x/y/${"c".repeat(100)}!`)).toBe(true);
    expect(compileGlob(hostile[3] as string)(`${"d/".repeat(30)}x`)).toBe(true);
    expect(compileGlob(hostile[3] as string)(`${"d/".repeat(29)}x`)).toBe(false);
  });
});
