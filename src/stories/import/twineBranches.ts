import type {SayPart} from "../../shared/api/stories.js";
import {parseCondition} from "../model/conditions.js";

/**
 * Branches of a passage's text read into a scene's `say` parts (twineConditions.ts finds them):
 * each else and else-if chained to the if before it, a condition this reader does not understand
 * read whatever holds (as before conditions were kept), and branches that read nothing left out.
 */

export type Kind = "if" | "elseif" | "else" | "unless";

export interface Branch {
  kind: Kind;
  /** The condition as written (none for an else). */
  args: string;
  /** Where the mark before the branch starts and the branch's text starts. */
  markFrom: number;
  from: number;
  to: number;
  /** The block it belongs to: a SugarCube `<<if>>`'s branches share one, each Harlowe hook has its own. */
  block: number;
}

/** Text, or a branch holding its own text and branches, in the order written. */
export type Item = string | {branch: Branch; items: Item[]};

/** One chain of branches at one level: an if, its else-ifs and its else. */
interface Chain {
  block: number;
  /** The conditions so far (an else holds when none of them does). */
  conditions: string[];
  /** The part whose else the next adjacent branch fills. */
  slot?: Exclude<SayPart, string>;
  /** Past a condition not understood: the rest is read whatever holds, here. */
  flat?: SayPart[];
  /** Text came between (Harlowe allows it): later branches state their condition in full. */
  detached?: boolean;
}

/** Items into parts, chaining each else to the if before it. */
export class Reading {
  readonly unread: string[] = [];

  parts(items: Item[]): SayPart[] {
    const out: SayPart[] = [];
    let chain: Chain | undefined;
    let textSince = false;
    for (const item of items) {
      if (typeof item === "string") {
        out.push(item);
        textSince = true;
        continue;
      }
      const {branch} = item;
      const body = this.parts(item.items);
      const apart = textSince && chain?.block !== branch.block;
      if (branch.kind === "if" || branch.kind === "unless" || !chain) {
        if (branch.kind === "else" || branch.kind === "elseif") this.unread.push("an else with no if before it");
        chain = this.#start(branch, body, out);
      } else if (chain.flat) {
        // Read whatever holds: where it is written (after text between, not in the else before it).
        (apart ? out : chain.flat).push(...body);
        chain.block = branch.block;
      } else if (chain.detached || apart) {
        chain.detached = true;
        this.#detached(chain, branch, body, out);
      } else this.#adjacent(chain, branch, body);
      if (branch.kind === "else") chain = undefined;
      textSince = false;
    }
    return out;
  }

  #start(branch: Branch, body: SayPart[], out: SayPart[]): Chain {
    const condition = branch.kind === "unless" ? `not (${branch.args})` : branch.args;
    if (branch.kind === "else" || branch.kind === "elseif" || !this.#readable(branch.args, body)) {
      out.push(...body);
      return {block: branch.block, conditions: [], flat: out};
    }
    const part = {if: condition, say: body};
    out.push(part);
    return {block: branch.block, conditions: [condition], slot: part};
  }

  /** An else or else-if right after the branch before it: its else. */
  #adjacent(chain: Chain, branch: Branch, body: SayPart[]): void {
    const slot = chain.slot as Exclude<SayPart, string>;
    chain.block = branch.block;
    if (branch.kind === "else") {
      slot.else = body;
      return;
    }
    if (!this.#readable(branch.args, body)) {
      slot.else = [...body];
      chain.flat = slot.else;
      return;
    }
    const part = {if: branch.args, say: body};
    slot.else = [part];
    chain.slot = part;
    chain.conditions.push(branch.args);
  }

  /** An else or else-if with text before it: read where it is, when none of the conditions before holds. */
  #detached(chain: Chain, branch: Branch, body: SayPart[], out: SayPart[]): void {
    chain.block = branch.block;
    const none = chain.conditions.map((c) => `not (${c})`).join(" and ");
    const condition = branch.kind === "else" ? none : `${none} and (${branch.args})`;
    if (branch.kind === "elseif" && !this.#readable(branch.args, body)) {
      out.push(...body);
      chain.flat = out;
      return;
    }
    // Very many conditions before it make one too long to read: then it is read whatever holds.
    if ("error" in parseCondition(condition)) {
      out.push(...body);
      return;
    }
    out.push({if: condition, say: body});
    if (branch.kind === "elseif") chain.conditions.push(branch.args);
  }

  /** Whether this reader understands a condition; one it does not is named for the warnings. */
  #readable(condition: string, body: SayPart[]): boolean {
    const readable = condition.length > 0 && !("error" in parseCondition(condition));
    // A branch of links alone reads no text: its links' own warning names the condition.
    if (!readable && prune(body).length > 0) this.unread.push(condition || "an empty condition");
    return readable;
  }
}

/** Parts without conditions that read nothing (a hook holding only links). */
export function prune(parts: SayPart[]): SayPart[] {
  const out: SayPart[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      out.push(part);
      continue;
    }
    const say = prune(part.say);
    const otherwise = part.else ? prune(part.else) : [];
    if (say.length === 0 && otherwise.length === 0) continue;
    out.push({if: part.if, say, ...(otherwise.length > 0 ? {else: otherwise} : {})});
  }
  return out;
}

/** The conditions the parts read, each once, in the order written. */
export function conditionsOf(parts: SayPart[]): string[] {
  const found = new Set<string>();
  const walk = (list: SayPart[]) => {
    for (const part of list)
      if (typeof part !== "string") {
        found.add(part.if);
        walk(part.say);
        walk(part.else ?? []);
      }
  };
  walk(parts);
  return [...found];
}

/**
 * Parts as a story file writes them: a branch of one text as that text, an else holding one
 * conditional part (an else-if) as that part, so the file reads as the author wrote the chain.
 */
export function partsForFile(parts: SayPart[]): unknown[] {
  return parts.map((part) =>
    typeof part === "string"
      ? part
      : {
          if: part.if,
          say: branchForFile(part.say),
          ...(part.else ? {else: branchForFile(part.else)} : {}),
        },
  );
}

function branchForFile(branch: SayPart[]): unknown {
  if (branch.length === 0) return "";
  if (branch.length === 1) return typeof branch[0] === "string" ? branch[0] : partsForFile(branch)[0];
  return partsForFile(branch);
}

export function sizeOf(parts: SayPart[], depth = 0): {parts: number; depth: number} {
  let count = parts.length;
  let deepest = depth;
  for (const part of parts) {
    if (typeof part === "string") continue;
    const inner = sizeOf([...part.say, ...(part.else ?? [])], depth + 1);
    count += inner.parts;
    deepest = Math.max(deepest, inner.depth);
  }
  return {parts: count, depth: deepest};
}
