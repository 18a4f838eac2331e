import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import type {VoiceSentences} from "../../../src/shared/api/voice.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {addTitledCard} from "../../helpers/cloud.js";
import {type HaRegistry, hassilPython, hearWithBlueprint} from "../../helpers/hassil.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {ENGLISH_SAYS, FAMILY_CARDS, type FamilySays, GERMAN_SAYS} from "./familySays.js";

const PLAYER = {ben: DEMO_PLAYERS[0]!.deviceId, mia: DEMO_PLAYERS[1]!.deviceId};
const BLUEPRINT = (code: string) =>
  path.join(PACKAGE_ROOT, `blueprints/automation/yoto_smart_stream/voice_${code}.yaml`);
const startLinked = linkedBridge();
const hassil = hassilPython();

/** The family's Home Assistant: the Yotos' devices in their areas, a satellite and a lamp in the kitchen. */
function registry(code: string): HaRegistry {
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
  };
}

function addCards(sim: YotoSimulator): void {
  for (const [cardId, title] of Object.entries(FAMILY_CARDS)) addTitledCard(sim, cardId, title);
}

describe.skipIf(!hassil.python)("the family's own words, as Home Assistant hears them, on the demo", () => {
  it.each([
    ["en", ENGLISH_SAYS],
    ["de", GERMAN_SAYS],
  ] as Array<[string, FamilySays[]]>)(
    "(%s) each sentence fires its one trigger with the family's sentences pasted in, and reaches the right Yoto and card",
    async (code, says) => {
      expect(says.length).toBeGreaterThanOrEqual(60);
      const python = hassil.python as string;
      const {
        sim,
        t,
        watcher: w,
      } = await startLinked({
        prepare: addCards,
        // A family says these over an evening; the test says them in a row.
        app: {voiceRate: {perSecond: 1000, burst: 1000}},
      });
      await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
      const put = (name: string, body: unknown) => call("PUT", `${t.adminUrl}/api/children/${name}`, body);
      expect((await put("Mia", {players: ["Bedroom Mini"], shelf: ["card:dragn", "card:gmoon"]})).status).toBe(200);
      expect((await put("Ben", {players: ["Living Room"], shelf: ["card:gruff"]})).status).toBe(200);
      const home = registry(code);

      let asked = 0;
      const ask = async (payload: string, id: string) => {
        await w.client.publishAsync("yoto/bridge/request/voice", payload);
        const mine = (m: {topic: string; payload: string}) =>
          m.topic === "yoto/bridge/response/voice" && m.payload.includes(`"transaction":"${id}"`);
        await waitFor(() => w.seen.some(mine), `the answer to ${id}`, 15_000);
        return JSON.parse(w.seen.find(mine)!.payload).data as Record<string, string>;
      };
      // A first request from the kitchen satellite: Home Assistant sends every area with its devices.
      const [first] = await hearWithBlueprint(
        python,
        BLUEPRINT(code),
        [
          {
            text: code === "de" ? "Was hört Ben gerade" : "what is Ben listening to",
            device_id: "satellite",
            context_id: "01JFIRST",
          },
        ],
        home,
      );
      await ask(first!.payload as string, "01JFIRST");

      // The Voice page's inputs, pasted into the automation made from the blueprint.
      const got = await call("GET", `${t.adminUrl}/api/voice/sentences?language=${code}`);
      expect(got.status).toBe(200);
      const sentences = got.body as VoiceSentences;
      expect(sentences.names.areas).toEqual(
        code === "de" ? ["Kinderzimmer", "Wohnzimmer"] : ["Mia's Room", "Mias Room", "Living Room"],
      );
      const inputs = Object.fromEntries(sentences.triggers.map((tr) => [tr.input, tr.sentences]));

      const heard = await hearWithBlueprint(
        python,
        BLUEPRINT(code),
        says.map((s) => ({text: s.say, device_id: "satellite", context_id: `01JSAY${++asked}`})),
        home,
        inputs,
      );
      // Every sentence fires exactly its own trigger (Home Assistant runs each trigger that matches).
      expect(heard.map((h) => `${h.text} → ${h.fired.join(" + ") || "nothing"}`)).toEqual(
        says.map((s) => `${s.say} → ${s.trigger}`),
      );

      const wrong: string[] = [];
      const spoken = new Map<string, string>();
      for (const [i, s] of says.entries()) {
        const answer = await ask(heard[i]!.payload as string, `01JSAY${i + 1}`);
        spoken.set(s.say, answer.speech);
        const player = s.player ? PLAYER[s.player] : undefined;
        if (s.trigger === "bedtime") {
          if (!answer.child) wrong.push(`${s.say}: no child in "${answer.speech}"`);
        } else if (player && answer.player_id !== player) wrong.push(`${s.say}: "${answer.speech}" (${answer.player})`);
        if (s.card) {
          const card = sim.player(player as string).eventsSnapshot().cardId ?? "none";
          if (card !== s.card || answer.outcome !== "played") wrong.push(`${s.say}: "${answer.speech}", card ${card}`);
        }
      }
      expect(wrong).toEqual([]);
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
