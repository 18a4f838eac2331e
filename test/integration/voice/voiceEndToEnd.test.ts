import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {addTitledCard} from "../../helpers/cloud.js";
import {sayToHa, simCard} from "../../helpers/haSay.js";
import {type HaRegistry, hassilPython} from "../../helpers/hassil.js";
import {call} from "../../helpers/http.js";
import {linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {nightNow} from "../../helpers/nightNow.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();
const hassil = hassilPython();

const addCard = addTitledCard;

/** Said to a satellite, as Home Assistant hears it (test/helpers/haSay.ts). */
const say = (t: TestApp, w: Watcher, text: string, code = "en", device_id?: string, registry: HaRegistry = {}) =>
  sayToHa(hassil.python as string, t, w, text, {code, ...(device_id ? {device_id} : {}), registry});

describe.skipIf(!hassil.python)(
  "voice, end to end: the blueprint as Home Assistant runs it, the service over its broker",
  () => {
    it("plays on the child's Yoto, offers a near title, names who it knows, answers in German", async () => {
      const {
        sim,
        t,
        watcher: w,
      } = await startLinked({
        prepare: (s) => {
          addCard(s, "dragn", "The Sleepy Dragon");
          addCard(s, "ballo", "The Purple Balloon");
        },
      });
      await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
      const put = (name: string, body: unknown) => call("PUT", `${t.adminUrl}/api/children/${name}`, body);
      expect((await put("Mia", {players: ["Bedroom Mini"]})).status).toBe(200);
      expect((await put("Ben", {players: ["Living Room"]})).status).toBe(200);

      expect(await say(t, w, "Play the sleepy dragon on Mia's Yoto")).toBe(
        "Playing “The Sleepy Dragon” on Mia's Yoto.",
      );
      expect(simCard(sim, MINI)).toBe("dragn");
      await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the dragon playing");
      expect(await say(t, w, "what's playing on Mia's Yoto")).toBe("Mia's Yoto is playing “The Sleepy Dragon”.");

      expect(await say(t, w, "play purple elephant for Ben")).toBe(
        "I couldn't find 'purple elephant'. Did you mean “The Purple Balloon”?",
      );
      expect(await say(t, w, "play songs for Zoe")).toBe("I don't know Zoe. I know Ben and Mia.");
      expect(simCard(sim, LIVING)).toBe("none");

      expect(await say(t, w, "Spiel Songs auf Bens Yoto", "de")).toBe("Ich spiele „Songs“ auf Bens Yoto.");
      expect(simCard(sim, LIVING)).toBe("songs");
      expect(await say(t, w, "pause Ben's Yoto")).toBe("Paused Ben's Yoto.");
      // A Home Assistant area said by name: the Yoto in it (the Living Room's device is in the kids' room).
      const home: HaRegistry = {
        devices: {lamp: {name: "Lamp", area_id: "kids"}, yoto: {name: "Living Room", area_id: "kids"}},
        areas: {kids: "Kids Room", hall: "Hall"},
      };
      expect(await say(t, w, "resume the story in the kids room", "en", undefined, home)).toBe(
        "Playing again on Ben's Yoto.",
      );
      await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "Ben's Yoto playing again");
      expect(await say(t, w, "pause the Yoto in the kids room", "en", undefined, home)).toBe("Paused Ben's Yoto.");
      await waitFor(() => t.app.players.get(LIVING).playback.status === "paused", "Ben's Yoto paused");
      expect(await say(t, w, "stop all the Yotos")).toBe("Stopped 2 Yotos.");
    }, 60_000);

    it("at bedtime says why and until when, plays nothing, writes the journal, and 'one more story' asks a parent", async () => {
      const {sim, t, watcher: w} = await startLinked({prepare: (s) => addCard(s, "dragn", "The Sleepy Dragon")});
      await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
      const put = (name: string, body: unknown) => call("PUT", `${t.adminUrl}/api/children/${name}`, body);
      expect((await put("Mia", {players: ["Bedroom Mini"], schedule: nightNow()})).status).toBe(200);
      await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "the plan's bedtime on the Mini");
      const until = (await call("GET", `${t.adminUrl}/api/children/Mia`)).body.quiet_until as string;
      const wake = new Date(until);
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const spokenWake =
        wake.getUTCHours() === 0 && wake.getUTCMinutes() === 0
          ? "midnight"
          : `${wake.getUTCHours()}:${String(wake.getUTCMinutes()).padStart(2, "0")}${day(wake) === day(new Date()) ? "" : " tomorrow"}`;

      // Nobody named, and Mia the one child of the plan: her Yoto is meant.
      expect(await say(t, w, "play the sleepy dragon on the yoto", "en", "a-satellite")).toBe(
        `Mia is asleep: quiet until ${spokenWake}.`,
      );
      expect(await say(t, w, "Play the sleepy dragon on Mia's Yoto")).toBe(`Mia is asleep: quiet until ${spokenWake}.`);
      expect(simCard(sim, MINI)).toBe("none");
      const journal = (await call("GET", `${t.adminUrl}/api/children/Mia`)).body.journal as Array<{
        what: string;
        text: string;
      }>;
      expect(journal.find((e) => e.what === "refused")?.text).toMatch(
        /^'The Sleepy Dragon', asked for by voice, was not played: Mia is asleep: 'Bedroom Mini' is quiet until/,
      );

      expect(await say(t, w, "one more story for Mia")).toBe("I've asked a parent if Mia can have one more story.");
      await waitFor(() => w.lastJson("yoto/bridge/family/mia/event") !== undefined, "the bonus request event");
      expect(w.lastJson("yoto/bridge/family/mia/event")).toMatchObject({
        event_type: "bonus_requested",
        child: "Mia",
        reason: "bedtime",
      });
      expect(await say(t, w, "can Mia have one more story")).toBe("Mia's request is waiting for a parent's answer.");
      expect(await say(t, w, "when is Mia's bedtime")).toBe(`Mia is asleep until ${spokenWake}.`);
    }, 60_000);
  },
);
