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
/** Who may start sound as an announcement (its own quiet rule): the announcer, and the gate that lets it. */
const ANNOUNCES = new Set(["announce", "gate", "app"]);
/** Names that reach the players below the gate, or make what starts sound there. */
const RAW_NAMES = new Set(["YotoPlayers", "Admissions", "admissions"]);

const roomOf = (file: string) => file.split("/")[0] as string;

/**
 * The gate's part of the site plan: no file outside the players' own folder, the gate and the root
 * names the players themselves (`YotoPlayers`) or what issues admissions (`Admissions`,
 * `.admissions`); only the announcer asks the gate for an announcement's admission. Identifiers are
 * read from the syntax tree, so a comment or a string that mentions them is not a use.
 */
export function rawPlayersOutsideTheGate(files: readonly GateSource[]): string[] {
  const found: string[] = [];
  for (const {file, text} of files) {
    const room = roomOf(file);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const seen = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && RAW_NAMES.has(node.text) && !BELOW_THE_GATE.has(room)) seen.add(node.text);
      if (ts.isPropertyAccessExpression(node) && node.name.text === "announcement" && !ANNOUNCES.has(room))
        seen.add(".announcement");
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const name of seen)
      found.push(
        name === ".announcement"
          ? `${file} asks the gate for an announcement's admission: only the announcer does; a start takes a request ({route, what})`
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
