import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {SERVICES} from "../../../src/upnpRenderers/rendererTables.js";

/**
 * Home Assistant's DLNA media player lists a renderer's presets (A_ARG_TYPE_PresetName's allowed
 * values) as its "Sound mode": on every Yoto a list whose one entry is "FactoryDefaults", which
 * says nothing to a family. Each is explained where the Yoto's media player is.
 */
describe("the renderer's presets, as Home Assistant shows them", () => {
  it("are each named in the media player's table of docs/home-assistant.md, with what choosing it does", () => {
    const presets = SERVICES.RenderingControl.variables.find((v) => v.name === "A_ARG_TYPE_PresetName")?.allowed ?? [];
    expect(presets).toEqual(["FactoryDefaults"]);
    const docs = readFileSync(path.join(PACKAGE_ROOT, "docs", "home-assistant.md"), "utf8");
    const row = docs.split("\n").find((line) => line.startsWith("| sound mode:"));
    for (const preset of presets) expect(row).toContain(`**${preset}**`);
    expect(row).toContain("half volume");
  });
});
