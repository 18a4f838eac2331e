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
  /** Written inside an `(if:)` / `<<if>>`: taken unconditionally for now. */
  conditional: boolean;
}

/**
 * `[[Target]]`, `[[text|Target]]`, `[[text->Target]]`, `[[Target<-text]]`; a SugarCube setter
 * (`[[text|Target][$x to 1]]`) is dropped from the target. As in Harlowe, the rightmost `->` and
 * the leftmost `<-` split a link.
 */
export function parseLink(inner: string): Omit<TwineLink, "conditional"> {
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

/** The passage's links in the order written. */
export function linksOf(text: string): TwineLink[] {
  const links: TwineLink[] = [];
  const ifs = conditionalRanges(text);
  for (let at = text.indexOf("[["); at >= 0; at = text.indexOf("[[", at)) {
    const close = text.indexOf("]]", at + 2);
    if (close < 0) break;
    // A setter link `[[a|b][$x to 1]]` closes at the last `]]` of its run.
    let end = close;
    while (text.startsWith("][", end) && text.indexOf("]]", end + 2) >= 0) end = text.indexOf("]]", end + 2);
    links.push({...parseLink(text.slice(at + 2, end)), conditional: ifs.some(([from, to]) => at > from && at < to)});
    at = end + 2;
  }
  return links;
}

export interface Assignment {
  name: string;
  /** The value when it is a plain literal (number, quoted text, true/false); otherwise undefined. */
  value: unknown;
  expression: string;
}

/** Harlowe `(set: $x to …)` and SugarCube `<<set $x to …>>` (also `=` and `$x to` lists). */
export function assignmentsOf(text: string): Assignment[] {
  const out: Assignment[] = [];
  for (const macro of macrosOf(text)) {
    if (macro.name !== "set") continue;
    for (const part of splitTopLevel(macro.args)) {
      const match = /^\s*[$_]([A-Za-z_][A-Za-z0-9_]*)\s*(?:to\b|=)\s*([\s\S]*)$/.exec(part);
      if (match)
        out.push({name: match[1] as string, value: literal((match[2] as string).trim()), expression: part.trim()});
    }
  }
  return out;
}

export interface Macro {
  name: string;
  args: string;
  /** Where it starts in the passage text (for line numbers). */
  at: number;
}

/** Every `(name: …)` and `<<name …>>` in the text, closing tags (`<</if>>`) left out. */
export function macrosOf(text: string): Macro[] {
  const out: Macro[] = [];
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
      const close = matchingParen(text, i);
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

/** Spans of text inside a conditional: Harlowe's hook after `(if:)`, SugarCube's `<<if>>…<</if>>`. */
function conditionalRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const macro of macrosOf(text)) {
    if (!["if", "else-if", "else", "unless", "elseif"].includes(macro.name)) continue;
    if (text.startsWith("<<", macro.at)) {
      const end = text.indexOf("<</if>>", macro.at);
      ranges.push([macro.at, end < 0 ? text.length : end]);
    } else {
      const hook = text.indexOf("[", matchingParen(text, macro.at));
      if (hook >= 0) ranges.push([hook, matchingBracket(text, hook)]);
    }
  }
  return ranges;
}

function matchingParen(text: string, open: number): number {
  return matching(text, open, "(", ")");
}

function matchingBracket(text: string, open: number): number {
  const at = matching(text, open, "[", "]");
  return at < 0 ? text.length : at;
}

function matching(text: string, open: number, opener: string, closer: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === opener) depth++;
    else if (text[i] === closer && --depth === 0) return i;
  }
  return -1;
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
