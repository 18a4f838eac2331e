import type {LiveEventMap} from "../shared/api/events.js";
import type {DEVICE_EVENTS} from "./middleware/deviceAccess.js";

export type DeviceEvent = (typeof DEVICE_EVENTS)[number];

/** What a device's events ask of the family plan: the players its child's page may show now. */
export interface DeviceEventFamily {
  pagePlayers(child: string): readonly string[];
}

/**
 * What a child's tablet (a device link) receives of one live event: the payload its own child's
 * page draws from, `{}` (only that something changed), or undefined (not sent at all). Every
 * device stream passes here, so a tablet learns nothing of another child's day or players
 * whichever page it runs. The players are asked at each event: a shared player the child starts
 * listening on is the child's from then on, one a sibling takes is not.
 *
 * `shown`: the players this stream has shown the tablet as its child's (its players when it opened,
 * then each one sent since). One that stops being the child's (a sibling took the shared Yoto, a
 * parent chose another listener) makes the next event, whichever, reach the tablet at least as `{}`:
 * the page asks its shelf again and stops showing it playing, learning nothing of the sibling's.
 */
export function forDevice<K extends DeviceEvent>(
  family: DeviceEventFamily,
  child: string,
  event: K,
  payload: LiveEventMap[K],
  shown: Set<string> = new Set(),
): LiveEventMap[K] | Record<string, never> | undefined {
  let players: readonly string[];
  try {
    players = family.pagePlayers(child);
  } catch {
    // A plan that cannot answer (not loaded) shows the tablet nothing rather than everything.
    players = [];
  }
  let lost = false;
  for (const id of shown)
    if (!players.includes(id)) {
      shown.delete(id);
      lost = true;
    }
  const mine = (playerId: string) => {
    if (!players.includes(playerId)) return false;
    shown.add(playerId);
    return true;
  };
  const sent = filtered(child, event, payload, mine);
  return sent === undefined && lost ? {} : sent;
}

function filtered<K extends DeviceEvent>(
  child: string,
  event: K,
  payload: LiveEventMap[K],
  mine: (playerId: string) => boolean,
): LiveEventMap[K] | Record<string, never> | undefined {
  switch (event) {
    case "family.changed":
      // Another child's minutes tick while they listen: that is theirs.
      return (payload as LiveEventMap["family.changed"]).child.toLowerCase() === child.toLowerCase()
        ? payload
        : undefined;
    case "player.changed":
    case "player.added":
      // What plays, and on which player, only for the child's own: a sibling's Yoto is not its tablet's.
      return mine((payload as LiveEventMap["player.changed"]).player.id) ? payload : undefined;
    case "player.removed":
      return mine((payload as LiveEventMap["player.removed"]).id) ? payload : undefined;
    case "quiet.changed":
      // Quiet starting on the child's player sends it to sleep; quiet elsewhere is another room's.
      return mine((payload as LiveEventMap["quiet.changed"]).playerId) ? payload : undefined;
    default:
      // A stream's queue and a picture chosen may change a cover on the shelf, but which streams and
      // items the shelf holds is known only by resolving it: the tablet learns that something
      // changed (it reloads its own shelf), never the stream's name, its reason or the item.
      return {};
  }
}
