import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import ts from "typescript";

/** A source file's path under src/ and its text. */
export interface GateSource {
  file: string;
  text: string;
}

/** Where the players themselves may be named: their own folder, the gate, and the root that builds both. */
const BELOW_THE_GATE = new Set(["yoto", "gate", "app", "demo", "sim", "cli.ts"]);
/** Who may hold the announcement's admission (its own quiet rule): the announcer, and the root that hands it over. */
const ANNOUNCES = new Set(["announce", "app"]);
/** Names that reach the players below the gate, or make what starts sound there. */
const RAW_NAMES = new Set(["YotoPlayers", "Admissions", "admissions", "playersService"]);
/** Names that carry the announcer's own starts (an announcement's admission, which no gate decides). */
const ANNOUNCEMENT_NAMES = new Set(["ownStart", "announcerStart", "OwnStart"]);

const roomOf = (file: string) => file.split("/")[0] as string;

/**
 * The gate's part of the site plan: no file outside the players' own folder, the gate and the root
 * names the players themselves (`YotoPlayers`) or what issues admissions (`Admissions`,
 * `.admissions`); only the announcer and the root name the announcement's admission (`ownStart`).
 * Identifiers are read from the syntax tree, so a comment or a string that mentions them is not a
 * use; an element access by a literal (`players["admissions"]`) is.
 */
export function rawPlayersOutsideTheGate(files: readonly GateSource[]): string[] {
  const found: string[] = [];
  for (const {file, text} of files) {
    const room = roomOf(file);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const seen = new Set<string>();
    const named = (name: string): void => {
      if (RAW_NAMES.has(name) && !BELOW_THE_GATE.has(room)) seen.add(name);
      if (ANNOUNCEMENT_NAMES.has(name) && !ANNOUNCES.has(room)) seen.add(".announcement");
    };
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) named(node.text);
      if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
        named(node.argumentExpression.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const name of seen)
      found.push(
        name === ".announcement"
          ? `${file} reaches the announcement's admission: only the announcer holds it, handed by the root; a start takes a request ({route, what})`
          : `${file} names ${name}, the players below the play gate: hold the gated players (gate/gatedPlayers.ts) and start sound with a request or an admission`,
      );
  }
  return found;
}

/** Every .ts file under src/, as the rule reads it. */
export function gateSources(srcDir: string): GateSource[] {
  return readdirSync(srcDir, {withFileTypes: true, recursive: true})
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => {
      const absolute = path.join(e.parentPath, e.name);
      return {file: path.relative(srcDir, absolute).split(path.sep).join("/"), text: readFileSync(absolute, "utf8")};
    });
}
