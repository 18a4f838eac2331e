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
 * Parse `text` as one YAML document and read it as plain data, refusing (with the place) what would
 * take more than linear time or memory. Never throws for any input.
 */
export function parseBoundedYaml(text: string): BoundedYaml {
  const lines = new LineCounter();
  try {
    // Duplicate keys are checked below, in linear time.
    const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: false});
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
  const anchors = new Map<string, Node>();
  const measured = new Map<Node, Measure>();
  const open = new Set<Node>();
  let marks = 0;
  let aliased = 0;

  const countMark = (node: Node) => {
    if (++marks > YAML_LIMITS.anchorsAndAliases)
      throw new Refusal(
        node,
        `YAML anchors (&name) and aliases (*name): a file may hold ${YAML_LIMITS.anchorsAndAliases} in all: split it`,
        !isAlias(node),
      );
  };

  const measure = (node: Node, level: number): Measure => {
    if (level > YAML_LIMITS.depth)
      throw new Refusal(node, `YAML nested more than ${YAML_LIMITS.depth} levels deep: flatten it`);
    if (isAlias(node)) {
      countMark(node);
      const name = node.source;
      const target = anchors.get(name);
      if (!target)
        throw new Refusal(node, `YAML alias '*${name}' has no anchor '&${name}' before it: define the anchor first`);
      if (open.has(target))
        throw new Refusal(node, `YAML alias '*${name}' is inside the node it names, so it would never end: remove it`);
      const size = measured.get(target) as Measure;
      aliased += size.values;
      if (aliased > YAML_LIMITS.aliasedValues)
        throw new Refusal(
          node,
          `YAML alias '*${name}' takes the file past ${YAML_LIMITS.aliasedValues} values once aliases are expanded: use fewer aliases`,
        );
      if (level + size.depth - 1 > YAML_LIMITS.depth)
        throw new Refusal(node, `YAML nested more than ${YAML_LIMITS.depth} levels deep: flatten it`);
      return size;
    }
    if (node.anchor) {
      countMark(node);
      anchors.set(node.anchor, node);
      open.add(node);
    }
    const size: Measure = {values: 1, depth: 1};
    const add = (child: unknown) => {
      if (!isNode(child)) return;
      const inner = measure(child, level + 1);
      size.values += inner.values;
      size.depth = Math.max(size.depth, inner.depth + 1);
    };
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          if (keys.has(pair.key.value)) throw new Refusal(pair.key, "YAML syntax: Map keys must be unique");
          keys.add(pair.key.value);
        }
        add(pair.key);
        add(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        // A flow sequence may hold single pairs: `[a: 1]`.
        if (isPair(item)) {
          add(item.key);
          add(item.value);
        } else add(item);
      }
    }
    if (node.anchor) {
      open.delete(node);
      measured.set(node, size);
    }
    return size;
  };

  try {
    if (isNode(doc.contents)) measure(doc.contents, 1);
    return undefined;
  } catch (err) {
    if (err instanceof Refusal) return err;
    throw err;
  }
}
