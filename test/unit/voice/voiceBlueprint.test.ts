import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse, type Tags} from "yaml";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {blueprintFile, voiceBlueprint} from "../../../src/voice/blueprint.js";
import {VOICE_TRIGGERS} from "../../../src/voice/languages/language.js";
import {VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";

class Input {
  constructor(readonly name: string) {}
}
const customTags: Tags = [{tag: "!input", resolve: (value: string) => new Input(value)}];
const LANGS = Object.values(VOICE_LANGUAGES);
const fileOf = (code: string) => path.join(PACKAGE_ROOT, blueprintFile(VOICE_LANGUAGES[code]!));

describe("the voice blueprints", () => {
  it("are what the language files make (else: npm run docs:voice), one per language", async () => {
    for (const lang of LANGS) {
      const written = await readFile(fileOf(lang.code), "utf8");
      expect(
        written === voiceBlueprint(lang),
        `${blueprintFile(lang)} is out of date: run \`npm run docs:voice\``,
      ).toBe(true);
    }
  });

  it("are automation blueprints whose inputs are all used, one conversation trigger per voice trigger", async () => {
    for (const lang of LANGS) {
      // biome-ignore lint/suspicious/noExplicitAny: read as Home Assistant's blueprint loader reads it
      const bp: any = parse(await readFile(fileOf(lang.code), "utf8"), {customTags});
      expect(bp.blueprint.domain).toBe("automation");
      const used = JSON.stringify(bp, (_k, v) => (v instanceof Input ? `!input ${v.name}` : v));
      for (const name of Object.keys(bp.blueprint.input)) expect(used, name).toContain(`!input ${name}`);
      expect(bp.triggers.map((t: {id: string}) => t.id)).toEqual(VOICE_TRIGGERS);
      for (const t of bp.triggers) {
        expect(t.trigger).toBe("conversation");
        expect(bp.blueprint.input[t.command.name].default).toEqual(lang.sentences[t.id as keyof typeof lang.sentences]);
        expect(bp.blueprint.input[t.command.name].selector).toEqual({text: {multiple: true}});
      }
      expect(bp.mode).toBe("parallel");
    }
  });
});
