import type {SayPart} from "../../shared/api/stories.js";
import {MAX_SAY_DEPTH, MAX_SAY_PARTS, wholeText} from "../model/sayParts.js";
import {type Branch, conditionsOf, type Item, type Kind, prune, Reading, sizeOf} from "./twineBranches.js";
import {narrationOf} from "./twineNarration.js";
import {type Macro, macrosOf, pairs} from "./twineText.js";

/**
 * A passage's text with its conditions kept: Harlowe's `(if:)[…]`, `(else-if:)[…]`, `(else:)[…]`
 * and `(unless:)[…]`, SugarCube's `<<if>>…<<elseif>>…<<else>>…<</if>>` (and Chapbook's modifiers,
 * which chapbook.ts writes as Harlowe's) become a scene's `say` parts, so a streamed story reads only
 * the branch that holds. Nothing is run: each branch's bounds are marked in the text, the text is
 * narrated once as before (narrationOf), and the marks are read back into parts. One pass each.
 */

/** What a passage's text reads, and what the reading could not keep. */
export interface PassageText {
  /** The text as a card reads it: every branch, in order. */
  text: string;
  /** Present only when some text is read under a condition this reader understands. */
  parts?: SayPart[];
  /** The conditions the parts read (as written), for the author's warnings. */
  conditions: string[];
  /** Conditions this reader does not understand (their text is always read), as written. */
  unread: string[];
  /** Why the conditions were not kept at all (nested too deep, too many), when so. */
  dropped?: string;
  /** Every condition the text states (an else's none), with where: text and links alike. */
  checks: Array<{at: number; condition: string}>;
}

/** A branch's bounds: an open mark where it starts, a close mark where it ends. */
const OPEN = "\uE000";
const CLOSE = "\uE001";
/** Conditions inside conditions this deep are kept; deeper ones are read as plain text (as links are). */
const MAX_NESTING = 8;
const CONDITIONALS = new Set(["if", "else-if", "elseif", "else", "unless"]);

interface Block {
  from: number;
  to: number;
  branches: Branch[];
}

export function passageText(text: string): PassageText {
  const macros = macrosOf(text);
  const found = [...harloweBlocks(text, macros), ...sugarCubeBlocks(text, macros)];
  const checks = found.flatMap((block) =>
    block.branches.filter((b) => b.args).map((b) => ({at: b.markFrom, condition: b.args})),
  );
  const plain = (extra: Partial<PassageText> = {}): PassageText => ({
    text: narrationOf(text, false),
    conditions: [],
    unread: [],
    checks,
    ...extra,
  });
  // The marks are characters no story writes (private use); one that does is read as before.
  if (text.includes(OPEN) || text.includes(CLOSE)) return plain();
  // More branches than a scene's parts can hold: nothing more is worked out for them.
  if (found.reduce((n, block) => n + block.branches.length, 0) > MAX_SAY_PARTS)
    return plain({dropped: `more than ${MAX_SAY_PARTS} branches under conditions`});
  const {blocks, tooDeep} = nested(found);
  if (blocks.length === 0) return plain(tooDeep ? {dropped: tooDeep} : {});
  const branches = blocks.flatMap((b) => b.branches).sort((a, b) => a.markFrom - b.markFrom);
  const marked = narrationOf(mark(text, blocks), false);
  const items = itemsOf(marked, branches);
  // A mark inside something narration drops whole (a link, a tag): the bounds are lost, so the
  // text is read as it was before conditions were kept.
  if (!items) return plain({dropped: "text under conditions inside other markup (a link, a tag, a macro)"});
  const reading = new Reading();
  const parts = prune(reading.parts(items));
  const size = sizeOf(parts);
  if (size.parts > MAX_SAY_PARTS || size.depth > MAX_SAY_DEPTH)
    return plain({dropped: `more conditional text than a scene holds (${size.parts} parts, ${size.depth} deep)`});
  // Nothing read under a condition after all (hooks holding only links): read as before.
  if (!parts.some((p) => typeof p !== "string"))
    return plain({unread: reading.unread, ...(tooDeep ? {dropped: tooDeep} : {})});
  return {
    text: wholeText(parts),
    parts,
    conditions: conditionsOf(parts),
    unread: reading.unread,
    checks,
    ...(tooDeep ? {dropped: tooDeep} : {}),
  };
}

/** Harlowe's conditional macros with the hook they govern, each its own block. */
function harloweBlocks(text: string, macros: Macro[]): Block[] {
  const parens = pairs(text, "(", ")");
  const brackets = pairs(text, "[", "]");
  const blocks: Block[] = [];
  for (const macro of macros) {
    if (!CONDITIONALS.has(macro.name) || text[macro.at] !== "(") continue;
    let hook = (parens.get(macro.at) ?? text.length) + 1;
    while (text[hook] === " " || text[hook] === "\t") hook++;
    // `(if: $x)[[Go]]` is a link after the macro; `(if: $x)[[[Go]]]` a hook holding one.
    if (text[hook] !== "[" || (text[hook + 1] === "[" && text[hook + 2] !== "[")) continue;
    const close = brackets.get(hook);
    if (close === undefined) continue;
    const kind = kindOf(macro);
    const branch = {...kind, markFrom: macro.at, from: hook + 1, to: close, block: blocks.length};
    blocks.push({from: macro.at, to: close + 1, branches: [branch]});
  }
  return blocks;
}

/** SugarCube's `<<if>>` blocks, each with its `<<elseif>>` and `<<else>>` branches, matched with a stack. */
function sugarCubeBlocks(text: string, macros: Macro[]): Block[] {
  const events: Array<{at: number; end: number; macro?: Macro}> = [];
  for (const macro of macros)
    if (text.startsWith("<<", macro.at) && (CONDITIONALS.has(macro.name) || macro.name === "endif"))
      events.push({
        at: macro.at,
        end: text.indexOf(">>", macro.at + 2) + 2,
        macro: macro.name === "endif" ? undefined : macro,
      });
  for (let at = text.indexOf("<</if>>"); at >= 0; at = text.indexOf("<</if>>", at + 7)) events.push({at, end: at + 7});
  events.sort((a, b) => a.at - b.at);
  const blocks: Block[] = [];
  const open: Block[] = [];
  for (const {at, end, macro} of events) {
    const top = open.at(-1);
    const last = top?.branches.at(-1);
    if (!macro) {
      // `<</if>>`: the innermost open block ends (one with none open is a stray, read as text).
      if (!top || !last) continue;
      last.to = at;
      top.to = end;
      blocks.push(open.pop() as Block);
      continue;
    }
    const kind = kindOf(macro);
    if (kind.kind === "if" || kind.kind === "unless") {
      const block: Block = {from: at, to: -1, branches: []};
      block.branches.push({...kind, markFrom: at, from: end, to: -1, block: -1});
      open.push(block);
    } else if (top && last) {
      last.to = at;
      top.branches.push({...kind, markFrom: at, from: end, to: -1, block: -1});
    }
  }
  // A block never closed is not one (SugarCube would refuse the passage): its text is read.
  return blocks;
}

function kindOf(macro: Macro): {kind: Kind; args: string} {
  const args = macro.args.trim();
  if (macro.name === "else-if" || macro.name === "elseif") return {kind: "elseif", args};
  // SugarCube's older `<<else if …>>`.
  if (macro.name === "else" && /^if\s/.test(args)) return {kind: "elseif", args: args.slice(3).trim()};
  return {kind: macro.name as Kind, args: macro.name === "else" ? "" : args};
}

/**
 * The blocks properly inside one another, nested at most MAX_NESTING deep; one that overlaps
 * another (a Harlowe hook across a SugarCube branch) or is too deep is read as plain text.
 */
function nested(found: Block[]): {blocks: Block[]; tooDeep?: string} {
  const sorted = found.sort((a, b) => a.from - b.from || b.to - a.to);
  const kept: Block[] = [];
  const open: Array<{block: Block; branch: number}> = [];
  let tooDeep: string | undefined;
  for (const block of sorted) {
    while ((open.at(-1)?.block.to ?? Number.POSITIVE_INFINITY) <= block.from) open.pop();
    const around = open.at(-1);
    if (around && block.to > around.block.to) continue;
    if (around) {
      // The branch it is in: blocks come in text order, so each block's branches are walked once.
      const branches = around.block.branches;
      while (around.branch < branches.length && (branches[around.branch] as Branch).to < block.to) around.branch++;
      const branch = branches[around.branch];
      if (!branch || branch.from > block.from) continue;
    }
    if (open.length >= MAX_NESTING) {
      tooDeep = `conditions nested more than ${MAX_NESTING} deep`;
      continue;
    }
    for (const branch of block.branches) branch.block = kept.length;
    kept.push(block);
    open.push({block, branch: 0});
  }
  return {blocks: kept, ...(tooDeep ? {tooDeep} : {})};
}

/** The text with each branch's macro and brackets replaced by its marks. */
function mark(text: string, blocks: Block[]): string {
  const cuts: Array<{from: number; to: number; put: string}> = [];
  for (const block of blocks)
    block.branches.forEach((branch, i) => {
      cuts.push({from: branch.markFrom, to: branch.from, put: OPEN});
      const next = block.branches[i + 1];
      cuts.push({from: branch.to, to: next ? next.markFrom : block.to, put: CLOSE});
    });
  cuts.sort((a, b) => a.from - b.from);
  let out = "";
  let at = 0;
  for (const cut of cuts) {
    out += text.slice(at, cut.from) + cut.put;
    at = cut.to;
  }
  return out + text.slice(at);
}

/** The narrated text read back: text, and branches holding theirs; undefined when the marks do not pair. */
function itemsOf(marked: string, branches: Branch[]): Item[] | undefined {
  const stack: Item[][] = [[]];
  const opened: Branch[] = [];
  let next = 0;
  let from = 0;
  const text = (to: number) => {
    const piece = marked.slice(from, to).trim();
    if (piece) (stack.at(-1) as Item[]).push(piece);
  };
  for (let i = 0; i < marked.length; i++) {
    const c = marked[i];
    if (c !== OPEN && c !== CLOSE) continue;
    text(i);
    from = i + 1;
    if (c === OPEN) {
      const branch = branches[next++];
      if (!branch) return undefined;
      opened.push(branch);
      stack.push([]);
    } else {
      const branch = opened.pop();
      const items = stack.pop();
      if (!branch || !items || stack.length === 0) return undefined;
      (stack.at(-1) as Item[]).push({branch, items});
    }
  }
  text(marked.length);
  return next === branches.length && stack.length === 1 ? stack[0] : undefined;
}
