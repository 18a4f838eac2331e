/** Longer input is not compared: a name is short, and this keeps the work bounded. */
const MAX_COMPARED = 64;

/**
 * The candidate a mistyped name most likely meant (`audioport` → `audio_port`,
 * `condtions` → `conditions`), or undefined when none is close. Case, `-` and `_` do not count;
 * otherwise it is the edit distance, at most a third of the name's length (and at least 2).
 */
export function closestName(
  input: string,
  candidates: Iterable<string>,
  allowedFor: (length: number) => number = (length) => Math.max(2, Math.floor(length / 3)),
): string | undefined {
  const wanted = squash(input);
  if (wanted === "" || wanted.length > MAX_COMPARED) return undefined;
  let best: {name: string; distance: number} | undefined;
  for (const name of candidates) {
    const distance = editDistance(wanted, squash(name).slice(0, MAX_COMPARED));
    if (distance < (best?.distance ?? Number.POSITIVE_INFINITY)) best = {name, distance};
  }
  const allowed = allowedFor(wanted.length);
  return best && best.distance <= allowed ? best.name : undefined;
}

/** " (did you mean 'x'?)" or "", for the end of an error message. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const close = closestName(input, candidates);
  return close ? ` (did you mean '${close}'?)` : "";
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

/** Levenshtein distance with two rows; both strings are at most MAX_COMPARED long. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Letter pairs with their counts: "gruffalo" has "gr", "ru", "uf", … */
export function letterPairs(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < text.length; i++) {
    const pair = text.slice(i, i + 2);
    out.set(pair, (out.get(pair) ?? 0) + 1);
  }
  return out;
}

/** Sørensen–Dice likeness of two pair counts: 1 for the same text, 0 for nothing shared. Linear in the pairs. */
export function pairLikeness(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let sizeA = 0;
  let sizeB = 0;
  for (const n of a.values()) sizeA += n;
  for (const n of b.values()) sizeB += n;
  for (const [pair, n] of a) shared += Math.min(n, b.get(pair) ?? 0);
  return sizeA + sizeB === 0 ? 0 : (2 * shared) / (sizeA + sizeB);
}
