import type {ConfigPath} from "../../core/configPath.js";
import type {SayPart} from "../../shared/api/stories.js";
import {conditionHolds, parseCondition} from "./conditions.js";

/**
 * A scene's `say` with conditions in it: text, or a list of text and `{if, say, else}` parts.
 * Read and checked once at load (every condition read, never run); a streamed story then reads the
 * branches that hold for a player's variables, and a card, which has no variables, every branch.
 */

/** What one `say` scene may narrate, every branch counted: a long passage, read in a few minutes. */
export const MAX_SAY_CHARS = 20_000;
/** Parts of one scene's text, every branch counted. */
export const MAX_SAY_PARTS = 1_000;
/** Conditions inside conditions (an else-if chain nests one deeper per branch). */
export const MAX_SAY_DEPTH = 32;

type Fail = (path: ConfigPath, message: string) => void;

const SAY_HINT = `say must be the scene's text to narrate, 1–${MAX_SAY_CHARS} characters`;
const PART_HINT =
  "a part of say is text, or {if: <condition>, say: <text or parts>, else: <text or parts>} (read only while the condition holds, or does not)";

/** How a condition that cannot be read is reported, in an exit or in say. */
export function unreadableCondition(text: string, error: string): string {
  return `the condition '${text}' cannot be read (${error}): write it like '$lantern', 'not $wet' or '$apples >= 2'`;
}

/**
 * A scene's `say` as written: its whole text, and its parts when some are conditional. Problems
 * are reported under `say` (`say.1.if`); nothing is returned when there is one.
 */
export function readSayText(raw: unknown, fail: Fail): {say: string; parts?: SayPart[]} | undefined {
  if (typeof raw === "string") {
    if (raw.trim().length > 0 && raw.length <= MAX_SAY_CHARS) return {say: raw};
    fail([], SAY_HINT);
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    fail([], `${SAY_HINT}, or a list of text and {if: <condition>, say: <text>, else: <text>}`);
    return undefined;
  }
  const reader = new PartsReader(fail);
  const parts = reader.list(raw, [], 0);
  if (reader.failed) return undefined;
  const say = wholeText(parts);
  if (!say) {
    fail([], "say's parts hold no words to narrate: give at least one of them some text");
    return undefined;
  }
  return parts.some((part) => typeof part !== "string") ? {say, parts} : {say};
}

/** Every branch in order, as a card reads it (it cannot know which holds). */
export function wholeText(parts: readonly SayPart[]): string {
  const pieces: string[] = [];
  const walk = (list: readonly SayPart[]) => {
    for (const part of list)
      if (typeof part === "string") pieces.push(part);
      else {
        walk(part.say);
        if (part.else) walk(part.else);
      }
  };
  walk(parts);
  return joinPieces(pieces);
}

/** The text of the branches that hold for these variables: what a streamed story's player hears. */
export function chosenText(parts: readonly SayPart[], variables: Record<string, unknown>): string {
  const pieces: string[] = [];
  const walk = (list: readonly SayPart[]) => {
    for (const part of list)
      if (typeof part === "string") pieces.push(part);
      else if (conditionHolds(part.if, variables)) walk(part.say);
      else if (part.else) walk(part.else);
  };
  walk(parts);
  return joinPieces(pieces);
}

/**
 * Pieces read one after another: a space between two where neither has one (nor the second starts
 * with punctuation: "The door is" + "open" + "." reads "The door is open.").
 */
export function joinPieces(pieces: readonly string[]): string {
  let out = "";
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const last = out[out.length - 1];
    if (last !== undefined && !/\s/.test(last) && !/^[\s.,!?;:]/.test(piece)) out += " ";
    out += piece;
  }
  return out.trim();
}

/** One pass over the parts as written, counting as it goes: it stops at the first bound passed. */
class PartsReader {
  failed = false;
  readonly #fail: Fail;
  #parts = 0;
  #chars = 0;
  #bounded = false;

  constructor(fail: Fail) {
    this.#fail = fail;
  }

  list(raw: readonly unknown[], path: ConfigPath, depth: number): SayPart[] {
    const parts: SayPart[] = [];
    for (const [index, item] of raw.entries()) {
      const part = this.one(item, [...path, index], depth);
      if (this.#over()) return [];
      if (part !== undefined) parts.push(part);
    }
    return parts;
  }

  one(raw: unknown, path: ConfigPath, depth: number): SayPart | undefined {
    if (++this.#parts > MAX_SAY_PARTS) {
      this.#bound(path, `say has more than ${MAX_SAY_PARTS} parts, every branch counted: split the scene`);
      return undefined;
    }
    if (typeof raw === "string") {
      this.#chars += raw.length;
      if (this.#chars > MAX_SAY_CHARS)
        this.#bound(path, `say holds more than ${MAX_SAY_CHARS} characters, every branch counted: split the scene`);
      return raw;
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      this.#problem(path, PART_HINT);
      return undefined;
    }
    return this.#conditional(raw as Record<string, unknown>, path, depth);
  }

  #conditional(raw: Record<string, unknown>, path: ConfigPath, depth: number): SayPart | undefined {
    const unknown = Object.keys(raw).filter((key) => key !== "if" && key !== "say" && key !== "else");
    for (const key of unknown)
      this.#problem([...path, key], `unknown key '${key}' (a part of say has if, say and else)`);
    if (depth >= MAX_SAY_DEPTH) {
      this.#problem(path, `conditions in say nest at most ${MAX_SAY_DEPTH} deep: split the scene`);
      return undefined;
    }
    if (typeof raw.if !== "string") {
      this.#problem(
        [...path, "if"],
        "a part of say with say or else needs if: <condition>, like '$key' or '$apples > 2'",
      );
      return undefined;
    }
    const parsed = parseCondition(raw.if);
    if ("error" in parsed) this.#problem([...path, "if"], unreadableCondition(raw.if, parsed.error));
    if (raw.say === undefined) this.#problem(path, "a part with if needs say: the text read while its condition holds");
    const say = this.#branch(raw.say, [...path, "say"], depth + 1);
    const otherwise = raw.else === undefined ? undefined : this.#branch(raw.else, [...path, "else"], depth + 1);
    return {if: raw.if, say, ...(otherwise ? {else: otherwise} : {})};
  }

  /** A branch: text, one conditional part (an else-if), or a list of parts. */
  #branch(raw: unknown, path: ConfigPath, depth: number): SayPart[] {
    if (raw === undefined) return [];
    if (Array.isArray(raw)) return this.list(raw, path, depth);
    const part = this.one(raw, path, depth);
    return part === undefined ? [] : [part];
  }

  #over(): boolean {
    return this.#parts > MAX_SAY_PARTS || this.#chars > MAX_SAY_CHARS;
  }

  #problem(path: ConfigPath, message: string): void {
    this.failed = true;
    this.#fail(path, message);
  }

  /** Past a bound, one problem says so (not one for each part after it), and reading stops. */
  #bound(path: ConfigPath, message: string): void {
    if (this.#bounded) return;
    this.#bounded = true;
    this.#problem(path, message);
  }
}
