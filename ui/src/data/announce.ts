import type {AnnounceBody, AnnounceCancelled, AnnounceOutcome} from "../../../src/shared/api/index.js";
import {request, segment} from "./http.js";

export type {AnnounceOutcome} from "../../../src/shared/api/index.js";

/** Resolves once the announcement is over and the player is back where it was (a few seconds). */
export const announce = (player: string, body: AnnounceBody) =>
  request<AnnounceOutcome>("POST", `api/players/${segment(player)}/announce`, body);

/** Drops the announcements waiting for the player and stops the one it says now. */
export const cancelAnnouncements = (player: string) =>
  request<AnnounceCancelled>("DELETE", `api/players/${segment(player)}/announce`);

/** What a cancel did, in words. */
export function cancelSummary(c: AnnounceCancelled): string {
  if (!c.cancelled.playing && c.cancelled.waiting === 0) return `Nothing to stop on ${c.player}`;
  const waiting = c.cancelled.waiting === 1 ? "1 waiting" : `${c.cancelled.waiting} waiting`;
  if (!c.cancelled.playing) return `Cancelled ${waiting} on ${c.player}`;
  return c.cancelled.waiting
    ? `Stopped the one playing on ${c.player} and cancelled ${waiting}`
    : `Stopped the one playing on ${c.player}`;
}
