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

/** POST an announcement to a player through the admin API: its status and JSON answer. */
export async function announceOn(adminUrl: string, player: string, body: unknown) {
  const res = await fetch(`${adminUrl}/api/players/${player}/announce`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever JSON the API answers
  return {status: res.status, body: (await res.json()) as Record<string, any>};
}
