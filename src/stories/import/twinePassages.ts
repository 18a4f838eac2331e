import {setOwn} from "../../core/ownKeys.js";
import type {SayPart} from "../../shared/api/stories.js";
import {parseCondition} from "../model/conditions.js";
import {wholeText} from "../model/sayParts.js";
import {passageText} from "./twineConditions.js";
import {assignmentsOf, KNOWN_MACROS, macrosOf, type TwineLink} from "./twineText.js";
import {shown} from "./verbatim.js";

/**
 * What a Twine passage sets, prints, prompts for and hides behind conditions: the readings the
 * importer makes of passage text beside its links (twine.ts), each warning naming its passage.
 */

/** A passage as extwee reads it. */
export interface Passage {
  name: string;
  text: string;
  tags: string[];
}

export const BUTTONS = ["left", "right", "end"] as const;

/** twine-to-yoto's StoryInit settings: the prompt templates are read; the rest is its own upload's. */
const TEMPLATES = {left: "lhbTemplate", right: "rhbTemplate", end: "endTemplate"} as const;
const DEFAULT_TEMPLATES = {left: ", press the left button.", right: ", press the right button.", end: ", wait."};
const NOT_HONOURED = ["cover", "resumeTimeout", "defaultVoiceId", "auto"];

/**
 * How each button's link is read: its words, then the button's template (twine-to-yoto's
 * `$lhbTemplate`/`$rhbTemplate`, ", press the left button."). Taken out of the story's variables.
 */
export function promptsFrom(
  variables: Record<string, unknown>,
  warnings: string[],
): (link: TwineLink, button: (typeof BUTTONS)[number]) => string | undefined {
  const templates: Record<(typeof BUTTONS)[number], string> = {...DEFAULT_TEMPLATES};
  for (const button of BUTTONS) {
    const name = TEMPLATES[button];
    if (!Object.hasOwn(variables, name)) continue;
    if (typeof variables[name] === "string") templates[button] = variables[name] as string;
    delete variables[name];
  }
  const ignored = NOT_HONOURED.filter((n) => Object.hasOwn(variables, n));
  for (const name of ignored) delete variables[name];
  if (ignored.length > 0)
    warnings.push(`StoryInit's ${ignored.map((n) => `$${n}`).join(", ")} (twine-to-yoto settings) are not used here`);
  return (link, button) => {
    const words = link.text.trim();
    return link.placeholder || !words ? undefined : `${words}${templates[button]}`;
  };
}

/**
 * What a passage says: its text as a card reads it, and, when some of it is read only under a
 * condition, its parts (a streamed story reads the branches that hold). The warnings name the
 * conditions this reader does not understand (their text is always read) and printed variables.
 */
export function passageSay(
  passage: Passage,
  variables: Record<string, unknown>,
  warnings: string[],
): {text: string; parts?: SayPart[]; conditions: string[]} {
  const read = passageText(passage.text);
  if (read.unread.length > 0)
    warnings.push(
      `passage '${passage.name}' reads text under ${read.unread.length === 1 ? "a condition" : "conditions"} this import cannot read (${shortList(read.unread)}): that text is always read`,
    );
  if (read.dropped) warnings.push(`passage '${passage.name}' has ${read.dropped}: all its text is always read`);
  warnings.push(...setAfterCheck(passage, read.checks));
  const named = new Set<string>();
  // Verbatim spans (./verbatim.ts) are words, shown once nothing else reads the text.
  const speak = (text: string) => shown(spoken(text, variables, named));
  const parts = read.parts ? mapText(read.parts, speak) : undefined;
  const text = parts ? wholeText(parts) : speak(read.text);
  if (named.size > 0)
    warnings.push(
      `passage '${passage.name}' prints ${[...named].map((n) => `$${n}`).join(", ")}: narrated as the starting value (or left out)`,
    );
  return {text, ...(parts ? {parts} : {}), conditions: read.conditions};
}

/**
 * A passage that checks a variable and sets it further on (`(if: $visited)[Welcome back.]` before
 * `(set: $visited to true)`): Twine checks the old value, but a scene's `set` is applied as a player
 * enters it, before anything is checked. The author hears which variables, and what to do.
 */
function setAfterCheck(passage: Passage, checks: Array<{at: number; condition: string}>): string[] {
  if (checks.length === 0) return [];
  const lastSet = new Map<string, number>();
  for (const a of assignmentsOf(passage.text)) if (a.value !== undefined) lastSet.set(a.name, a.at);
  const late = new Set<string>();
  for (const {at, condition} of checks)
    for (const [, name] of condition.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g))
      if ((lastSet.get(name as string) ?? -1) > at) late.add(name as string);
  if (late.size === 0) return [];
  const names = [...late].map((n) => `$${n}`).join(", ");
  return [
    `passage '${passage.name}' checks ${names} before it sets ${late.size === 1 ? "it" : "them"}: a scene's set comes first, so a streamed story's check sees the new value; set ${late.size === 1 ? "it" : "them"} in the passages that lead here instead`,
  ];
}

/**
 * A card has no variables: it reads every branch of a passage's text. The author hears how to
 * have only the branch that holds read.
 */
export function everyBranchWarning(passage: Passage, conditions: string[]): string {
  const when = conditions.length === 1 ? `${conditions[0]} holds` : `its conditions hold (${shortList(conditions)})`;
  return `passage '${passage.name}' reads text only when ${when}: a card reads every branch, one after another; make the story streamed (mode: streamed) to hear only the branch that holds`;
}

/**
 * A variable printed in the text (`Hello $name.`): read as its starting value, as the narration is
 * made before anyone plays; left out when it has none. `named` gathers the names, for the warnings.
 */
function spoken(text: string, variables: Record<string, unknown>, named: Set<string>): string {
  let printed = false;
  const said = text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    named.add(name);
    printed = true;
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    return value === null || value === undefined || typeof value === "object" ? "" : String(value);
  });
  return printed
    ? said
        .replace(/[ \t]+/g, " ")
        .replace(/ ([.,!?;:])/g, "$1")
        .trim()
    : text;
}

function mapText(parts: SayPart[], map: (text: string) => string): SayPart[] {
  return parts.map((part) =>
    typeof part === "string"
      ? map(part)
      : {
          if: part.if,
          say: mapText(part.say, map),
          ...(part.else ? {else: mapText(part.else, map)} : {}),
        },
  );
}

/** A few of a list, for a warning: the first three, then how many more. */
function shortList(items: string[]): string {
  const shown = items.slice(0, 3).map((item) => (item.length > 100 ? `${item.slice(0, 99)}…` : item));
  return `${shown.join("; ")}${items.length > 3 ? `; and ${items.length - 3} more` : ""}`;
}

/**
 * Links with words that lead to the same passage under the same condition are one exit, with the
 * first one's words (two buttons to the same place only puzzle a child). A link with no words
 * (`[[|Home]]`) keeps its place: it says which button leads there, as twine-to-yoto reads it.
 */
export function oneExitEach(passage: Passage, links: TwineLink[], warnings: string[]): TwineLink[] {
  const first = new Map<string, TwineLink[]>();
  const kept = links.filter((link) => {
    // A link whose condition is not known (an else's) is never the same as another.
    if (link.placeholder || !link.text || (link.conditional && link.condition === undefined)) return true;
    const key = JSON.stringify([link.target, link.condition ?? null]);
    const same = first.get(key);
    if (same) same.push(link);
    else first.set(key, [link]);
    return !same;
  });
  for (const same of first.values())
    if (same.length > 1) {
      const [link] = same as [TwineLink];
      warnings.push(
        `passage '${passage.name}' has ${same.length} links to '${link.target}' (${shortList(same.map((l) => `'${l.text}'`))}): they are one exit, whose prompt says '${link.text}'`,
      );
    }
  return kept;
}

export function readable(condition: string): boolean {
  return !("error" in parseCondition(condition));
}

/** What a passage's links inside conditions become: checked while streamed, taken on a card. */
export function conditionWarnings(passage: Passage, links: TwineLink[]): string[] {
  const conditional = links.filter((l) => l.conditional && !l.placeholder);
  if (conditional.length === 0) return [];
  const unread = conditional.filter((l) => !l.condition || !readable(l.condition));
  return [
    `passage '${passage.name}' has links inside a condition: a streamed story checks it; a card takes them whatever the condition`,
    ...unread.map(
      (l) =>
        `passage '${passage.name}': the condition of its link to '${l.target}' (${l.condition ? `'${l.condition}'` : "an else"}) cannot be read here; the link is always taken`,
    ),
  ];
}

/** A passage's `set`s of plain values: the story variables it sets when a player enters it. */
export function plainSets(passage: Passage, warnings: string[]): Record<string, unknown> | undefined {
  const set: Record<string, unknown> = {};
  for (const a of assignmentsOf(passage.text)) {
    if (a.value === undefined)
      warnings.push(
        `passage '${passage.name}' sets $${a.name} to '${a.expression}', which is not a plain value: it is not set while playing`,
      );
    else setOwn(set, a.name, a.value);
  }
  return Object.keys(set).length > 0 ? set : undefined;
}

/** Initial values from StoryInit (and `startup` passages); a set elsewhere is named in the warnings. */
export function variablesOf(all: Passage[], kept: Passage[], warnings: string[]): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  const init = all.filter((p) => p.name === "StoryInit" || p.tags.includes("startup"));
  for (const passage of init)
    for (const a of assignmentsOf(passage.text)) {
      if (a.value === undefined)
        warnings.push(
          `${passage.name} sets $${a.name} to '${a.expression}', which is not a plain value; it starts empty`,
        );
      setOwn(variables, a.name, a.value ?? null);
    }
  // A variable a passage sets is a story variable from the start (empty until set).
  for (const passage of kept)
    for (const a of assignmentsOf(passage.text)) if (!Object.hasOwn(variables, a.name)) setOwn(variables, a.name, null);
  return variables;
}

export function unreadMacros(all: Passage[]): string[] {
  const where = new Map<string, Set<string>>();
  for (const passage of all) {
    if (passage.tags.includes("script") || passage.tags.includes("stylesheet")) continue;
    for (const macro of macrosOf(passage.text)) {
      if (KNOWN_MACROS.has(macro.name)) continue;
      const passages = where.get(macro.name) ?? new Set<string>();
      passages.add(`'${passage.name}'`);
      where.set(macro.name, passages);
    }
  }
  const scripts = all.filter((p) => p.tags.includes("script")).map((p) => `'${p.name}'`);
  return [
    ...[...where].map(
      ([name, passages]) => `macro '${name}' (in ${[...passages].join(", ")}) is not read and never runs`,
    ),
    ...(scripts.length > 0 ? [`script passages ${scripts.join(", ")} are ignored: no story script runs here`] : []),
  ];
}
