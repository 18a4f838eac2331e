import type {PlayHeld} from "../gate/playGate.js";
import type {ChildrenList, ChildView} from "./types.js";

/** The children as `heldOn` reads them: each child's players, by name (in the plan's order). */
export interface Roster {
  children: Array<Pick<ChildView, "name" | "players">>;
  listeners: ChildrenList["listeners"];
}

/**
 * Why the plan holds a player, for the play gate's answer: the reason of the child on it (bedtime,
 * the day's listening) when a child's plan holds it, else quiet hours; until when either ends.
 * `quiet`: the child's quiet now, asked of that child only (every play asks: judging every child's
 * day for it was the most of a play's own work, issue #99).
 */
export function heldOn(
  family: Roster,
  quiet: (child: string) => {reason: string; until: number} | undefined,
  period: {until: number} | undefined,
  playerId: string,
): PlayHeld {
  const {children, listeners} = family;
  const listener = listeners.find((l) => l.playerId === playerId)?.child;
  const child = children.find((c) =>
    listener ? c.name === listener : c.players.some((p) => p.id === playerId && (!p.shared || p.listening)),
  );
  const held = child ? quiet(child.name) : undefined;
  const until = held ? held.until : period?.until;
  const reason = held?.reason === "bedtime" || held?.reason === "budget" ? held.reason : "quiet";
  return {
    reason,
    ...(child && reason !== "quiet" ? {child: child.name} : {}),
    ...(until !== undefined ? {until} : {}),
  };
}
