import {describe, expect, it} from "vitest";
import {parseBoundedYaml} from "../../../src/core/boundedYaml.js";

const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const problem = (text: string) => parseBoundedYaml(text).problem;

describe("parseBoundedYaml's limits, at their edges", () => {
  it("counts nesting exactly: 200 levels are read, 201 are refused at the innermost one", () => {
    expect(problem(nested(200))).toBeUndefined();
    expect(problem(nested(201))).toEqual({
      line: 1,
      col: 201,
      message: "YAML nested more than 200 levels deep: flatten it",
    });
  });

  it("counts what an alias brings in towards the depth, at the alias", () => {
    const anchored = `a: &x ${nested(150)}\n`;
    // 1 (the document's map) + 49 levels + the alias's 150 stays within 200.
    expect(problem(`${anchored}b: ${nested(49).replace("[]", "[*x]")}`)).toBeUndefined();
    expect(problem(`${anchored}b: ${nested(52).replace("[]", "[*x]")}`)).toEqual({
      line: 2,
      col: 56,
      message: "YAML nested more than 200 levels deep: flatten it",
    });
  });

  it("counts an alias as every value it expands to, nested aliases included", () => {
    const levels = ["x: &a [1,2,3,4,5,6,7,8,9,10]"];
    const tenOf = (name: string, inner: string) => `${name}x: &${name} [${Array(10).fill(`*${inner}`).join(",")}]`;
    levels.push(tenOf("b", "a"), tenOf("c", "b"), tenOf("d", "c"));
    // Aliases so far bring in 10 × 11 + 10 × 111 + 10 × 1,111 = 12,330 values.
    expect(problem(levels.join("\n"))).toBeUndefined();
    // Ten of d's 11,111 pass 100,000 at the eighth (column 30).
    expect(problem([...levels, tenOf("e", "d")].join("\n"))).toEqual({
      line: 5,
      col: 30,
      message: "YAML alias '*d' takes the file past 100000 values once aliases are expanded: use fewer aliases",
    });
  });

  it("reads the data it checked, duplicate keys refused and single-pair flow items measured", () => {
    const read = parseBoundedYaml("a: &q {c: 1}\nb: [x: 1, *q]");
    expect(read.problem ? read.problem : read.content).toEqual({a: {c: 1}, b: [{x: 1}, {c: 1}]});
    expect(problem("a: 1\nb: 2\na: 3")).toEqual({line: 3, col: 1, message: "YAML syntax: Map keys must be unique"});
  });
});
