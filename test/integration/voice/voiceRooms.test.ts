import {describe, expect, it} from "vitest";
import {type FamilySays, familyRegistry, sayToFamily, startFamily} from "../../helpers/familyVoice.js";
import {hassilPython} from "../../helpers/hassil.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";

const startLinked = linkedBridge();
const hassil = hassilPython();

/**
 * The family's Home Assistant with a TV in the living room (a media player of its own device), as
 * HA's intents tests have one there: a title said with the living room alone may be the TV's, so
 * it is left to Home Assistant; in Mia's room nothing but her Yoto plays, and it is hers (issue #100).
 */
function withTv(code: string) {
  const home = familyRegistry(code);
  return {
    home: {
      ...home,
      devices: {...home.devices, tv: {name: "TV", area_id: "living"}},
      entities: {...home.entities, "media_player.tv": {device_id: "tv"}},
    },
    rooms: code === "de" ? ["Kinderzimmer"] : ["Mia's Room", "Mias Room"],
  };
}

const SAID: Record<string, FamilySays[]> = {
  en: [
    {say: "play the purple balloon in the living room", trigger: "none"},
    {say: "in the living room play the gruffalo", trigger: "none"},
    {say: "play the gruffalo in Mia's room", trigger: "play", player: "mia", card: "gruff"},
    // With the Yoto said, the room finds it whatever else plays there.
    {say: "play the purple balloon on the Yoto in the living room", trigger: "play", player: "ben", card: "ballo"},
    // "Start" with a room alone is never a play: a vacuum is started in a room too.
    {say: "start the gruffalo in Mia's room", trigger: "none"},
  ],
  de: [
    {say: "Spiel das Sandmännchen im Wohnzimmer", trigger: "none"},
    {say: "im Wohnzimmer Die kleine Raupe Nimmersatt abspielen", trigger: "none"},
    {say: "Spiel den Grüffelo im Kinderzimmer", trigger: "play", player: "mia", card: "gruef"},
    {say: "Starte den Grüffelo im Kinderzimmer", trigger: "none"},
  ],
};

describe.skipIf(!hassil.python)("a title said with a room alone", () => {
  it.each(["en", "de"])(
    "(%s) plays on the Yoto only where nothing else plays, as Home Assistant says what is in each room",
    async (code) => {
      const service = await startFamily(startLinked);
      const heard = await sayToFamily(hassil.python as string, service, code, SAID[code] ?? [], withTv(code));
      expect(heard.map((h) => `${h.say.say} → ${h.wrong ?? "right"}`)).toEqual(
        (SAID[code] ?? []).map((s) => `${s.say} → right`),
      );
    },
    120_000,
  );
});
