import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addTitledCard} from "../../helpers/cloud.js";
import {sayToHa, simCard} from "../../helpers/haSay.js";
import {hassilPython} from "../../helpers/hassil.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const BEN = DEMO_PLAYERS[0]!.deviceId;
const MIA = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();
const hassil = hassilPython();

const CARDS: Record<string, string> = {
  moon1: "Goodnight Moon",
  moon2: "Moon Fox",
  moon3: "The Moon and the Owl",
  dragn: "The Sleepy Dragon",
  ldrag: "The Little Dragon",
  ldegg: "The Little Dragon Egg",
  kldra: "Der kleine Drache",
  kokos: "Der kleine Drache Kokosnuss",
  schla: "Der schläfrige Drache",
  ballo: "The Purple Balloon",
};

/**
 * One conversation, said to satellites as Home Assistant hears it: what is said, which trigger must
 * fire, the satellite, what the satellite says back, and (where something plays) the card then in
 * the child's Yoto. The answers ("the second one", "yes") reach the service with the slots Home
 * Assistant's conversation trigger gives: none for a template without a wildcard.
 */
type Turn = [say: string, fired: string, satellite: string, answer: string, card?: [player: string, card: string]];

const MOON_EN =
  'Which one: “Goodnight Moon”, “Moon Fox” or “The Moon and the Owl”? Say "play the third one", for example.';
const DRAGONS_EN =
  'Which one: “The Little Dragon”, “The Sleepy Dragon” or “The Little Dragon Egg”? Say "play the third one", for example.';
const askMoon: Turn = ["play the moon story for Mia", "play", "sat-mia", MOON_EN];
const askDragons: Turn = ["play dragon on Ben's Yoto", "play", "sat-mia", DRAGONS_EN];

/** Each offer answers one request, the next one said to that satellite: answered or replaced, it is spent. */
const ENGLISH: Turn[] = [
  askMoon,
  ["the second one", "choose", "sat-mia", "Playing “Moon Fox” on Mia's Yoto.", [MIA, "moon2"]],
  // Answered: a second "yes" asks nothing and swaps nothing back.
  ["yes", "choose", "sat-mia", "I haven't asked anything about the Yotos.", [MIA, "moon2"]],
  // Offered to the satellite in Mia's room: the hall's satellite offered nothing.
  [
    "play the second one",
    "choose",
    "sat-hall",
    "I haven't offered anything to choose from. Say a title first.",
    [BEN, "none"],
  ],
  ["yes", "choose", "sat-hall", "I haven't asked anything about the Yotos."],
  askMoon,
  ["the last one", "choose", "sat-mia", "Playing “The Moon and the Owl” on Mia's Yoto.", [MIA, "moon3"]],
  askMoon,
  ["the fox one please", "choose", "sat-mia", "Playing “Moon Fox” on Mia's Yoto.", [MIA, "moon2"]],
  askMoon,
  ["play the one with the owl", "choose", "sat-mia", "Playing “The Moon and the Owl” on Mia's Yoto.", [MIA, "moon3"]],
  askMoon,
  // What was offered for Mia is not Ben's: how to ask for him is said, and nothing plays.
  [
    "play the second one for Ben",
    "play",
    "sat-mia",
    'I offered that choice for Mia. For Ben, ask again: "play the moon story for Ben".',
    [BEN, "none"],
  ],
  // For Ben, on his Yoto, asked in Mia's room: the answers play on his.
  askDragons,
  // Words every title offered holds: asked again; words two of them hold: asked again among those two.
  ["the dragon one", "choose", "sat-mia", DRAGONS_EN],
  [
    "the little one",
    "choose",
    "sat-mia",
    'Which one: “The Little Dragon” or “The Little Dragon Egg”? Say "play the second one", for example.',
  ],
  ["the last one", "choose", "sat-mia", "Playing “The Little Dragon Egg” on Ben's Yoto.", [BEN, "ldegg"]],
  // Replaced: a parent plays something else by name, and a "yes" after it plays nothing offered before.
  [
    "play purple elephant for Mia",
    "play",
    "sat-mia",
    "I couldn't find 'purple elephant'. Did you mean “The Purple Balloon”?",
  ],
  ["play the sleepy dragon for Mia", "play", "sat-mia", "Playing “The Sleepy Dragon” on Mia's Yoto.", [MIA, "dragn"]],
  ["yes", "choose", "sat-mia", "I haven't asked anything about the Yotos.", [MIA, "dragn"]],
  // A new question replaces the one before: "the second one" answers the new one.
  askMoon,
  askDragons,
  ["the second one", "choose", "sat-mia", "Playing “The Sleepy Dragon” on Ben's Yoto.", [BEN, "dragn"]],
  [
    "play purple elephant for Mia",
    "play",
    "sat-mia",
    "I couldn't find 'purple elephant'. Did you mean “The Purple Balloon”?",
  ],
  ["yes please", "choose", "sat-mia", "Playing “The Purple Balloon” on Mia's Yoto.", [MIA, "ballo"]],
];

const MOON_DE =
  "Welche: „Goodnight Moon“, „Moon Fox“ oder „The Moon and the Owl“? Sag zum Beispiel „spiel die dritte“.";
const DRAGONS_DE =
  "Welche: „Der kleine Drache“, „Der schläfrige Drache“ oder „Der kleine Drache Kokosnuss“? Sag zum Beispiel „spiel die dritte“.";
const fragMoon: Turn = ["Spiel Moon für Mia", "play", "sat-mia", MOON_DE];
const fragDrachen: Turn = ["Spiel den Drachen auf Bens Yoto", "play", "sat-mia", DRAGONS_DE];

const GERMAN: Turn[] = [
  fragMoon,
  ["Spiel die zweite", "choose", "sat-mia", "Ich spiele „Moon Fox“ auf Mias Yoto.", [MIA, "moon2"]],
  ["ja", "choose", "sat-mia", "Ich habe nichts zu den Yotos gefragt.", [MIA, "moon2"]],
  ["die zweite", "choose", "sat-flur", "Ich habe nichts zur Auswahl angeboten. Sag zuerst einen Titel.", [BEN, "none"]],
  ["ja", "choose", "sat-flur", "Ich habe nichts zu den Yotos gefragt."],
  fragMoon,
  ["die letzte", "choose", "sat-mia", "Ich spiele „The Moon and the Owl“ auf Mias Yoto.", [MIA, "moon3"]],
  fragDrachen,
  ["die mit dem Drachen", "choose", "sat-mia", DRAGONS_DE],
  // All of "kleine Drache" is one title, and a part of the other: the one it all is.
  ["die mit dem kleinen Drachen", "choose", "sat-mia", "Ich spiele „Der kleine Drache“ auf Bens Yoto.", [BEN, "kldra"]],
  fragDrachen,
  ["die letzte", "choose", "sat-mia", "Ich spiele „Der kleine Drache Kokosnuss“ auf Bens Yoto.", [BEN, "kokos"]],
  [
    "Spiel den purpurnen Ballon für Mia",
    "play",
    "sat-mia",
    "Ich habe 'den purpurnen Ballon' nicht gefunden. Meinst du „The Purple Balloon“?",
  ],
  [
    "Spiel den schläfrigen Drachen für Mia",
    "play",
    "sat-mia",
    "Ich spiele „Der schläfrige Drache“ auf Mias Yoto.",
    [MIA, "schla"],
  ],
  ["genau", "choose", "sat-mia", "Ich habe nichts zu den Yotos gefragt.", [MIA, "schla"]],
  fragMoon,
  fragDrachen,
  ["die zweite", "choose", "sat-mia", "Ich spiele „Der schläfrige Drache“ auf Bens Yoto.", [BEN, "schla"]],
  [
    "Spiel den purpurnen Ballon für Mia",
    "play",
    "sat-mia",
    "Ich habe 'den purpurnen Ballon' nicht gefunden. Meinst du „The Purple Balloon“?",
  ],
  ["ja bitte", "choose", "sat-mia", "Ich spiele „The Purple Balloon“ auf Mias Yoto.", [MIA, "ballo"]],
];

describe.skipIf(!hassil.python)("a question answered, as Home Assistant sends the answer", () => {
  it.each([
    ["en", ENGLISH],
    ["de", GERMAN],
  ] as Array<[string, Turn[]]>)(
    "(%s) 'which one?' then 'the second one', 'the last one', 'the fox one', 'yes': played from what that satellite offered last, for whom it was offered, once",
    async (code, turns) => {
      const {
        sim,
        t,
        watcher: w,
      } = await startLinked({
        prepare: (s) => {
          for (const [id, title] of Object.entries(CARDS)) addTitledCard(s, id, title);
        },
      });
      await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
      expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
      expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Living Room"]})).status).toBe(200);
      const python = hassil.python as string;
      const said: string[] = [];
      const expected: string[] = [];
      for (const [text, fired, device_id, answer, card] of turns) {
        const spoken = await sayToHa(python, t, w, text, {code, device_id, fired});
        said.push(`${text} → ${spoken}${card ? ` [${simCard(sim, card[0])}]` : ""}`);
        expected.push(`${text} → ${answer}${card ? ` [${card[1]}]` : ""}`);
      }
      expect(said).toEqual(expected);
    },
    60_000,
  );
});
