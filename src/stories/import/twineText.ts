/**
 * Reading a Twine passage's text without running any of it: its links in order, its variable
 * assignments and the macros it uses. Harlowe writes `(name: …)`, SugarCube `<<name …>>`; both are
 * only ever scanned here, never evaluated. Every scan is one pass over the text (no backtracking
 * pattern on user input).
 */

/** A link as written: `text` is what the menu reads, `target` the passage it leads to. */
export interface TwineLink {
  text: string;
  target: string;
  /** `[[|]]`: holds a button's place (left, right, end) and leads nowhere. */
  placeholder: boolean;
  /** Written inside an `(if:)` / `<<if>>` (or an else of one). */
  conditional: boolean;
  /**
   * The condition it is shown under, as the story format writes it (`$lit`, `not ($wet)`); the
   * enclosing ones joined with `and`. Undefined when unconditional, or inside an else, which has none.
   */
  condition?: string;
}

/**
 * `[[Target]]`, `[[text|Target]]`, `[[text->Target]]`, `[[Target<-text]]`; a SugarCube setter
 * (`[[text|Target][$x to 1]]`) is dropped from the target. As in Harlowe, the rightmost `->` and
 * the leftmost `<-` split a link.
 */
export function parseLink(inner: string): Omit<TwineLink, "conditional" | "condition"> {
  const bar = inner.indexOf("|");
  let text: string;
  let target: string;
  if (bar >= 0) {
    text = inner.slice(0, bar);
    target = inner.slice(bar + 1);
  } else if (inner.lastIndexOf("->") >= 0) {
    const arrow = inner.lastIndexOf("->");
    text = inner.slice(0, arrow);
    target = inner.slice(arrow + 2);
  } else if (inner.indexOf("<-") >= 0) {
    const arrow = inner.indexOf("<-");
    target = inner.slice(0, arrow);
    text = inner.slice(arrow + 2);
  } else {
    text = inner;
    target = inner;
  }
  const setter = target.indexOf("][");
  if (setter >= 0) target = target.slice(0, setter);
  target = target.trim();
  return {text: text.trim(), target, placeholder: target === ""};
}

/** The passage's links in the order written, each with the conditions it sits inside. */
export function linksOf(text: string): TwineLink[] {
  const found: Array<{at: number; link: Omit<TwineLink, "conditional" | "condition">}> = [];
  for (let at = text.indexOf("[["); at >= 0; at = text.indexOf("[[", at)) {
    // `(if: $x)[[[Go]]]`: a hook's bracket, then the link.
    while (text[at + 2] === "[") at++;
    const close = text.indexOf("]]", at + 2);
    if (close < 0) break;
    // A setter link `[[a|b][$x to 1]]` closes at the last `]]` of its run.
    let end = close;
    for (
      let next = text.indexOf("]]", end + 2);
      text.startsWith("][", end) && next >= 0;
      next = text.indexOf("]]", end + 2)
    )
      end = next;
    found.push({at, link: parseLink(text.slice(at + 2, end))});
    at = end + 2;
  }
  // One sweep over the links and the conditional spans, both in text order: a stack of the open spans.
  const spans = conditionalRanges(text);
  const open: ConditionalSpan[] = [];
  let next = 0;
  return found.map(({at, link}) => {
    while (next < spans.length && (spans[next] as ConditionalSpan).from < at) {
      const span = spans[next++] as ConditionalSpan;
      while (open.length > 0 && (open.at(-1) as ConditionalSpan).to <= span.from) open.pop();
      open.push(span);
    }
    while (open.length > 0 && (open.at(-1) as ConditionalSpan).to <= at) open.pop();
    // Nested deeper than a story needs: conditional, but not read (and no work per link beyond this).
    const around = open.length <= MAX_NESTING ? open.filter((span) => span.to > at) : open;
    if (around.length === 0) return {...link, conditional: false};
    const known = around.length <= MAX_NESTING && around.every((span) => span.condition !== undefined);
    // Joined only when read: joining every open span for every link grew with links times depth.
    if (!known) return {...link, conditional: true};
    const joined = around.map((span) => (around.length > 1 ? `(${span.condition})` : span.condition)).join(" and ");
    return {...link, conditional: true, condition: joined};
  });
}

export interface Assignment {
  name: string;
  /** The value when it is a plain literal (number, quoted text, true/false); otherwise undefined. */
  value: unknown;
  /** What it is set to, as written (`$hoots + 1`). */
  expression: string;
  /** Where its `(set:)` starts in the passage text. */
  at: number;
}

/** Harlowe `(set: $x to …)` and SugarCube `<<set $x to …>>` (also `=` and `$x to` lists). */
export function assignmentsOf(text: string): Assignment[] {
  const out: Assignment[] = [];
  for (const macro of macrosOf(text)) {
    if (macro.name !== "set") continue;
    // A set's arguments hold the sets nested in it (or, unclosed, the rest of the passage): only
    // their start is read, so nested sets are not read again for each one around them.
    const cut = macro.args.length > MAX_SET_CHARS;
    const parts = splitTopLevel(cut ? macro.args.slice(0, MAX_SET_CHARS) : macro.args);
    for (const [index, part] of parts.entries()) {
      const match = /^\s*[$_]([A-Za-z_][A-Za-z0-9_]*)\s*(?:to\b|=)\s*([\s\S]*)$/.exec(part);
      if (!match) continue;
      // The part the cut ends in is not all there: its value is not known.
      const value = cut && index === parts.length - 1 ? undefined : literal((match[2] as string).trim());
      // What it is set to, as written (the warning names the variable beside it).
      const expression = (match[2] as string).trim();
      out.push({
        name: match[1] as string,
        value,
        expression: expression.length > EXPRESSION_SHOWN ? `${expression.slice(0, EXPRESSION_SHOWN - 1)}…` : expression,
        at: macro.at,
      });
    }
  }
  return out;
}

/** How much of a set's arguments is read: far more than any plain value needs. */
const MAX_SET_CHARS = 500;
/** How much of an expression a warning shows. */
const EXPRESSION_SHOWN = 100;

export interface Macro {
  name: string;
  args: string;
  /** Where it starts in the passage text (for line numbers). */
  at: number;
}

/** Every `(name: …)` and `<<name …>>` in the text, closing tags (`<</if>>`) left out. */
export function macrosOf(text: string): Macro[] {
  const out: Macro[] = [];
  const parens = pairs(text, "(", ")");
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("<<", i)) {
      const close = text.indexOf(">>", i + 2);
      if (close < 0) break;
      const body = text.slice(i + 2, close);
      const name = /^[A-Za-z][\w-]*/.exec(body)?.[0];
      if (name) out.push({name: name.toLowerCase(), args: body.slice(name.length), at: i});
      i = close + 1;
    } else if (text[i] === "(") {
      const name = /^\(([A-Za-z][\w-]*):/.exec(text.slice(i, i + 40))?.[1];
      if (!name) continue;
      const close = parens.get(i) ?? -1;
      out.push({
        name: name.toLowerCase(),
        args: text.slice(i + name.length + 2, close < 0 ? text.length : close),
        at: i,
      });
    }
  }
  return out;
}

/** Macros the importer understands; any other is listed in the warnings (and never run). */
export const KNOWN_MACROS = new Set(["set", "if", "else-if", "elseif", "else", "unless", "endif"]);

/** The line (1-based) of a position in the text. */
export function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

interface ConditionalSpan {
  from: number;
  to: number;
  /** Undefined for an else: it holds when the ones before it do not, which is not kept here. */
  condition?: string;
}

const CONDITIONALS = new Set(["if", "else-if", "else", "unless", "elseif"]);
/** Conditions inside conditions this deep are read; deeper links are conditional but not read. */
const MAX_NESTING = 8;

/**
 * Spans of text inside a conditional, in text order: Harlowe's hook right after `(if:)`,
 * SugarCube's `<<if>>` up to the next `<<elseif>>`, `<<else>>` or `<</if>>`. Every bracket is
 * matched in one pass beforehand, so no span is looked for more than once.
 */
function conditionalRanges(text: string): ConditionalSpan[] {
  const spans: ConditionalSpan[] = [];
  const brackets = pairs(text, "[", "]");
  const parens = pairs(text, "(", ")");
  const macros = macrosOf(text).filter((m) => CONDITIONALS.has(m.name));
  const ends = positionsOf(text, "<</if>>");
  let end = 0;
  for (const [index, macro] of macros.entries()) {
    const condition = conditionText(macro);
    if (text.startsWith("<<", macro.at)) {
      // Up to the next branch of the same <<if>> (or its end): both are met in text order.
      while (end < ends.length && (ends[end] as number) < macro.at) end++;
      const after = macros[index + 1];
      const to = Math.min(after && text.startsWith("<<", after.at) ? after.at : text.length, ends[end] ?? text.length);
      spans.push({from: macro.at, to, condition});
    } else {
      let hook = (parens.get(macro.at) ?? text.length) + 1;
      while (text[hook] === " " || text[hook] === "\t") hook++;
      // A hook that never closes is no span (Harlowe would refuse the passage).
      const close = brackets.get(hook);
      if (text[hook] === "[" && close !== undefined) spans.push({from: hook, to: close, condition});
    }
  }
  return spans.sort((a, b) => a.from - b.from);
}

/** The condition a conditional macro states (`unless` negated); none for an `else`. */
function conditionText(macro: Macro): string | undefined {
  const args = macro.args.trim();
  // An else (if) holds only when the branches before it do not: not kept here.
  if (macro.name !== "if" && macro.name !== "unless") return undefined;
  if (!args) return undefined;
  return macro.name === "unless" ? `not (${args})` : args;
}

function positionsOf(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

/** Each opener's matching closer, found in one pass with a stack (unmatched openers are absent). */
export function pairs(text: string, opener: string, closer: string): Map<number, number> {
  const out = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === opener) stack.push(i);
    else if (text[i] === closer && stack.length > 0) out.set(stack.pop() as number, i);
  }
  return out;
}

function splitTopLevel(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let from = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i] as string;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if ((c === "," || c === ";") && depth === 0) {
      parts.push(args.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(args.slice(from));
  return parts;
}

function literal(expression: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(expression)) return Number(expression);
  if (expression === "true" || expression === "false") return expression === "true";
  const quoted = /^"([^"]*)"$|^'([^']*)'$/.exec(expression);
  if (quoted) return quoted[1] ?? quoted[2];
  return undefined;
}
