import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addStory} from "../../helpers/announceStory.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

/*
 * The budget warning on simulated players through the whole service: the plan's rule speaks it
 * with the real announcer (relay card, speech), and the story goes on after it.
 */
describe("the family plan's budget warning", () => {
  it.skipIf(!SPEECH.path)(
    "is said on the child's player when it plays again after the warning came due at a pause, in the plan's line or the minutes left",
    async () => {
      const {sim, t} = await startLinked({
        prepare: addStory,
        // Players report often and the history looks often, so a second of listening counts at once.
        app: {linkToOwnAudioListener: true, history: {sweepMs: 20}},
        simulator: {statusIntervalMs: 200},
      });
      await waitFor(() => t.app.players.list().length === 2, "both players");
      const url = (path: string) => `${t.adminUrl}${path}`;
      // Mia has no line of her own: the plan says the minutes left. Leo's parent wrote his.
      expect(
        (await call("PUT", url("/api/children/Mia"), {players: ["Bedroom Mini"], budget: {minutes: 5}})).status,
      ).toBe(200);
      const leo = {players: ["Living Room"], budget: {minutes: 5}, warning: {say: "Five more minutes, Leo."}};
      expect((await call("PUT", url("/api/children/Leo"), leo)).status).toBe(200);
      const traces = (child: string) => t.app.rules.traces(`family_${child}_warning`);
      const journal = (child: string) => t.app.family.child(child).journal.map((e) => e.what);
      const playingStory = (id: string) => {
        const {status, cardId} = t.app.players.get(id).playback;
        return status === "playing" && cardId === "story";
      };

      // The plan also looks on each whole minute: start where the next one is well ahead, so the
      // warning comes due at the pause below and not while the story still plays.
      await waitFor(() => Date.now() % 60_000 < 45_000, "room before the plan's next minute", 20_000);
      for (const id of [MINI, LIVING]) sim.player(id).insertCard("story");
      await waitFor(
        () => t.app.history.todaySeconds(MINI) >= 1 && t.app.history.todaySeconds(LIVING) >= 1,
        "a second of listening on each",
      );
      for (const id of [MINI, LIVING]) sim.player(id).pause();
      // Paused: the warning is due (written in the journal), and nobody is there to hear it yet.
      for (const child of ["Mia", "Leo"]) {
        await waitFor(() => journal(child).includes("warning"), `${child}'s warning due`);
        expect(traces(child.toLowerCase())).toEqual([]);
      }

      // The children press play again: each hears the warning, and the story carries on.
      for (const id of [MINI, LIVING]) sim.player(id).resume();
      for (const [child, id] of [
        ["mia", MINI],
        ["leo", LIVING],
      ] as const) {
        await waitFor(() => traces(child).some((tr) => tr.result === "completed"), `${child}'s warning said`, 15_000);
        const [said] = traces(child);
        expect(said).toMatchObject({trigger: {step: "warning", player_id: id, minutes_left: 5}, result: "completed"});
      }
      await waitFor(
        () => t.logs.filter((l) => /Announced speech by .* on '(Bedroom Mini|Living Room)'/.test(l)).length === 2,
        "both spoken",
      );
      await waitFor(() => playingStory(MINI) && playingStory(LIVING), "the stories back");
      // Once a day: playing on after it says nothing more.
      expect(traces("mia").length + traces("leo").length).toBe(2);
    },
    60_000,
  );
});
