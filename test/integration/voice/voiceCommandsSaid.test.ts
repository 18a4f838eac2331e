import {describe, expect, it} from "vitest";
import {type FamilySays, sayToFamily, startFamily} from "../../helpers/familyVoice.js";
import {hassilPython} from "../../helpers/hassil.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";

const startLinked = linkedBridge();
const hassil = hassilPython();

/** Each heard by one trigger and done as another: the answer's `action` says which (issue #100). */
const SAID: Record<string, FamilySays[]> = {
  en: [
    {say: "play the next chapter on Mia's Yoto", trigger: "next", player: "mia"},
    {say: "play the previous song for Ben", trigger: "previous", player: "ben"},
    {say: "Bedroom Mini play the last song again", trigger: "previous", player: "mia"},
    {say: "resume the sleepy dragon on Ben's Yoto", trigger: "play", player: "ben", card: "dragn"},
    {say: "continue the story on Mia's Yoto", trigger: "resume", player: "mia"},
    {say: "Ben is asking for another story", trigger: "one_more_story", player: "ben"},
    {say: "switch off every Yoto", trigger: "stop_all", player: "all"},
  ],
  de: [
    {say: "spiel das nächste Lied auf Mias Yoto", trigger: "next", player: "mia"},
    {say: "spiele den letzten Titel nochmal für Ben", trigger: "previous", player: "ben"},
  ],
};

describe.skipIf(!hassil.python)("a command said where a title goes is done as that command", () => {
  it.each(["en", "de"])(
    "(%s) by the trigger that heard it, and said as done",
    async (code) => {
      const service = await startFamily(startLinked);
      const heard = await sayToFamily(hassil.python as string, service, code, SAID[code] ?? []);
      expect(heard.map((h) => `${h.say.say} → ${h.answer?.action ?? h.wrong}`)).toEqual(
        (SAID[code] ?? []).map((s) => `${s.say} → ${s.trigger}`),
      );
      expect(heard.filter((h) => h.wrong).map((h) => `${h.say.say}: ${h.wrong}`)).toEqual([]);
    },
    120_000,
  );
});
