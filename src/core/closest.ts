/** Longer input is not compared: a name is short, and this keeps the work bounded. */
const MAX_COMPARED = 64;

/**
 * The candidate a mistyped name most likely meant (`audioport` → `audio_port`,
 * `condtions` → `conditions`), or undefined when none is close. Case, `-` and `_` do not count;
 * otherwise it is the edit distance, at most a third of the name's length (and at least 2).
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = squash(input);
  if (wanted === "" || wanted.length > MAX_COMPARED) return undefined;
  let best: {name: string; distance: number} | undefined;
  for (const name of candidates) {
    const distance = editDistance(wanted, squash(name).slice(0, MAX_COMPARED));
    if (distance < (best?.distance ?? Number.POSITIVE_INFINITY)) best = {name, distance};
  }
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
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
