import {badRequest} from "../core/errors.js";
import type {LibraryItem} from "../library/types.js";
import {compileGlob, isGlob} from "./glob.js";
import {itemByTitle} from "./titleRefs.js";

/**
 * Library ids for what users and rules write: an id, a path relative to its folder, a title, or a glob.
 * Every unknown or ambiguous reference is reported at once; with `mp3Only`, only MP3 items.
 */
export function resolveLibraryRefs(items: readonly LibraryItem[], refs: readonly string[], mp3Only: boolean): string[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const ids: string[] = [];
  const problems: string[] = [];
  for (const ref of refs) {
    if (isGlob(ref)) {
      // A glob (`lullabies/*`, `**/*.mp3`) takes every matching MP3, in path order.
      const matches = compileGlob(ref);
      const found = items.filter((i) => (!mp3Only || i.mime === "audio/mpeg") && matches(i.relPath));
      if (found.length === 0) problems.push(`'${ref}' matches nothing in the library`);
      ids.push(...found.sort((a, b) => a.relPath.localeCompare(b.relPath)).map((i) => i.id));
      continue;
    }
    const matches = byId.has(ref) ? [byId.get(ref)] : items.filter((i) => i.relPath === ref);
    // Neither an id nor a path: a title, as the panel shows items (one item's, or refused).
    const titled = matches.length === 0 ? itemByTitle(items, ref) : undefined;
    if (titled?.problem !== undefined) {
      problems.push(titled.problem);
      continue;
    }
    if (titled?.item) matches.push(titled.item);
    const item = matches[0];
    if (matches.length > 1) problems.push(`'${ref}' matches ${matches.length} items; use its id`);
    else if (!item) problems.push(`'${ref}' is not in the library`);
    else if (mp3Only && item.mime !== "audio/mpeg") {
      problems.push(`'${item.relPath}' is not MP3; streams join MP3 files, so upload it with audio_normalize on`);
    } else ids.push(item.id);
  }
  if (problems.length > 0) throw badRequest(problems.join("; "), "bad_items");
  return ids;
}
