import {readdirSync} from "node:fs";
import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {anchors, deadLinks, REPOSITORY_BLOB} from "../helpers/markdownLinks.js";
import {SYSTEM_PACKAGES} from "../helpers/testPrograms.js";
import {tempDir} from "../helpers/tmp.js";

const pages = [
  "README.md",
  "DOCS.md",
  ...readdirSync(path.join(PACKAGE_ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("links in the README, DOCS.md and docs/", () => {
  it("lead to a file that exists and a heading it has", () => {
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.flatMap((page) => deadLinks(PACKAGE_ROOT, page))).toEqual([]);
  });

  it("from DOCS.md into docs/ are absolute to the repository, since the Documentation tab shows DOCS.md alone", async () => {
    const docs = await readFile(path.join(PACKAGE_ROOT, "DOCS.md"), "utf8");
    expect(docs.match(/\]\((?:\.\/)?docs\//g)).toBeNull();
    expect(docs).toContain(`](${REPOSITORY_BLOB}docs/`);
  });

  it("are found dead when a file or an anchor is missing", async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, "a.md"),
      [
        "# Top",
        "## Your family's cards, archived",
        "## Top",
        "[ok](#your-familys-cards-archived) [ok](#top-1) [ok](b.md) [web](https://example.com/x#y)",
        "[gone](#nowhere) [gone](c.md) [gone](b.md#nowhere) `[code](nowhere.md)`",
        `[ok](${REPOSITORY_BLOB}b.md#b) [gone](${REPOSITORY_BLOB}d.md)`,
        "```",
        "[fenced](nowhere.md)",
        "```",
      ].join("\n"),
    );
    await writeFile(path.join(dir, "b.md"), "# B\n");
    expect(deadLinks(dir, "a.md")).toEqual([
      "a.md:5 #nowhere: no heading #nowhere in a.md",
      "a.md:5 c.md: no file c.md",
      "a.md:5 b.md#nowhere: no heading #nowhere in b.md",
      `a.md:6 ${REPOSITORY_BLOB}d.md: no file d.md`,
    ]);
  });

  it("use GitHub's heading ids", () => {
    expect([
      ...anchors("# Bedtime, quiet and the morning\n## `player.quiet` (v2)\n# Bedtime, quiet and the morning"),
    ]).toEqual(["bedtime-quiet-and-the-morning", "playerquiet-v2", "bedtime-quiet-and-the-morning-1"]);
  });
});

describe("the README's test requirements", () => {
  it("name every system package the tests drive, in one apt-get line, and .ci/run installs each", async () => {
    const readme = await readFile(path.join(PACKAGE_ROOT, "README.md"), "utf8");
    const line = /^\s*sudo apt-get install (.+)$/m.exec(readme)?.[1]?.trim().split(/\s+/);
    expect([...(line ?? [])].sort()).toEqual([...SYSTEM_PACKAGES].sort());
    const ci = await readFile(path.join(PACKAGE_ROOT, ".ci/run"), "utf8");
    expect(SYSTEM_PACKAGES.filter((pkg) => !ci.includes(pkg))).toEqual([]);
  });
});
