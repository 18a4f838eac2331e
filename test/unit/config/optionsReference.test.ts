import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {optionsReference} from "../../../src/config/optionsReference.js";
import {configSchema} from "../../../src/config/schema.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";

const read = (file: string) => readFile(path.join(PACKAGE_ROOT, file), "utf8");

describe("docs/options.md, the options reference", () => {
  it("is what the schema and translations/en.yaml make today (else: npm run docs:options)", async () => {
    const made = optionsReference(await read("translations/en.yaml"));
    const written = await read("docs/options.md");
    expect(written === made, "docs/options.md is out of date: run `npm run docs:options` and commit it").toBe(true);
  });

  it("has a section, with its Configuration tab name, for every option the schema has", async () => {
    const written = await read("docs/options.md");
    const sections = [...written.matchAll(/^## (\w+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(Object.keys(configSchema.properties));
    expect(written).toContain("**Public URL.** The address Yoto players use to fetch audio");
  });

  it("refuses an option the translations leave out, naming it", async () => {
    const en = (await read("translations/en.yaml")).replace(/^ {2}tts_language:\n(?: {4}.*\n)+/m, "");
    expect(() => optionsReference(en)).toThrow(
      "translations/en.yaml has no name and description for 'tts_language': add them under configuration",
    );
  });
});
