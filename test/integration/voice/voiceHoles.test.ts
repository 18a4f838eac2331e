import {describe, expect, it} from "vitest";
import {type FamilySays, sayToFamily, startFamily} from "../../helpers/familyVoice.js";
import {hassilPython} from "../../helpers/hassil.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";

const startLinked = linkedBridge();
const hassil = hassilPython();

/**
 * Each kind of hole issue #100 found, in sentences of its kind (written for this test, not taken
 * from the measured corpora): through hassil as Home Assistant reads the blueprint with the family's
 * sentences pasted in, then on the simulated Yotos.
 */
const HOLES: Record<string, FamilySays[]> = {
  en: [
    // A pronoun or possessive before the device; device nouns other than "Yoto".
    {say: "Mia wants the gruffalo on her yoto", trigger: "play", player: "mia", card: "gruff"},
    {say: "play the gruffalo for Ben on his yoto", trigger: "play", player: "ben", card: "gruff"},
    {say: "play goodnight moon on Mia's yoto player", trigger: "play", player: "mia", card: "gmoon"},
    {say: "pause the Bedroom Mini", trigger: "pause", player: "mia"},
    // Verb frames other than play / put on.
    {say: "let Ben listen to the gruffalo", trigger: "play", player: "ben", card: "gruff"},
    {say: "Ben is asking for the sleepy dragon", trigger: "play", player: "ben", card: "dragn"},
    {say: "can Mia listen to one more", trigger: "one_more_story", player: "mia"},
    // "Start" with a child alone stays Home Assistant's ("start a 10 minute timer for Ben"): with the Yoto, it is ours.
    {say: "start a 10 minute timer for Ben", trigger: "none"},
    {say: "start the gruffalo on Mia's Yoto", trigger: "play", player: "mia", card: "gruff"},
    {say: "put on the gruffalo for my son Ben", trigger: "play", player: "ben", card: "gruff"},
    // A command word where a title goes; "the dragon one".
    {say: "play the previous chapter on Mia's Yoto", trigger: "previous", player: "mia"},
    {say: "put on the dragon one for Ben", trigger: "play", player: "ben", card: "dragn"},
    // Volume with a room, other verbs, "I can't hear", every Yoto.
    {say: "turn up the Yoto in the living room", trigger: "volume_up", player: "ben"},
    {say: "lower the volume on Ben's Yoto", trigger: "volume_down", player: "ben"},
    {say: "I can't hear Mia's Yoto", trigger: "volume_up", player: "mia"},
    {say: "could you turn Ben's yoto down a bit", trigger: "volume_down", player: "ben"},
    {say: "Volume 3 on Mia's Yoto", trigger: "volume_set", player: "mia", level: 3},
    {say: "switch off every Yoto", trigger: "stop_all", player: "all"},
    // A longer listened-today question; what's playing, said in other words.
    {say: "how much time has Ben spent on his Yoto today", trigger: "listened", player: "ben"},
    {say: "what's playing right now on Mia's Yoto", trigger: "whats_playing", player: "mia"},
    {say: "which story is this on Ben's Yoto", trigger: "whats_playing", player: "ben"},
    // A title with resume or continue; "start playing"; "some music".
    {say: "resume the sleepy dragon on Mia's Yoto", trigger: "play", player: "mia", card: "dragn"},
    {say: "continue playing my goodnight moon on Ben's Yoto", trigger: "play", player: "ben", card: "gmoon"},
    {say: "start playing the purple balloon on Ben's Yoto", trigger: "play", player: "ben", card: "ballo"},
    {say: "play some music on Mia's yoto", trigger: "play", player: "mia"},
    // A title with the room alone, where nothing but the Yoto plays.
    {say: "play the purple balloon in the living room", trigger: "play", player: "ben", card: "ballo"},
    // Two clauses, the child first and the Yoto by a pronoun; "hey" before any of it.
    {say: "Mia's going to the toilet, pause her story", trigger: "pause", player: "mia"},
    {say: "Ben missed that bit, go back a chapter on his Yoto", trigger: "previous", player: "ben"},
    {say: "Hey, play some music for Ben", trigger: "play", player: "ben"},
    // A part said again from its start; a Yoto named as one, bare.
    {say: "play that chapter again from the start for Ben", trigger: "previous", player: "ben"},
    {say: "turn off the Bedroom Mini", trigger: "stop", player: "mia"},
    {say: "make it quieter in Mia's room", trigger: "volume_down", player: "mia"},
    {say: "turn Ben down", trigger: "volume_down", player: "ben"},
    // Music without a title in a room; "turn on" a title is still the TV's.
    {say: "please turn on my music for Ben", trigger: "play", player: "ben"},
    {say: "turn on the TV for Mia", trigger: "none"},
    // An amount before the target; "stop playing" as Home Assistant's own pause; a story read.
    {say: "turn the volume up by 20% in the living room", trigger: "volume_up", player: "ben"},
    {say: "stop playing on Ben's Yoto", trigger: "pause", player: "ben"},
    {say: "read Mia a story", trigger: "play", player: "mia"},
    {say: "read the gruffalo to Ben", trigger: "play", player: "ben", card: "gruff"},
    // What is playing, in more words; the next part of a podcast; "let's" and "keep playing" with a room.
    {say: "what music is currently playing on Mia's Yoto", trigger: "whats_playing", player: "mia"},
    {say: "skip to the next podcast episode in the living room", trigger: "next", player: "ben"},
    {say: "play the next episode of the podcast for Mia", trigger: "next", player: "mia"},
    {say: "let's listen to the purple balloon in Mia's room", trigger: "play", player: "mia", card: "ballo"},
    {say: "keep playing goodnight moon in the living room", trigger: "play", player: "ben", card: "gmoon"},
    // "Put on" and "I'd like … playing" with a room where only the Yoto plays; "have … on" for a child.
    {say: "put on goodnight moon in Mia's room", trigger: "play", player: "mia", card: "gmoon"},
    {say: "I'd like the gruffalo playing in the living room", trigger: "play", player: "ben", card: "gruff"},
    {say: "can Mia have the purple balloon on please", trigger: "play", player: "mia", card: "ballo"},
  ],
  de: [
    // Trennbare Verben und Fragen mit Modalverb.
    {say: "Mach die Geschichte auf Mias Yoto weiter", trigger: "resume", player: "mia"},
    {say: "Kann Mia noch eine Geschichte haben", trigger: "one_more_story", player: "mia"},
    {say: "Kannst du Bens Yoto lauter machen", trigger: "volume_up", player: "ben"},
    {say: "Kannst du die Musik im Kinderzimmer pausieren", trigger: "pause", player: "mia"},
    {say: "Dreh bei Ben mal runter", trigger: "volume_down", player: "ben"},
    // Mit dem Raum allein ist "dreh … auf" das Wasser oder die Heizung; "mach alles aus" das Licht.
    {say: "Dreh im Wohnzimmer mal auf", trigger: "none"},
    {say: "Mach alles aus", trigger: "none"},
    {say: "Stell das Wohnzimmer auf 20 Prozent", trigger: "none"},
    {say: "Halt mal Bens Yoto kurz an", trigger: "pause", player: "ben"},
    {say: "Schalt Mias Yoto aus", trigger: "stop", player: "mia"},
    // "Bei Mia", "dem Ben", der Yoto von Ben.
    {say: "Spiel den Grüffelo bei Ben", trigger: "play", player: "ben", card: "gruef"},
    {say: "Spiel dem Ben den schläfrigen Drachen vor", trigger: "play", player: "ben", card: "drach"},
    {say: "Kannst du das Yoto von Ben pausieren", trigger: "pause", player: "ben"},
    // Befehle mit dem Ziel vorn, hinten oder mittendrin.
    {say: "Spring im Kinderzimmer ein Lied weiter", trigger: "next", player: "mia"},
    {say: "Nächstes Kapitel bei Mia", trigger: "next", player: "mia"},
    {say: "Geh ein Kapitel zurück auf Mias Yoto", trigger: "previous", player: "mia"},
    // Lautstärke als Wort und als Prozent; ein Titel mit dem Raum allein.
    {say: "Lautstärke im Kinderzimmer 50 %", trigger: "volume_set", player: "mia", level: 8},
    {say: "Spiel die Raupe im Wohnzimmer", trigger: "play", player: "ben", card: "raupe"},
    {say: "Welche Geschichte läuft im Kinderzimmer", trigger: "whats_playing", player: "mia"},
    // "Mach … an" und "lass … laufen" mit einem Titel auf einem Yoto; "lass … abspielen" auch für ein Kind;
    // ohne Titel auch im Raum.
    {say: "Mach auf Bens Yoto mal den schläfrigen Drachen an", trigger: "play", player: "ben", card: "drach"},
    {say: "Lass auf der Bedroom Mini die Raupe laufen", trigger: "play", player: "mia", card: "raupe"},
    {say: "Lass für Ben den Grüffelo abspielen", trigger: "play", player: "ben", card: "gruef"},
    {say: "Mach Musik im Kinderzimmer an", trigger: "play", player: "mia"},
    {say: "Starte eine Geschichte im Wohnzimmer", trigger: "play", player: "ben"},
    // Das Licht, der Ventilator, der Fernseher und der Staubsauger im Raum und ein Timer namens Ben bleiben
    // Home Assistants. "Bei Mia" nimmt ein Yoto nur, wo kein Bereich Mia heißt (siehe unten).
    {say: "Mach im Kinderzimmer das Licht an", trigger: "none"},
    {say: "Lass im Wohnzimmer den Ventilator laufen", trigger: "none"},
    {say: "Starte den Staubsauger im Kinderzimmer", trigger: "none"},
    {say: "Starte einen 10 Minuten Timer für Ben", trigger: "none"},
    // Die Box, "auf der", ein Yoto, der sich Mini nennt, ohne das Wort Yoto.
    {say: "Halt doch mal eben die Box im Wohnzimmer an", trigger: "pause", player: "ben"},
    {say: "Spiel auf der Bedroom Mini bitte Musik", trigger: "play", player: "mia"},
    {say: "Mach die Bedroom Mini aus", trigger: "stop", player: "mia"},
    {say: "Stelle Bedroom Mini auf Minimum", trigger: "volume_set", player: "mia", level: 1},
    {say: "Mia leiser", trigger: "volume_down", player: "mia"},
    // Zwei Sätze; "von vorne"; Fragen mit anderen Wörtern.
    {say: "Mia muss aufs Klo, pausier ihre Geschichte", trigger: "pause", player: "mia"},
    {say: "Spiel das Kapitel bei Mia nochmal von vorne", trigger: "previous", player: "mia"},
    {say: "Sag mal, was läuft im Kinderzimmer?", trigger: "whats_playing", player: "mia"},
    {say: "Ist für Mia noch eine Geschichte drin?", trigger: "one_more_story", player: "mia"},
    {say: "Um wie viel Uhr ist für Mia Bettzeit?", trigger: "bedtime", player: "mia"},
    {say: "Wie lange hört Ben heute schon Geschichten?", trigger: "listened", player: "ben"},
    // Ein Yoto, dessen Name kein Bereich des Hauses trägt, auch ohne das Wort Yoto; um wie viel, wie Home Assistant es sagt.
    {say: "Stelle den Living Room auf Minimum", trigger: "volume_set", player: "ben", level: 1},
    {say: "Erhöhe die Lautstärke der Musik im Kinderzimmer um 30", trigger: "volume_up", player: "mia"},
    {say: "Im Wohnzimmer um 10 Prozent leiser", trigger: "volume_down", player: "ben"},
    {say: "Spring ein Stück vorwärts im Kinderzimmer", trigger: "next", player: "mia"},
    {say: "Spiel die nächste Folge vom Podcast für Ben", trigger: "next", player: "ben"},
    // Wie es ein Elternteil ungeplant sagt: andere Wörter für die Bettzeit, "'ne", "beide", "auf Pause drücken".
    {say: "Wann ist für Ben Zubettgehzeit?", trigger: "bedtime", player: "ben"},
    {say: "Kann Ben noch 'ne Gutenachtgeschichte haben?", trigger: "one_more_story", player: "ben"},
    {say: "Schalt beide Yotos aus", trigger: "stop_all", player: "all"},
    {say: "Würdest du auf dem Bedroom Mini eben auf Pause drücken?", trigger: "pause", player: "mia"},
    {say: "Lass Bens Geschichte weiterlaufen", trigger: "resume", player: "ben"},
    {say: "Spiel bei Mia weiter, wo sie aufgehört hat", trigger: "resume", player: "mia"},
    {say: "Der Bedroom Mini ist viel zu leise, dreh auf", trigger: "volume_up", player: "mia"},
  ],
};

describe.skipIf(!hassil.python)("each kind of hole the family found", () => {
  it.each(["en", "de"])(
    "(%s) is heard by its one trigger and done on the right Yoto",
    async (code) => {
      const service = await startFamily(startLinked);
      const heard = await sayToFamily(hassil.python as string, service, code, HOLES[code] ?? []);
      expect(heard.map((h) => `${h.say.say} → ${h.wrong ?? "right"}`)).toEqual(
        (HOLES[code] ?? []).map((s) => `${s.say} → right`),
      );
    },
    180_000,
  );
});

describe.skipIf(!hassil.python)("a thing of the house heard as a title", () => {
  // English "put … on for <child>" is a play line since the first blueprint ("put the gruffalo on for Ben").
  it("is answered with how to say it for Home Assistant, and nothing plays", async () => {
    const service = await startFamily(startLinked);
    const [light] = await sayToFamily(hassil.python as string, service, "en", [
      {say: "put the light on for Mia", trigger: "play", player: "mia"},
    ]);
    expect(light?.answer?.speech).toBe(
      "'the light' isn't something a Yoto plays. Say it with the room it is in, and Home Assistant does it.",
    );
    expect(light?.answer?.outcome).toBe("not_found");
  });

  // Where no area of the house is called Mia, "bei Mia" is only ever her, and "mach … an" with a title is play.
  it("(German) 'bei Mia' with a light, a TV or a fan is answered the same, and nothing plays", async () => {
    const service = await startFamily(startLinked);
    const heard = await sayToFamily(hassil.python as string, service, "de", [
      {say: "Mach bei Mia das Licht an", trigger: "play", player: "mia"},
      {say: "Mach der Mia den Fernseher an", trigger: "play", player: "mia"},
      {say: "Lass den Ventilator bei Ben laufen", trigger: "play", player: "ben"},
    ]);
    expect(heard.map((h) => `${h.say.say} → ${h.answer?.outcome}: ${h.answer?.speech}`)).toEqual([
      "Mach bei Mia das Licht an → not_found: 'das Licht' spielt kein Yoto. Sag es mit dem Raum, in dem es ist, dann macht es Home Assistant.",
      "Mach der Mia den Fernseher an → not_found: 'den Fernseher' spielt kein Yoto. Sag es mit dem Raum, in dem es ist, dann macht es Home Assistant.",
      "Lass den Ventilator bei Ben laufen → not_found: 'den Ventilator' spielt kein Yoto. Sag es mit dem Raum, in dem es ist, dann macht es Home Assistant.",
    ]);
  });
});

describe.skipIf(!hassil.python)("louder or quieter by an amount said", () => {
  // An amount is a share of the whole, as Home Assistant's volume step is ("by 10" is 10 %), and at least one step.
  it("moves the Yoto by the share that was said, and one step when none was", async () => {
    const service = await startFamily(startLinked);
    const said = async (code: string, says: FamilySays[]) =>
      (await sayToFamily(hassil.python as string, service, code, says)).map(
        (h) => `${h.say.say} → ${h.wrong ?? h.answer?.speech}`,
      );
    expect(
      await said("en", [
        {say: "set the volume of Ben's Yoto to 8", trigger: "volume_set", player: "ben", level: 8},
        {say: "turn up the volume by 25% in the living room", trigger: "volume_up", player: "ben"},
        {say: "turn it down by 10 on Ben's Yoto", trigger: "volume_down", player: "ben"},
        {say: "turn Ben down", trigger: "volume_down", player: "ben"},
      ]),
    ).toEqual([
      "set the volume of Ben's Yoto to 8 → Ben's Yoto is at volume 8 of 16.",
      "turn up the volume by 25% in the living room → Ben's Yoto is at volume 12 of 16.",
      "turn it down by 10 on Ben's Yoto → Ben's Yoto is at volume 10 of 16.",
      "turn Ben down → Ben's Yoto is at volume 9 of 16.",
    ]);
    expect(
      await said("de", [
        {say: "Stelle die Lautstärke von Mias Yoto auf 8", trigger: "volume_set", player: "mia", level: 8},
        {say: "Mach Mias Yoto um 20 Prozent leiser", trigger: "volume_down", player: "mia"},
        {say: "Dreh den Ton im Kinderzimmer um zwei rauf", trigger: "volume_up", player: "mia"},
      ]),
    ).toEqual([
      "Stelle die Lautstärke von Mias Yoto auf 8 → Mias Yoto hat Lautstärke 8 von 16.",
      "Mach Mias Yoto um 20 Prozent leiser → Mias Yoto hat Lautstärke 5 von 16.",
      "Dreh den Ton im Kinderzimmer um zwei rauf → Mias Yoto hat Lautstärke 6 von 16.",
    ]);
  });
});
