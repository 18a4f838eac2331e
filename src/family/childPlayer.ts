import type {PlayerState} from "../yoto/playerModel.js";
import type {ChildrenList} from "./types.js";

/**
 * The player a child is on now: of its own players (a shared one only while it listens there) and
 * those it borrows, one that plays, else one online, else the first. Undefined without any.
 */
export function childPlayer(
  family: Pick<ChildrenList, "children" | "listeners">,
  child: string,
  players: readonly PlayerState[],
): PlayerState | undefined {
  const view = family.children.find((c) => c.name === child);
  if (!view) return undefined;
  const ids = [
    ...view.players.filter((p) => !p.shared || p.listening).map((p) => p.id),
    ...family.listeners.filter((l) => l.child === child && l.usual !== child).map((l) => l.playerId),
  ];
  const mine = ids.map((id) => players.find((p) => p.id === id)).filter((p) => p !== undefined);
  return mine.find((p) => p.online && p.playback.status === "playing") ?? mine.find((p) => p.online) ?? mine[0];
}
