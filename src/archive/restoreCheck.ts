import type {RestoreCheck} from "../shared/api/archive.js";
import type {Card} from "../yoto/rest.js";
import {type CardRecord, chaptersOf, coverOf, iconOf, tracksOf} from "./cardRecord.js";

// Yoto's transcode and our MP3 making may round a track's length by a fraction of a second.
const DURATION_TOLERANCE_S = 1.5;

function seconds(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The restored card as Yoto reads it back against the archived copy: chapters, their titles and
 * icons, the tracks of each, their titles and lengths, and the cover. Each difference in words.
 */
export function checkRestored(record: CardRecord, restored: Card): RestoreCheck {
  const differences: string[] = [];
  const archived = chaptersOf(record.card);
  const now = chaptersOf(restored);
  const count = (chapters: typeof archived) => chapters.reduce((n, c) => n + tracksOf(c).length, 0);
  if (archived.length !== now.length) differences.push(`${now.length} chapters instead of ${archived.length}`);
  for (const [c, before] of archived.entries()) {
    const after = now[c];
    const name = `Chapter ${c + 1} ('${String(before.title ?? "")}')`;
    if (!after) continue;
    if (before.title !== after.title) differences.push(`${name} is titled '${String(after.title ?? "")}'`);
    if (iconOf(before) && !iconOf(after)) differences.push(`${name} lost its icon`);
    const beforeTracks = tracksOf(before);
    const afterTracks = tracksOf(after);
    if (beforeTracks.length !== afterTracks.length)
      differences.push(`${name} has ${afterTracks.length} tracks instead of ${beforeTracks.length}`);
    for (const [t, track] of beforeTracks.entries()) {
      const other = afterTracks[t];
      if (!other) continue;
      const where = `${name} track ${t + 1}`;
      if (track.title !== other.title) differences.push(`${where} is titled '${String(other.title ?? "")}'`);
      const was = seconds(track.duration);
      const is = seconds(other.duration);
      if (was !== undefined && is !== undefined && Math.abs(was - is) > DURATION_TOLERANCE_S)
        differences.push(`${where} lasts ${Math.round(is)} s instead of ${Math.round(was)} s`);
      if (iconOf(track) && !iconOf(other)) differences.push(`${where} lost its icon`);
    }
  }
  if (coverOf(record.card) && !coverOf(restored)) differences.push("the cover is missing");
  return {
    ok: differences.length === 0,
    differences,
    chapters: {archived: archived.length, restored: now.length},
    tracks: {archived: count(archived), restored: count(now)},
  };
}
