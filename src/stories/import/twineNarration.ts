import {pairs} from "./twineText.js";

/**
 * A passage's text as it would be read aloud: links become their words (or nothing, when the
 * buttons' prompts read them), macros, HTML tags, script and style elements and Twine markup are
 * dropped, and a Harlowe hook's brackets go with its macro (its words stay: the narration cannot
 * know which branch a reader takes). Nothing is rendered or run. One pass over the text: every
 * closing mark is found from precomputed positions, never by searching again from each opening.
 */
export function narrationOf(text: string, sayLinks = true): string {
  const parens = pairs(text, "(", ")");
  const brackets = pairs(text, "[", "]");
  const lower = text.toLowerCase();
  const next = {
    link: after(text, "]]"),
    macro: after(text, ">>"),
    tag: after(text, ">"),
    script: after(lower, "</script>"),
    style: after(lower, "</style>"),
  };
  /** Closing brackets of hooks whose macro was dropped. */
  const dropped = new Set<number>();
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (dropped.has(i)) {
      out += " ";
      i++;
      continue;
    }
    const c = text[i] as string;
    let to = -1;
    // What is dropped leaves a space, so words on either side stay apart.
    let say = " ";
    // `[[[Go]]]` is a hook holding a link: the link starts at the last two brackets.
    if (c === "[" && text[i + 1] === "[" && text[i + 2] !== "[") {
      const close = next.link(i + 2);
      if (close >= 0) {
        to = close + 2;
        say = sayLinks ? linkWords(text.slice(i + 2, close)) : " ";
      }
    } else if (c === "<" && text[i + 1] === "<") {
      const close = next.macro(i + 2);
      if (close >= 0) to = close + 2;
    } else if (c === "<" && (lower.startsWith("<script", i) || lower.startsWith("<style", i))) {
      const script = lower.startsWith("<script", i);
      const close = script ? next.script(i) : next.style(i);
      to = close < 0 ? text.length : close + (script ? 9 : 8);
    } else if (c === "<" && /[A-Za-z!/]/.test(text[i + 1] ?? "")) {
      const close = next.tag(i + 1);
      if (close >= 0) to = close + 1;
    } else if (c === "(" && /^\([A-Za-z][\w-]*:/.test(text.slice(i, i + 40))) {
      const close = parens.get(i);
      if (close !== undefined) {
        to = close + 1;
        let hook = to;
        while (text[hook] === " " || text[hook] === "\t") hook++;
        const isHook = text[hook] === "[" && (text[hook + 1] !== "[" || text[hook + 2] === "[");
        const end = isHook ? brackets.get(hook) : undefined;
        if (end !== undefined) {
          dropped.add(end);
          to = hook + 1;
        }
      }
    }
    if (to > i) {
      out += say;
      i = to;
    } else {
      out += c;
      i++;
    }
  }
  return out
    .replace(/[*_~^]{1,2}|''|\/\//g, "")
    .replace(/[ \t]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
}

/** What a link says: its text (`[[text|Target]]`, `[[text->Target]]`, `[[Target<-text]]`), else its target. */
function linkWords(inner: string): string {
  const bar = inner.indexOf("|");
  const arrow = inner.lastIndexOf("->");
  const back = inner.indexOf("<-");
  const words =
    bar >= 0 ? inner.slice(0, bar) : arrow >= 0 ? inner.slice(0, arrow) : back >= 0 ? inner.slice(back + 2) : inner;
  return words.trim();
}

/**
 * The first place `needle` starts at or after a position, for positions that only grow: the
 * positions are listed once and walked with a pointer, so all lookups together are linear.
 */
function after(text: string, needle: string): (from: number) => number {
  const positions: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) positions.push(at);
  let k = 0;
  return (from) => {
    while (k < positions.length && (positions[k] as number) < from) k++;
    return positions[k] ?? -1;
  };
}
