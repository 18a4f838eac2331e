// Globs over library paths, as stream items, presets, rules and story scenes write them:
//
// - `*` matches any run of characters inside one folder or file name (never a `/`);
// - `?` matches exactly one character (never a `/`);
// - `**` as a whole path segment matches any number of folders, none included (`**/*.mp3`,
//   `lullabies/**`); elsewhere in a segment it is just `*`.
//
// Patterns come from users, so matching must never backtrack: a regular expression built from
// `**?**?**?…!` took a minute per path and froze the service. Here runs of stars collapse, and
// each star-free piece is placed at its leftmost possible position, which is always safe when
// stars are the only wildcards that stretch. Nothing is ever retried, so one path costs at most
// its length times the pattern's length, whatever the pattern.

export type PathMatcher = (relPath: string) => boolean;

/** Text as code points, so `?` takes one character even outside the Basic Multilingual Plane. */
type Chars = readonly string[];

/** A run of star-free text inside one segment; `?` is any one character. */
type Piece = Chars;

/** One segment of the pattern: the pieces between its stars (`starred` false: no star at all). */
interface SegmentPattern {
  readonly pieces: readonly Piece[];
  readonly starred: boolean;
}

/** True when a library reference is a glob rather than an id or a path. */
export function isGlob(ref: string): boolean {
  return ref.includes("*") || ref.includes("?");
}

/** Compile `pattern` once; the matcher answers for one relative path (folders split by `/`). */
export function compileGlob(pattern: string): PathMatcher {
  // Groups of segment patterns between globstars: `a/**/b/c/**/*.mp3` → [[a], [b, c], [*.mp3]].
  const groups: SegmentPattern[][] = [[]];
  let previousWasGlobstar = false;
  for (const segment of pattern.split("/")) {
    if (isGlobstar(segment)) {
      // `**/**` is one globstar: any number of folders either way.
      if (!previousWasGlobstar) groups.push([]);
      previousWasGlobstar = true;
      continue;
    }
    previousWasGlobstar = false;
    (groups.at(-1) as SegmentPattern[]).push(compileSegment(segment));
  }
  return (relPath) =>
    matchGroups(
      groups,
      relPath.split("/").map((segment) => Array.from(segment)),
    );
}

function isGlobstar(segment: string): boolean {
  return segment.length >= 2 && /^\*+$/.test(segment);
}

function compileSegment(segment: string): SegmentPattern {
  // Splitting on runs of stars collapses `***` to one star; code points keep `?` to one character.
  const pieces = segment.split(/\*+/).map((text) => Array.from(text));
  return {pieces, starred: pieces.length > 1};
}

/**
 * The first group must match the path's first segments and the last group its last ones; the
 * groups between go at their leftmost places in what is left. A globstar absorbs any gap.
 */
function matchGroups(groups: readonly SegmentPattern[][], segments: readonly Chars[]): boolean {
  const first = groups[0] as SegmentPattern[];
  if (groups.length === 1) return first.length === segments.length && groupAt(first, segments, 0);
  const last = groups.at(-1) as SegmentPattern[];
  const end = segments.length - last.length;
  if (first.length > end || !groupAt(first, segments, 0) || !groupAt(last, segments, end)) return false;
  let from = first.length;
  for (let g = 1; g < groups.length - 1; g++) {
    const group = groups[g] as SegmentPattern[];
    const at = leftmost(from, end - group.length, (start) => groupAt(group, segments, start));
    if (at < 0) return false;
    from = at + group.length;
  }
  return true;
}

function groupAt(group: readonly SegmentPattern[], segments: readonly Chars[], start: number): boolean {
  return group.every((pattern, i) => matchSegment(pattern, segments[start + i] as Chars));
}

/** The same leftmost-placement rule inside one segment, over its pieces between stars. */
function matchSegment(pattern: SegmentPattern, text: Chars): boolean {
  const {pieces} = pattern;
  const head = pieces[0] as Piece;
  if (!pattern.starred) return head.length === text.length && pieceAt(head, text, 0);
  const tail = pieces.at(-1) as Piece;
  const end = text.length - tail.length;
  if (head.length > end || !pieceAt(head, text, 0) || !pieceAt(tail, text, end)) return false;
  let from = head.length;
  for (let p = 1; p < pieces.length - 1; p++) {
    const piece = pieces[p] as Piece;
    const at = leftmost(from, end - piece.length, (start) => pieceAt(piece, text, start));
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

function pieceAt(piece: Piece, text: Chars, start: number): boolean {
  for (let i = 0; i < piece.length; i++) {
    if (piece[i] !== "?" && piece[i] !== text[start + i]) return false;
  }
  return true;
}

/** The first position in `from..to` where `fits`, or -1. */
function leftmost(from: number, to: number, fits: (start: number) => boolean): number {
  for (let start = from; start <= to; start++) if (fits(start)) return start;
  return -1;
}
