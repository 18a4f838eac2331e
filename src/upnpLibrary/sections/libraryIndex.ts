import type {LibraryItem} from "../../library/types.js";

/** A folder of the media folders: its subfolders by name and its files, each sorted. */
export interface FolderNode {
  folders: Map<string, FolderNode>;
  items: LibraryItem[];
}

/** The library grouped for browsing: by folder, and by the artist and album its tags name. */
export interface LibraryIndex {
  root: FolderNode;
  /** artist → album ("" for tracks with no album) → tracks. */
  artists: Map<string, Map<string, LibraryItem[]>>;
  albums: Map<string, LibraryItem[]>;
}

export const UPLOADS = "Uploads";

// Numbers in names in their order ("2 Song" before "10 Song"), as a parent reads a folder of tracks.
const collator = new Intl.Collator(undefined, {numeric: true});
const byName = <T>(map: Map<string, T>) => new Map([...map].sort(([a], [b]) => collator.compare(a, b)));
const byPath = (a: LibraryItem, b: LibraryItem) => collator.compare(a.relPath, b.relPath);

/** One pass over the items, then each level sorted once: a 50,000-file library is grouped in well under a second. */
export function indexLibrary(items: readonly LibraryItem[]): LibraryIndex {
  const root: FolderNode = {folders: new Map(), items: []};
  const artists = new Map<string, Map<string, LibraryItem[]>>();
  const albums = new Map<string, LibraryItem[]>();
  for (const item of items) {
    const parts = item.relPath.split("/").filter((p) => p !== "" && p !== "." && p !== "..");
    parts.pop();
    // Uploads have their own folder, apart from the media folders' own tree.
    if (item.source === "upload") parts.unshift(UPLOADS);
    let node = root;
    for (const part of parts) {
      let next = node.folders.get(part);
      if (!next) {
        next = {folders: new Map(), items: []};
        node.folders.set(part, next);
      }
      node = next;
    }
    node.items.push(item);
    const artist = item.artist?.trim();
    const album = item.album?.trim() ?? "";
    if (artist) {
      const of = artists.get(artist) ?? new Map<string, LibraryItem[]>();
      artists.set(artist, of);
      listIn(of, album).push(item);
    }
    if (album) listIn(albums, album).push(item);
  }
  // In place, with a stack: a folder thousands deep needs no recursion.
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    node.folders = byName(node.folders);
    node.items.sort(byPath);
    stack.push(...node.folders.values());
  }
  for (const list of albums.values()) list.sort(byPath);
  const sortedArtists = new Map(
    [...byName(artists)].map(([artist, of]) => [artist, new Map([...byName(of)].map(([a, l]) => [a, l.sort(byPath)]))]),
  );
  return {root, artists: sortedArtists, albums: byName(albums)};
}

function listIn(map: Map<string, LibraryItem[]>, key: string): LibraryItem[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/**
 * What the index was made from: it is made again only when an item came, went or changed (a cheap
 * pass over ids and modification times, not a regrouping).
 */
export function fingerprint(items: readonly LibraryItem[]): string {
  let hash = 0;
  for (const item of items) {
    for (let i = 0; i < item.id.length; i++) hash = (Math.imul(hash, 31) + item.id.charCodeAt(i)) | 0;
    hash = (Math.imul(hash, 31) + Math.floor(item.mtimeMs)) | 0;
  }
  return `${items.length}:${hash}`;
}
