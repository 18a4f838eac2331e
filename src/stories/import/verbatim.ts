/**
 * Harlowe's verbatim markup: text between matching runs of backticks (`` `[[not a link]]` ``,
 * ``` ``a `quoted` word`` ```) is shown as it is, no markup read in it. The export writes what the
 * import would otherwise read as markup (link brackets, `//`, `*`, `$name`, `(print:`, `<b>`) so,
 * and the import reads it back as the same words.
 *
 * Every scan of a passage (links, macros, hooks, the narration's markup) runs on the text with each
 * verbatim span hidden: its guards dropped and each ASCII character of it moved to a private-use
 * character that no scan looks for, kept whole through the narration's whitespace folding too.
 * `shown` moves them back in what a scene says. One pass each way, whatever the backticks.
 */

/** Where the hidden ASCII characters live: U+E100 + their code. Beside the condition marks (U+E000…). */
const HIDDEN = 0xe100;
const ANY_HIDDEN = /[\uE100-\uE17F]/;
const HIDDEN_ALL = /[\uE100-\uE17F]/g;

/**
 * The passage text with its verbatim spans hidden. A run of backticks opens a span that the next
 * run of exactly as many closes; an opener with no closer is plain text. As in Markdown's code
 * spans, content with a space at both ends (and more than spaces) loses one at each: that is how a
 * backtick at a span's edge is written (`` `` ` `` ``) without running into its guard. A text already holding the hidden characters is read as it
 * is (its own would come back as ASCII).
 */
export function hideVerbatim(text: string): string {
  if (!text.includes("`") || ANY_HIDDEN.test(text)) return text;
  const runs = backtickRuns(text);
  // The next run of the same length closes a span (runs of other lengths are its content): each
  // run's closer found in one pass from the end, so unclosed openers cost no search each.
  const closer: number[] = [];
  const nextOfLength = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    const length = (runs[r] as Run).length;
    closer[r] = nextOfLength.get(length) ?? -1;
    nextOfLength.set(length, r);
  }
  let out = "";
  let from = 0;
  for (let r = 0; r < runs.length; r++) {
    const open = runs[r] as Run;
    const c = closer[r] as number;
    const close = runs[c];
    if (open.at < from || !close) continue;
    let content = text.slice(open.at + open.length, close.at);
    if (content.length > 2 && content.startsWith(" ") && content.endsWith(" ") && /[^ ]/.test(content))
      content = content.slice(1, -1);
    out += text.slice(from, open.at) + hide(content);
    from = close.at + close.length;
    r = c;
  }
  return out + text.slice(from);
}

/** What a scene says, with the hidden characters of its verbatim spans shown again. */
export function shown(text: string): string {
  return ANY_HIDDEN.test(text) ? text.replace(HIDDEN_ALL, (c) => String.fromCharCode(c.charCodeAt(0) - HIDDEN)) : text;
}

interface Run {
  at: number;
  length: number;
}

function backtickRuns(text: string): Run[] {
  const runs: Run[] = [];
  for (let i = text.indexOf("`"); i >= 0; i = text.indexOf("`", i)) {
    let end = i;
    while (text[end] === "`") end++;
    runs.push({at: i, length: end - i});
    i = end;
  }
  return runs;
}

function hide(content: string): string {
  let out = "";
  for (const c of content) {
    const code = c.charCodeAt(0);
    out += c.length === 1 && code < 0x80 ? String.fromCharCode(HIDDEN + code) : c;
  }
  return out;
}
