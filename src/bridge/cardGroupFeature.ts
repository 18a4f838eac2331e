import {errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import {type CardGroup, groupOptions} from "../yoto/cardGroups.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {Component} from "./discovery.js";
import type {PlayerFeature} from "./features.js";

/** The retained topic under `<base>/<player id>/` the select reads. */
export const CARD_GROUP_TOPIC = "card_group";

export interface CardGroupSource {
  groups: {list(fresh?: boolean): Promise<CardGroup[]>};
  list(): PlayerState[];
}

/**
 * "Play from a group" on each player's device: the family library's groups as a select; choosing
 * one plays a card from it at random (never the one that played last there). It shows the group the
 * playing card belongs to. The groups are read when the account is linked and every few minutes.
 */
export function cardGroupFeature(
  players: CardGroupSource,
  bus: EventBus,
  log: Logger,
  refreshMs = 5 * 60_000,
): PlayerFeature {
  let groups: CardGroup[] = [];
  let options: string[] = [];
  const groupOf = (p: PlayerState | undefined): string | null => {
    const cardId = p?.playback.cardId;
    const index = cardId ? groups.findIndex((g) => g.cardIds.includes(cardId)) : -1;
    return index >= 0 ? (options[index] ?? null) : null;
  };
  return {
    name: "card-groups",
    components: (k): Record<string, Component> =>
      options.length
        ? {
            play_group: k.entity("play_group", "select", {
              name: "Play from a group",
              icon: "mdi:folder-play-outline",
              state_topic: `${k.state}/${CARD_GROUP_TOPIC}`,
              value_template: "{{ value_json.group if value_json.group is not none else 'None' }}",
              command_topic: k.set("card_group"),
              options: [...options],
            }),
          }
        : {},
    retained: (playerId) => ({[CARD_GROUP_TOPIC]: {group: groupOf(players.list().find((p) => p.id === playerId))}}),
    watch: (changed) => {
      const owner = {};
      const refresh = async () => {
        try {
          const next = await players.groups.list(true);
          if (JSON.stringify(next) === JSON.stringify(groups)) return;
          groups = next;
          options = groupOptions(next);
          for (const p of players.list()) changed(p.id);
        } catch (err) {
          log.debug(`Could not read the family's card groups for the group pickers: ${errorMessage(err)}`);
        }
      };
      bus.on(owner, "player.changed", ({player, previous}) => {
        if (player.playback.cardId !== previous.playback.cardId) changed(player.id, "payloads");
      });
      bus.on(owner, "account.changed", (status) => {
        if (status.state === "linked") void refresh();
      });
      void refresh();
      const timer = setInterval(() => void refresh(), refreshMs);
      timer.unref();
      return () => {
        bus.off(owner);
        clearInterval(timer);
      };
    },
  };
}
