import {describe, expect, it} from "vitest";
import {assignmentsOf, linksOf} from "../../../src/stories/import/twineText.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

// Hostile passages a 5 MB Twine file can hold: each was read in time growing with the square of its
// size (20,000 nested or unclosed sets took over a minute; 20,000 links in as many nested hooks, 12 s).
// Each is read at a tenth of its size first: the whole may take no more than 40 times as long.
const N = 20_000;

describe("reading Twine sets and links stays linear on hostile passages", () => {
  it("reads nested sets once each, naming their variables, with long expressions cut short", () => {
    const nested = (n: number) => `${"(set: $a to ".repeat(n)}1${")".repeat(n)}`;
    const sets = readsInLinearTime(nested, assignmentsOf, N);
    expect(sets).toHaveLength(N);
    // The expression is what the variable is set to (a warning names the variable beside it).
    expect(sets.at(-1)).toEqual({name: "a", value: 1, expression: "1", at: 12 * (N - 1)});
    expect(sets[0]).toEqual({
      name: "a",
      value: undefined,
      expression: `${"(set: $a to ".repeat(9).slice(0, 99)}…`,
      at: 0,
    });
  });

  it("reads sets that never close without reading the rest of the passage again for each", () => {
    const unclosed = (n: number) => "(set: $a to ".repeat(n);
    const sets = readsInLinearTime(unclosed, assignmentsOf, N);
    expect(sets).toHaveLength(N);
    expect(new Set(sets.map((s) => s.name))).toEqual(new Set(["a"]));
  });

  it("gives each of many links in deeply nested hooks no joined condition", () => {
    const deep = (n: number) => `${"(if: $a)[[[Go]] ".repeat(n)}${"]".repeat(n)}`;
    const links = readsInLinearTime(deep, linksOf, N);
    expect(links).toHaveLength(N);
    expect(links[0]).toEqual({text: "Go", target: "Go", placeholder: false, conditional: true, condition: "$a"});
    expect(links[8]).toEqual({text: "Go", target: "Go", placeholder: false, conditional: true});
    expect(links.at(-1)).toEqual({text: "Go", target: "Go", placeholder: false, conditional: true});
  });
});
