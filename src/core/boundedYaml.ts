import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import {errorMessage} from "./errors.js";

/**
 * What one YAML text may cost once parsed. The yaml package resolves every alias by scanning every
 * anchor and alias before it, and compares each mapping key with every other one, so both grow with
 * the square of their count; aliases can also repeat a node into billions of values ("billion
 * laughs") that the code reading the data would walk.
 */
export const YAML_LIMITS = {
  /** `&name` anchors plus `*name` aliases in one text. */
  anchorsAndAliases: 1000,
  /** Values aliases may add when the text is read as plain data. */
  aliasedValues: 100_000,
  /** Nesting of collections, counting what aliases bring in. */
  depth: 200,
};

/**
 * What one file of the rules folder (rules, stories, imported stories) may be: they are read and
 * parsed whole at every reload, so a bigger one blocks the service while it is parsed.
 */
export const RULES_FOLDER_FILE_MAX_BYTES = 1024 * 1024;

/** Where a text went wrong: 1-based line and column, and a sentence saying what to change. */
export interface YamlProblem {
  line: number;
  col: number;
  message: string;
}

export type BoundedYaml =
  | {doc: Document; lines: LineCounter; content: unknown; problem?: undefined}
  | {problem: YamlProblem};

/**
 * The one way a bounded text is parsed into a document. Whoever parses the same text again (to place
 * an error) calls this too, so every node sits where it sat the first time.
 */
export function parseYamlDocument(text: string, lines: LineCounter): Document {
  // Duplicate keys are checked by the shape check, in linear time.
  return parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: false});
}

/**
 * Parse `text` as one YAML document and read it as plain data, refusing (with the place) what would
 * take more than linear time or memory. Never throws for any input.
 */
export function parseBoundedYaml(text: string): BoundedYaml {
  const lines = new LineCounter();
  try {
    const doc = parseYamlDocument(text, lines);
    const syntax = doc.errors[0];
    if (syntax) {
      const pos = syntax.linePos?.[0] ?? lines.linePos(syntax.pos[0]);
      // The composer reports its own stack overflow this way.
      const message =
        syntax.code === "RESOURCE_EXHAUSTION"
          ? "YAML nested too deeply to read: flatten it"
          : `YAML syntax: ${syntax.message.split("\n")[0]}`;
      return {problem: {...pos, message}};
    }
    const refused = checkShape(doc);
    if (refused) return {problem: {...lines.linePos(refused.offset(text)), message: refused.message}};
    // Aliases were measured above, so the package's own (quadratic) alias accounting is off.
    return {doc, lines, content: doc.toJS({maxAliasCount: -1}) as unknown};
  } catch (err) {
    return {problem: {line: 1, col: 1, message: `YAML could not be read (${errorMessage(err)})`}};
  }
}

class Refusal {
  constructor(
    readonly node: Node,
    readonly message: string,
    /** Point at the node's `&name` rather than its value. */
    readonly atAnchor = false,
  ) {}

  offset(text: string): number {
    const start = this.node.range?.[0] ?? 0;
    if (!this.atAnchor || !this.node.anchor) return start;
    const anchor = text.lastIndexOf(`&${this.node.anchor}`, start);
    return anchor === -1 ? start : anchor;
  }
}

type Measure = {values: number; depth: number};

/**
 * One pass over the document in order, measuring each anchored node once: how many values and how
 * deep it is with its aliases expanded. Aliases then cost a lookup, so the pass is linear.
 */
function checkShape(doc: Document): Refusal | undefined {
  try {
    if (isNode(doc.contents)) new ShapeCheck().depthOf(doc.contents, 1);
    return undefined;
  } catch (err) {
    if (err instanceof Refusal) return err;
    throw err;
  }
}

/**
 * The pass itself, as methods rather than closures: it runs on every node of every rule file and
 * story, so it allocates nothing per node but what an anchored node needs remembered.
 */
class ShapeCheck {
  readonly #anchors = new Map<string, Node>();
  readonly #measured = new Map<Node, Measure>();
  readonly #open = new Set<Node>();
  #marks = 0;
  #aliased = 0;
  /** Values seen so far, aliases counted as what they expand to: a subtree's size is a difference. */
  #values = 0;

  /** How deep `node` goes (1 for a scalar), counting its values; throws a Refusal past a limit. */
  depthOf(node: Node, level: number): number {
    if (level > YAML_LIMITS.depth)
      throw new Refusal(node, `YAML nested more than ${YAML_LIMITS.depth} levels deep: flatten it`);
    if (isAlias(node)) return this.#alias(node, level);
    const anchored = node.anchor !== undefined;
    if (anchored) {
      this.#countMark(node);
      this.#anchors.set(node.anchor as string, node);
      this.#open.add(node);
    }
    const before = this.#values++;
    let depth = 1;
    if (isMap(node)) {
      const keys = node.items.length > 1 ? new Set<unknown>() : undefined;
      for (const pair of node.items) {
        if (keys && isScalar(pair.key)) {
          if (keys.has(pair.key.value)) throw new Refusal(pair.key, "YAML syntax: Map keys must be unique");
          keys.add(pair.key.value);
        }
        depth = Math.max(depth, this.#childDepth(pair.key, level), this.#childDepth(pair.value, level));
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        // A flow sequence may hold single pairs: `[a: 1]`.
        if (isPair(item))
          depth = Math.max(depth, this.#childDepth(item.key, level), this.#childDepth(item.value, level));
        else depth = Math.max(depth, this.#childDepth(item, level));
      }
    }
    if (anchored) {
      this.#open.delete(node);
      this.#measured.set(node, {values: this.#values - before, depth});
    }
    return depth;
  }

  #childDepth(child: unknown, level: number): number {
    return isNode(child) ? this.depthOf(child, level + 1) + 1 : 1;
  }

  #alias(node: Node & {source: string}, level: number): number {
    this.#countMark(node);
    const name = node.source;
    const target = this.#anchors.get(name);
    if (!target)
      throw new Refusal(node, `YAML alias '*${name}' has no anchor '&${name}' before it: define the anchor first`);
    if (this.#open.has(target))
      throw new Refusal(node, `YAML alias '*${name}' is inside the node it names, so it would never end: remove it`);
    const size = this.#measured.get(target) as Measure;
    this.#aliased += size.values;
    this.#values += size.values;
    if (this.#aliased > YAML_LIMITS.aliasedValues)
      throw new Refusal(
        node,
        `YAML alias '*${name}' takes the file past ${YAML_LIMITS.aliasedValues} values once aliases are expanded: use fewer aliases`,
      );
    if (level + size.depth - 1 > YAML_LIMITS.depth)
      throw new Refusal(node, `YAML nested more than ${YAML_LIMITS.depth} levels deep: flatten it`);
    return size.depth;
  }

  #countMark(node: Node): void {
    if (++this.#marks > YAML_LIMITS.anchorsAndAliases)
      throw new Refusal(
        node,
        `YAML anchors (&name) and aliases (*name): a file may hold ${YAML_LIMITS.anchorsAndAliases} in all: split it`,
        !isAlias(node),
      );
  }
}
