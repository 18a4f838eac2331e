import type {Library} from "../../library/library.js";
import {isNarration} from "../../library/places.js";
import type {LibraryItem} from "../../library/types.js";
import type {ContainerEntry, Entry, ItemEntry, LibrarySection} from "../tree.js";
import {
  ALBUM,
  type AudioLinks,
  container,
  FOLDER,
  findIn,
  fromIdPart,
  idPart,
  libraryTrack,
  partsOf,
  present,
} from "./common.js";
import {type FolderNode, fingerprint, indexLibrary, type LibraryIndex} from "./libraryIndex.js";

const ID = "library";
const TOP = [
  {part: "folders", title: "Folders"},
  {part: "artists", title: "Artists"},
  {part: "albums", title: "Albums"},
] as const;

/**
 * "Library": the media folders as folders, and the same files by artist and by album from their
 * tags. Object ids carry the names (encoded, so a "/" in a name adds no level); a file is `@<id>`,
 * which no encoded name can be.
 */
export function librarySection(library: Pick<Library, "items">, links: AudioLinks): LibrarySection {
  // Made again only when the library changed; Search's list of every track (a signed URL each) with it.
  let made: {print: string; index: LibraryIndex; items?: ItemEntry[]} | undefined;
  // Looked at once a turn of the event loop: a Search below a folder walks up to thousands of
  // folders in one turn, and reading (and fingerprinting) the whole library for each froze the
  // service for seconds on a large one.
  let thisTurn: LibraryIndex | undefined;
  const index = (): LibraryIndex => {
    if (thisTurn) return thisTurn;
    // The stories' narration is the service's own, not the family's music: kept out of the folders.
    const items = library.items().filter((item) => !isNarration(item));
    const print = fingerprint(items);
    if (made?.print !== print) made = {print, index: indexLibrary(items)};
    thisTurn = made.index;
    setImmediate(() => {
      thisTurn = undefined;
    });
    return made.index;
  };

  const tracks = (list: readonly LibraryItem[], parent: string): ItemEntry[] =>
    list.map((item) => libraryTrack(links, item, `${parent}/@${item.id}`, parent)).filter(present);

  const folderChildren = (node: FolderNode, id: string): Entry[] => [
    ...[...node.folders].map(([name, child]) =>
      container(`${id}/${idPart(name)}`, id, name, child.folders.size + child.items.length, FOLDER),
    ),
    ...tracks(node.items, id),
  ];

  const folderAt = (root: FolderNode, parts: readonly string[]): FolderNode | undefined => {
    let node: FolderNode | undefined = root;
    for (const part of parts) {
      const name = fromIdPart(part);
      node = name === undefined ? undefined : node?.folders.get(name);
      if (!node) return undefined;
    }
    return node;
  };

  const albumContainers = (of: Map<string, LibraryItem[]>, id: string): Entry[] => [
    ...[...of]
      .filter(([album]) => album !== "")
      .map(([album, list]) => container(`${id}/${idPart(album)}`, id, album, list.length, ALBUM)),
    ...tracks(of.get("") ?? [], id),
  ];

  /** Each file once, where it is in the folders (a walk with a stack: deep trees need no recursion). */
  const everyTrack = (idx: LibraryIndex): ItemEntry[] => {
    const out: ItemEntry[] = [];
    const stack: Array<{node: FolderNode; id: string}> = [{node: idx.root, id: `${ID}/folders`}];
    for (let next = stack.pop(); next; next = stack.pop()) {
      out.push(...tracks(next.node.items, next.id));
      for (const [name, child] of next.node.folders) stack.push({node: child, id: `${next.id}/${idPart(name)}`});
    }
    return out;
  };

  const top = (idx: LibraryIndex): ContainerEntry[] => {
    const counts = {
      folders: idx.root.folders.size + idx.root.items.length,
      artists: idx.artists.size,
      albums: idx.albums.size,
    };
    return TOP.map((t) => container(`${ID}/${t.part}`, ID, t.title, counts[t.part], FOLDER));
  };

  const children = async (id: string): Promise<Entry[]> => {
    const parts = partsOf(ID, id);
    if (!parts) return [];
    const idx = index();
    if (parts.length === 0) return top(idx);
    const [kind, ...rest] = parts;
    const names = rest.map(fromIdPart);
    // A part starting "@" is a file (an encoded name never does), not a folder to list.
    if (names.some((n) => n === undefined) || rest.some((p) => p.startsWith("@"))) return [];
    if (kind === "folders") {
      const node = folderAt(idx.root, rest);
      return node ? folderChildren(node, id) : [];
    }
    if (kind === "artists") {
      if (rest.length === 0)
        return [...idx.artists].map(([artist, of]) =>
          container(`${id}/${idPart(artist)}`, id, artist, childCountOf(of), FOLDER),
        );
      const of = idx.artists.get(names[0] as string);
      if (!of) return [];
      if (rest.length === 1) return albumContainers(of, id);
      const list = rest.length === 2 && names[1] !== "" ? of.get(names[1] as string) : undefined;
      return list ? tracks(list, id) : [];
    }
    if (kind === "albums") {
      if (rest.length === 0)
        return [...idx.albums].map(([album, list]) =>
          container(`${id}/${idPart(album)}`, id, album, list.length, ALBUM),
        );
      const list = rest.length === 1 ? idx.albums.get(names[0] as string) : undefined;
      return list ? tracks(list, id) : [];
    }
    return [];
  };

  return {
    id: ID,
    title: "Library",
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts) return undefined;
      if (parts.length === 0) return container(ID, "0", "Library", TOP.length);
      return findIn(children(id.slice(0, id.lastIndexOf("/"))), id);
    },
    async items() {
      index();
      if (made && !made.items) made.items = everyTrack(made.index);
      return made?.items ?? [];
    },
  };
}

/** An artist's children: an album each, and the tracks without an album one by one (albumContainers). */
function childCountOf(albums: Map<string, readonly LibraryItem[]>): number {
  return [...albums].reduce((n, [album, list]) => n + (album === "" ? list.length : 1), 0);
}
