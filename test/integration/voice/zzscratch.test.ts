import {describe, it} from "vitest";
import {type FamilySays, sayToFamily, startFamily} from "../../helpers/familyVoice.js";
import {hassilPython} from "../../helpers/hassil.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
const startLinked = linkedBridge();
const hassil = hassilPython();
import {readFileSync} from "node:fs";
const FRESH: Record<string, FamilySays[]> = {
  en: JSON.parse(readFileSync("/tmp/fresh-en.json", "utf8")),
  de: JSON.parse(readFileSync("/tmp/fresh-de.json", "utf8")),
};
const S: Record<string, FamilySays[]> = {
  de: [
    {say: "Mach die Geschichte auf Mias Yoto weiter", trigger: "resume", player: "mia"},
    {say: "Mach bei Ben weiter", trigger: "resume", player: "ben"},
    {say: "Kann Mia noch eine Geschichte haben", trigger: "one_more_story", player: "mia"},
    {say: "Darf Ben noch eine Geschichte hören", trigger: "one_more_story", player: "ben"},
    {say: "Noch eine Geschichte für Mia", trigger: "one_more_story", player: "mia"},
    {say: "Spiel für Mia den Grüffelo", trigger: "play", player: "mia", card: "gruef"},
    {say: "Mia möchte die Raupe Nimmersatt hören", trigger: "play", player: "mia", card: "raupe"},
    {say: "Kannst du für Ben das Sandmännchen spielen", trigger: "play", player: "ben", card: "sandm"},
    {say: "Leg für Mia den schläfrigen Drachen auf", trigger: "play", player: "mia", card: "drach"},
    {say: "Mach Mias Yoto leiser", trigger: "volume_down", player: "mia"},
    {say: "Mach es bei Ben leiser", trigger: "volume_down", player: "ben"},
    {say: "Bens Yoto ist zu laut", trigger: "volume_down", player: "ben"},
    {say: "Ich kann auf Mias Yoto nichts hören", trigger: "volume_up", player: "mia"},
    {say: "Stell Mias Yoto auf fünf", trigger: "volume_set", player: "mia", level: 5},
    {say: "Stell die Lautstärke bei Ben auf 8", trigger: "volume_set", player: "ben", level: 8},
    {say: "Was hört Mia gerade", trigger: "whats_playing", player: "mia"},
    {say: "Was läuft auf Bens Yoto", trigger: "whats_playing", player: "ben"},
    {say: "Welche Geschichte läuft im Kinderzimmer", trigger: "whats_playing", player: "mia"},
    {say: "Wie lange hat Mia heute gehört", trigger: "listened", player: "mia"},
    {say: "Wann muss Ben ins Bett", trigger: "bedtime", player: "ben"},
    {say: "Halt Mias Yoto an", trigger: "pause", player: "mia"},
    {say: "Pause bei Ben", trigger: "pause", player: "ben"},
    {say: "Stopp alle Yotos", trigger: "stop_all", player: "all"},
    {say: "Schalte alle Yotos aus", trigger: "stop_all", player: "all"},
    {say: "Nächstes Kapitel bei Mia", trigger: "next", player: "mia"},
    {say: "Überspring das Lied auf Bens Yoto", trigger: "next", player: "ben"},
    {say: "Geh ein Kapitel zurück auf Mias Yoto", trigger: "previous", player: "mia"},
    {say: "Spiel Musik für Ben", trigger: "play", player: "ben"},
    {say: "Spiel etwas für Mia", trigger: "play", player: "mia"},
    {say: "Setz die Geschichte im Kinderzimmer fort", trigger: "resume", player: "mia"},
    {say: "Mach weiter im Wohnzimmer", trigger: "resume", player: "ben"},
    {say: "Ben möchte weiterhören", trigger: "resume", player: "ben"},
    {say: "Kannst du Bens Yoto lauter machen", trigger: "volume_up", player: "ben"},
    {say: "Kannst du die Musik im Kinderzimmer pausieren", trigger: "pause", player: "mia"},
    {say: "Kannst du Mias Yoto ausschalten", trigger: "stop", player: "mia"},
    {say: "Spiel den Grüffelo bei Ben", trigger: "play", player: "ben", card: "gruef"},
    {say: "Leiser bei Mia", trigger: "volume_down", player: "mia"},
    {say: "Mia will noch eine Geschichte", trigger: "one_more_story", player: "mia"},
    {say: "Wie viel hat Ben heute gehört", trigger: "listened", player: "ben"},
    {say: "Wann ist Mias Schlafenszeit", trigger: "bedtime", player: "mia"},
  ],
  en: [
    {say: "Mia wants the gruffalo on her yoto", trigger: "play", player: "mia", card: "gruff"},
    {say: "let Ben listen to the gruffalo", trigger: "play", player: "ben", card: "gruff"},
    {say: "Ben is asking for the sleepy dragon", trigger: "play", player: "ben", card: "dragn"},
    {say: "can Mia listen to one more", trigger: "one_more_story", player: "mia"},
    {say: "start a story for Mia", trigger: "play", player: "mia"},
    {say: "turn up the Yoto in the living room", trigger: "volume_up", player: "ben"},
    {say: "what's playing right now on Mia's Yoto", trigger: "whats_playing", player: "mia"},
    {say: "which story is this on Ben's Yoto", trigger: "whats_playing", player: "ben"},
    {say: "skip this chapter on the Bedroom Mini", trigger: "next", player: "mia"},
    {say: "go back a chapter on Ben's Yoto", trigger: "previous", player: "ben"},
    {say: "put on the dragon one for Ben", trigger: "play", player: "ben", card: "dragn"},
    {say: "Mia's yoto player pause", trigger: "pause", player: "mia"},
    {say: "could you turn Ben's yoto down a bit", trigger: "volume_down", player: "ben"},
    {say: "Ben's Yoto is too quiet", trigger: "volume_up", player: "ben"},
    {say: "make it louder for Mia", trigger: "volume_up", player: "mia"},
    {say: "set Ben's Yoto volume to 6", trigger: "volume_set", player: "ben", level: 6},
    {say: "play some music on Mia's yoto", trigger: "play", player: "mia"},
    {say: "play something for Ben", trigger: "play", player: "ben"},
    {say: "can Mia hear the purple balloon", trigger: "play", player: "mia", card: "ballo"},
    {say: "Mia would like goodnight moon please", trigger: "play", player: "mia", card: "gmoon"},
    {say: "how long has Ben been listening today", trigger: "listened", player: "ben"},
    {say: "when does Mia go to bed", trigger: "bedtime", player: "mia"},
    {say: "stop all the yotos", trigger: "stop_all", player: "all"},
    {say: "pause Ben's story", trigger: "pause", player: "ben"},
    {say: "keep playing on Mia's Yoto", trigger: "resume", player: "mia"},
    {say: "put the gruffalo on for Ben", trigger: "play", player: "ben", card: "gruff"},
    {say: "play the gruffalo for Ben on his yoto", trigger: "play", player: "ben", card: "gruff"},
    {say: "turn off Mia's Yoto", trigger: "stop", player: "mia"},
    {say: "next song for Ben", trigger: "next", player: "ben"},
    {say: "another story for Mia", trigger: "one_more_story", player: "mia"},
  ],
};
describe.skipIf(!hassil.python)("scratch", () => {
  it.each(["en", "de"])("%s", async (code) => {
    const service = await startFamily(startLinked);
    const heard = await sayToFamily(hassil.python as string, service, code, [...(S[code] ?? []), ...(FRESH[code] ?? [])]);
    for (const h of heard) if (h.wrong) console.log(`MISS ${h.say.say} (${h.say.trigger}): ${h.wrong}`);
    console.log(`${code}: ${heard.filter((h) => !h.wrong).length} of ${heard.length}`);
  }, 120_000);
});
