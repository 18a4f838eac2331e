import type {StoryMode} from "../../shared/api/stories.js";
import type {SceneIds} from "./sceneIds.js";
import type {Passage} from "./twinePassages.js";

/**
 * What a story written back as Twee (../export/) keeps beyond Twine's own fields, read back here so
 * an import of the export is the same story: each scene's id in a `scene:<id>` tag (where the
 * passage's name would not make it), and the story's id and mode in StoryData (`story-id`,
 * `story-mode`). Twine keeps the tags when it saves the story; StoryData's extra fields it drops.
 */

/** The tag an exported passage keeps its scene's id in, when its name would not give that id. */
export const SCENE_TAG = "scene:";
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MODES: readonly StoryMode[] = ["interactive", "linear", "streamed"];

/**
 * Scene ids for the kept passages, in order: a `scene:<id>` tag's id where it is a valid id not
 * taken by an earlier tag (so a passage renamed in Twine keeps its scene, and the cards and saved
 * places that name it), else one made from the name.
 */
export function sceneIdsOf(kept: Passage[], ids: SceneIds, warnings: string[]): Map<string, string> {
  const tagged = new Map<Passage, string>();
  const owner = new Map<string, Passage>();
  for (const passage of kept) {
    const id = taggedId(passage);
    if (id === undefined) continue;
    const earlier = owner.get(id);
    if (earlier) {
      warnings.push(
        `passages '${earlier.name}' and '${passage.name}' are both tagged ${SCENE_TAG}${id}: '${passage.name}' gets an id of its own`,
      );
      continue;
    }
    owner.set(id, passage);
    tagged.set(passage, id);
    ids.reserve(id);
  }
  return new Map(kept.map((p) => [p.name, tagged.get(p) ?? ids.take(p.name)]));
}

/**
 * A passage's scene title: its name, less the ` (<id>)` an export adds to tell apart scenes of one
 * title (or a title that is no passage name by itself), where its `scene:` tag names that id.
 */
export function sceneTitle(passage: Passage): string {
  const id = taggedId(passage);
  if (id === undefined) return passage.name;
  const suffix = `(${id})`;
  if (passage.name === suffix) return "";
  return passage.name.endsWith(` ${suffix}`) ? passage.name.slice(0, -suffix.length - 1) : passage.name;
}

function taggedId(passage: Passage): string | undefined {
  const tag = passage.tags.find((t) => t.startsWith(SCENE_TAG));
  const id = tag?.slice(SCENE_TAG.length);
  return id !== undefined && ID.test(id) ? id : undefined;
}

/** The story id and mode an export wrote in StoryData (Twee only), where they are valid. */
export function exportedStory(source: string): {id?: string; mode?: StoryMode} {
  if (source.includes("<tw-storydata") || source.includes("storeArea")) return {};
  const head = /^::[ \t]*StoryData\b[^\n]*\n/m.exec(source);
  if (!head) return {};
  const from = head.index + head[0].length;
  const next = source.indexOf("\n::", from);
  let data: unknown;
  try {
    data = JSON.parse(source.slice(from, next < 0 ? source.length : next));
  } catch {
    return {};
  }
  if (typeof data !== "object" || data === null) return {};
  const {"story-id": id, "story-mode": mode} = data as Record<string, unknown>;
  return {
    ...(typeof id === "string" && ID.test(id) ? {id} : {}),
    ...(MODES.includes(mode as StoryMode) ? {mode: mode as StoryMode} : {}),
  };
}
