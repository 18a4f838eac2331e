import path from "node:path";
import {expect} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import type {VoiceSentences} from "../../src/shared/api/voice.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../src/sim/simulator.js";
import {addTitledCard} from "./cloud.js";
import {type HaRegistry, type HeardByBlueprint, hearWithBlueprint} from "./hassil.js";
import {call} from "./http.js";
import type {linkedBridge} from "./linkedBridge.js";
import {waitFor} from "./players.js";

/**
 * What a family says, and what it must reach: the trigger, whose Yoto the answer is about, the card
 * then in it. The family of the voice tests: Mia's Yoto is the Bedroom Mini (in the area "Mia's Room"
 * / "Kinderzimmer"), Ben's is the Living Room (in "Living Room" / "Wohnzimmer"); the kitchen has a
 * satellite and no Yoto.
 */
export interface FamilySays {
  say: string;
  /** The trigger whose work it is; "none" for a sentence no Yoto trigger may take (Home Assistant's own). */
  trigger: string;
  player?: "mia" | "ben" | "all";
  card?: string;
  level?: number;
}

/** The cards the family has, by id: English titles and German ones, as a family's shelf mixes them. */
export const FAMILY_CARDS: Record<string, string> = {
  dragn: "The Sleepy Dragon",
  ballo: "The Purple Balloon",
  gruff: "The Gruffalo",
  gmoon: "Goodnight Moon",
  owlmn: "The Moon and the Owl",
  raupe: "Die kleine Raupe Nimmersatt",
  sandm: "Das Sandmännchen",
  drach: "Der schläfrige Drache",
  gruef: "Der Grüffelo",
};

export const PLAYER = {ben: DEMO_PLAYERS[0]!.deviceId, mia: DEMO_PLAYERS[1]!.deviceId};
export const BLUEPRINT = (code: string) =>
  path.join(PACKAGE_ROOT, `blueprints/automation/yoto_smart_stream/voice_${code}.yaml`);

/**
 * The family's Home Assistant: the Yotos' devices in their areas, a satellite, a lamp and a speaker
 * in the kitchen. What plays in Mia's room is her Yoto alone (the media player Home Assistant made of
 * it, as a UPnP renderer, is its device's); nothing plays in the living room but Ben's.
 */
export function familyRegistry(code: string): HaRegistry {
  const [mias, living, kitchen] =
    code === "de" ? ["Kinderzimmer", "Wohnzimmer", "Küche"] : ["Mia's Room", "Living Room", "Kitchen"];
  return {
    devices: {
      mini: {name: "Bedroom Mini", area_id: "mia"},
      living: {name: "Living Room", area_id: "living"},
      lamp: {name: "Lamp", area_id: "kitchen"},
      satellite: {name: "Kitchen Voice", area_id: "kitchen"},
    },
    areas: {mia: mias, living, kitchen},
    entities: {
      "media_player.bedroom_mini": {device_id: "mini"},
      "media_player.kitchen_speaker": {area_id: "kitchen", friendly_name: "Kitchen Speaker"},
      "light.lamp": {device_id: "lamp"},
    },
  };
}

/** One sentence as the family's Home Assistant heard it and the service answered it. */
export interface FamilyHeard {
  say: FamilySays;
  heard: HeardByBlueprint;
  answer?: Record<string, string>;
  /** Why it did not reach what it must (undefined: it did). */
  wrong?: string;
}

export type FamilyService = Awaited<ReturnType<ReturnType<typeof linkedBridge>>>;

/**
 * The demo with the family's cards, children and shelves, its voice rate opened for a test that
 * says sentences in a row; `prepare` may add to the simulated cloud first.
 */
export async function startFamily(start: ReturnType<typeof linkedBridge>): Promise<FamilyService> {
  const service = await start({
    prepare: (sim: YotoSimulator) => {
      for (const [cardId, title] of Object.entries(FAMILY_CARDS)) addTitledCard(sim, cardId, title);
    },
    // A family says these over an evening; the test says them in a row.
    app: {voiceRate: {perSecond: 1000, burst: 1000}},
  });
  const {t} = service;
  await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
  const put = (name: string, body: unknown) => call("PUT", `${t.adminUrl}/api/children/${name}`, body);
  expect((await put("Mia", {players: ["Bedroom Mini"], shelf: ["card:dragn", "card:gmoon"]})).status).toBe(200);
  expect((await put("Ben", {players: ["Living Room"], shelf: ["card:gruff"]})).status).toBe(200);
  return service;
}

/**
 * Say each sentence at the kitchen satellite, as Home Assistant hears it with the blueprint imported
 * and the Voice page's inputs pasted in, and hand what each fired to the service: what each reached.
 */
export async function sayToFamily(
  python: string,
  service: FamilyService,
  code: string,
  says: FamilySays[],
  /** Another Home Assistant than the family's own, and the rooms where a Yoto then plays alone. */
  other?: {home: HaRegistry; rooms: string[]},
): Promise<FamilyHeard[]> {
  const {t, sim, watcher: w} = service;
  const home = other?.home ?? familyRegistry(code);
  let asked = 0;
  const ask = async (payload: string, id: string) => {
    await w.client.publishAsync("yoto/bridge/request/voice", payload);
    const mine = (m: {topic: string; payload: string}) =>
      m.topic === "yoto/bridge/response/voice" && m.payload.includes(`"transaction":"${id}"`);
    await waitFor(() => w.seen.some(mine), `the answer to ${id}`, 15_000);
    return JSON.parse(w.seen.find(mine)!.payload).data as Record<string, string>;
  };
  // A first request from the kitchen satellite: Home Assistant sends every area with its devices,
  // so the family's sentences name the rooms that hold a Yoto.
  const stamp = `${code}${Date.now().toString(36)}`;
  const [first] = await hearWithBlueprint(
    python,
    BLUEPRINT(code),
    [
      {
        text: code === "de" ? "Was hört Ben gerade" : "what is Ben listening to",
        device_id: "satellite",
        context_id: `01J${stamp}F`,
      },
    ],
    home,
  );
  await ask(first?.payload as string, `01J${stamp}F`);
  const got = await call("GET", `${t.adminUrl}/api/voice/sentences?language=${code}`);
  expect(got.status).toBe(200);
  const areas = code === "de" ? ["Kinderzimmer", "Wohnzimmer"] : ["Mia's Room", "Mias Room", "Living Room"];
  expect((got.body as VoiceSentences).names.areas).toEqual(areas);
  // In the family's own, nothing but a Yoto plays in either room (Mia's media player is her Yoto's own renderer).
  expect((got.body as VoiceSentences).names.rooms).toEqual(other?.rooms ?? areas);
  const inputs = Object.fromEntries((got.body as VoiceSentences).triggers.map((tr) => [tr.input, tr.sentences]));
  const heard = await hearWithBlueprint(
    python,
    BLUEPRINT(code),
    says.map((s) => ({text: s.say, device_id: "satellite", context_id: `01J${stamp}X${++asked}`})),
    home,
    inputs,
  );
  const out: FamilyHeard[] = [];
  for (const [i, s] of says.entries()) {
    const h = heard[i] as HeardByBlueprint;
    const fired = h.fired.join(" + ") || "nothing";
    // Left to Home Assistant: no Yoto trigger takes it.
    if (s.trigger === "none") {
      out.push({say: s, heard: h, ...(h.fired.length > 0 ? {wrong: `fired ${fired}`} : {})});
      continue;
    }
    // Exactly one trigger fires (Home Assistant runs each that matches); which one did the work is the answer's `action`.
    if (h.fired.length !== 1 || !h.payload) {
      out.push({say: s, heard: h, wrong: `fired ${fired}`});
      continue;
    }
    const answer = await ask(h.payload, `01J${stamp}X${i + 1}`);
    out.push({say: s, heard: h, answer, ...reached(s, answer, sim)});
  }
  return out;
}

/** Whether the answer is about the right Yoto (or child), and a play left the right card in it. */
function reached(s: FamilySays, answer: Record<string, string>, sim: YotoSimulator): {wrong?: string} {
  // The trigger whose work it was: "play the next chapter" is next whichever sentence heard it.
  if ((answer.action ?? answer.trigger) !== s.trigger) return {wrong: `did ${answer.action}: "${answer.speech}"`};
  const player = s.player && s.player !== "all" ? PLAYER[s.player] : undefined;
  if (s.trigger === "bedtime") {
    if (!answer.child) return {wrong: `no child in "${answer.speech}"`};
  } else if (player && answer.player_id !== player) return {wrong: `"${answer.speech}" (${answer.player})`};
  if (s.card) {
    const card = sim.player(player as string).eventsSnapshot().cardId ?? "none";
    if (card !== s.card || answer.outcome !== "played") return {wrong: `"${answer.speech}", card ${card}`};
  }
  return {};
}
