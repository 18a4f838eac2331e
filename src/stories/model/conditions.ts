/**
 * Story conditions, as Twine's story formats write them in `(if:)` and `<<if>>`: `$lantern`,
 * `not $wet`, `$apples is 2`, `$name is not "Ann"`, `$coins >= 3 and $map`. Read once into a tree
 * by one pass over the text and evaluated against the story's variables; nothing is ever run.
 */
export type Condition =
  | {kind: "value"; value: unknown}
  | {kind: "variable"; name: string}
  | {kind: "not"; of: Condition}
  | {kind: "and" | "or"; left: Condition; right: Condition}
  | {kind: "compare"; op: CompareOp; left: Condition; right: Condition};

type CompareOp = "==" | "!=" | ">" | "<" | ">=" | "<=";

export const MAX_CONDITION_CHARS = 500;

const OPERATORS: Record<string, CompareOp> = {
  is: "==",
  eq: "==",
  "==": "==",
  "===": "==",
  "is not": "!=",
  neq: "!=",
  "!=": "!=",
  "!==": "!=",
  ">": ">",
  gt: ">",
  "<": "<",
  lt: "<",
  ">=": ">=",
  gte: ">=",
  "<=": "<=",
  lte: "<=",
};

type Token = {kind: "word" | "variable" | "number" | "string" | "symbol"; text: string};

/** A condition read from its text, or why it cannot be read. */
export function parseCondition(text: string): {condition: Condition} | {error: string} {
  if (text.length > MAX_CONDITION_CHARS) return {error: `a condition is at most ${MAX_CONDITION_CHARS} characters`};
  const tokens = tokenize(text);
  if ("error" in tokens) return tokens;
  const reader = new Reader(tokens);
  try {
    const condition = reader.or();
    if (!reader.done()) throw new Error(`'${reader.peek()?.text}' is not understood here`);
    return {condition};
  } catch (err) {
    return {error: err instanceof Error ? err.message : String(err)};
  }
}

/** Whether a condition's text holds (a condition that cannot be read holds: the exit is taken, as on a card). */
export function conditionHolds(text: string, variables: Record<string, unknown>): boolean {
  const parsed = parseCondition(text);
  return "error" in parsed || holds(parsed.condition, variables);
}

/** Whether a condition holds for these variables (an unknown variable is empty: false, 0, ""). */
export function holds(condition: Condition, variables: Record<string, unknown>): boolean {
  return Boolean(evaluate(condition, variables));
}

function evaluate(c: Condition, vars: Record<string, unknown>): unknown {
  switch (c.kind) {
    case "value":
      return c.value;
    case "variable":
      return Object.hasOwn(vars, c.name) ? vars[c.name] : undefined;
    case "not":
      return !evaluate(c.of, vars);
    case "and":
      return Boolean(evaluate(c.left, vars)) && Boolean(evaluate(c.right, vars));
    case "or":
      return Boolean(evaluate(c.left, vars)) || Boolean(evaluate(c.right, vars));
    case "compare":
      return compare(c.op, evaluate(c.left, vars), evaluate(c.right, vars));
  }
}

function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  if (op === "==") return a === b;
  if (op === "!=") return a !== b;
  const [x, y] = typeof a === "string" && typeof b === "string" ? [a, b] : [Number(a ?? 0), Number(b ?? 0)];
  if (op === ">") return x > y;
  if (op === "<") return x < y;
  if (op === ">=") return x >= y;
  return x <= y;
}

function tokenize(text: string): Token[] | {error: string} {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return {error: `the text starting ${c} is not closed`};
      tokens.push({kind: "string", text: text.slice(i + 1, close)});
      i = close + 1;
      continue;
    }
    if (c === "$" || c === "_" || /[A-Za-z]/.test(c)) {
      i++;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
      const word = text.slice(start, i);
      tokens.push({kind: c === "$" || c === "_" ? "variable" : "word", text: word});
      continue;
    }
    if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(text[i + 1] ?? ""))) {
      i++;
      while (i < text.length && /[0-9.]/.test(text[i] as string)) i++;
      tokens.push({kind: "number", text: text.slice(start, i)});
      continue;
    }
    const symbol = ["===", "!==", "==", "!=", ">=", "<=", "&&", "||", ">", "<", "!", "(", ")"].find((s) =>
      text.startsWith(s, i),
    );
    if (!symbol) return {error: `'${c}' is not understood in a condition`};
    tokens.push({kind: "symbol", text: symbol});
    i += symbol.length;
  }
  return tokens;
}

/** A recursive-descent reader: or → and → not → comparison → value. Each token is read once. */
class Reader {
  readonly #tokens: Token[];
  #at = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  done(): boolean {
    return this.#at >= this.#tokens.length;
  }

  peek(): Token | undefined {
    return this.#tokens[this.#at];
  }

  or(): Condition {
    let left = this.and();
    while (this.#take("or", "||")) left = {kind: "or", left, right: this.and()};
    return left;
  }

  and(): Condition {
    let left = this.not();
    while (this.#take("and", "&&")) left = {kind: "and", left, right: this.not()};
    return left;
  }

  not(): Condition {
    if (this.#take("not", "!")) return {kind: "not", of: this.not()};
    return this.comparison();
  }

  comparison(): Condition {
    const left = this.value();
    const next = this.peek();
    if (!next) return left;
    let op = Object.hasOwn(OPERATORS, next.text) && next.kind !== "string" ? next.text : undefined;
    if (op === "is" && this.#tokens[this.#at + 1]?.text === "not") {
      this.#at++;
      op = "is not";
    }
    if (!op) return left;
    this.#at++;
    return {kind: "compare", op: OPERATORS[op] as CompareOp, left, right: this.value()};
  }

  value(): Condition {
    const token = this.#tokens[this.#at++];
    if (!token) throw new Error("the condition ends too soon");
    if (token.kind === "variable") return {kind: "variable", name: token.text.slice(1)};
    if (token.kind === "number") return {kind: "value", value: Number(token.text)};
    if (token.kind === "string") return {kind: "value", value: token.text};
    if (token.text === "true" || token.text === "false") return {kind: "value", value: token.text === "true"};
    if (token.text === "(") {
      const inner = this.or();
      if (!this.#take(")")) throw new Error("a '(' is not closed");
      return inner;
    }
    throw new Error(`'${token.text}' is not a variable, a number, text, true or false`);
  }

  #take(...texts: string[]): boolean {
    const token = this.peek();
    if (!token || token.kind === "string" || !texts.includes(token.text)) return false;
    this.#at++;
    return true;
  }
}
