import type {VoiceTrigger} from "../shared/api/voice.js";

/** Where a frame's target goes, and which kind of target it takes. */
export type TargetKind = "for" | "on" | "own" | "in" | "room" | "every" | "named" | "first";
const TARGET_KINDS: readonly TargetKind[] = ["for", "on", "own", "in", "room", "every", "named", "first"];

/**
 * A language's family sentences as parts (issue #100): each trigger's verb frames, and the targets
 * and words for a Yoto that every trigger shares. A frame is a hassil template with `{what}` where a
 * title goes and `<for>`, `<on>`, `<own>`, `<in>` or `<every>` where its target goes; the targets are
 * templates over the family's names (`<child>`, `<childs>` its possessive, `<player>` a Yoto's name,
 * `<place>` a Yoto's name or an area holding one) and the device words (`<device>`, `<devices>`).
 * Every name is the family's own, written in literally, so a wide frame ("let <child> listen to
 * {what}") takes nothing from another speaker: no frame needs a bare wildcard where a name goes.
 */
export interface VoiceGrammar {
  /** A Yoto, as a family calls it ("yoto", "yoto player", "player", "mini"). */
  devices: readonly string[];
  /** Several of them ("yotos", "players"). */
  everyDevice: readonly string[];
  /**
   * `for`: who it is for ("for <child>"); `on`: a Yoto by whose or which it is ("on <childs>
   * <device>", "on the <device> in the <place>"); `own`: a Yoto by a pronoun, only in frames that
   * named the child before it ("on her <device>"); `in`: a room; `room`: a room where nothing but a
   * Yoto plays (`<room>`), the only room a title may be said with alone; `every`: all the Yotos; `named`: a
   * Yoto by whose or which it is with no word before it ("Ben's Yoto", "the Bedroom Mini"), said
   * first ("Ben's Yoto pause") or as what a verb acts on ("pause the Bedroom Mini"); `first`: the
   * same said first, never after "the" (choose's "the {what} one" keeps "the Bedroom Mini skip this one").
   */
  targets: Readonly<Record<TargetKind, readonly string[]>>;
  /** Word lists frames share by name (`<thing>`: what plays, `<unit>`: a part of it), as alternatives. */
  words: Readonly<Record<string, readonly string[]>>;
  /**
   * A Yoto by its name alone (`<first>`) where an `<at>` target starts or ends the sentence, with no
   * word before or after it: "Bedroom Mini ein Lied überspringen", "einen Titel weiter Bedroom Mini".
   * Only for these triggers: "turn off living room" is the lights'.
   */
  bareAtEdges?: readonly VoiceTrigger[];
  /** Per trigger, its frames. */
  frames: Readonly<Partial<Record<VoiceTrigger, readonly string[]>>>;
}

/** The family's names as literal lists, by placeholder (child, childs, player, place). */
export type NameLists = Readonly<Record<string, readonly string[]>>;

/** The lists a template's placeholders stand for: the family's names, the device words, the grammar's own. */
function listsOf(grammar: VoiceGrammar, names: NameLists): NameLists {
  return {...grammar.words, ...names, device: grammar.devices, devices: grammar.everyDevice};
}

/** Where a target the family has no names for was: "~" is in no name (templateName) and no frame. */
const NONE = "~none~";
const MISSING_CHOICE = /\|~none~(?=[|)])|(?<=\()~none~\|/g;

/** `(a|b|c)`: hassil's alternative; an alternative of one is the word itself in brackets. */
const anyOf = (items: readonly string[]) => `(${items.join("|")})`;

/**
 * Each placeholder `<name>` written as the alternative of its list; undefined when a list it needs
 * is empty (an empty alternative would match anything) or unknown. Own-property lookups only.
 */
function written(template: string, lists: NameLists): string | undefined {
  let missing = false;
  const out = template.replace(/<(\w+)>/g, (_m, name: string) => {
    const list = Object.hasOwn(lists, name) ? (lists[name] as readonly string[]) : [];
    if (list.length === 0) missing = true;
    return anyOf(list);
  });
  return missing ? undefined : out;
}

/**
 * The targets of each kind with the family's names in: those whose names the family has none of
 * are left out, so a family without areas still gets "for <child>" and "on <childs> <device>".
 */
export function familyTargets(grammar: VoiceGrammar, names: NameLists): Record<TargetKind, string | undefined> {
  const lists = listsOf(grammar, names);
  const out = {} as Record<TargetKind, string | undefined>;
  for (const kind of TARGET_KINDS) {
    const each = grammar.targets[kind].map((t) => written(t, lists)).filter((t): t is string => t !== undefined);
    out[kind] = each.length > 0 ? anyOf(each) : undefined;
  }
  return out;
}

/** Any target a command takes: a Yoto by whose or which it is, a room that holds one, a child. */
const ANY_TARGET = "(<on>|<in>|<for>)";

/**
 * `<at>` marks where a command's target may go in a language whose order is free ("Spring im
 * Wohnzimmer ein Lied weiter", "Spring ein Lied weiter im Wohnzimmer"): one frame for each place,
 * the target at it and at no other, so a sentence names its Yoto once.
 */
export function targetPlaced(frame: string, bareAtEdges = false): string[] {
  const parts = frame.split("<at>");
  if (parts.length === 1) return [frame];
  return parts.slice(1).map((_, at) => {
    const edge = bareAtEdges && (saysNothing(parts.slice(0, at + 1)) || saysNothing(parts.slice(at + 1)));
    const target = edge ? EDGE_TARGET : ANY_TARGET;
    return parts
      .reduce((line, part, i) => (i === 0 ? part : `${line} ${i === at + 1 ? target : ""} ${part}`), "")
      .replace(/\s+/g, " ")
      .trim();
  });
}

/** At a sentence's start or end, a Yoto by its name alone, as Home Assistant's German says it ("Bedroom Mini ein Lied überspringen"). */
const EDGE_TARGET = "(<on>|<in>|<for>|<first>)";
/** Parts of a frame with no word that must be said: nothing, or optional words only. */
const saysNothing = (parts: string[]) => /^(\s*\[[^\]]*\])*\s*$/.test(parts.join(" "));

/**
 * A trigger's frames composed with the family's targets and names: one sentence template each.
 * A frame whose target or names the family has none of is left out.
 */
export function composeFrames(
  frames: readonly string[],
  grammar: VoiceGrammar,
  names: NameLists,
  targets = familyTargets(grammar, names),
  trigger?: VoiceTrigger,
): string[] {
  const lists = listsOf(grammar, names);
  const out: string[] = [];
  // What a sentence may start with before its frame ("hey", "okay"): said to anyone, it names nothing.
  const lead = Object.hasOwn(grammar.words, "lead") ? "[<lead>] " : "";
  // Home Assistant takes a trigger's first template that matches, and its slots: a frame that may
  // start anywhere ("<du> {what} <on> hören" takes "ich will" into the title) goes after the rest.
  const ordered = [...frames.filter((f) => !f.startsWith("<du>")), ...frames.filter((f) => f.startsWith("<du>"))];
  const edges = trigger !== undefined && (grammar.bareAtEdges ?? []).includes(trigger);
  for (const frame of ordered.flatMap((f) => targetPlaced(f, edges)).map((f) => lead + f)) {
    // A target the family has no names for is taken out of the alternatives it is one of; a frame
    // that needs it and nothing else is left out.
    const placed = frame
      .replace(/<(for|on|own|in|room|every|named|first)>/g, (_m, kind: TargetKind) => targets[kind] ?? NONE)
      .replace(MISSING_CHOICE, "");
    const line = placed.includes(NONE) ? undefined : written(placed, lists);
    if (line !== undefined && !out.includes(line)) out.push(line);
  }
  return out;
}
