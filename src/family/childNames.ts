import {createHash} from "node:crypto";
import {AppError, badRequest} from "../core/errors.js";

/** A child's name: letters (with their marks), digits, spaces, apostrophes and hyphens, as a family writes names. */
const NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} '’-]{0,39}$/u;
/** Zero-width and other invisible characters: two names told apart only by one would look the same. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const MARK = /^\p{M}$/u;

/**
 * Letters of other alphabets that look like a Latin one (in a name's usual fonts), by the letter
 * they pass for: "Mіa" with a Cyrillic і reads as Mia. The common ones, not Unicode's whole list.
 */
const LOOK_ALIKES = new Map<string, string>(
  Object.entries({
    a: "аАαΑɑ",
    b: "ВΒ",
    c: "СсϲϹ",
    d: "ԁ",
    e: "ЕеΕ",
    h: "НҺһΗ",
    i: "ІіΙιıӀ",
    j: "ЈјϳͿ",
    k: "КкΚκ",
    l: "ӏ",
    m: "МΜ",
    n: "Ν",
    o: "ОоΟο",
    p: "РрΡρ",
    q: "Ԛԛ",
    s: "Ѕѕ",
    t: "ТΤ",
    v: "νѵ",
    w: "Ԝԝ",
    x: "ХхΧχ",
    y: "УуҮүΥ",
    z: "Ζ",
  }).flatMap(([latin, others]) => [...others].map((c) => [c, latin] as [string, string])),
);

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** A name as the plan keeps it: composed (NFC), trimmed, single spaces. */
function normalised(name: string): string {
  return name.normalize("NFC").trim().replace(/ {2,}/g, " ");
}

/** What children are found by (the URL's name, the store's key): any case, any Unicode form. */
export const childKey = (name: string) => normalised(name).toLowerCase();

/** A child's name from the URL, normalised, or a 400 saying what a name may hold. */
export function checkChildName(raw: string): string {
  const composed = raw.normalize("NFC");
  const hidden = INVISIBLE.exec(composed);
  if (hidden)
    throw badRequest(
      `A child's name cannot hold invisible characters (${codePoint(hidden[0])} at character ${[...composed.slice(0, hidden.index)].length + 1}): type the name again without it`,
      "bad_child",
    );
  const name = normalised(composed);
  if (!NAME.test(name))
    throw badRequest(
      `A child's name is 1–40 letters, digits, spaces, apostrophes or hyphens, starting with a letter or digit (got ${JSON.stringify(raw)})`,
      "bad_child",
    );
  return name;
}

/**
 * How a name reads, to find a new child that reads like one already in the plan: compatibility
 * forms folded (NFKD: "ｍｉａ" is mia), accents dropped, look-alike letters of other alphabets
 * taken as the Latin one, case ignored. One pass over the name.
 */
export function nameSkeleton(name: string): string {
  let out = "";
  for (const c of normalised(name).normalize("NFKD")) if (!MARK.test(c)) out += LOOK_ALIKES.get(c) ?? c;
  return out.toLowerCase().replace(/’/g, "'");
}

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
  return `child_${createHash("sha256").update(childKey(name)).digest("hex").slice(0, 6)}`;
}

/**
 * Why a new child's name cannot sit beside the children already in the plan, or undefined. Two
 * names whose ids come out alike would share Home Assistant's entities and event topic (the second
 * child's would vanish), so the second is refused: refusing keeps every id the same across
 * restarts, which a suffix handed out in order of creation would not.
 */
export function nameClash(name: string, others: Iterable<string>): AppError | undefined {
  const slug = childSlug(name);
  const key = childKey(name);
  const reads = nameSkeleton(name);
  for (const other of others) {
    if (childKey(other) === key) continue;
    if (nameSkeleton(other) === reads) {
      const [odd, inName] = lookAlikeIn(name, other) ?? lookAlikeIn(other, name) ?? [];
      const why = odd
        ? `the '${odd}' in '${inName}' is ${codePoint(odd)}, a letter of another alphabet that looks like '${LOOK_ALIKES.get(odd)}'`
        : "names that differ only in case, accents or character width read as one";
      return new AppError(
        "name_clash",
        `'${name}' reads the same as the child '${other}' (${why}): choose a name that reads differently`,
        {status: 409},
      );
    }
    if (childSlug(other) === slug)
      return new AppError(
        "name_clash",
        `'${name}' would share Home Assistant ids with the child '${other}' (both '${slug}'): choose another name`,
        {status: 409},
      );
  }
  return undefined;
}

/** A look-alike letter of another alphabet in `a` that `b` does not have, and `a`. */
function lookAlikeIn(a: string, b: string): [string, string] | undefined {
  const odd = [...a].find((c) => LOOK_ALIKES.has(c) && !b.includes(c));
  return odd === undefined ? undefined : [odd, a];
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
