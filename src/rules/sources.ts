import type {EventBus} from "../core/events.js";
import type {Dispatcher} from "./dispatcher.js";

/**
 * Turn app events into rule events, each under the keys triggers index by: players by id and by
 * lower-case name, cards by card id, buttons by button, streams by name, stories by story id.
 */
export function feedDispatcher(bus: EventBus, dispatcher: Dispatcher): () => void {
  const owner = {};
  bus.on(owner, "player.changed", ({player, previous, changed}) => {
    const keys = [player.id, player.name.toLowerCase()];
    dispatcher.dispatch("player", keys, {player, previous, changed});
    if (
      changed.includes("volume") &&
      player.volume.level !== previous.volume.level &&
      player.volume.level !== undefined
    )
      dispatcher.dispatch("volume", keys, {player, from: previous.volume.level, to: player.volume.level});
    const before = previous.playback.cardId;
    const now = player.playback.cardId;
    if (before === now) return;
    // Only a card in the slot counts; cards started remotely (by rules too) would loop.
    if (before && previous.playback.source === "card")
      dispatcher.dispatch("card", [before], {player, card_id: before, event: "removed"});
    if (now && player.playback.source === "card")
      dispatcher.dispatch("card", [now], {player, card_id: now, event: "inserted"});
  });
  bus.on(owner, "player.button", (e) => {
    dispatcher.dispatch("button", [e.button], {
      button: e.button,
      player: e.player,
      player_id: e.playerId,
      card_id: e.cardId,
      story: e.story,
      scene: e.scene,
    });
  });
  bus.on(owner, "story.sceneEntered", (e) => {
    dispatcher.dispatch("story", [e.story], {
      story: e.story,
      scene: e.scene,
      from: e.from,
      player: e.player,
      player_id: e.playerId,
    });
  });
  bus.on(owner, "stream.requested", (request) => {
    dispatcher.dispatch("stream_requested", [request.stream], {...request});
  });
  return () => bus.off(owner);
}
