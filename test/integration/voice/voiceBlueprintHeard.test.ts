import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {blueprintFile} from "../../../src/voice/blueprint.js";
import {VOICE_TRIGGERS} from "../../../src/voice/languages/language.js";
import {readVoiceRequest, VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";
import {
  hassilPython,
  hearWithBlueprint,
  matchSentences,
  sampleBlueprint,
  speakWithBlueprint,
} from "../../helpers/hassil.js";

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
  it.skipIf(!hassil.python)(
    "fire, as Home Assistant hears them, exactly the trigger docs/voice.md gives for each phrase and its variants",
    async () => {
      const python = hassil.python as string;
      const phrases = await docsPhrases();
      expect(phrases.en!.length).toBeGreaterThan(15);
      expect(phrases.de!.length).toBeGreaterThan(10);
      for (const lang of LANGS) {
        const said = (phrases[lang.code] ?? []).flatMap((p) =>
          variants(p.text).map((text) => ({text, trigger: p.trigger})),
        );
        const heard = await hearWithBlueprint(python, fileOf(lang.code), said);
        expect(heard.map((h) => `${h.text} → ${h.fired.join(" + ") || "nothing"}`)).toEqual(
          said.map((s) => `${s.text} → ${s.trigger}`),
        );
        // Every trigger has a phrase in the docs.
        expect(new Set(said.map((s) => s.trigger))).toEqual(new Set(VOICE_TRIGGERS));
        // The workspace's matcher agrees on the trigger of each phrase.
        const matched = await matchSentences(
          python,
          lang.sentences,
          said.map((s) => s.text),
        );
        expect(matched.map((m) => m.name)).toEqual(said.map((s) => s.trigger));
      }
    },
    60_000,
  );

  it.skipIf(!hassil.python)(
    "never fire two triggers, or another's, for any sentence their templates make",
    async () => {
      const values: Record<string, Record<string, string[]>> = {
        en: {
          who: ["Mia's", "mias", "the living room", "every", "all", "the", "the story on Mia's", "Ben"],
          what: ["jazz", "the story", "one more story", "all yotos", "the yoto"],
        },
        de: {
          who: ["Mias", "alle", "dem", "die Geschichte auf Mias", "der Küche", "Ben"],
          what: ["Jazz", "noch eine Geschichte", "alle Yotos"],
        },
      };
      for (const lang of LANGS) {
        const sampled = await sampleBlueprint(hassil.python as string, fileOf(lang.code), values[lang.code] ?? {}, [
          "[please]",
          "[bitte]",
        ]);
        expect(sampled.sampled, lang.code).toBeGreaterThan(500);
        expect(sampled.problems, lang.code).toEqual([]);
      }
    },
    60_000,
  );

  it.skipIf(!hassil.python)(
    "leave what a family says to other speakers and to Home Assistant itself alone",
    async () => {
      for (const lang of LANGS) {
        const heard = await hearWithBlueprint(
          hassil.python as string,
          fileOf(lang.code),
          (NOT_OURS[lang.code] ?? []).map((text) => ({text})),
        );
        expect(heard.filter((h) => h.fired.length > 0).map((h) => `${h.text} → ${h.fired}`)).toEqual([]);
      }
    },
  );

  it.skipIf(!hassil.python)(
    "publish the trigger's data as a request the service reads, whatever was heard",
    async () => {
      const registry = {
        devices: {
          sat: {name: "Voice PE", area_id: "mia"},
          y2: {name: "Bedroom Mini", area_id: "mia"},
          tv: {name: "Samsung TV", name_by_user: "TV", area_id: "mia"},
        },
        areas: {mia: "Mia's Room"},
        // What plays in the room: a TV by its device (renamed), a speaker with an area of its own, a light that does not play.
        entities: {
          "media_player.samsung": {device_id: "tv"},
          "media_player.speaker": {area_id: "mia", friendly_name: "Mia's Speaker"},
          "light.mia": {device_id: "y2"},
        },
      };
      const said = [
        {text: "Play the sleepy dragon on Mia's Yoto", device_id: "sat", context_id: "01JABC"},
        {text: `play {{ states('x') }} "quoted" \\ on Zoë's Yoto`, context_id: "01JDEF"},
        {text: "pause the story", device_id: "sat", context_id: "01JGHI"},
      ];
      const heard = await hearWithBlueprint(hassil.python as string, fileOf("en"), said, registry);
      expect(heard.map((h) => h.topic)).toEqual([
        "yoto/bridge/request/voice",
        "yoto/bridge/request/voice",
        "yoto/bridge/request/voice",
      ]);
      const bodies = heard.map((h) => JSON.parse(h.payload as string));
      expect(bodies[0]).toEqual({
        trigger: "play",
        sentence: "Play the sleepy dragon on Mia's Yoto",
        slots: {what: "the sleepy dragon", who: "Mia's"},
        device_id: "sat",
        area: "Mia's Room",
        devices: ["Voice PE", "Bedroom Mini", "Samsung TV", "TV"],
        rooms: [["Mia's Room", ["Voice PE", "Bedroom Mini", "Samsung TV", "TV"], ["TV", "Mia's Speaker"]]],
        language: "en",
        transaction: "01JABC",
      });
      expect(readVoiceRequest(bodies[1]).slots).toEqual({what: `{{ states('x') }} "quoted" \\`, who: "Zoë's"});
      expect(bodies[1]).toMatchObject({device_id: null, area: null, devices: []});
      expect(readVoiceRequest(bodies[2])).toMatchObject({trigger: "pause", slots: {}, area: "Mia's Room"});
    },
  );

  it.skipIf(!hassil.python)(
    "say the answer of their own transaction, an error's words, or that nobody answered",
    async () => {
      const variables = {base: "yoto", transaction: "01JABC", within: 8};
      const topic = "yoto/bridge/response/voice/01JABC";
      const ok = (transaction: string, speech: string) =>
        JSON.stringify({status: "ok", data: {speech, outcome: "played"}, transaction});
      const spoken = await speakWithBlueprint(hassil.python as string, fileOf("de"), [
        {
          variables,
          messages: [
            {topic, payload: ok("01JOTHER", "Nicht meine.")},
            {topic, payload: ok("01JABC", "Ich spiele Lieder auf Mias Yoto.")},
          ],
        },
        {
          variables,
          messages: [
            {
              topic,
              payload: JSON.stringify({
                status: "error",
                data: {},
                error: "I don't know the voice trigger 'x'",
                transaction: "01JABC",
              }),
            },
          ],
        },
        {variables, messages: [{topic: "yoto/bridge/response/other", payload: ok("01JABC", "Wrong topic.")}]},
        // The kept answer cleared (an empty retained message): not an answer.
        {variables, messages: [{topic, payload: ""}]},
        // An answer with nothing to say is never silence.
        {variables, messages: [{topic, payload: JSON.stringify({status: "ok", data: {}, transaction: "01JABC"})}]},
      ]);
      expect(spoken).toEqual([
        "Ich spiele Lieder auf Mias Yoto.",
        "I don't know the voice trigger 'x'",
        "Der Yoto-Dienst hat nicht geantwortet.",
        "Der Yoto-Dienst hat nicht geantwortet.",
        "Der Yoto-Dienst hat nicht geantwortet.",
      ]);
    },
  );
});
