import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import ts from "typescript";

// The checkers behind test/unit/architecture.test.ts, kept apart from the test so that the run over
// src/ and the runs over small planted fixtures (which prove each rule can fail) share one code path.

export interface SourceFile {
  /** Relative to its base (src/, or the package for ui/), with forward slashes. */
  file: string;
  lines: number;
  /** Every relative import, re-export and dynamic import, resolved to a path like `file`. */
  imports: string[];
  /** Every function, method, constructor, accessor and arrow with a body, longest first. */
  functions: FunctionLength[];
}

export interface FunctionLength {
  /** `Class.method`, the function's or variable's name, or `<kind>@line` when it has none. */
  name: string;
  lines: number;
}

/** Reads one file's text as the checkers see it; `file` is the path used in every report. */
export function parseSource(file: string, text: string): SourceFile {
  const imports = ts
    .preProcessFile(text, true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.posix.join(path.posix.dirname(file), spec).replace(/\.js$/, ".ts"));
  return {file, lines: text.split("\n").length, imports, functions: functionLengths(file, text)};
}

/** Every `.ts` file under `root`, named relative to `base`. */
export function sourceFiles(root: string, base: string): SourceFile[] {
  const found: SourceFile[] = [];
  for (const entry of readdirSync(root, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    const file = path.relative(base, absolute).split(path.sep).join("/");
    found.push(parseSource(file, readFileSync(absolute, "utf8")));
  }
  return found;
}

/** `rules/plugins/x.ts` → `rules`; a file at the top (`cli.ts`) is its own room. */
export const room = (file: string) => file.split("/")[0] as string;

/** Every import from a file `from` accepts to a file `to` accepts, as `from → to`. */
export const edges = (files: SourceFile[], from: (f: string) => boolean, to: (t: string, f: string) => boolean) =>
  files.flatMap((f) => (from(f.file) ? f.imports.filter((t) => to(t, f.file)).map((t) => `${f.file} → ${t}`) : []));

function functionLengths(file: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body)
      found.push({name: functionName(node, line(node.getStart())), lines: line(node.end) - line(node.getStart()) + 1});
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.sort((a, b) => b.lines - a.lines);
}

function functionName(node: ts.Node, at: number): string {
  const own = (n: ts.Node) => {
    const name = (n as {name?: ts.Node}).name;
    return name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))
      ? name.text
      : undefined;
  };
  if (ts.isConstructorDeclaration(node)) return `${own(node.parent) ?? "<class>"}.constructor`;
  const name = own(node) ?? own(node.parent);
  if (name === undefined) return `<${ts.SyntaxKind[node.kind]}>@${at + 1}`;
  return ts.isClassLike(node.parent) ? `${own(node.parent) ?? "<class>"}.${name}` : name;
}

/** Layers, lowest first: each a list of rooms (top-level folders, or a file at the top like `cli.ts`). */
export type Layers = ReadonlyArray<{name: string; rooms: readonly string[]}>;

const layerOf = (layers: Layers, file: string) => layers.findIndex((l) => l.rooms.includes(room(file)));

/** Rooms no layer names: a new folder has to be placed before its imports can be judged. */
export const unplacedRooms = (files: SourceFile[], layers: Layers) =>
  [...new Set(files.map((f) => room(f.file)))].filter((r) => layerOf(layers, r) < 0).sort();

/** Imports that run up the layers (to a layer above the importer's); imports within a layer are the cycle check's. */
export const importsUp = (files: SourceFile[], layers: Layers) =>
  edges(
    files,
    (f) => layerOf(layers, f) >= 0,
    (t, f) => layerOf(layers, t) > layerOf(layers, f),
  ).map((edge) => {
    const [from, to] = edge.split(" → ") as [string, string];
    return `${edge} (${layers[layerOf(layers, from)]?.name} → ${layers[layerOf(layers, to)]?.name})`;
  });

/** Imports from files in `rooms` to any room outside `allowed` (and outside their own). */
export const importsBeyond = (files: SourceFile[], rooms: readonly string[], allowed: readonly string[]) =>
  edges(
    files,
    (f) => rooms.includes(room(f)),
    (t, f) => room(t) !== room(f) && !allowed.includes(room(t)),
  );

/** Imports from files in `rooms` into any of `forbidden`. */
export const importsInto = (files: SourceFile[], rooms: readonly string[], forbidden: readonly string[]) =>
  edges(
    files,
    (f) => rooms.includes(room(f)),
    (t) => forbidden.includes(room(t)),
  );

/**
 * Imports into another room's internals: the files in its subfolders (`rules/plugins/…`,
 * `http/routes/…`). A room's top-level files are what it offers the others; `open` rooms
 * (infrastructure: `core/time/`, `shared/api/`) offer their subfolders too, and `builders`
 * (the composition root) may take parts from anywhere to assemble them.
 */
export const intoInternals = (files: SourceFile[], open: readonly string[], builders: readonly string[]) =>
  edges(
    files,
    (f) => !builders.includes(room(f)),
    (t, f) => room(t) !== room(f) && !open.includes(room(t)) && t.split("/").length > 2,
  );

/** Functions over `cap` lines as `file#name (lines)`, but for those `allowed` names as `file#name`. */
export const longFunctions = (files: SourceFile[], cap: number, allowed: readonly string[]) =>
  files.flatMap((f) =>
    f.functions
      .filter((fn) => fn.lines > cap && !allowed.includes(`${f.file}#${fn.name}`))
      .map((fn) => `${f.file}#${fn.name} (${fn.lines})`),
  );

/** Allowances that no longer hold (the function is gone or back under the cap), so the list only shrinks. */
export const staleAllowances = (files: SourceFile[], cap: number, allowed: readonly string[]) =>
  allowed.filter(
    (name) => !files.some((f) => f.functions.some((fn) => `${f.file}#${fn.name}` === name && fn.lines > cap)),
  );

/** Folders that reach each other through their imports (Tarjan's strongly connected components). */
export function folderCycles(files: SourceFile[]): string[][] {
  const links = new Map<string, Set<string>>();
  for (const f of files)
    for (const target of f.imports)
      if (room(target) !== room(f.file))
        links.set(room(f.file), (links.get(room(f.file)) ?? new Set()).add(room(target)));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    for (const next of links.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of links.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** Folder-to-folder arrows as `from → to`, each once, sorted. */
export function folderArrows(files: SourceFile[]): string[] {
  const arrows = new Set<string>();
  for (const f of files)
    for (const target of f.imports) if (room(target) !== room(f.file)) arrows.add(`${room(f.file)} → ${room(target)}`);
  return [...arrows].sort();
}

/** Arrows between two folders of one layer, as `from → to`. */
export const sidewaysArrows = (files: SourceFile[], layers: Layers) =>
  folderArrows(files).filter((arrow) => {
    const [from, to] = arrow.split(" → ") as [string, string];
    const layer = layerOf(layers, from);
    return layer >= 0 && layer === layerOf(layers, to);
  });

/**
 * Sideways arrows not on the allow-list: each names both folders, its layer and the first import
 * that makes it, so a new one says exactly where it came from.
 */
export function newSidewaysImports(files: SourceFile[], layers: Layers, allowed: readonly string[]): string[] {
  return sidewaysArrows(files, layers)
    .filter((arrow) => !allowed.includes(arrow))
    .map((arrow) => {
      const [from, to] = arrow.split(" → ") as [string, string];
      const first = edges(
        files,
        (f) => room(f) === from,
        (t) => room(t) === to,
      )[0];
      const layer = layers[layerOf(layers, from)]?.name;
      return `${from} → ${to} (sideways within ${layer}: ${first}); import only down a layer, or move what both need below them`;
    });
}

/** Allowed sideways arrows that no longer exist: the list only shrinks. */
export const staleSideways = (files: SourceFile[], layers: Layers, allowed: readonly string[]) => {
  const present = new Set(sidewaysArrows(files, layers));
  return allowed.filter((arrow) => !present.has(arrow));
};

/** Every event name a file declares in an `EventMap` interface (`"scope.name": Payload`). */
export function declaredEvents(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === "EventMap")
      for (const member of node.members)
        if (member.name && ts.isStringLiteral(member.name)) names.push(member.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** Past participles that do not end in -ed. */
const IRREGULAR_PAST = ["written", "done", "sent", "begun", "run", "found", "lost", "made", "left", "kept"];

/**
 * The event naming rule: `<scope>.<what happened>`, the scope a lower-case word, the rest camelCase
 * ending in the past tense (`player.changed`, `story.sceneEntered`) — or a running job's report,
 * ending in `progress` (`feed.progress`, `story.narrationProgress`). Answers what is wrong, or nothing.
 */
export function eventNameProblem(name: string): string | undefined {
  const m = /^([a-z]+)\.([a-z][A-Za-z]*)$/.exec(name);
  if (!m) return `${name}: not <scope>.<camelCase> (letters only, one dot)`;
  const last =
    (m[2] as string)
      .split(/(?=[A-Z])/)
      .at(-1)
      ?.toLowerCase() ?? "";
  if (last === "progress" || last.endsWith("ed") || IRREGULAR_PAST.includes(last)) return undefined;
  return `${name}: '${last}' is not the past tense (name what happened: ${m[1]}.${m[2]}Changed, …Entered), nor a progress report (…Progress)`;
}

/** Test folders whose name is no folder of src/ (nor one of `also`), and test files loose in a layer's folder. */
export function testTreeProblems(
  testRoot: string,
  srcRooms: readonly string[],
  opts: {also: readonly string[]; looseAllowed: readonly string[]},
): string[] {
  const problems: string[] = [];
  for (const layer of ["unit", "integration"]) {
    for (const entry of readdirSync(path.join(testRoot, layer), {withFileTypes: true})) {
      const where = `test/${layer}/${entry.name}`;
      if (entry.isDirectory() && !srcRooms.includes(entry.name) && !opts.also.includes(entry.name))
        problems.push(`${where}/ names no folder of src/: name it after the src/ folder it tests`);
      if (entry.isFile() && !opts.looseAllowed.includes(where))
        problems.push(`${where} is loose: put it in test/${layer}/<the src/ folder it tests>/`);
    }
  }
  return problems;
}
