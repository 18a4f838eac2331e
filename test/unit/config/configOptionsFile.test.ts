import {truncate, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {ConfigError, loadConfig} from "../../../src/config/load.js";
import {tempDir} from "../../helpers/tmp.js";

const NO_HA = "/nonexistent/options.json";

function optionsFileErrors(file: string): string[] {
  try {
    loadConfig({argv: ["--options", file], env: {}, haOptionsPath: NO_HA});
  } catch (err) {
    if (err instanceof ConfigError) return err.errors;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("a hostile options file", () => {
  it("an alias bomb is refused at its line and column", async () => {
    const file = path.join(await tempDir(), "options.yaml");
    const levels = "abcdefgh".split("");
    await writeFile(
      file,
      [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        ...levels.slice(1).map((name, i) => `${name}: &${name} [${Array(9).fill(`*${levels[i]}`).join(",")}]`),
      ].join("\n"),
    );
    expect(optionsFileErrors(file)).toEqual([
      `options file '${file}' line 6, column 8: YAML alias '*e' takes the file past 100000 values once aliases are expanded: use fewer aliases`,
    ]);
  });

  it("a file over 1 MB is refused by its size, without reading it", async () => {
    const file = path.join(await tempDir(), "options.json");
    await writeFile(file, "");
    await truncate(file, 21 * 1024 * 1024);
    expect(optionsFileErrors(file)).toEqual([
      `options file '${file}' is 21.0 MB; options files are limited to 1 MB: it should hold only the add-on's options`,
    ]);
  });

  it("a syntax error is placed too", async () => {
    const file = path.join(await tempDir(), "options.yaml");
    await writeFile(file, 'log_level: debug\npublic_url: "http://x\n');
    expect(optionsFileErrors(file)).toEqual([
      `options file '${file}' line 3, column 1: YAML syntax: Missing closing "quote`,
    ]);
  });
});
