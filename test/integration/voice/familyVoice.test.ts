import {describe, expect, it} from "vitest";
import {type FamilySays, sayToFamily, startFamily} from "../../helpers/familyVoice.js";
import {hassilPython} from "../../helpers/hassil.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {ENGLISH_SAYS, GERMAN_SAYS} from "./familySays.js";

const startLinked = linkedBridge();
const hassil = hassilPython();

describe.skipIf(!hassil.python)("the family's own words, as Home Assistant hears them, on the demo", () => {
  it.each([
    ["en", ENGLISH_SAYS],
    ["de", GERMAN_SAYS],
  ] as Array<[string, FamilySays[]]>)(
    "(%s) each sentence fires its one trigger with the family's sentences pasted in, and reaches the right Yoto and card",
    async (code, says) => {
      expect(says.length).toBeGreaterThanOrEqual(60);
      const service = await startFamily(startLinked);
      const heard = await sayToFamily(hassil.python as string, service, code, says);
      // Every sentence of this list fires exactly its own trigger (Home Assistant runs each trigger that matches).
      expect(heard.map((h) => `${h.say.say} → ${h.heard.fired.join(" + ") || "nothing"}`)).toEqual(
        says.map((s) => `${s.say} → ${s.trigger === "none" ? "nothing" : s.trigger}`),
      );
      expect(heard.filter((h) => h.wrong).map((h) => `${h.say.say}: ${h.wrong}`)).toEqual([]);
      const spoken = new Map(heard.map((h) => [h.say.say, h.answer?.speech]));
      // What is said names things as the family does: a pick from the shelf by its title, story radio as the child's.
      if (code === "en") {
        expect(spoken.get("play something for Mia")).toMatch(
          /^Playing “(The Sleepy Dragon|Goodnight Moon)” on Mia's Yoto\.$/,
        );
        expect(spoken.get("play a story for Ben")).toBe("Playing “The Gruffalo” on Ben's Yoto.");
        // Her shelf holds cards only, which play from Yoto: her story radio would play silence.
        expect(spoken.get("play story radio for Mia")).toBe(
          "Mia's story radio has nothing to play yet: it plays the library items, streams and podcasts on Mia's shelf.",
        );
        expect(spoken.get("set the volume of Ben's Yoto to 8")).toBe("Ben's Yoto is at volume 8 of 16.");
      } else {
        expect(spoken.get("Spiel das Geschichtenradio für Mia")).toBe(
          "Mias Geschichtenradio hat noch nichts zu spielen: es spielt die Bibliothekstitel, Streams und Podcasts auf Mias Regal.",
        );
        expect(spoken.get("Spiel die Drachengeschichte für Mia")).toBe(
          "Ich spiele „Der schläfrige Drache“ auf Mias Yoto.",
        );
      }
    },
    240_000,
  );
});
