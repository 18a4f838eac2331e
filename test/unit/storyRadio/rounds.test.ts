import {describe, expect, it} from "vitest";
import {programmeRounds} from "../../../src/storyRadio/rounds.js";

/** A seeded stand-in for Math.random: the same order on every run, a different one per seed. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe("story radio's rounds", () => {
  it("plays every unit once before any again, keeps a unit's tracks together and in order, never one twice in a row", () => {
    const units = [["a1", "a2", "a3"], ["b"], ["c"], ["d1", "d2"], ["e"]];
    for (let seed = 1; seed <= 50; seed++) {
      const queue = programmeRounds(units, seeded(seed));
      expect(queue.length % 8).toBe(0);
      const rounds = queue.length / 8;
      expect(rounds).toBe(8);
      let last: string | undefined;
      for (let r = 0; r < rounds; r++) {
        const round = queue.slice(r * 8, r * 8 + 8);
        expect([...round].sort()).toEqual(["a1", "a2", "a3", "b", "c", "d1", "d2", "e"]);
        expect(round.join(",")).toContain("a1,a2,a3");
        expect(round.join(",")).toContain("d1,d2");
        // Where one round meets the next, not the same unit again.
        if (last) expect(round[0]![0]).not.toBe(last[0]);
        last = round[7];
      }
    }
  });

  it("never plays a unit twice in a row where the loop comes back to its start", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const queue = programmeRounds([["a"], ["b"], ["c"]], seeded(seed));
      expect(queue.at(-1)).not.toBe(queue[0]);
      for (let i = 1; i < queue.length; i++) expect(queue[i]).not.toBe(queue[i - 1]);
    }
    const long = [["a1", "a2"], ["b"], ["c1", "c2", "c3"]];
    for (let seed = 1; seed <= 100; seed++) {
      const queue = programmeRounds(long, seeded(seed)).join(",");
      const wrapped = `${queue},${queue}`;
      for (const unit of ["a1,a2,a1,a2", "b,b", "c1,c2,c3,c1,c2,c3"]) expect(wrapped).not.toContain(unit);
    }
  });

  it("varies the order from round to round", () => {
    const units = Array.from({length: 6}, (_, i) => [`u${i}`]);
    const queue = programmeRounds(units, seeded(7));
    const orders = new Set(Array.from({length: queue.length / 6}, (_, r) => queue.slice(r * 6, r * 6 + 6).join()));
    expect(orders.size).toBeGreaterThan(1);
  });

  it("is empty for a shelf with nothing it can play, one unit alone for one, and stays within a stream's room", () => {
    expect(programmeRounds([])).toEqual([]);
    expect(programmeRounds([[]])).toEqual([]);
    expect(programmeRounds([["only"]], seeded(3))).toEqual(Array(8).fill("only"));
    const big = Array.from({length: 900}, (_, i) => [`t${i}`]);
    const queue = programmeRounds(big, seeded(5));
    expect(queue).toHaveLength(900);
    expect(new Set(queue).size).toBe(900);
    // A round past the 1,000 a queue is written with: whole, up to the 2,000 a stream holds.
    const bigger = Array.from({length: 1200}, (_, i) => [`t${i}`]);
    expect(new Set(programmeRounds(bigger, seeded(5))).size).toBe(1200);
  });
});
