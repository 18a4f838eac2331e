import {describe, expect, it} from "vitest";
import {FloodSummary} from "../../../src/core/floodSummary.js";

function written() {
  const lines: string[] = [];
  let wake = () => {};
  return {
    lines,
    log: {
      warning: (line: string) => {
        lines.push(line);
        wake();
      },
    },
    /** Resolves once `count` lines are written. */
    until: (count: number) =>
      new Promise<void>((resolve) => {
        wake = () => lines.length >= count && resolve();
        wake();
      }),
  };
}

describe("a flood of warnings", () => {
  it("writes the first few of a kind, then counts, and sums the count up once when the window ends", async () => {
    const out = written();
    const flood = new FloodSummary(out.log, {first: 2, windowMs: 200});
    for (let i = 0; i < 1000; i++) flood.warning("refused", `bad ${i}`);
    flood.warning("failed", "failed 0");
    expect(out.lines).toEqual(["bad 0", "bad 1", "failed 0"]);
    await out.until(4);
    expect(out.lines[3]).toBe("… and 998 more like it in the last 0.2 s (refused)");
    flood.warning("refused", "bad again");
    expect(out.lines[4]).toBe("bad again");
    flood.stop();
    expect(out.lines).toHaveLength(5);
  });

  it("keeps at most 32 kinds apart, so made-up kinds cannot grow it, and says the rest at stop", () => {
    const out = written();
    const flood = new FloodSummary(out.log, {first: 1, windowMs: 60_000});
    for (let i = 0; i < 10_000; i++) flood.warning(`kind ${i}`, `line ${i}`);
    // 32 kinds of their own, then one shared count for all the others.
    expect(out.lines).toHaveLength(33);
    flood.stop();
    expect(out.lines.at(-1)).toBe("… and 9967 more like it in the last minute (other warnings)");
  });
});
