import type {SayPart} from "../../shared/api/stories.js";
import {type Condition, parseCondition} from "../model/conditions.js";

/**
 * A story's conditions, values and text written as Harlowe, the story format an export names: so
 * Twine shows them as the author meant, and the Twine import (../import/) reads back the same
 * condition, the same value, the same words.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The plain numbers the import reads back as numbers. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** The import reads only this much of a `(set:)`: longer text is not a plain value there. */
const MAX_TEXT_VALUE = 400;

/** Whether a story variable's name can be written as `$name`. */
export function isVariableName(name: string): boolean {
  return NAME.test(name);
}

/**
 * A value the import reads back as itself (a number, text, true or false), in Harlowe; undefined
 * for anything else (lists, mappings, empty), which Harlowe's `(set:)` has no plain form for.
 */
export function harloweValue(value: unknown): string | undefined {
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return PLAIN_NUMBER.test(String(value)) ? String(value) : undefined;
  if (typeof value !== "string" || value.length > MAX_TEXT_VALUE || !balanced(value)) return undefined;
  if (!value.includes('"')) return `"${value}"`;
  return value.includes("'") ? undefined : `'${value}'`;
}

/**
 * A condition as Harlowe writes it (`is`, `is not`, `and`, `or`, `not`, `>=`): our `eq`, `gt`,
 * `==`, `&&` and `!` are Harlowe's words, and nested ones keep their parentheses. What cannot be
 * said so and read back the same is written as it is.
 */
export function harloweCondition(text: string): string {
  const parsed = parseCondition(text);
  if ("error" in parsed) return text.trim();
  const written = write(parsed.condition);
  const again = parseCondition(written);
  return "condition" in again && same(again.condition, parsed.condition) ? written : text.trim();
}

/**
 * What Harlowe or the import would read as markup rather than words: link and hook brackets, the
 * emphasis marks the import drops (`*`, `_`, `~`, `^`, `''`, `//`), what would start a macro
 * (`(name:`, `<<`), an HTML tag or comment (`<b`, `<!`), a printed variable (`$name`), Harlowe's
 * whitespace-collapsing braces, and backticks themselves. Marks side by side are one run.
 */
const MARKUP = /(?:\[|\]|\{|\}|[*_~^]|''+|\/\/+|`|<(?=[<A-Za-z!/])|\((?=[A-Za-z][\w-]*:)|\$(?=[A-Za-z_]))+/g;

/**
 * Text as Harlowe and the import read it as the same words: each run of markup is written in
 * Harlowe's verbatim markup (between backticks, one more than the longest run of backticks in it;
 * a space inside each guard where it starts or ends with one), which Twine shows as it is and the
 * import reads back as it is (../import/verbatim.ts). A passage header (`::` at a line's start)
 * is parted by a space, which the import drops again with the line's edge.
 */
export function harloweText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(MARKUP, verbatim)
    .replace(/^(?=::)/gm, " ");
}

function verbatim(run: string): string {
  // Folded, not spread: a run may hold more backtick runs than a call takes arguments.
  const longest = (run.match(/`+/g) ?? []).reduce((most, ticks) => Math.max(most, ticks.length), 0);
  const guard = "`".repeat(longest + 1);
  const pad = run.startsWith("`") || run.endsWith("`") ? " " : "";
  return `${guard}${pad}${run}${pad}${guard}`;
}

/** A scene's text with conditions: `(if: …)[…](else:)[…]`, nested as written. */
export function harloweParts(parts: readonly SayPart[]): string {
  let out = "";
  for (const part of parts) {
    const piece =
      typeof part === "string"
        ? harloweText(part)
        : `(if: ${harloweCondition(part.if)})[${harloweParts(part.say)}]${part.else ? `(else:)[${harloweParts(part.else)}]` : ""}`;
    // Words either side of a hook stay apart, as the scene reads them.
    out += out && !/\s$/.test(out) && !/^[\s.,!?;:]/.test(piece) ? ` ${piece}` : piece;
  }
  return out;
}

const OPERATORS = {"==": "is", "!=": "is not", ">": ">", "<": "<", ">=": ">=", "<=": "<="} as const;

function write(c: Condition): string {
  switch (c.kind) {
    case "value":
      return typeof c.value === "string" ? quoted(c.value) : String(c.value);
    case "variable":
      return `$${c.name}`;
    case "not":
      return `not ${atom(c.of) ? write(c.of) : `(${write(c.of)})`}`;
    case "compare":
      return `${operand(c.left)} ${OPERATORS[c.op]} ${operand(c.right)}`;
    default: {
      // The left side of `a and b and c` is read first without parentheses; anything else of
      // another kind, or a bare value (Harlowe reads `$a is 1 or 2` as `$a is 1 or $a is 2`), has them.
      const side = (s: Condition, left: boolean) =>
        (s.kind === c.kind && left) || (s.kind !== c.kind && s.kind !== "and" && s.kind !== "or" && s.kind !== "value")
          ? write(s)
          : `(${write(s)})`;
      return `${side(c.left, true)} ${c.kind} ${side(c.right, false)}`;
    }
  }
}

function operand(c: Condition): string {
  return atom(c) ? write(c) : `(${write(c)})`;
}

function atom(c: Condition): boolean {
  return c.kind === "value" || c.kind === "variable";
}

function quoted(text: string): string {
  return text.includes('"') ? `'${text}'` : `"${text}"`;
}

function same(a: Condition, b: Condition): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Parentheses in a `(set:)`'s text close the macro where they do not pair up. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === "(") depth++;
    else if (c === ")" && --depth < 0) return false;
  }
  return depth === 0;
}
