import {describe, expect, it} from "vitest";
import {parseRange} from "../../../src/http/range.js";

const SIZE = 1000;

describe("parseRange (RFC 9110 §14)", () => {
  it.each([
    ["bytes=0-0", {kind: "partial", start: 0, end: 0}],
    ["bytes=999-999", {kind: "partial", start: 999, end: 999}],
    ["bytes=999-", {kind: "partial", start: 999, end: 999}],
    ["bytes=-1", {kind: "partial", start: 999, end: 999}],
    ["bytes=-500", {kind: "partial", start: 500, end: 999}],
    ["bytes=-5000", {kind: "partial", start: 0, end: 999}],
    ["bytes=100-", {kind: "partial", start: 100, end: 999}],
    ["bytes=100-199", {kind: "partial", start: 100, end: 199}],
    ["bytes=900-5000", {kind: "partial", start: 900, end: 999}],
    ["BYTES = 5-9", {kind: "partial", start: 5, end: 9}],
  ])("%s is one range", (header, expected) => {
    expect(parseRange(header, SIZE)).toEqual(expected);
  });

  it.each(["bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-, 1000-1001"])(
    "%s cannot be satisfied",
    (header) => {
      expect(parseRange(header, SIZE)).toEqual({kind: "unsatisfiable"});
    },
  );

  it("coalesces overlapping and adjacent ranges into one", () => {
    expect(parseRange("bytes=0-99, 50-199, 200-249", SIZE)).toEqual({kind: "partial", start: 0, end: 249});
    expect(parseRange("bytes=0-9, 2000-3000", SIZE)).toEqual({kind: "partial", start: 0, end: 9});
  });

  it.each([
    undefined,
    "",
    "items=0-10",
    "bytes=abc",
    "bytes=10-5",
    "bytes=-",
    "bytes=0-1,5-6",
    `bytes=${Array.from({length: 20}, (_, i) => `${i * 10}-${i * 10 + 1}`).join(",")}`,
  ])("%s sends the whole body", (header) => {
    expect(parseRange(header, SIZE)).toEqual({kind: "full"});
  });

  it("never serves a range of an empty body", () => {
    expect(parseRange("bytes=0-", 0)).toEqual({kind: "unsatisfiable"});
    expect(parseRange("bytes=-10", 0)).toEqual({kind: "unsatisfiable"});
  });
});
