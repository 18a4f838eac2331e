import {createHash} from "node:crypto";
import {AppError} from "../core/errors.js";

/**
 * A child's name as ids take it (Home Assistant's unique ids and entity ids, the event topic, the
 * plan's rule ids): "Zoë-Ann" → "zoe_ann". A name with nothing in a–z or 0–9 (one written in
 * another script) would be empty: it becomes "child_" and a short code of the name, so "Маша" and
 * "Саша" get ids of their own, the same on every start.
 */
export function childSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if (slug) return slug;
  return `child_${createHash("sha256").update(name.normalize("NFC").toLowerCase()).digest("hex").slice(0, 6)}`;
}

/**
 * Why a new child's name cannot sit beside the children already in the plan, or undefined. Two
 * names whose ids come out alike would share Home Assistant's entities and event topic (the second
 * child's would vanish), so the second is refused: refusing keeps every id the same across
 * restarts, which a suffix handed out in order of creation would not.
 */
export function nameClash(name: string, others: Iterable<string>): AppError | undefined {
  const slug = childSlug(name);
  for (const other of others) {
    if (other.toLowerCase() === name.toLowerCase()) continue;
    if (childSlug(other) === slug)
      return new AppError(
        "name_clash",
        `'${name}' would share Home Assistant ids with the child '${other}' (both '${slug}'): choose another name`,
        {status: 409},
      );
  }
  return undefined;
}

/** Pairs of children already saved whose ids clash (saved before clashes were refused), for the log. */
export function savedClashes(names: string[]): string[] {
  const bySlug = new Map<string, string>();
  const found: string[] = [];
  for (const name of names) {
    const slug = childSlug(name);
    const first = bySlug.get(slug);
    if (first === undefined) bySlug.set(slug, name);
    else
      found.push(
        `The children '${first}' and '${name}' share Home Assistant ids ('${slug}'): only one of them has entities; delete '${name}' and add the child again under another name`,
      );
  }
  return found;
}
