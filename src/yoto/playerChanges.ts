import type {PlayerState} from "./playerModel.js";

/**
 * Top-level fields whose values differ (`lastSeen` alone is not a change worth announcing). The
 * model keeps unchanged parts by reference, so most fields are settled by `===`; only replaced
 * objects are compared by content. This runs for every cloud event (hundreds a second with many
 * players), where stringifying the whole state each time was most of the model's cost.
 */
export function changedKeys(a: PlayerState, b: PlayerState): string[] {
  const changed: string[] = [];
  const check = (k: string) => {
    if (k === "lastSeen") return;
    const before = a[k as keyof PlayerState];
    const after = b[k as keyof PlayerState];
    if (before === after) return;
    if (typeof before !== "object" || typeof after !== "object" || before === null || after === null) {
      changed.push(k);
    } else if (JSON.stringify(before) !== JSON.stringify(after)) changed.push(k);
  };
  for (const k of Object.keys(b)) check(k);
  for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) check(k);
  return changed;
}
