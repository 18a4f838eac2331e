import {describe, expect, it} from "vitest";
import {addTalesCard, getJson, LIVING} from "../../helpers/historyStack.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const startLinked = linkedBridge();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("listening history and announcements", () => {
  it.skipIf(!SPEECH.path)(
    "does not count an announcement: the story's session ends as it starts, and a new one begins when the story is back",
    async () => {
      // The real clock: the announcer waits for the relay card to play out on the virtual player.
      const {sim, t} = await startLinked({
        prepare: addTalesCard,
        app: {linkToOwnAudioListener: true, history: {sweepMs: 20}},
      });
      await waitFor(() => t.app.players.list().length === 2, "both players");
      /** Each card the player reported, with the time of its first report. */
      const cardsSeen = new Map<string, number>();
      t.app.bus.on(cardsSeen, "player.changed", ({player}) => {
        const {cardId} = player.playback;
        if (player.id === LIVING && cardId && !cardsSeen.has(cardId) && player.lastSeen)
          cardsSeen.set(cardId, Date.parse(player.lastSeen));
      });
      const playingStory = () => {
        const {status, cardId} = t.app.players.get(LIVING).playback;
        return status === "playing" && cardId === "tales" && t.app.history.health().details.playing === 1;
      };

      sim.player(LIVING).insertCard("tales");
      await waitFor(playingStory, "the story playing");
      await pause(1500);
      const res = await fetch(`${t.adminUrl}/api/players/${LIVING}/announce`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({message: "Dinner is ready"}),
      });
      expect(await res.json()).toMatchObject({result: "played", resumed: {cardId: "tales"}});
      await waitFor(playingStory, "the story back");
      await pause(1500);
      await t.app.players.command(LIVING, {command: "pause"});
      await waitFor(() => t.app.history.health().details.playing === 0, "the second session closed");

      // The announcement really played through the player's relay card…
      const relay = t.app.announcer.relayCards().map((c) => c.cardId);
      expect(relay.length).toBeGreaterThan(0);
      const relayPlayed = [...cardsSeen].filter(([id]) => relay.includes(id));
      expect(relayPlayed).toHaveLength(1);
      const relayFrom = relayPlayed[0]![1];
      // …and is no listening: two sessions of the story, apart by the announcement.
      const {body} = await getJson(t.adminUrl, `/api/history/sessions?player=${LIVING}`);
      const sessions = body.sessions as Array<{cardId: string; startedAt: string; endedAt: string; seconds: number}>;
      expect(sessions.map((s) => s.cardId)).toEqual(["tales", "tales"]);
      const [resumed, before] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
      expect(Date.parse(before.endedAt)).toBeLessThanOrEqual(relayFrom);
      expect(Date.parse(resumed.startedAt)).toBeGreaterThan(relayFrom);
      // Today's figure (the sensor, the rules' budget) is the story's two sessions, nothing more.
      const storySeconds = before.seconds + resumed.seconds;
      expect(Math.abs(t.app.history.todaySeconds(LIVING) - storySeconds)).toBeLessThanOrEqual(1);
      const summary = (await getJson(t.adminUrl, `/api/history?days=1&player=${LIVING}`)).body;
      expect(summary.today[LIVING]).toBe(t.app.history.todaySeconds(LIVING));
    },
  );
});
