import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse, type Tags} from "yaml";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {blueprintFile, voiceBlueprint} from "../../../src/voice/blueprint.js";
import {VOICE_TRIGGERS} from "../../../src/voice/languages/language.js";
import {readVoiceRequest, VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";
import {
  hassilPython,
  hearWithBlueprint,
  matchSentences,
  sampleBlueprint,
  speakWithBlueprint,
} from "../../helpers/hassil.js";

class Input {
  constructor(readonly name: string) {}
}
const customTags: Tags = [{tag: "!input", resolve: (value: string) => new Input(value)}];
const LANGS = Object.values(VOICE_LANGUAGES);
const fileOf = (code: string) => path.join(PACKAGE_ROOT, blueprintFile(VOICE_LANGUAGES[code]!));

/** The phrase tables of docs/voice.md, by language: `| "sentence" | `trigger` |`. */
async function docsPhrases(): Promise<Record<string, Array<{text: string; trigger: string}>>> {
  const page = await readFile(path.join(PACKAGE_ROOT, "docs/voice.md"), "utf8");
  const out: Record<string, Array<{text: string; trigger: string}>> = {en: [], de: []};
  let lang = "";
  for (const line of page.split("\n")) {
    if (line.startsWith("| You say")) lang = "en";
    else if (line.startsWith("| Sie sagen")) lang = "de";
    const row = /^\| "([^"]+)" \| `(\w+)` \|$/.exec(line);
    if (row && lang) out[lang]?.push({text: row[1] as string, trigger: row[2] as string});
  }
  return out;
}

/** Variants a speech engine writes for the same words: no capitals, no apostrophe, a full stop. */
const variants = (text: string) => [text, text.toLowerCase(), text.replace(/'/g, ""), `${text}.`, `${text}?`];

/** What a family says to other speakers and Home Assistant itself: none of it may fire a Yoto trigger. */
const NOT_OURS: Record<string, string[]> = {
  en: [
    "pause the TV",
    "play ambient music on the kitchen mini",
    "play jazz in the kitchen",
    "play some music on the kitchen speaker",
    "start a timer for 5 minutes",
    "next track",
    "stop",
    "what's playing",
    "set the living room volume to 30%",
    "turn off the lights",
    "turn it off",
    "turn it up",
    "pause it",
    "turn the TV off",
    "put the kettle on",
    "what's playing in the kitchen",
    "can we have the lights on",
    "play the next one",
    "play the new one on the kitchen speaker",
  ],
  de: [
    "spiel Jazz in der Küche",
    "pausiere den Fernseher",
    "nächster Titel",
    "stopp",
    "starte einen Timer für 5 Minuten",
    "mach das Licht im Kinderzimmer an",
    "mach das Licht für Mia an",
    "mach es aus",
    "leg Musik auf",
  ],
};

const hassil = hassilPython();

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
