import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {blueprintFile} from "../../../src/voice/blueprint.js";
import {voiceSentences} from "../../../src/voice/familySentences.js";
import {VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";
import {hassilPython, hearWithBlueprint, matchSentences} from "../../helpers/hassil.js";
import {ENGLISH_SAYS, GERMAN_SAYS} from "./familySays.js";

const hassil = hassilPython();

/** The test family of the precision test, its lines as the Voice page writes them in. */
const FAMILY = {
  en: {children: ["Mia", "Ben"], players: ["Bedroom Mini", "Living Room"], areas: ["Mia's Room", "Living Room"]},
  de: {children: ["Mia", "Ben"], players: ["Bedroom Mini", "Living Room"], areas: ["Kinderzimmer", "Wohnzimmer"]},
};
const SAYS = {en: ENGLISH_SAYS, de: GERMAN_SAYS};
/** Home Assistant's own test sentences taken: most fire nothing, which is where the shortcut saves. */
const THEIRS = 60;

function sentencesOf(code: "en" | "de"): string[] {
  const corpus = JSON.parse(
    readFileSync(path.join(PACKAGE_ROOT, `test/fixtures/voice/corpora/ha-precision-${code}.json`), "utf8"),
  ) as {sentences: Array<{say: string}>};
  // Every tenth, so each intent of Home Assistant's has its turn.
  const theirs = corpus.sentences.filter((_, i) => i % 10 === 0).slice(0, THEIRS);
  // A dotless ı, which hassil's case-blind matching holds equal to i.
  const dotless = code === "de" ? "Spıel den Grüffelo für Ben" : "play the gruffalo for Ben on hıs Yoto";
  return [...SAYS[code].map((s) => s.say), dotless, ...theirs.map((s) => s.say)];
}

// The voice tests run hassil over only the templates a sentence could match (test/helpers/hassilShortcut.py).
// Here the same sentences are heard both ways: what fires, its slots and what is published are the same.
describe.skipIf(!hassil.python)("hassil over the templates a sentence could match", () => {
  it.each(["en", "de"] as const)(
    "(%s) fires the same triggers with the same slots and payloads as hassil over every template",
    async (code) => {
      const lang = VOICE_LANGUAGES[code]!;
      const family = voiceSentences(lang, {...FAMILY[code], rooms: FAMILY[code].areas}, {path: "x", baseTopic: "yoto"});
      const inputs = Object.fromEntries(family.triggers.map((t) => [t.input, t.sentences]));
      const said = sentencesOf(code).map((text) => ({text}));
      const blueprint = path.join(PACKAGE_ROOT, blueprintFile(lang));
      const python = hassil.python as string;
      const [quick, whole] = await Promise.all([
        hearWithBlueprint(python, blueprint, said, {}, inputs),
        hearWithBlueprint(python, blueprint, said, {}, inputs, {exhaustive: true}),
      ]);
      expect(quick).toEqual(whole);
      // Both kinds are there: sentences that fire (the family's) and sentences that fire nothing.
      expect(whole.filter((h) => h.fired.length > 0).length).toBeGreaterThan(SAYS[code].length / 2);
      expect(whole.filter((h) => h.fired.length === 0).length).toBeGreaterThan(THEIRS / 2);
    },
    600_000,
  );

  it("gives the same best match for each sentence as hassil over every template", async () => {
    const lang = VOICE_LANGUAGES.en!;
    const family = voiceSentences(lang, {...FAMILY.en, rooms: FAMILY.en.areas}, {path: "x", baseTopic: "yoto"});
    const groups = Object.fromEntries(family.triggers.map((t) => [t.input, t.sentences]));
    const sentences = sentencesOf("en");
    const python = hassil.python as string;
    const [quick, whole] = await Promise.all([
      matchSentences(python, groups, sentences),
      matchSentences(python, groups, sentences, {exhaustive: true}),
    ]);
    expect(quick).toEqual(whole);
    expect(whole.filter((m) => m.name !== null).length).toBeGreaterThan(ENGLISH_SAYS.length / 2);
  }, 600_000);
});
