import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {blueprintFile} from "../../../src/voice/blueprint.js";
import {voiceSentences} from "../../../src/voice/familySentences.js";
import {VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";
import {hassilPython, hearWithBlueprint, walkBlueprint} from "../../helpers/hassil.js";

const hassil = hassilPython();

/**
 * The test family (test/helpers/familyVoice.ts) as the Voice page writes its names in, in Home
 * Assistant's test world: the living room holds its TV (tests/<lang>/_fixtures.yaml), so only in
 * Mia's room (the kitchen there, where nothing plays) does a Yoto play alone.
 */
const FAMILY = {
  en: {
    children: ["Mia", "Ben"],
    players: ["Bedroom Mini", "Living Room"],
    areas: ["Mia's Room", "Living Room"],
    rooms: ["Mia's Room"],
  },
  de: {
    children: ["Mia", "Ben"],
    players: ["Bedroom Mini", "Living Room"],
    areas: ["Kinderzimmer", "Wohnzimmer"],
    rooms: ["Kinderzimmer"],
  },
};
/**
 * A sentence naming the TV in Mia's room is from a test that puts a TV there (HassMediaSearchAndPlay's
 * name_area: HA answers it "Playing media"): in its world the room is not the Yoto's alone.
 */
const TV_IN_MIAS = /\b(tv|fernseher)\b.*\b(mia's room|kinderzimmer)\b/i;

/** Home Assistant's intents that are about what a media player plays: a Yoto trigger may answer these. */
const MEDIA = /^Hass(Media|SetVolume)/;
/** The family's rooms and Yotos, as the adapted sentences say them. */
const YOTO_WORLD = /\b(mia's room|living room|bedroom mini|kinderzimmer|wohnzimmer|mias yoto|bens yoto)\b/i;
/** Another device, a floor, or "here" (the kitchen satellite's room, which has no Yoto). */
const ELSEWHERE =
  /\b(tv|fernseher|fernsehsendung|soundbar|speaker|lautsprecher|radio|floor|obergeschoss|erdgeschoss|hier|diesem raum|in dem raum|im raum)\b/i;

// One python per 2,000 sentences: each reads the family's lines anew (seconds for the German ones).
const BATCH = 2000;

interface Said {
  say: string;
  intent: string;
  from: string;
}

/**
 * Whether a Yoto trigger may take a sentence of Home Assistant's own tests: only one about what
 * plays, naming a room or a Yoto of the family's and nothing else (never a TV, a light, a vacuum).
 */
export function mayTake(s: Said): boolean {
  return MEDIA.test(s.intent) && YOTO_WORLD.test(s.say) && !ELSEWHERE.test(s.say);
}

describe.skipIf(!hassil.python)("Home Assistant's own test sentences, with the kitchen moved to Mia's room", () => {
  it.each(["en", "de"] as const)(
    "(%s) are taken by no Yoto trigger unless they name only the family's Yoto world",
    async (code) => {
      const file = JSON.parse(
        readFileSync(path.join(PACKAGE_ROOT, `test/fixtures/voice/corpora/ha-precision-${code}.json`), "utf8"),
      ) as {sentences: Said[]};
      const lang = VOICE_LANGUAGES[code]!;
      const inputsIn = (rooms: string[]) =>
        Object.fromEntries(
          voiceSentences(lang, {...FAMILY[code], rooms}, {path: "x", baseTopic: "yoto"}).triggers.map((t) => [
            t.input,
            t.sentences,
          ]),
        );
      const worlds = [
        {says: file.sentences.filter((s) => !TV_IN_MIAS.test(s.say)), inputs: inputsIn(FAMILY[code].rooms)},
        {says: file.sentences.filter((s) => TV_IN_MIAS.test(s.say)), inputs: inputsIn([])},
      ];
      expect(worlds[1]?.says.length).toBeGreaterThan(0);
      const taken: string[] = [];
      for (const {says, inputs} of worlds) {
        const heard = [];
        for (let at = 0; at < says.length; at += BATCH)
          heard.push(
            ...(await hearWithBlueprint(
              hassil.python as string,
              path.join(PACKAGE_ROOT, blueprintFile(lang)),
              says.slice(at, at + BATCH).map((s) => ({text: s.say})),
              {},
              inputs,
            )),
          );
        expect(heard).toHaveLength(says.length);
        for (const [i, h] of heard.entries()) {
          const s = says[i] as Said;
          if (h.fired.length > 0 && !mayTake(s)) taken.push(`${s.say} (${s.intent}) → ${h.fired.join(" + ")}`);
        }
      }
      expect(taken).toEqual([]);
    },
    1_500_000,
  );
});

describe.skipIf(!hassil.python)("the family's own lines, walked at random", () => {
  it.each(["en", "de"] as const)(
    "(%s) never fire two triggers, or another's, for a sentence they make",
    async (code) => {
      const lang = VOICE_LANGUAGES[code]!;
      // Every room the Yoto's alone: the widest lines a family gets.
      const family = voiceSentences(lang, {...FAMILY[code], rooms: FAMILY[code].areas}, {path: "x", baseTopic: "yoto"});
      const inputs = Object.fromEntries(family.triggers.map((t) => [t.input, t.sentences]));
      const walked = await walkBlueprint(
        hassil.python as string,
        path.join(PACKAGE_ROOT, blueprintFile(lang)),
        inputs,
        {
          values: {
            what: code === "en" ? ["the gruffalo", "the next chapter", "one more story"] : ["den Grüffelo", "weiter"],
            level: ["5", "50 percent"],
            amount: ["2", "20 percent"],
            aside: code === "en" ? ["is tired"] : ["ist müde"],
          },
          per_template: 40,
          seed: 7,
        },
      );
      expect(walked.sampled).toBeGreaterThan(1000);
      expect(walked.problems).toEqual([]);
    },
    600_000,
  );
});
