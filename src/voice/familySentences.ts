import {createHash} from "node:crypto";
import type {VoiceSentences, VoiceTrigger} from "../shared/api/voice.js";
import {composeFrames, familyTargets} from "./grammar.js";
import {VOICE_TRIGGERS, type VoiceLanguage} from "./languages/language.js";
import {spokenKey} from "./spokenText.js";

/** The family's names as the sentences write them: children, Yotos, and Home Assistant areas that hold one. */
export interface FamilyNames {
  children: readonly string[];
  players: readonly string[];
  areas: readonly string[];
  /** Of those areas, the ones where nothing but a Yoto plays: a title with the room alone is theirs. */
  rooms?: readonly string[];
  /** Every area of the house, a Yoto's or not; unknown until Home Assistant sent them. */
  house?: readonly string[];
}

/** Past these, the rest are left out: a sentence line stays one Home Assistant reads in a moment. */
export const MAX_NAMES = {children: 50, players: 100, areas: 200};
const MAX_NAME = 60;

/**
 * A name as a sentence template can hold it: letters, digits, spaces, apostrophes and hyphens only
 * (hassil reads `( ) [ ] { } < > |` as syntax, and Home Assistant refuses a trigger sentence with
 * punctuation), no apostrophe starting a word, cut to a length worth saying. Empty when nothing is left.
 */
export function templateName(name: string): string {
  return (
    name
      .slice(0, 200)
      .normalize("NFKC")
      .replace(/[’‘`´]/g, "'")
      .replace(/[^\p{L}\p{M}\p{N}' -]+/gu, " ")
      // An apostrophe may end a word ("Kids' Room", as a speech engine writes it); none may start one, nor a hyphen either end.
      .replace(/(^|\s)['-]+|-+(?=\s|$)|(?<![sS])'+(?=\s|$)|'{2,}/g, "$1")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, MAX_NAME)
      .trim()
  );
}

/** Each name once (case aside), cleaned, with the forms a speech engine may write: no apostrophes, hyphens as spaces. */
function names(raw: readonly string[], max: number): string[] {
  const out = new Map<string, string>();
  for (const name of raw.slice(0, max)) {
    const clean = templateName(name);
    for (const form of [clean, clean.replace(/'/g, ""), clean.replace(/-/g, " ")])
      if (form && !out.has(form.toLowerCase())) out.set(form.toLowerCase(), form);
  }
  return [...out.values()];
}

/** A name whose last word is a device word of the language ("Bedroom Mini", "Kinder-Box"). */
function selfNamed(name: string, lang: VoiceLanguage): boolean {
  const last =
    name
      .toLowerCase()
      .split(/[\s-]+/)
      .at(-1) ?? "";
  return lang.grammar.devices.some((d) => d.toLowerCase() === last);
}

/** A name no area of the house has (case and punctuation aside); false while the areas are unknown. */
function nobodyElses(name: string, family: FamilyNames): boolean {
  if (family.house === undefined) return false;
  const key = spokenKey(name);
  return ![...family.house, ...family.areas].some((area) => spokenKey(area) === key);
}

/** The lists the family sentences' placeholders stand for, per language. */
function placeholders(lang: VoiceLanguage, family: FamilyNames): Record<string, string[]> {
  const children = names(family.children, MAX_NAMES.children);
  const players = names(family.players, MAX_NAMES.players);
  const areas = names(family.areas, MAX_NAMES.areas);
  return {
    child: children,
    childs: names(
      children.flatMap((c) => lang.possessives(c)),
      MAX_NAMES.children * 4,
    ),
    player: players,
    // A Yoto said by its name alone: one whose name says it is one ("Bedroom Mini"), or, once the
    // house's areas are known, one no area is called ("Living Room" in a house whose rooms are German).
    yotoname: players.filter((p) => selfNamed(p, lang) || nobodyElses(p, family)),
    // A child no area is called ("Mia" where the rooms are "Kinderzimmer"…): "bei Mia" can only be her.
    freechild: children.filter((c) => nobodyElses(c, family)),
    place: names([...players, ...areas], MAX_NAMES.players + MAX_NAMES.areas),
    room: names(family.rooms ?? [], MAX_NAMES.areas),
    // Where the shipped sentences had their `{who}` wildcard: anyone or any Yoto or room by name.
    who: names(
      [...children, ...children.flatMap((c) => lang.possessives(c)), ...players, ...areas],
      MAX_NAMES.children * 5 + MAX_NAMES.players + MAX_NAMES.areas,
    ),
  };
}

/**
 * Every sentence of each trigger for this family: the shipped ones with the family's names where
 * their `{who}` wildcard was (it took "the volume to 90 on Mia's" as a name), then the language's
 * frames composed with the family's targets (grammar.ts), each name written as the family's literal
 * names, `(Mia|Ben)`: no sentence needs a wildcard where a name goes. A frame whose names the family
 * has none of is left out, and none twice.
 */
export function familySentences(lang: VoiceLanguage, family: FamilyNames): Record<VoiceTrigger, string[]> {
  const lists = placeholders(lang, family);
  const targets = familyTargets(lang.grammar, lists);
  const out = {} as Record<VoiceTrigger, string[]>;
  for (const trigger of VOICE_TRIGGERS) {
    // The shipped sentences with the family's names where their wildcard was, then the frames.
    const shipped = lang.sentences[trigger].map((line) => line.replace(/\{who\}/g, "<who>"));
    const composed = composeFrames(
      [...shipped, ...(lang.grammar.frames[trigger] ?? [])],
      lang.grammar,
      lists,
      targets,
      trigger,
    );
    // A family with no names yet keeps the shipped lines: an empty list is an automation Home Assistant refuses.
    out[trigger] = composed.length > 0 ? composed : [...lang.sentences[trigger]];
  }
  return out;
}

/** A YAML double-quoted scalar: JSON's escapes are a subset of YAML's. */
const q = (text: string) => JSON.stringify(text);

/**
 * The voice automation's inputs for this family, as the panel's Voice page and `GET
 * /api/voice/sentences` give them: per trigger its sentences, and the whole as the automation's
 * YAML (`use_blueprint`), to paste in its YAML editor.
 */
export function voiceSentences(
  lang: VoiceLanguage,
  family: FamilyNames,
  blueprint: {path: string; baseTopic: string},
): VoiceSentences {
  const sentences = familySentences(lang, family);
  const written = {
    children: names(family.children, MAX_NAMES.children),
    players: names(family.players, MAX_NAMES.players),
    areas: names(family.areas, MAX_NAMES.areas),
    rooms: names(family.rooms ?? [], MAX_NAMES.areas),
  };
  const triggers = VOICE_TRIGGERS.map((id) => ({
    id,
    input: `${id}_sentences`,
    name: lang.blueprint.triggers[id].name,
    sentences: sentences[id],
  }));
  const yaml = [
    `alias: ${q(lang.blueprint.name)}`,
    "use_blueprint:",
    `  path: ${blueprint.path}`,
    "  input:",
    // The add-on's own base topic: pasting the inputs must not put a changed one back to "yoto".
    `    base_topic: ${q(blueprint.baseTopic)}`,
    ...triggers.flatMap((t) => [`    ${t.input}:`, ...t.sentences.map((s) => `      - ${q(s)}`)]),
    "",
  ].join("\n");
  const version = createHash("sha256")
    .update(JSON.stringify([lang.code, sentences]))
    .digest("base64url")
    .slice(0, 12);
  return {language: lang.code, names: written, triggers, yaml, version};
}
