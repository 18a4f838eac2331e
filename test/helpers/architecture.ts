import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import ts from "typescript";

// The checkers behind test/unit/architecture/, kept apart from the tests so that the run over
// src/ and the runs over small planted fixtures (which prove each rule can fail) share one code path.

export interface SourceFile {
  /** Relative to its base (src/, or the package for ui/), with forward slashes. */
  file: string;
  lines: number;
  /**
   * Every relative import, re-export and dynamic import, and every file a `new URL("./x.js",
   * import.meta.url)` names (a worker's script), resolved to a path like `file`.
   */
  imports: string[];
  /** Every `import(…)` and `new URL(…, import.meta.url)` whose path is no string literal: no arrow can be drawn for it. */
  computed: ComputedPath[];
  /** Every function, method, constructor, accessor and arrow with a body, longest first. */
  functions: FunctionLength[];
}

export interface FunctionLength {
  /** `Class.method`, the function's or variable's name, or `<kind>@line` when it has none. */
  name: string;
  lines: number;
}

export interface ComputedPath {
  line: number;
  /** The call as written, its spaces collapsed: `import(\`./${name}.js\`)`. */
  call: string;
}

/** Reads one file's text as the checkers see it; `file` is the path used in every report. */
export function parseSource(file: string, text: string): SourceFile {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const runtime = runtimePaths(source);
  const specs = [...ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName), ...runtime.paths];
  const imports = [
    ...new Set(
      specs
        .filter((spec) => spec.startsWith("."))
        .map((spec) => path.posix.join(path.posix.dirname(file), spec).replace(/\.js$/, ".ts")),
    ),
  ];
  return {
    file,
    lines: text.split("\n").length,
    imports,
    computed: runtime.computed,
    functions: functionLengths(source),
  };
}

/** `import.meta.url`. */
const isImportMetaUrl = (node: ts.Node) =>
  ts.isPropertyAccessExpression(node) &&
  node.name.text === "url" &&
  ts.isMetaProperty(node.expression) &&
  node.expression.keywordToken === ts.SyntaxKind.ImportKeyword;

/** The paths an expression can only be: a string literal, or a choice between two (`a ? "./x.ts" : "./x.js"`). */
function literalPaths(node: ts.Expression): string[] | undefined {
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isParenthesizedExpression(node)) return literalPaths(node.expression);
  if (!ts.isConditionalExpression(node)) return undefined;
  const whenTrue = literalPaths(node.whenTrue);
  const whenFalse = literalPaths(node.whenFalse);
  return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : undefined;
}

/**
 * The paths a file loads at run time: `import(…)`, and `new URL(…, import.meta.url)` (how a worker's
 * script is named). A literal path is an import like any other; any other path is computed.
 */
function runtimePaths(source: ts.SourceFile): {paths: string[]; computed: ComputedPath[]} {
  const paths: string[] = [];
  const computed: ComputedPath[] = [];
  const visit = (node: ts.Node) => {
    const named =
      ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
        ? node.arguments[0]
        : ts.isNewExpression(node) &&
            ts.isIdentifier(node.expression) &&
            node.expression.text === "URL" &&
            node.arguments?.[1] !== undefined &&
            isImportMetaUrl(node.arguments[1])
          ? node.arguments[0]
          : undefined;
    if (named) {
      const literal = literalPaths(named);
      if (literal) paths.push(...literal);
      else
        computed.push({
          line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
          call: node.getText().replace(/\s+/g, " "),
        });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return {paths, computed};
}

/**
 * Computed paths not on the `allowed` list (each `file: call`), as `file:line: call` with what to do.
 * An arrow the checkers cannot see is an arrow they cannot judge, so each is refused or named.
 */
export const computedImports = (files: SourceFile[], allowed: readonly string[]) =>
  files.flatMap((f) =>
    f.computed
      .filter((c) => !allowed.includes(`${f.file}: ${c.call}`))
      .map(
        (c) =>
          `${f.file}:${c.line}: ${c.call} loads a path computed at run time, which the site plan cannot follow: name the file with a string literal, or allow it (with its reason) in COMPUTED_IMPORTS`,
      ),
  );

/** Allowed computed paths no file has any more: the list only shrinks. */
export const staleComputed = (files: SourceFile[], allowed: readonly string[]) =>
  allowed.filter((entry) => !files.some((f) => f.computed.some((c) => `${f.file}: ${c.call}` === entry)));

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

function functionLengths(source: ts.SourceFile): FunctionLength[] {
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

/** One row of README.md's "Layout" table: the layer it stands under (its own, or the last one named above it). */
export interface LayoutRow {
  layer: string;
  /** The folder (or file) of src/ the row names, as a room: `voice`, `cli.ts`. */
  room: string;
  /** The row's line in README.md, from 1. */
  line: number;
}

const LAYOUT_HEADER = /^\|\s*Layer\s*\|\s*Folder\s*\|\s*What it holds\s*\|\s*$/;

/**
 * README.md's "Layout" table (`| Layer | Folder | What it holds |`), each row with its layer: a row
 * with an empty Layer cell stands under the layer named above it. Rows it cannot read are problems.
 */
export function layoutTable(readme: string): {rows: LayoutRow[]; problems: string[]} {
  const lines = readme.split("\n");
  const header = lines.findIndex((l) => LAYOUT_HEADER.test(l));
  if (header < 0) return {rows: [], problems: ["README.md has no Layout table (| Layer | Folder | What it holds |)"]};
  const rows: LayoutRow[] = [];
  const problems: string[] = [];
  let layer = "";
  for (let i = header + 2; i < lines.length && (lines[i] as string).trimStart().startsWith("|"); i++) {
    const cells = (lines[i] as string)
      .trim()
      .replace(/^\||\|$/g, "")
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const where = `README.md's Layout table, line ${i + 1}`;
    layer = cells[0] || layer;
    const folder = /^`src\/([^`/]+)\/?`$/.exec(cells[1] ?? "");
    if (!layer) problems.push(`${where}: no layer named on it or above it`);
    else if (!folder) problems.push(`${where}: the Folder cell '${cells[1] ?? ""}' is not \`src/<folder>\``);
    else rows.push({layer, room: folder[1] as string, line: i + 1});
  }
  return {rows, problems};
}

/**
 * Where README.md's Layout table and src/ part: a folder of src/ with no row, a row naming no folder
 * of src/, a folder named twice, a row under another layer than `layers` puts its folder in.
 */
export function layoutProblems(rows: readonly LayoutRow[], srcRooms: readonly string[], layers: Layers): string[] {
  const problems: string[] = [];
  for (const r of [...srcRooms].sort())
    if (!rows.some((row) => row.room === r)) {
      const layer = layers[layerOf(layers, r)]?.name;
      problems.push(
        `src/${r} is in no row of README.md's Layout table: add its row${layer ? ` under ${layer}` : ""}, saying what it holds`,
      );
    }
  for (const row of rows) {
    const where = `README.md's Layout table, line ${row.line}`;
    const first = rows.find((other) => other.room === row.room);
    if (first !== row) {
      problems.push(`${where}: src/${row.room} has a row already (line ${first?.line})`);
      continue;
    }
    if (!srcRooms.includes(row.room)) {
      problems.push(`${where}: src/${row.room} is no folder (or file) of src/: take its row off, or name the folder`);
      continue;
    }
    const layer = layers[layerOf(layers, row.room)]?.name;
    if (layer !== row.layer)
      problems.push(
        `${where}: src/${row.room} stands under ${row.layer}, but the site plan's LAYERS ${layer ? `puts it in ${layer}` : "places it in no layer"}`,
      );
  }
  return problems;
}
