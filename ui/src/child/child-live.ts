/**
 * Reading the live events a child's page follows. A payload of another shape (none at all from an
 * older service, something a proxy mangled) reads as nothing here: the page never throws on an event.
 */

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** What the page draws of a player: a change in it is worth a reload, a position tick is not. */
export function drawn(online: unknown, status: unknown, cardId: unknown, level?: unknown, max?: unknown): string {
  return `${online}|${status}|${cardId ?? ""}|${level ?? ""}|${max ?? 16}`;
}

/** `player.changed`: the player's id, what the page would draw of it, and whether it plays. */
export function changedPlayer(payload: unknown): {id: string; drawn: string; playing: boolean} | undefined {
  const player = record(record(payload)?.player);
  if (typeof player?.id !== "string") return undefined;
  const playback = record(player.playback);
  const volume = record(player.volume);
  return {
    id: player.id,
    drawn: drawn(player.online, playback?.status, playback?.cardId, volume?.level, volume?.max),
    playing: player.online === true && playback?.status === "playing",
  };
}

/** `family.changed`: whose day changed. */
export function changedChild(payload: unknown): string | undefined {
  const child = record(payload)?.child;
  return typeof child === "string" ? child : undefined;
}

/** `quiet.changed`: on which player quiet started, moved or ended. */
export function quietPlayer(payload: unknown): string | undefined {
  const id = record(payload)?.playerId;
  return typeof id === "string" ? id : undefined;
}

/**
 * The service refusing this tablet's link for good: revoked, or its child removed from the plan.
 * Told apart from a fault (no answer, a 5xx, the plan not loaded: the link is kept for those).
 */
export function linkGone(err: unknown): boolean {
  // Read as the page's ApiError is shaped (status, code), not by its class: this file stays free of the page's calls.
  const e = record(err);
  return e?.status === 401 && (e.code === "device_link_revoked" || e.code === "device_link_child_gone");
}
