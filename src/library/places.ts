import type {LibraryItem} from "./types.js";

/**
 * Where story narration lives among the uploads: one file per text and voice, made by the service,
 * not chosen by the family. It is kept out of the library's lists and folders (it would crowd them:
 * a Twine story makes a line per scene) and shown in a place of its own, "Story narration".
 */
export const NARRATION_FOLDER = "narration";

/** The places the library lists: the family's audio, or the stories' narration. */
export type LibraryPlace = "library" | "narration";

export function isNarration(item: Pick<LibraryItem, "source" | "relPath">): boolean {
  return item.source === "upload" && item.relPath.startsWith(`${NARRATION_FOLDER}/`);
}

export function inPlace(item: Pick<LibraryItem, "source" | "relPath">, place: LibraryPlace): boolean {
  return isNarration(item) === (place === "narration");
}
