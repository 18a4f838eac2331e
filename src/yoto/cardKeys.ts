import {badRequest} from "../core/errors.js";
import type {Card} from "./rest.js";

export interface TrackRef {
  chapterKey: string;
  trackKey: string;
}

interface ChapterLike {
  key?: unknown;
  tracks?: Array<{key?: unknown}>;
}

function chapters(card: Card): ChapterLike[] {
  const list = (card.content as {chapters?: unknown}).chapters;
  return Array.isArray(list) ? (list as ChapterLike[]) : [];
}

/** Keys as the card spells them: "08", not "8" — players FAIL on a key that differs (reference §3.3). */
function sameKey(cardKey: unknown, wanted: string): boolean {
  const key = String(cardKey);
  if (key === wanted) return true;
  const a = Number(key);
  const b = Number(wanted);
  return key.trim() !== "" && Number.isFinite(a) && Number.isFinite(b) && a === b;
}

/** Turn "8"/8 into the card's own "08"; the error lists the keys that exist. */
export function resolveKeys(card: Card, chapter?: string, track?: string): Partial<TrackRef> {
  if (chapter === undefined && track === undefined) return {};
  const list = chapters(card);
  const found = chapter === undefined ? list[0] : list.find((c) => sameKey(c.key, chapter));
  if (!found)
    throw badRequest(
      `Card '${card.title}' has no chapter '${chapter}': its chapters are ${list.map((c) => String(c.key)).join(", ") || "none"}`,
      "unknown_chapter",
    );
  const chapterKey = String(found.key);
  if (track === undefined) return {chapterKey};
  const tracks = found.tracks ?? [];
  const foundTrack = tracks.find((t) => sameKey(t.key, track));
  if (!foundTrack)
    throw badRequest(
      `Chapter '${chapterKey}' of '${card.title}' has no track '${track}': its tracks are ${tracks.map((t) => String(t.key)).join(", ") || "none"}`,
      "unknown_track",
    );
  return {chapterKey, trackKey: String(foundTrack.key)};
}

/**
 * The track `step` places after (or before) the given one, in play order; undefined at either end,
 * and "unknown" when the card has no such track (the player reports keys of another version of it).
 */
export function neighbourTrack(card: Card, current: TrackRef, step: 1 | -1): TrackRef | "unknown" | undefined {
  const all = chapters(card).flatMap((c) =>
    (c.tracks ?? []).map((t) => ({chapterKey: String(c.key), trackKey: String(t.key)})),
  );
  const index = all.findIndex(
    (t) => sameKey(t.chapterKey, current.chapterKey) && sameKey(t.trackKey, current.trackKey),
  );
  return index < 0 ? "unknown" : all[index + step];
}

/** `yoto:#<mediaId>`: the `#` is required on cards (reference §2.4). */
export function iconRef(value: string): string {
  return value.startsWith("yoto:#") ? value : `yoto:#${value}`;
}
