/**
 * A passage's text as it would be read aloud: links become their words, macros, HTML tags and
 * Twine markup are dropped (links too when a menu reads them instead). Nothing is rendered or run; this is the text the narration will speak.
 */
export function narrationOf(text: string, sayLinks = true): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const skip = skipMarkup(text, i, sayLinks);
    if (skip.to > i) {
      out += skip.say;
      i = skip.to - 1;
    } else out += text[i];
  }
  return out
    .replace(/[*_~^]{1,2}|''|\/\//g, "")
    .replace(/[ \t]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
}

function skipMarkup(text: string, i: number, sayLinks: boolean): {to: number; say: string} {
  const none = {to: i, say: ""};
  if (text.startsWith("[[", i)) {
    const close = text.indexOf("]]", i + 2);
    if (close < 0) return none;
    const inner = text.slice(i + 2, close);
    const bar = inner.indexOf("|");
    const arrow = inner.lastIndexOf("->");
    const back = inner.indexOf("<-");
    const words =
      bar >= 0 ? inner.slice(0, bar) : arrow >= 0 ? inner.slice(0, arrow) : back >= 0 ? inner.slice(back + 2) : inner;
    return {to: close + 2, say: sayLinks ? words.trim() : ""};
  }
  if (text.startsWith("<<", i)) {
    const close = text.indexOf(">>", i + 2);
    return close < 0 ? none : {to: close + 2, say: ""};
  }
  const element = /^<(script|style)\b/i.exec(text.slice(i, i + 8))?.[1];
  if (element) {
    const close = text.toLowerCase().indexOf(`</${element.toLowerCase()}>`, i);
    return {to: close < 0 ? text.length : close + element.length + 3, say: ""};
  }
  if (text[i] === "<" && /^<\/?[A-Za-z!]/.test(text.slice(i, i + 3))) {
    const close = text.indexOf(">", i + 1);
    return close < 0 ? none : {to: close + 1, say: ""};
  }
  if (text[i] === "(" && /^\([A-Za-z][\w-]*:/.test(text.slice(i, i + 40))) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      if (text[j] === "(") depth++;
      else if (text[j] === ")" && --depth === 0) return {to: j + 1, say: ""};
    }
  }
  return none;
}
