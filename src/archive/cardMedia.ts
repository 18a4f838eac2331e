import type {Card} from "../yoto/rest.js";
import {type ArchivedFile, chaptersOf, coverOf, iconOf, isUploadedAudio, tracksOf} from "./cardRecord.js";
import type {MediaNeed} from "./mediaFetch.js";

type Json = Record<string, unknown>;

/**
 * The files a card needs archived, from the card as Yoto read it back (`signed`: links that work
 * now) and the same card with those links turned back into references (`unsigned`): each track's
 * uploaded audio, each icon, and the cover. A reference Yoto gave no fetchable link for is listed
 * in `unreachable`. Each reference once.
 */
export function mediaNeeds(signed: Card, unsigned: Card): {needs: MediaNeed[]; unreachable: string[]} {
  const needs = new Map<string, MediaNeed>();
  const unreachable: string[] = [];
  const add = (ref: string | undefined, url: unknown, kind: MediaNeed["kind"], where: string, format?: unknown) => {
    if (!ref || needs.has(ref)) return;
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) {
      unreachable.push(where);
      return;
    }
    needs.set(ref, {ref, url, kind, where, ...(typeof format === "string" ? {format} : {})});
  };
  const signedChapters = chaptersOf(signed);
  for (const [c, chapter] of chaptersOf(unsigned).entries()) {
    const signedChapter: Json = signedChapters[c] ?? {};
    const chapterWhere = `Chapter '${String(chapter.title ?? chapter.key ?? c + 1)}'`;
    if (iconOf(chapter)?.startsWith("yoto:#"))
      add(iconOf(chapter), iconOf(signedChapter), "icon", `${chapterWhere}'s icon`);
    const signedTracks = tracksOf(signedChapter);
    for (const [t, track] of tracksOf(chapter).entries()) {
      const signedTrack: Json = signedTracks[t] ?? {};
      const where = `${chapterWhere} track '${String(track.title ?? track.key ?? t + 1)}'`;
      if (isUploadedAudio(track)) add(track.trackUrl as string, signedTrack.trackUrl, "audio", where, track.format);
      if (iconOf(track)?.startsWith("yoto:#")) add(iconOf(track), iconOf(signedTrack), "icon", `${where}'s icon`);
    }
  }
  const cover = coverOf(unsigned);
  if (cover) add(cover, coverOf(signed) ?? cover, "cover", "The cover");
  return {needs: [...needs.values()], unreachable};
}

/** Every file reference a card holds (its audio, icons and cover), for the files it needs kept. */
export function referencesOf(card: Card): string[] {
  const refs: string[] = [];
  for (const chapter of chaptersOf(card)) {
    const icon = iconOf(chapter);
    if (icon?.startsWith("yoto:#")) refs.push(icon);
    for (const track of tracksOf(chapter)) {
      if (isUploadedAudio(track)) refs.push(track.trackUrl as string);
      const trackIcon = iconOf(track);
      if (trackIcon?.startsWith("yoto:#")) refs.push(trackIcon);
    }
  }
  const cover = coverOf(card);
  if (cover) refs.push(cover);
  return refs;
}

/** The file's name in the archive: what every kept record refers to, for removing the rest. */
export function fileName(file: ArchivedFile): string {
  return `${file.sha}.${file.ext}`;
}
