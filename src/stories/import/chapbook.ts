/**
 * Chapbook passages read as the rest of the importer reads Harlowe: a vars section (`frogs: 1`
 * lines above a `--` line) becomes `(set: $frogs to 1)`, an insert of a variable (`{frogs}`)
 * becomes `$frogs`, and modifiers (`[if frogs > 0]` … `[else]` … `[continue]`) become `(if:)`
 * hooks around the text they govern. Nothing is evaluated here; one pass over the passage's lines.
 */
export function fromChapbook(text: string): {text: string; unread: string[]; conditionalSets: ConditionalSet[]} {
  const unread: string[] = [];
  const conditionalSets: ConditionalSet[] = [];
  // A Twee file saved on Windows has CRLF line ends: its `--` line is still the divider.
  const lines = text.split(/\r?\n/);
  const divider = lines.indexOf("--");
  let body = lines;
  let sets: string[] = [];
  if (divider > 0 && lines.slice(0, divider).every((l) => VAR_LINE.test(l) || !l.trim())) {
    sets = lines.slice(0, divider).flatMap((l) => {
      const match = VAR_LINE.exec(l);
      if (!match) return [];
      const [, name, condition, value] = match as unknown as [string, string, string | undefined, string];
      // `name (condition): value` sets only while its condition holds: not a plain set.
      if (condition !== undefined) {
        conditionalSets.push({name, condition});
        return [];
      }
      return [`(set: $${name} to ${value.trim()})`];
    });
    body = lines.slice(divider + 1);
  }
  const out: string[] = [...sets];
  let open: "hook" | "drop" | undefined;
  const close = () => {
    if (open === "hook") out.push("]");
    open = undefined;
  };
  for (const line of body) {
    const modifier = MODIFIER.exec(line.trim());
    if (!modifier) {
      if (open !== "drop") out.push(line.replace(INSERT, (_, name: string) => `$${name}`));
      continue;
    }
    close();
    const word = modifier[1] as string;
    const rest = modifier[2] ?? "";
    const name = word.toLowerCase();
    if (name === "if" || name === "unless") {
      const condition = harloweCondition(rest.trim());
      out.push(`(${name}: ${condition})[`);
      open = "hook";
    } else if (name === "else") {
      out.push("(else:)[");
      open = "hook";
    } else if (name === "note" || name === "notes" || name === "todo") open = "drop";
    else if (name !== "continue") unread.push(`[${word}${rest ? ` ${rest.trim()}` : ""}]`);
  }
  close();
  return {text: out.join("\n"), unread, conditionalSets};
}

/** A vars line `name (condition): value`: the variable and its condition, as written. */
export interface ConditionalSet {
  name: string;
  condition: string;
}

/** `name: value`, or `name (condition): value` (the condition up to the first `)` before the `:`). */
const VAR_LINE = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\(.*?\))?\s*:\s*(.*)$/;
/** A line that is only a modifier: `[if frogs > 0]`, `[else]`, `[continue]`, `[note]`. */
const MODIFIER = /^\[(?!\[)([A-Za-z][\w-]*)(?:\s([^\]]*))?\]$/;
/** An insert that prints a variable: `{frogs}` (other inserts, `{link to: …}`, stay and are not read). */
const INSERT = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;

/** Chapbook's JavaScript condition with its variables marked as Harlowe's (`frogs > 0` → `$frogs > 0`). */
function harloweCondition(expression: string): string {
  // Longer than a condition may be: left as written, and refused as unreadable where it is used.
  if (expression.length > 500) return expression;
  return expression.replace(/(["'])(?:(?!\1).)*\1|[A-Za-z_][A-Za-z0-9_]*/g, (token) =>
    /^["']/.test(token) || KEYWORDS.has(token) ? token : `$${token}`,
  );
}

const KEYWORDS = new Set(["true", "false", "and", "or", "not", "is", "eq", "neq", "gt", "lt", "gte", "lte"]);
