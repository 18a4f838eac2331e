import type {YotoSimulator} from "../../src/sim/simulator.js";
import type {LinkedBridge, linkedBridge} from "./linkedBridge.js";
import {waitFor} from "./players.js";

/** A ten-minute one-chapter story: something for an announcement to interrupt. */
export function addStory(sim: YotoSimulator): void {
  sim.addCard({
    cardId: "story",
    title: "Story",
    content: {
      chapters: [
        {
          key: "01",
          title: "Start",
          tracks: [{key: "01", title: "Start", trackUrl: "yoto:#s", type: "audio", duration: 600}],
        },
      ],
    },
  });
}

/** The linked service with the story on the account and both players known (relay links reach its audio listener). */
export async function startWithStory(startLinked: ReturnType<typeof linkedBridge>): Promise<LinkedBridge> {
  const linked = await startLinked({prepare: addStory, app: {linkToOwnAudioListener: true}});
  await waitFor(() => linked.t.app.players.list().length === 2, "both players");
  return linked;
}
