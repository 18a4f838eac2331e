import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {
  computedImports,
  declaredEvents,
  edges,
  eventNameProblem,
  folderCycles,
  importsUp,
  layoutProblems,
  layoutTable,
  newSidewaysImports,
  room,
  staleComputed,
  staleSideways,
  unplacedRooms,
} from "../../helpers/architecture.js";
import {COMPUTED_IMPORTS, LAYERS, MAX_LINES, NEVERS, panelFiles, SIDEWAYS, SRC, srcFiles} from "./sitePlan.js";

// The layer rules: src/ held to the site plan in sitePlan.ts, which README.md's Layout table draws.
const files = srcFiles();
const panel = panelFiles();
const wrongWay = (from: (f: string) => boolean, to: (t: string) => boolean) => edges(files, from, to);

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
    expect(folderCycles(files)).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    expect(files.filter((f) => f.lines > MAX_LINES).map((f) => `${f.file} (${f.lines})`)).toEqual([]);
  });

  it("places every top-level folder in a layer", () => {
    expect(unplacedRooms(files, LAYERS)).toEqual([]);
  });

  it(`imports only down the layers: ${LAYERS.map((l) => l.name).join(" → ")}`, () => {
    expect(importsUp(files, LAYERS)).toEqual([]);
  });

  it("imports sideways, within a layer, only along the arrows there are today", () => {
    expect(newSidewaysImports(files, LAYERS, SIDEWAYS)).toEqual([]);
  });

  it("has no sideways arrow on its list that is gone", () => {
    expect(staleSideways(files, LAYERS, SIDEWAYS)).toEqual([]);
  });

  it("follows a worker's script, named by new URL(…, import.meta.url), as an import", () => {
    // The feed parser's worker is named only so: `new URL(fromSource ? "./parseWorker.ts" : "./parseWorker.js", …)`.
    expect(files.find((f) => f.file === "feeds/feedParse.ts")?.imports).toContain("feeds/parseWorker.ts");
  });

  it("loads no path computed at run time but the allowed", () => {
    const all = [...files, ...panel];
    expect(computedImports(all, COMPUTED_IMPORTS)).toEqual([]);
    expect(staleComputed(all, COMPUTED_IMPORTS)).toEqual([]);
  });

  it("is the plan README.md's Layout table draws: every folder in its row, under its layer", () => {
    const {rows, problems} = layoutTable(readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8"));
    const rooms = [...new Set(files.map((f) => room(f.file)))];
    expect([...problems, ...layoutProblems(rows, rooms, LAYERS)]).toEqual([]);
  });

  it("names every event <scope>.<what happened>, in the past tense (or a …progress report)", () => {
    // The rule core/events.ts states; every name any file declares is held to it, with no exception.
    const names = files.flatMap((f) => declaredEvents(f.file, readFileSync(path.join(SRC, f.file), "utf8")));
    expect(names.length).toBeGreaterThan(30);
    expect(names.flatMap((name) => eventNameProblem(name) ?? [])).toEqual([]);
  });

  for (const [never, check] of Object.entries(NEVERS))
    it(never, () => {
      expect(check(files)).toEqual([]);
    });
});
