import {setOwn} from "../../core/ownKeys.js";
import {parseCondition} from "../model/conditions.js";
import {assignmentsOf, KNOWN_MACROS, macrosOf, type TwineLink} from "./twineText.js";

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
 * A variable printed in the text (`Hello $name.`): read as its starting value, as the narration is
 * made before anyone plays; left out when it has none. The warnings say which.
 */
export function spokenVariables(
  passage: Passage,
  text: string,
  variables: Record<string, unknown>,
  warnings: string[],
): string {
  const named = new Set<string>();
  const spoken = text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    named.add(name);
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    return value === null || value === undefined || typeof value === "object" ? "" : String(value);
  });
  if (named.size > 0)
    warnings.push(
      `passage '${passage.name}' prints ${[...named].map((n) => `$${n}`).join(", ")}: narrated as the starting value (or left out)`,
    );
  return named.size > 0
    ? spoken
        .replace(/[ \t]+/g, " ")
        .replace(/ ([.,!?;:])/g, "$1")
        .trim()
    : text;
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
