import type {EventBus} from "../core/events.js";
import {cardMoves} from "../yoto/playerModel.js";
import type {Dispatcher} from "./dispatcher.js";

/**
 * Turn app events into rule events, each under the keys triggers index by: players by id and by
 * lower-case name (today's listening too), cards by card id, buttons by button, streams by name,
 * stories by story id.
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
    const {removed, inserted} = cardMoves(previous, player);
    if (removed) dispatcher.dispatch("card", [removed], {player, card_id: removed, event: "removed"});
    if (inserted) dispatcher.dispatch("card", [inserted], {player, card_id: inserted, event: "inserted"});
  });
  bus.on(owner, "player.buttonPressed", (e) => {
    dispatcher.dispatch("button", [e.button], {
      button: e.button,
      player: e.player,
      player_id: e.playerId,
      card_id: e.cardId,
      story: e.story,
      scene: e.scene,
      to: e.to,
    });
  });
  bus.on(owner, "story.sceneEntered", (e) => {
    dispatcher.dispatch("story", [e.story], {
      story: e.story,
      scene: e.scene,
      from: e.from,
      button: e.button,
      player: e.player,
      player_id: e.playerId,
    });
  });
  // Each player's last reported total, kept here rather than in the triggers: a rule reloaded
  // between two reports still sees where the total came from. Unknown only for a player's first
  // report after the service starts.
  const listened = new Map<string, number>();
  bus.on(owner, "history.changed", (e) => {
    const previous = listened.get(e.playerId);
    listened.set(e.playerId, e.todaySeconds);
    dispatcher.dispatch("listening", [e.playerId, e.player.toLowerCase()], {
      player: e.player,
      player_id: e.playerId,
      today_seconds: e.todaySeconds,
      previous_seconds: previous,
    });
  });
  bus.on(owner, "family.stepReached", (e) => {
    dispatcher.dispatch("family", [e.child.toLowerCase()], {
      child: e.child,
      step: e.step,
      player: e.player,
      player_id: e.playerId,
      ...(e.minutesLeft !== undefined ? {minutes_left: e.minutesLeft} : {}),
    });
  });
  bus.on(owner, "stream.requested", (request) => {
    dispatcher.dispatch("stream_requested", [request.stream], {...request});
  });
  return () => bus.off(owner);
}
