import {describe, expect, it} from "vitest";
import {transportActions} from "../../../src/upnpRenderers/rendererState.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";

/** A player playing a card, as the renderer sees it, with what the family's library says of the card. */
function playingCard(card?: {title?: string; tracks?: number}) {
  const player = newPlayer({
    deviceId: "p1",
    name: "Bedroom Mini",
    deviceFamily: "mini",
    deviceType: "v3",
    online: true,
  });
  player.playback = {status: "playing", cardId: "card1", position: 10, trackLength: 80};
  return {player, ...(card ? {card} : {}), onRelay: false, muted: false, playMode: "NORMAL" as const, trackSeconds: 80};
}

describe("what a renderer offers on a card", () => {
  it("offers neither Next nor Previous on a card of one track", () => {
    expect(transportActions("PLAYING", playingCard({title: "Goodnight", tracks: 1}))).toBe("Pause,Stop,Seek");
  });

  it("offers both on a card of several tracks, or one whose tracks it does not know", () => {
    expect(transportActions("PLAYING", playingCard({tracks: 4}))).toBe("Pause,Stop,Seek,Next,Previous");
    expect(transportActions("PAUSED_PLAYBACK", playingCard())).toBe("Play,Stop,Seek,Next,Previous");
  });
});
