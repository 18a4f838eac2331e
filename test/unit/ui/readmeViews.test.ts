import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";

/** The panel's tabs, in order, as its shell lists them. */
async function tabs(): Promise<string[]> {
  const shell = await readFile(path.join(PACKAGE_ROOT, "ui/src/yss-panel.ts"), "utf8");
  const list = /const VIEWS = \[([\s\S]*?)\] as const/.exec(shell)?.[1] ?? "";
  return [...list.matchAll(/label: "([^"]+)"/g)].map((m) => m[1] as string);
}

describe("the README's and the docs' lists of the panel's views", () => {
  it("name every tab the panel has, in its order", async () => {
    const names = await tabs();
    expect(names.length).toBeGreaterThan(5);
    const readme = (await readFile(path.join(PACKAGE_ROOT, "README.md"), "utf8")).replace(/\s+/g, " ");
    // "Views: **Players** (…), **Family** (…), …" in "What works today".
    const views = readme.slice(readme.indexOf("Views: **"), readme.indexOf("Everything updates live"));
    expect([...views.matchAll(/\*\*([A-Z]\w+)\*\*/g)].map((m) => m[1])).toEqual(names);
    // "one element per tab (Players, Family, …)" under "Development".
    const perTab = /one element per tab \(([^)]*)\)/.exec(readme)?.[1];
    expect(perTab?.split(", ")).toEqual(names);
    // docs/panel.md (the DOCS' "The panel" page): a bullet per view.
    const panel = await readFile(path.join(PACKAGE_ROOT, "docs/panel.md"), "utf8");
    expect([...panel.matchAll(/^- \*\*([A-Z]\w+)\*\*:/gm)].map((m) => m[1])).toEqual(names);
  });

  it("are the ones the panel's own README names, in its order", async () => {
    const names = await tabs();
    const readme = (await readFile(path.join(PACKAGE_ROOT, "ui/README.md"), "utf8")).replace(/\s+/g, " ");
    // "`src/views/`: one element per tab: Players, Family, … and Account (`yss-<name>-view.ts`)."
    const perTab = /one element per tab: ([^(]*?) \(`yss-<name>-view\.ts`\)/.exec(readme)?.[1];
    expect(perTab?.split(/, | and /)).toEqual(names);
  });
});
