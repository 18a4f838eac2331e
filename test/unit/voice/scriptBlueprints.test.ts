import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse, type Tags} from "yaml";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {
  SCRIPT_BLUEPRINT_FOLDER,
  SCRIPT_BLUEPRINTS,
  SCRIPT_SPECS,
  type ScriptBlueprintId,
  scriptBlueprint,
  scriptBlueprintFile,
} from "../../../src/voice/scriptBlueprint.js";
import {VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";

class Input {
  constructor(readonly name: string) {}
}
const customTags: Tags = [{tag: "!input", resolve: (value: string) => new Input(value)}];
const fileOf = (id: ScriptBlueprintId) => path.join(PACKAGE_ROOT, scriptBlueprintFile(id));

/** The sentence each script's description carries, so an agent leaves Home Assistant's media intent alone. */
const NOT_MEDIA_SEARCH =
  "For Yoto players use this script, not the built-in media search (HassMediaSearchAndPlay): it fails on a Yoto.";

/** The descriptions longer than `max` characters, each named, with its length. */
function tooLong(texts: Record<string, string>, max: number): string[] {
  return Object.entries(texts)
    .filter(([, text]) => text.length > max)
    .map(([name, text]) => `${name}: ${text.length} characters`);
}

describe("the script blueprints for LLM assistants and the MCP server", () => {
  it("are what src/voice/scriptBlueprint.ts makes (else: npm run docs:voice)", async () => {
    for (const id of SCRIPT_BLUEPRINTS) {
      const written = await readFile(fileOf(id), "utf8");
      expect(
        written === scriptBlueprint(id, Object.keys(VOICE_LANGUAGES)),
        `${scriptBlueprintFile(id)} is out of date: run \`npm run docs:voice\``,
      ).toBe(true);
    }
  });

  it("keep each field's description within 128 characters and the script's within 1024, saying to use it instead of the media search", async () => {
    const files = (await readdir(path.join(PACKAGE_ROOT, SCRIPT_BLUEPRINT_FOLDER))).filter((f) => f.endsWith(".yaml"));
    expect(files.sort()).toEqual(SCRIPT_BLUEPRINTS.map((id) => `${id}.yaml`).sort());
    const fields: Record<string, string> = {};
    const scripts: Record<string, string> = {};
    // The written files, as Home Assistant reads them: a hand edit is caught too.
    for (const file of files) {
      const where = `${SCRIPT_BLUEPRINT_FOLDER}/${file}`;
      // biome-ignore lint/suspicious/noExplicitAny: the YAML as read
      const bp: any = parse(await readFile(path.join(PACKAGE_ROOT, where), "utf8"), {customTags});
      scripts[where] = bp.description;
      for (const [name, field] of Object.entries<{description: string}>(bp.fields)) {
        fields[`${where} ${name}`] = field.description;
      }
    }
    // And the specs they are written from.
    for (const id of SCRIPT_BLUEPRINTS) {
      const spec = SCRIPT_SPECS[id];
      scripts[`spec ${id}`] = spec.description;
      for (const [name, field] of Object.entries(spec.fields)) fields[`spec ${id} ${name}`] = field.description;
    }
    expect(Object.keys(scripts)).toHaveLength(2 * SCRIPT_BLUEPRINTS.length);
    expect(Object.keys(fields)).toHaveLength(8);
    expect(tooLong(fields, 128)).toEqual([]);
    expect(tooLong(scripts, 1024)).toEqual([]);
    for (const [name, description] of Object.entries(scripts)) {
      expect(description, name).toContain(NOT_MEDIA_SEARCH);
      expect(description, name).toContain("say it to the user as it is, without rewording or adding to it");
    }
    expect(SCRIPT_SPECS.play_on_yoto.fields.what?.description).toBe(
      "Required. What to play, in the user's words: a title (the sleepy dragon) or a kind (a bedtime story). Don't guess a title.",
    );
    expect(SCRIPT_SPECS.play_on_yoto.fields.who?.description).toBe(
      "Optional. The child (Mia), a Yoto's name or a room, in the user's words. Leave it out when the user named nobody; don't guess.",
    );
  });

  it("tell past the limits which description is too long, and by how much", () => {
    expect(tooLong({short: "x".repeat(128), long: "x".repeat(129)}, 128)).toEqual(["long: 129 characters"]);
  });

  it("are script blueprints whose inputs are all used, with described fields of selectors Home Assistant knows", async () => {
    const fieldsOf: Record<ScriptBlueprintId, string[]> = {
      play_on_yoto: ["what", "who"],
      one_more_story: ["who"],
      whats_playing: ["who"],
    };
    for (const id of SCRIPT_BLUEPRINTS) {
      const text = await readFile(fileOf(id), "utf8");
      // Duplicate keys are an error of the parser; no line trails blanks, and no blank line doubles.
      // biome-ignore lint/suspicious/noExplicitAny: read as Home Assistant's blueprint loader reads it
      const bp: any = parse(text, {customTags, uniqueKeys: true});
      expect(text.split("\n").filter((line) => /\s$/.test(line))).toEqual([]);
      expect(text).not.toContain("\n\n\n");
      expect(bp.blueprint.domain).toBe("script");
      expect(bp.blueprint.homeassistant.min_version).toBe("2024.10.0");
      expect(bp.blueprint.name.length).toBeGreaterThan(0);
      expect(bp.blueprint.description.length).toBeGreaterThan(0);
      expect(bp.description.length).toBeGreaterThan(100);
      expect(bp.description).toContain("say it to the user as it is");
      const used = JSON.stringify(bp, (_k, v) => (v instanceof Input ? `!input ${v.name}` : v));
      expect(Object.keys(bp.blueprint.input)).toEqual(["base_topic", "answer_within", "language"]);
      for (const [name, spec] of Object.entries<{description: string; default: unknown}>(bp.blueprint.input)) {
        expect(used, name).toContain(`!input ${name}`);
        expect(spec.description.length, name).toBeGreaterThan(0);
      }
      expect(bp.blueprint.input.base_topic.default).toBe("yoto");
      expect(bp.blueprint.input.answer_within.default).toBe(8);
      expect(bp.blueprint.input.language.default).toBe("en");
      expect(Object.keys(bp.fields)).toEqual(fieldsOf[id]);
      for (const [name, field] of Object.entries<{description: string; selector: unknown; required: boolean}>(
        bp.fields,
      )) {
        expect(field.selector, name).toEqual({text: {}});
        expect(field.description.length, name).toBeGreaterThan(0);
        expect(field.required, name).toBe(name === "what");
      }
      expect(bp.mode).toBe("parallel");
      const steps = bp.sequence.map((s: Record<string, unknown>) => Object.keys(s)[0]);
      expect(steps).toEqual(["variables", "action", "wait_for_trigger", "variables", "variables", "stop"]);
      expect(bp.sequence[1].action).toBe("mqtt.publish");
      expect(bp.sequence[5].response_variable).toBe("reply");
    }
  });
});
