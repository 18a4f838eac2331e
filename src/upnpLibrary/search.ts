import {UpnpError} from "../upnp/soap.js";
import type {Entry} from "./tree.js";

/**
 * ContentDirectory's SearchCriteria (CDS:1 §2.5.5), read in one pass and evaluated per entry:
 * `*`, `prop op "value"` with = != < <= > >= contains doesNotContain derivedfrom startsWith,
 * `prop exists true|false`, `and` (binding tighter) and `or`, and parentheses. Home Assistant finds a
 * path with `@parentID="…" and dc:title="…"`; its search box sends what a person types.
 */

export const MAX_CRITERIA_LENGTH = 2048;
const MAX_DEPTH = 32;

const invalidCriteria = (why: string) => new UpnpError(708, why);

export type Criteria =
  | {kind: "all"}
  | {kind: "and" | "or"; left: Criteria; right: Criteria}
  | {kind: "rel"; property: string; op: string; value: string}
  | {kind: "exists"; property: string; value: boolean};

const PROPERTIES = new Set([
  "@id",
  "@parentID",
  "dc:title",
  "upnp:class",
  "dc:creator",
  "upnp:artist",
  "upnp:album",
  "dc:date",
  "upnp:originalTrackNumber",
]);
const OPERATORS = new Set([
  "=",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "contains",
  "doesnotcontain",
  "derivedfrom",
  "startswith",
  "exists",
]);

type Token = {type: "word" | "string" | "open" | "close"; text: string; at: number};

function tokens(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      out.push({type: c === "(" ? "open" : "close", text: c, at: i});
      i++;
    } else if (c === '"') {
      // A quoted value: \" and \\ are its only escapes.
      let value = "";
      let j = i + 1;
      for (; j < input.length && input[j] !== '"'; j++) {
        if (input[j] === "\\" && (input[j + 1] === '"' || input[j + 1] === "\\")) j++;
        value += input[j];
      }
      if (j >= input.length) throw invalidCriteria(`The quoted value at character ${i + 1} has no closing quote`);
      out.push({type: "string", text: value, at: i});
      i = j + 1;
    } else if ("=!<>".includes(c)) {
      // Operators need no spaces around them: Home Assistant sends @parentID="…" and dc:title="…".
      const op = /^(?:!=|<=|>=|=|<|>)/.exec(input.slice(i, i + 2))?.[0] ?? c;
      out.push({type: "word", text: op, at: i});
      i += op.length;
    } else {
      let j = i;
      while (j < input.length && !/[\s()"=!<>]/.test(input[j] as string)) j++;
      out.push({type: "word", text: input.slice(i, j), at: i});
      i = j;
    }
  }
  return out;
}

/** Parse SearchCriteria; throws 708 saying where it is wrong. */
export function parseCriteria(input: string): Criteria {
  if (input.length > MAX_CRITERIA_LENGTH)
    throw invalidCriteria(`SearchCriteria is longer than ${MAX_CRITERIA_LENGTH} characters`);
  const list = tokens(input);
  if (list.length === 0 || (list.length === 1 && list[0]?.text === "*" && list[0].type === "word"))
    return {kind: "all"};
  let pos = 0;
  const peek = () => list[pos];
  const where = (t: Token | undefined) => (t ? `at character ${t.at + 1} ('${t.text.slice(0, 40)}')` : "at the end");
  const isWord = (t: Token | undefined, word: string) => t?.type === "word" && t.text.toLowerCase() === word;

  const orExp = (depth: number): Criteria => {
    let left = andExp(depth);
    while (isWord(peek(), "or")) {
      pos++;
      left = {kind: "or", left, right: andExp(depth)};
    }
    return left;
  };
  const andExp = (depth: number): Criteria => {
    let left = primary(depth);
    while (isWord(peek(), "and")) {
      pos++;
      left = {kind: "and", left, right: primary(depth)};
    }
    return left;
  };
  const primary = (depth: number): Criteria => {
    const t = peek();
    if (t?.type === "open") {
      if (depth >= MAX_DEPTH) throw invalidCriteria(`SearchCriteria nests parentheses deeper than ${MAX_DEPTH}`);
      pos++;
      const inner = orExp(depth + 1);
      if (peek()?.type !== "close") throw invalidCriteria(`Expected ')' ${where(peek())}`);
      pos++;
      return inner;
    }
    if (t?.type !== "word") throw invalidCriteria(`Expected a property like dc:title ${where(t)}`);
    if (!PROPERTIES.has(t.text))
      throw invalidCriteria(
        `Search cannot look at '${t.text.slice(0, 40)}': it searches ${[...PROPERTIES].join(", ")}`,
      );
    pos++;
    const op = peek();
    if (op?.type !== "word" || !OPERATORS.has(op.text.toLowerCase()))
      throw invalidCriteria(
        `Expected an operator (=, !=, <, <=, >, >=, contains, doesNotContain, derivedfrom, startsWith, exists) ${where(op)}`,
      );
    pos++;
    const value = peek();
    if (op.text.toLowerCase() === "exists") {
      if (!isWord(value, "true") && !isWord(value, "false"))
        throw invalidCriteria(`exists takes true or false ${where(value)}`);
      pos++;
      return {kind: "exists", property: t.text, value: value?.text.toLowerCase() === "true"};
    }
    if (value?.type !== "string") throw invalidCriteria(`Expected a "quoted value" ${where(value)}`);
    pos++;
    return {kind: "rel", property: t.text, op: op.text.toLowerCase(), value: value.text};
  };

  const criteria = orExp(0);
  if (pos < list.length) throw invalidCriteria(`Expected 'and' or 'or' ${where(peek())}`);
  return criteria;
}

function propertyOf(e: Entry, property: string): string | number | undefined {
  switch (property) {
    case "@id":
      return e.id;
    case "@parentID":
      return e.parentId;
    case "dc:title":
      return e.title;
    case "upnp:class":
      return e.upnpClass;
    default:
      if (e.kind !== "item") return undefined;
      if (property === "dc:creator" || property === "upnp:artist") return e.creator;
      if (property === "upnp:album") return e.album;
      if (property === "dc:date") return e.date;
      return e.trackNumber;
  }
}

/** Whether an entry matches; text compares ignoring case, ids and classes exactly. */
export function matches(c: Criteria, e: Entry): boolean {
  switch (c.kind) {
    case "all":
      return true;
    case "and":
      return matches(c.left, e) && matches(c.right, e);
    case "or":
      return matches(c.left, e) || matches(c.right, e);
    case "exists":
      return (propertyOf(e, c.property) !== undefined) === c.value;
    case "rel":
      return relation(c, propertyOf(e, c.property));
  }
}

function relation(c: {property: string; op: string; value: string}, actual: string | number | undefined): boolean {
  if (actual === undefined) return c.op === "!=" || c.op === "doesnotcontain";
  if (typeof actual === "number") {
    const wanted = Number(c.value);
    return compare(c.op, actual - wanted);
  }
  const exact = c.property === "@id" || c.property === "@parentID" || c.property === "upnp:class";
  const a = exact ? actual : actual.toLowerCase();
  const v = exact ? c.value : c.value.toLowerCase();
  switch (c.op) {
    case "contains":
      return a.includes(v);
    case "doesnotcontain":
      return !a.includes(v);
    case "startswith":
      return a.startsWith(v);
    case "derivedfrom":
      return a === v || a.startsWith(`${v}.`);
    default:
      return compare(c.op, a < v ? -1 : a > v ? 1 : 0);
  }
}

function compare(op: string, diff: number): boolean {
  if (Number.isNaN(diff)) return false;
  if (op === "=") return diff === 0;
  if (op === "!=") return diff !== 0;
  if (op === "<") return diff < 0;
  if (op === "<=") return diff <= 0;
  if (op === ">") return diff > 0;
  if (op === ">=") return diff >= 0;
  return false;
}

/** The parent id `criteria` pins with `@parentID = "…"` at its top level of `and`s, if it does. */
export function pinnedParent(c: Criteria): string | undefined {
  if (c.kind === "rel" && c.property === "@parentID" && c.op === "=") return c.value;
  if (c.kind === "and") return pinnedParent(c.left) ?? pinnedParent(c.right);
  return undefined;
}
