/**
 * `{{ … }}` expressions in rules: a small, safe subset of Jinja as Home Assistant users write it.
 * Literals, dotted and indexed paths, comparisons, `and`/`or`/`not`, `in`, arithmetic, `x if c
 * else y`, and a few filters. Parsed once at load into closures; nothing is ever `eval`ed.
 */
import {ownEntry} from "../core/ownKeys.js";

export type Scope = Record<string, unknown>;
type Node = (scope: Scope) => unknown;

export class ExpressionError extends Error {}

const FILTERS: Record<string, (value: unknown, ...args: unknown[]) => unknown> = {
  default: (v, d) => (v === undefined || v === null ? d : v),
  int: (v) => Math.trunc(Number(v)) || 0,
  float: (v) => Number(v) || 0,
  round: (v, digits = 0) => Number(Number(v).toFixed(Number(digits))),
  lower: (v) => String(v ?? "").toLowerCase(),
  upper: (v) => String(v ?? "").toUpperCase(),
  string: (v) => (v === undefined || v === null ? "" : String(v)),
  length: (v) =>
    Array.isArray(v) || typeof v === "string" ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0,
  abs: (v) => Math.abs(Number(v)),
  first: (v) => (Array.isArray(v) ? v[0] : undefined),
  last: (v) => (Array.isArray(v) ? v.at(-1) : undefined),
  tojson: (v) => JSON.stringify(v),
};
export const FILTER_NAMES = Object.keys(FILTERS);

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|[-+*/%<>()[\].,|]))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new ExpressionError(`unexpected '${source.slice(start).trim()[0]}' at position ${start + 1}`);
    tokens.push((match[1] ?? match[2] ?? match[3] ?? match[4]) as string);
  }
  return tokens;
}

/** Recursive descent over the tokens; each level returns a closure. */
class Parser {
  #i = 0;
  constructor(readonly tokens: string[]) {}

  parse(): Node {
    const node = this.#conditional();
    if (this.#i < this.tokens.length) throw new ExpressionError(`unexpected '${this.tokens[this.#i]}'`);
    return node;
  }

  #peek(): string | undefined {
    return this.tokens[this.#i];
  }

  #eat(token: string): boolean {
    if (this.tokens[this.#i] !== token) return false;
    this.#i++;
    return true;
  }

  #expect(token: string): void {
    if (!this.#eat(token))
      throw new ExpressionError(`expected '${token}' but found ${this.#peek() ? `'${this.#peek()}'` : "the end"}`);
  }

  #conditional(): Node {
    const then = this.#or();
    if (!this.#eat("if")) return then;
    const test = this.#or();
    const otherwise = this.#eat("else") ? this.#conditional() : () => undefined;
    return (s) => (truthy(test(s)) ? then(s) : otherwise(s));
  }

  #or(): Node {
    let left = this.#and();
    while (this.#eat("or")) {
      const a = left;
      const b = this.#and();
      left = (s) => (truthy(a(s)) ? a(s) : b(s));
    }
    return left;
  }

  #and(): Node {
    let left = this.#not();
    while (this.#eat("and")) {
      const a = left;
      const b = this.#not();
      left = (s) => (truthy(a(s)) ? b(s) : a(s));
    }
    return left;
  }

  #not(): Node {
    if (this.#eat("not")) {
      const inner = this.#not();
      return (s) => !truthy(inner(s));
    }
    return this.#comparison();
  }

  #comparison(): Node {
    const left = this.#additive();
    const op = this.#peek();
    if (op === "not" && this.tokens[this.#i + 1] === "in") {
      this.#i += 2;
      const right = this.#additive();
      return (s) => !contains(right(s), left(s));
    }
    if (!op || !["==", "!=", "<", "<=", ">", ">=", "in"].includes(op)) return left;
    this.#i++;
    const right = this.#additive();
    switch (op) {
      case "==":
        return (s) => equal(left(s), right(s));
      case "!=":
        return (s) => !equal(left(s), right(s));
      case "in":
        return (s) => contains(right(s), left(s));
      default:
        return (s) => compare(op, left(s), right(s));
    }
  }

  #additive(): Node {
    let left = this.#multiplicative();
    for (let op = this.#peek(); op === "+" || op === "-"; op = this.#peek()) {
      this.#i++;
      const a = left;
      const b = this.#multiplicative();
      left =
        op === "+"
          ? (s) => {
              const x = a(s);
              const y = b(s);
              return typeof x === "string" || typeof y === "string" ? `${x ?? ""}${y ?? ""}` : Number(x) + Number(y);
            }
          : (s) => Number(a(s)) - Number(b(s));
    }
    return left;
  }

  #multiplicative(): Node {
    let left = this.#unary();
    for (let op = this.#peek(); op === "*" || op === "/" || op === "%"; op = this.#peek()) {
      this.#i++;
      const a = left;
      const b = this.#unary();
      left = (s) => {
        const x = Number(a(s));
        const y = Number(b(s));
        return op === "*" ? x * y : op === "/" ? x / y : x % y;
      };
    }
    return left;
  }

  #unary(): Node {
    if (this.#eat("-")) {
      const inner = this.#unary();
      return (s) => -Number(inner(s));
    }
    return this.#filtered();
  }

  #filtered(): Node {
    let node = this.#postfix();
    while (this.#eat("|")) {
      const name = this.#peek() ?? "";
      const filter = ownEntry(FILTERS, name);
      if (!filter) throw new ExpressionError(`unknown filter '${name}': use one of ${FILTER_NAMES.join(", ")}`);
      this.#i++;
      const args: Node[] = [];
      if (this.#eat("(")) {
        if (!this.#eat(")")) {
          do args.push(this.#conditional());
          while (this.#eat(","));
          this.#expect(")");
        }
      }
      const input = node;
      node = (s) => filter(input(s), ...args.map((a) => a(s)));
    }
    return node;
  }

  #postfix(): Node {
    let node = this.#primary();
    for (;;) {
      if (this.#eat(".")) {
        const key = this.#peek();
        if (!key || !/^[A-Za-z_]\w*$/.test(key)) throw new ExpressionError(`expected a name after '.'`);
        this.#i++;
        const base = node;
        node = (s) => member(base(s), key);
      } else if (this.#eat("[")) {
        const index = this.#conditional();
        this.#expect("]");
        const base = node;
        node = (s) => member(base(s), index(s));
      } else return node;
    }
  }

  #primary(): Node {
    const token = this.#peek();
    if (token === undefined) throw new ExpressionError("the expression ends too early");
    this.#i++;
    if (token === "(") {
      const inner = this.#conditional();
      this.#expect(")");
      return inner;
    }
    if (token === "[") {
      const items: Node[] = [];
      if (!this.#eat("]")) {
        do items.push(this.#conditional());
        while (this.#eat(","));
        this.#expect("]");
      }
      return (s) => items.map((item) => item(s));
    }
    if (/^\d/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    if (token.startsWith('"') || token.startsWith("'")) {
      const value = token.slice(1, -1).replace(/\\(.)/g, "$1");
      return () => value;
    }
    if (token === "true" || token === "True") return () => true;
    if (token === "false" || token === "False") return () => false;
    if (token === "none" || token === "None" || token === "null") return () => null;
    if (/^[A-Za-z_]/.test(token)) return (s) => (Object.hasOwn(s, token) ? s[token] : undefined);
    throw new ExpressionError(`unexpected '${token}'`);
  }
}

function member(base: unknown, key: unknown): unknown {
  if (base === null || base === undefined) return undefined;
  if (typeof key !== "string" && typeof key !== "number") return undefined;
  // Own data only: no prototype walking, so `constructor` and friends stay out of reach.
  return typeof base === "object" && Object.hasOwn(base as object, key)
    ? (base as Record<string, unknown>)[key]
    : undefined;
}

function truthy(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : Boolean(v);
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "string" && b.trim() !== "") return a === Number(b);
  if (typeof b === "number" && typeof a === "string" && a.trim() !== "") return b === Number(a);
  return a === b || (a == null && b == null);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const [x, y] = typeof a === "string" && typeof b === "string" ? [a, b] : [Number(a), Number(b)];
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === "string") return haystack.includes(String(needle));
  if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
  return haystack !== null && typeof haystack === "object" && Object.hasOwn(haystack, String(needle));
}

/** Compile one expression (the text between `{{` and `}}`). Throws ExpressionError with the reason. */
export function compileExpression(source: string): Node {
  return new Parser(tokenize(source)).parse();
}

export function hasTemplate(value: unknown): boolean {
  return typeof value === "string" && value.includes("{{");
}

/**
 * A string that may hold `{{ }}`: a whole-string expression keeps its type (`"{{ 3 + 4 }}"` → 7),
 * mixed text renders to a string. Unbalanced braces are an error, not text.
 */
export function compileTemplate(text: string): (scope: Scope) => unknown {
  if (!text.includes("{{")) return () => text;
  const open = text.split("{{").length - 1;
  const close = text.split("}}").length - 1;
  if (open !== close) throw new ExpressionError("unbalanced '{{' and '}}'");
  const whole = /^\{\{([\s\S]*)\}\}$/.exec(text.trim());
  if (whole && !whole[1]?.includes("{{")) {
    const node = compileExpression(whole[1] as string);
    return (s) => node(s);
  }
  // Found with indexOf, not a lazy regular expression: that one rescans the rest of the text from
  // every '{{' without a '}}' after it, which is quadratic in a hostile rule file.
  const parts: Array<string | Node> = [];
  let last = 0;
  for (;;) {
    const open = text.indexOf("{{", last);
    const close = open < 0 ? -1 : text.indexOf("}}", open + 2);
    if (close < 0) break;
    parts.push(text.slice(last, open));
    parts.push(compileExpression(text.slice(open + 2, close)));
    last = close + 2;
  }
  parts.push(text.slice(last));
  return (s) =>
    parts
      .map((p) => {
        if (typeof p === "string") return p;
        const v = p(s);
        return v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
      })
      .join("");
}

/** Deep-compile a config value: every string with `{{ }}` becomes a template; the rest is kept. */
export function compileValue<T>(value: T): (scope: Scope) => T {
  if (typeof value === "string") {
    if (!value.includes("{{")) return () => value;
    const template = compileTemplate(value);
    return (s) => template(s) as T;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => compileValue(v));
    if (!value.some(containsTemplate)) return () => value;
    return (s) => items.map((item) => item(s)) as T;
  }
  if (value && typeof value === "object") {
    if (!containsTemplate(value)) return () => value;
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v)] as const);
    return (s) => Object.fromEntries(entries.map(([k, f]) => [k, f(s)])) as T;
  }
  return () => value;
}

export function containsTemplate(value: unknown): boolean {
  if (typeof value === "string") return value.includes("{{");
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (value && typeof value === "object") return Object.values(value).some(containsTemplate);
  return false;
}
