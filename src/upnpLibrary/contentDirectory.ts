import {invalidArgs, UpnpError} from "../upnp/soap.js";
import {didl, parseFilter} from "./didl.js";
import {SEARCH_CAPABILITIES, SORT_CAPABILITIES} from "./libraryTables.js";
import {type Criteria, matches, parseCriteria, pinnedParent} from "./search.js";
import {parseSort, sortEntries} from "./sort.js";
import type {ContainerEntry, Entry, LibrarySection} from "./tree.js";

/** A page is at most this many entries, whatever RequestedCount asks (0 asks for all). */
export const MAX_PAGE = 500;
/** A Search below a section's own container walks at most this deep and this many containers. */
const MAX_WALK_DEPTH = 64;
const MAX_WALK_CONTAINERS = 2000;
/**
 * A container's children and a search's candidates are kept this long (and only while
 * SystemUpdateID stands): a control point pages through a big folder, or browses its metadata and
 * then its children, without each request making every entry again (a signed URL each).
 */
const LIST_TTL_MS = 5000;
const MAX_LISTS = 16;

export const ROOT_ID = "0";

const noSuchObject = (id: string) =>
  new UpnpError(701, `There is no object '${id.slice(0, 80)}': browse from "0" (the root) for the ids there are`);
const noSuchContainer = (id: string) =>
  new UpnpError(710, `There is no container '${id.slice(0, 80)}' to search: search "0" (the root) or a container id`);

export interface ContentDirectoryOptions {
  sections: () => readonly LibrarySection[];
  /** The root container's title (the server's name). */
  title: () => string;
  /** SystemUpdateID now, and the UpdateID of the section an id is in. */
  systemUpdateId: () => number;
  updateIdOf: (sectionId: string) => number;
}

/**
 * ContentDirectory:1's actions over the library's sections: Browse (metadata or one page of
 * children, filtered and sorted), Search over a container's items, and the capabilities. The root
 * "0" holds the sections' containers; everything below belongs to the section its id starts with.
 */
export class ContentDirectory {
  readonly #o: ContentDirectoryOptions;
  readonly #lists = new Map<string, {at: number; update: number; entries: Promise<Entry[]>}>();

  constructor(opts: ContentDirectoryOptions) {
    this.#o = opts;
  }

  async run(action: string, args: Record<string, string>): Promise<Record<string, string | number>> {
    switch (action) {
      case "GetSearchCapabilities":
        return {SearchCaps: SEARCH_CAPABILITIES};
      case "GetSortCapabilities":
        return {SortCaps: SORT_CAPABILITIES};
      case "GetSystemUpdateID":
        return {Id: this.#o.systemUpdateId()};
      case "Browse":
        return this.browse(args);
      case "Search":
        return this.search(args);
      default:
        throw new UpnpError(401, `ContentDirectory has no action '${action}'`);
    }
  }

  async browse(args: Record<string, string>): Promise<Record<string, string | number>> {
    const id = args.ObjectID ?? "";
    const flag = args.BrowseFlag ?? "";
    if (flag !== "BrowseMetadata" && flag !== "BrowseDirectChildren")
      throw invalidArgs(`BrowseFlag must be BrowseMetadata or BrowseDirectChildren, not '${flag.slice(0, 40)}'`);
    const filter = parseFilter(args.Filter ?? "");
    const start = count("StartingIndex", args.StartingIndex);
    const requested = count("RequestedCount", args.RequestedCount);
    const sort = parseSort(args.SortCriteria ?? "");
    if (flag === "BrowseMetadata") {
      if (start !== 0) throw invalidArgs("BrowseMetadata takes StartingIndex 0: it answers the one object");
      const entry = await this.entry(id);
      if (!entry) throw noSuchObject(id);
      return answer(didl([entry], filter), 1, 1, this.#updateId(id));
    }
    const children = await this.children(id);
    if (!children) throw noSuchObject(id);
    const page = pageOf(sortEntries(children, sort), start, requested);
    return answer(didl(page, filter), page.length, children.length, this.#updateId(id));
  }

  async search(args: Record<string, string>): Promise<Record<string, string | number>> {
    const id = args.ContainerID ?? "";
    const criteria = parseCriteria(args.SearchCriteria ?? "");
    const filter = parseFilter(args.Filter ?? "");
    const start = count("StartingIndex", args.StartingIndex);
    const requested = count("RequestedCount", args.RequestedCount);
    const sort = parseSort(args.SortCriteria ?? "");
    const scope = await this.entry(id);
    if (scope?.kind !== "container") throw noSuchContainer(id);
    const found = this.#once((await this.#candidates(id, criteria)).filter((e) => matches(criteria, e)));
    const page = pageOf(sortEntries(found, sort), start, requested);
    return answer(didl(page, filter), page.length, found.length, this.#updateId(id));
  }

  /** One object: the root, a section's container, or what its section says. */
  async entry(id: string): Promise<Entry | undefined> {
    if (id === ROOT_ID) return this.#root();
    const section = this.#sectionOf(id);
    if (!section) return undefined;
    if (id === section.id) return this.#sectionContainer(section);
    const entry = await section.entry(id);
    return entry?.id === id ? entry : undefined;
  }

  /** A container's children; undefined when there is no such object (an item has none). */
  async children(id: string): Promise<Entry[] | undefined> {
    if (id === ROOT_ID) return Promise.all(this.#o.sections().map((s) => this.#sectionContainer(s)));
    const section = this.#sectionOf(id);
    if (!section) return undefined;
    const children = await this.#kept(`children:${id}`, () => section.children(id));
    // No children: an empty container, an item, or nothing at all (701).
    if (children.length === 0 && id !== section.id && !(await section.entry(id))) return undefined;
    return children;
  }

  /** A list made once and kept a few seconds, until the content changes (see LIST_TTL_MS). */
  #kept(key: string, make: () => Promise<Entry[]>): Promise<Entry[]> {
    const now = Date.now();
    const update = this.#o.systemUpdateId();
    const kept = this.#lists.get(key);
    if (kept && kept.update === update && now - kept.at < LIST_TTL_MS) return kept.entries;
    const entries = make();
    // A list that failed is not kept: the next request tries again.
    entries.catch(() => this.#lists.delete(key));
    this.#lists.delete(key);
    this.#lists.set(key, {at: now, update, entries});
    for (const [old, list] of this.#lists)
      if (this.#lists.size > MAX_LISTS || list.update !== update || now - list.at >= LIST_TTL_MS)
        this.#lists.delete(old);
    return entries;
  }

  #root(): ContainerEntry {
    return {
      kind: "container",
      id: ROOT_ID,
      parentId: "-1",
      title: this.#o.title(),
      upnpClass: "object.container.storageFolder",
      childCount: this.#o.sections().length,
    };
  }

  async #sectionContainer(section: LibrarySection): Promise<ContainerEntry> {
    const own = await section.entry(section.id);
    const base: ContainerEntry = {
      kind: "container",
      id: section.id,
      parentId: ROOT_ID,
      title: section.title,
      upnpClass: "object.container.storageFolder",
    };
    return own?.kind === "container" ? {...base, ...own, id: section.id, parentId: ROOT_ID} : base;
  }

  #sectionOf(id: string): LibrarySection | undefined {
    return this.#o.sections().find((s) => id === s.id || id.startsWith(`${s.id}/`));
  }

  #updateId(id: string): number {
    const section = id === ROOT_ID ? undefined : this.#sectionOf(id);
    return section ? this.#o.updateIdOf(section.id) : this.#o.systemUpdateId();
  }

  /**
   * Each thing found once: an episode is in its podcast, in its feed stream's queue and among the
   * library's files (one audio address), and a search listed it three times. The one kept is the
   * first from a section that is not a copy (the podcast's episode, the card's track), in place.
   */
  #once(found: Entry[]): Entry[] {
    const best = new Map<string, Entry>();
    for (const e of found) {
      if (e.kind !== "item") continue;
      const kept = best.get(e.res.url);
      if (!kept || (this.#sectionOf(kept.id)?.copies && !this.#sectionOf(e.id)?.copies)) best.set(e.res.url, e);
    }
    return found.filter((e) => e.kind !== "item" || best.get(e.res.url) === e);
  }

  /**
   * What a search looks through: a pinned parent's children (Home Assistant's path lookups, which
   * may name containers too), else every item of the sections in scope; below a section's own
   * container, the items under it found by walking down (bounded, and never twice through one id).
   */
  async #candidates(scope: string, criteria: Criteria): Promise<Entry[]> {
    const parent = pinnedParent(criteria);
    if (parent !== undefined) {
      if (scope !== ROOT_ID && parent !== scope && !parent.startsWith(`${scope}/`)) return [];
      return (await this.children(parent)) ?? [];
    }
    if (scope === ROOT_ID)
      return this.#kept("items:0", async () => (await Promise.all(this.#o.sections().map((s) => s.items()))).flat());
    const section = this.#sectionOf(scope) as LibrarySection;
    if (scope === section.id) return this.#kept(`items:${scope}`, () => section.items());
    const found: Entry[] = [];
    const seen = new Set<string>([scope]);
    let level = [scope];
    for (let depth = 0; depth < MAX_WALK_DEPTH && level.length > 0 && seen.size < MAX_WALK_CONTAINERS; depth++) {
      const next: string[] = [];
      for (const id of level) {
        for (const child of await section.children(id)) {
          if (child.kind === "item") found.push(child);
          else if (!seen.has(child.id) && seen.size < MAX_WALK_CONTAINERS) {
            seen.add(child.id);
            next.push(child.id);
          }
        }
      }
      level = next;
    }
    return found;
  }
}

/** StartingIndex / RequestedCount: a ui4 in decimal digits, or 402 saying so. */
function count(name: string, value: string | undefined): number {
  const text = (value ?? "").trim();
  if (!/^\d{1,10}$/.test(text) || Number(text) > 4294967295)
    throw invalidArgs(`${name} must be a whole number from 0 to 4294967295, not '${text.slice(0, 20)}'`);
  return Number(text);
}

function pageOf<T>(entries: T[], start: number, requested: number): T[] {
  const size = requested === 0 ? MAX_PAGE : Math.min(requested, MAX_PAGE);
  return entries.slice(start, start + size);
}

function answer(result: string, returned: number, total: number, updateId: number) {
  return {Result: result, NumberReturned: returned, TotalMatches: total, UpdateID: updateId};
}
