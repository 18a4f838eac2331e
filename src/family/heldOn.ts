import type {PlayHeld} from "../gate/playGate.js";
import type {ChildrenList} from "./types.js";

/**
 * Why the plan holds a player, for the play gate's answer: the reason of the child on it (bedtime,
 * the day's listening) when a child's plan holds it, else quiet hours; until when either ends.
 */
export function heldOn(family: ChildrenList, period: {until: number} | undefined, playerId: string): PlayHeld {
  const {children, listeners} = family;
  const listener = listeners.find((l) => l.playerId === playerId)?.child;
  const child = children.find((c) =>
    listener ? c.name === listener : c.players.some((p) => p.id === playerId && (!p.shared || p.listening)),
  );
  const until = child?.quiet_until ? Date.parse(child.quiet_until) : period?.until;
  const reason = child?.quiet_reason === "bedtime" || child?.quiet_reason === "budget" ? child.quiet_reason : "quiet";
  return {
    reason,
    ...(child && reason !== "quiet" ? {child: child.name} : {}),
    ...(until !== undefined ? {until} : {}),
  };
}
