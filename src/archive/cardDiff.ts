import type {CardChange} from "../shared/api/archive.js";
import type {Card} from "../yoto/rest.js";
import {chaptersOf, coverOf, iconOf, tracksOf} from "./cardRecord.js";

interface Placed {
  chapterKey: string;
  trackKey: string;
  title: string;
  chapterTitle: string;
  /** Alone in its chapter: the app shows the chapter's title for it. */
  single: boolean;
  audio: string;
  icon?: string;
  index: number;
}

function placed(card: Card | undefined): Placed[] {
  const out: Placed[] = [];
  for (const chapter of chaptersOf(card)) {
    const tracks = tracksOf(chapter);
    for (const track of tracks) {
      const icon = iconOf(track) ?? iconOf(chapter);
      out.push({
        chapterKey: String(chapter.key ?? ""),
        trackKey: String(track.key ?? ""),
        title: String(track.title ?? ""),
        chapterTitle: String(chapter.title ?? ""),
        single: tracks.length === 1,
        audio: String(track.trackUrl ?? ""),
        ...(icon ? {icon} : {}),
        index: out.length,
      });
    }
  }
  return out;
}

/**
 * What changed on a card between two archived copies, told the way a family thinks of it: tracks
 * added, removed, renamed, given new audio in the same place, or put in a new order. Tracks are
 * matched by their audio first (a renamed or moved track keeps its audio), then by their place.
 * Linear in the number of tracks.
 */
export function diffCards(before: Card | undefined, after: Card, at: string): CardChange | undefined {
  const next = placed(after);
  if (!before) {
    const chapters = chaptersOf(after).length;
    return {
      at,
      kind: "new",
      summary: `archived for the first time: ${count(chapters, "chapter")}, ${count(next.length, "track")}`,
      added: next.length,
      removed: 0,
      renamed: 0,
      replaced: 0,
      moved: 0,
      details: 0,
    };
  }
  const prev = placed(before);
  // Each audio's uses before, in order, taken one per use after: linear however often it repeats.
  const byAudio = new Map<string, Placed[]>();
  for (const p of prev) {
    const uses = byAudio.get(p.audio);
    if (uses) uses.push(p);
    else byAudio.set(p.audio, [p]);
  }
  const taken = new Map<string, number>();
  const matched = new Set<Placed>();
  const unmatched: Placed[] = [];
  let renamed = 0;
  let details = 0;
  const pairs: Array<[Placed, Placed]> = [];
  for (const n of next) {
    const at = taken.get(n.audio) ?? 0;
    const p = byAudio.get(n.audio)?.[at];
    if (!p) {
      unmatched.push(n);
      continue;
    }
    taken.set(n.audio, at + 1);
    matched.add(p);
    pairs.push([p, n]);
  }
  // New audio where a track of the same place had other audio: replaced, not added and removed.
  const leftByPlace = new Map(prev.filter((p) => !matched.has(p)).map((p) => [`${p.chapterKey}/${p.trackKey}`, p]));
  let replaced = 0;
  let added = 0;
  for (const n of unmatched) {
    const p = leftByPlace.get(`${n.chapterKey}/${n.trackKey}`);
    if (p && !matched.has(p)) {
      matched.add(p);
      replaced++;
      if (retitledTrack(p, n)) renamed++;
    } else added++;
  }
  const removed = prev.filter((p) => !matched.has(p)).length;
  renamed += renamedChapters(before, after);
  for (const [p, n] of pairs) {
    if (retitledTrack(p, n)) renamed++;
    if (p.icon !== n.icon) details++;
  }
  const moved = pairs.length - longestInOrder(pairs.map(([p]) => p.index));
  if (coverOf(before) !== coverOf(after)) details++;
  const retitled = before.title !== after.title ? {from: short(before.title), to: short(after.title)} : undefined;
  if (!retitled && added + removed + renamed + replaced + moved + details === 0) return undefined;
  const words = [
    added && `${count(added, "track")} added`,
    removed && `${count(removed, "track")} removed`,
    renamed && `${renamed} renamed`,
    replaced && `${replaced} with new audio`,
    moved && `${moved} moved`,
    details && `${count(details, "icon or cover", "icons or covers")} changed`,
    // Both titles: the card's list shows the new one, and the old one is what the family remembers.
    retitled && `renamed from '${retitled.from}' to '${retitled.to}'`,
  ].filter(Boolean);
  return {
    at,
    kind: "changed",
    summary: words.join(", "),
    added,
    removed,
    renamed,
    replaced,
    moved,
    details,
    ...(retitled ? {retitled} : {}),
  };
}

// Yoto keeps titles to 100 characters; a longer one from a bad answer is cut, not copied into every change.
const TITLE_KEPT = 100;

function short(title: unknown): string {
  const chars = Array.from(String(title ?? ""));
  return chars.length > TITLE_KEPT ? `${chars.slice(0, TITLE_KEPT).join("")}…` : chars.join("");
}

/**
 * How many tracks kept their order: the longest increasing run of their old places (patience
 * sorting, n log n). The others moved: one track taken to the front is one move, not all of them.
 */
function longestInOrder(places: number[]): number {
  const tails: number[] = [];
  for (const place of places) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tails[mid] as number) < place) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = place;
  }
  return tails.length;
}

/** A one-track chapter shows its chapter's title in Yoto's app: renaming either renames the track. */
function retitledTrack(p: Placed, n: Placed): boolean {
  return p.title !== n.title || (p.single && n.single && p.chapterTitle !== n.chapterTitle);
}

/** Chapters of several tracks (same key before and after) given a new title: one rename each. */
function renamedChapters(before: Card, after: Card): number {
  const titles = new Map(chaptersOf(before).map((c) => [String(c.key ?? ""), c]));
  let renamed = 0;
  for (const chapter of chaptersOf(after)) {
    const was = titles.get(String(chapter.key ?? ""));
    if (!was || was.title === chapter.title) continue;
    if (tracksOf(was).length > 1 || tracksOf(chapter).length > 1) renamed++;
  }
  return renamed;
}

export function deletedChange(at: string): CardChange {
  return {
    at,
    kind: "deleted",
    summary: "deleted at Yoto; the archived copy is kept",
    added: 0,
    removed: 0,
    renamed: 0,
    replaced: 0,
    moved: 0,
    details: 0,
  };
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
