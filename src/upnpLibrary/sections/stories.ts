import type {Library} from "../../library/library.js";
import type {Scene, Story} from "../../shared/api/stories.js";
import type {Stories} from "../../stories/index.js";
import type {Streams} from "../../streams/streams.js";
import type {Entry, ItemEntry, LibrarySection} from "../tree.js";
import {type AudioLinks, container, FOLDER, findIn, libraryTrack, PLAYLIST, partsOf, present} from "./common.js";
import {streamItem} from "./streams.js";

const ID = "stories";

/**
 * "Stories": each story's scenes in card order, for listening straight through (no branching: that
 * needs the Yoto card). A scene of one library item or of a stream is one item; a scene of several
 * items is a container of them. Scenes are served from the library and the streams directly, never
 * through the story's own scene URLs, which move a player along the story.
 */
export function storiesSection(
  stories: Pick<Stories, "list" | "has" | "get" | "sceneAudio">,
  streams: Pick<Streams, "has" | "get">,
  library: Pick<Library, "get">,
  links: AudioLinks,
): LibrarySection {
  const storyId = (story: Story) => `${ID}/${story.id}`;
  const sceneId = (story: Story, scene: Scene) => `${ID}/${story.id}/${scene.id}`;

  // A scene that plays silence on the card (its items gone, its narration not made yet) is left out here.
  const itemsOf = (story: Story, scene: Scene): string[] => {
    const plays = stories.sceneAudio(story, scene);
    return "items" in plays ? plays.items : [];
  };

  const sceneEntry = (story: Story, scene: Scene, n: number): Entry | undefined => {
    const id = sceneId(story, scene);
    const extra = {title: scene.title, album: story.title, trackNumber: n};
    const plays = stories.sceneAudio(story, scene);
    if ("stream" in plays) {
      const name = plays.stream;
      const item = streams.has(name) ? streamItem(links, streams.get(name), id, storyId(story)) : undefined;
      return item ? {...item, ...extra} : undefined;
    }
    const ids = itemsOf(story, scene);
    if (ids.length > 1) return container(id, storyId(story), scene.title, ids.length, FOLDER);
    const item = ids[0] === undefined ? undefined : library.get(ids[0]);
    return item ? libraryTrack(links, item, id, storyId(story), extra) : undefined;
  };

  const scenes = (story: Story): Entry[] => story.scenes.map((s, i) => sceneEntry(story, s, i + 1)).filter(present);

  const sceneItems = (story: Story, scene: Scene): ItemEntry[] =>
    itemsOf(story, scene)
      .map((itemId, i) => {
        const item = library.get(itemId);
        const parent = sceneId(story, scene);
        return item
          ? libraryTrack(links, item, `${parent}/${i + 1}`, parent, {album: story.title, trackNumber: i + 1})
          : undefined;
      })
      .filter(present);

  const storyEntries = (): Entry[] =>
    stories
      .list()
      .map((story) => container(storyId(story), ID, story.title, scenes(story).length, PLAYLIST))
      .sort((a, b) => a.title.localeCompare(b.title));

  const children = async (id: string): Promise<Entry[]> => {
    const parts = partsOf(ID, id);
    if (parts?.length === 0) return storyEntries();
    const story = parts?.[0] !== undefined && stories.has(parts[0]) ? stories.get(parts[0]) : undefined;
    if (!story || !parts) return [];
    if (parts.length === 1) return scenes(story);
    const scene = parts.length === 2 ? story.scenes.find((s) => s.id === parts[1]) : undefined;
    return scene ? sceneItems(story, scene) : [];
  };

  return {
    id: ID,
    title: "Stories",
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts) return undefined;
      if (parts.length === 0) return container(ID, "0", "Stories", stories.list().length);
      return findIn(children(id.slice(0, id.lastIndexOf("/"))), id);
    },
    async items() {
      return stories.list().flatMap((story) =>
        story.scenes.flatMap((scene, i) => {
          const entry = sceneEntry(story, scene, i + 1);
          return entry?.kind === "item" ? [entry] : entry ? sceneItems(story, scene) : [];
        }),
      );
    },
  };
}
