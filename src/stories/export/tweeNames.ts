import {createHash} from "node:crypto";
import type {Scene} from "../../shared/api/stories.js";
import {SCENE_TAG} from "../import/exportMarks.js";
import {SPECIAL_PASSAGES} from "../import/passageNames.js";
import {slug} from "../import/sceneIds.js";
import {drained, pauseBefore, type Steps} from "./steps.js";

/**
 * The passage each scene is written as: named by its title, so the author finds it in Twine, and
 * read back by the import (../import/passageNames.ts) as the same scene, id and title.
 */

export interface PassageName {
  name: string;
  /** The `scene:<id>` tag, where the name alone would not give the scene's id back. */
  tag?: string;
}

/** How an export tells apart scenes of one title: ` (<scene id>)` after it. */
const SUFFIXED = /(?:^|\s)\([a-z0-9][a-z0-9_-]*\)$/;

/**
 * Each scene's passage name. A title a link cannot reach as it is (`|`, `->`, `<-`, square
 * brackets, control characters, spaces around it) is written with look-alikes; a title two scenes
 * share, a Twine setting's name (StoryInit), no title, or one that looks like a told-apart name
 * itself, gets ` (<scene id>)` after it, which the import takes off again. Names stay unique:
 * told-apart names differ by their ids, and no plain name ends like one.
 */
export function passageNames(scenes: readonly Scene[]): Map<string, PassageName> {
  return drained(passageNameSteps(scenes));
}

/** passageNames in steps: it may pause every few scenes (steps.ts). */
export function* passageNameSteps(scenes: readonly Scene[]): Steps<Map<string, PassageName>> {
  const cleaned = new Map<string, string>();
  const count = new Map<string, number>();
  for (const [i, scene] of scenes.entries()) {
    if (pauseBefore(i)) yield;
    cleaned.set(scene.id, linkable(scene.title));
  }
  for (const name of cleaned.values()) count.set(name, (count.get(name) ?? 0) + 1);
  const names = new Map<string, PassageName>();
  for (const [i, scene] of scenes.entries()) {
    if (pauseBefore(i)) yield;
    const title = cleaned.get(scene.id) as string;
    const apart =
      !title || (count.get(title) ?? 0) > 1 || SPECIAL_PASSAGES.has(title.toLowerCase()) || SUFFIXED.test(title);
    const name = apart ? `${title} (${scene.id})`.trim() : title;
    names.set(scene.id, apart || slug(name) !== scene.id ? {name, tag: `${SCENE_TAG}${scene.id}`} : {name});
  }
  return names;
}

/** A name as a Twee 3 header writes it: `\`, `[`, `]`, `{` and `}` escaped with a backslash. */
export function headerName(name: string): string {
  return name.replace(/[\\[\]{}]/g, (c) => `\\${c}`);
}

/**
 * A story's IFID, the same for every export of one story id so Twine knows it again: a UUID made
 * from a hash of the id, in the version-4 form and upper case, as Twine writes its own.
 */
export function ifidOf(storyId: string): string {
  const hex = createHash("sha256").update(`yoto-smart-stream story ${storyId}`).digest("hex").slice(0, 32).split("");
  hex[12] = "4";
  hex[16] = "89ab"[Number.parseInt(hex[16] as string, 16) % 4] as string;
  const h = hex.join("").toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function linkable(title: string): string {
  return title
    .replace(/[\p{Cc}\u2028\u2029]/gu, " ")
    .replace(/\|/g, "/")
    .replace(/->/g, "→")
    .replace(/<-/g, "←")
    .replace(/\[/g, "(")
    .replace(/\]/g, ")")
    .trim();
}
