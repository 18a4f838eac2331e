import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import ts from "typescript";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";

// The site plan README.md describes ("Layout"), checked on every run so that a new wing cannot
// quietly put a helper in the wrong room or run an arrow back up.
const SRC = path.join(PACKAGE_ROOT, "src");
const UI = path.join(PACKAGE_ROOT, "ui", "src");
const MAX_LINES = 400;

interface SourceFile {
  /** Relative to src/ (or to the package for ui/), with forward slashes. */
  file: string;
  lines: number;
  /** Every relative import, re-export and dynamic import, resolved to a path like `file`. */
  imports: string[];
}

function sourceFiles(root: string, base: string): SourceFile[] {
  const found: SourceFile[] = [];
  for (const entry of readdirSync(root, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    const text = readFileSync(absolute, "utf8");
    const imports = ts
      .preProcessFile(text, true, true)
      .importedFiles.map((i) => i.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => rel(base, path.resolve(path.dirname(absolute), spec).replace(/\.js$/, ".ts")));
    found.push({file: rel(base, absolute), lines: text.split("\n").length, imports});
  }
  return found;
}

const rel = (base: string, absolute: string) => path.relative(base, absolute).split(path.sep).join("/");
/** `rules/plugins/x.ts` → `rules`; a file at the top (`cli.ts`) is its own room. */
const room = (file: string) => file.split("/")[0] as string;

const files = sourceFiles(SRC, SRC);
const wrongWay = (from: (f: string) => boolean, to: (f: string) => boolean) =>
  files.flatMap((f) => (from(f.file) ? f.imports.filter(to).map((target) => `${f.file} → ${target}`) : []));

/** Folders that reach each other through their imports (Tarjan's strongly connected components). */
function folderCycles(): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const f of files)
    for (const target of f.imports)
      if (room(target) !== room(f.file))
        edges.set(room(f.file), (edges.get(room(f.file)) ?? new Set()).add(room(target)));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
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
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

describe("the site plan of src/", () => {
  it("finds the sources it checks", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files.find((f) => f.file === "app/app.ts")?.imports).toContain("core/events.ts");
  });

  it("core imports nothing outside core", () => {
    expect(
      wrongWay(
        (f) => room(f) === "core",
        (t) => room(t) !== "core",
      ),
    ).toEqual([]);
  });

  it("only the composition root and http itself import http", () => {
    expect(
      wrongWay(
        (f) => room(f) !== "http" && room(f) !== "app",
        (t) => room(t) === "http",
      ),
    ).toEqual([]);
  });

  it("the wire contract imports nothing but itself, and holds only types", () => {
    expect(
      wrongWay(
        (f) => f.startsWith("shared/api/"),
        (t) => !t.startsWith("shared/api/"),
      ),
    ).toEqual([]);
    const withValues = files
      .filter((f) => f.file.startsWith("shared/api/"))
      .filter((f) =>
        /^export\s+(const|let|function|class|enum|default)\b/m.test(readFileSync(path.join(SRC, f.file), "utf8")),
      );
    expect(withValues.map((f) => f.file)).toEqual([]);
  });

  it("has no import cycle between top-level folders", () => {
    expect(folderCycles()).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    expect(files.filter((f) => f.lines > MAX_LINES).map((f) => `${f.file} (${f.lines})`)).toEqual([]);
  });
});

describe("the panel", () => {
  it("reaches into src/ only for the wire contract", () => {
    const panel = sourceFiles(UI, PACKAGE_ROOT);
    const intoSrc = panel.flatMap((f) => f.imports.filter((t) => t.startsWith("src/")).map((t) => `${f.file} → ${t}`));
    expect(intoSrc.length).toBeGreaterThan(0);
    expect(intoSrc.filter((edge) => !edge.endsWith("→ src/shared/api/index.ts"))).toEqual([]);
  });
});
