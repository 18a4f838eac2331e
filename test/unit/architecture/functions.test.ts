import {describe, expect, it} from "vitest";
import {longFunctions, staleAllowances} from "../../helpers/architecture.js";
import {LONG_TABLES, MAX_FUNCTION_LINES, panelFiles, srcFiles} from "./sitePlan.js";

const files = srcFiles();
const panel = panelFiles();

describe(`functions (src/ and the panel) up to ${MAX_FUNCTION_LINES} lines`, () => {
  const all = [...files, ...panel];

  it("finds them", () => {
    expect(all.flatMap((f) => f.functions).length).toBeGreaterThan(2000);
  });

  it("are all under the cap, but for the named tables", () => {
    expect(longFunctions(all, MAX_FUNCTION_LINES, LONG_TABLES)).toEqual([]);
  });

  it("has no table on its list that is gone or back under the cap", () => {
    expect(staleAllowances(all, MAX_FUNCTION_LINES, LONG_TABLES)).toEqual([]);
  });
});

describe("the panel", () => {
  it("reaches into src/ only for the wire contract", () => {
    const intoSrc = panel.flatMap((f) => f.imports.filter((t) => t.startsWith("src/")).map((t) => `${f.file} → ${t}`));
    expect(intoSrc.length).toBeGreaterThan(0);
    expect(intoSrc.filter((edge) => !edge.endsWith("→ src/shared/api/index.ts"))).toEqual([]);
  });

  // Every tab named in README.md, ui/README.md and the docs: test/unit/ui/readmeViews.test.ts.
});
