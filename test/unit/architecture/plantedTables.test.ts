import {describe, expect, it} from "vitest";
import {
  declaredEvents,
  eventNameProblem,
  type Layers,
  layoutProblems,
  layoutTable,
  longFunctions,
  parseSource,
  staleAllowances,
} from "../../helpers/architecture.js";
import {LAYERS, MAX_FUNCTION_LINES} from "./sitePlan.js";

// The site plan's other rules (event names, README.md's Layout table, long functions) on planted cases.
describe("each rule on a planted violation: names, the Layout table, functions", () => {
  it("event names that break the rule, and ones that keep it", () => {
    expect(
      ["player.button", "radio.now_playing", "stream.adding", "Story.entered", "player.changed", "feed.progress"].map(
        (name) => eventNameProblem(name) ?? "ok",
      ),
    ).toEqual([
      "player.button: 'button' is not the past tense (name what happened: player.buttonChanged, …Entered), nor a progress report (…Progress)",
      "radio.now_playing: not <scope>.<camelCase> (letters only, one dot)",
      "stream.adding: 'adding' is not the past tense (name what happened: stream.addingChanged, …Entered), nor a progress report (…Progress)",
      "Story.entered: not <scope>.<camelCase> (letters only, one dot)",
      "ok",
      "ok",
    ]);
    expect(
      declaredEvents("x.ts", `declare module "../core/events.js" { interface EventMap { "a.b": X; c: Y } }`),
    ).toEqual(["a.b"]);
  });

  it("README.md's Layout table: a folder with no row, a row of no folder, a row under another layer", () => {
    const readme = [
      "Layout: …",
      "",
      "| Layer | Folder | What it holds |",
      "|---|---|---|",
      "| core | `src/core` | what every feature uses |",
      "| kit | `src/yoto` | Yoto's cloud |",
      "| | `src/library` | the audio library |",
      "| | `src/radio` | station streams |",
      "| wings | `src/gone` | a folder moved away |",
      "| faces | `src/rules` | the rule engine |",
      "| | `src/core` | twice |",
      "| root | `src/app` | the composition root |",
      "| | `src/cli.ts` | the command line |",
      "",
      "| Layer | Folder | What it holds |",
    ].join("\n");
    const {rows, problems} = layoutTable(readme);
    expect(problems).toEqual([]);
    expect(rows.slice(1, 3)).toEqual([
      {layer: "kit", room: "yoto", line: 6},
      {layer: "kit", room: "library", line: 7},
    ]);
    expect(
      layoutProblems(rows, ["core", "yoto", "library", "radio", "rules", "voice", "app", "cli.ts"], LAYERS),
    ).toEqual([
      "src/voice is in no row of README.md's Layout table: add its row under faces, saying what it holds",
      "README.md's Layout table, line 8: src/radio stands under kit, but the site plan's LAYERS puts it in wings",
      "README.md's Layout table, line 9: src/gone is no folder (or file) of src/: take its row off, or name the folder",
      "README.md's Layout table, line 11: src/core has a row already (line 5)",
    ]);
    // A layer new to both the plan and the table is read like any other.
    const annex: Layers = [...LAYERS.slice(0, 4), {name: "annex", rooms: ["porch"]}, ...LAYERS.slice(4)];
    const withAnnex = layoutTable("| Layer | Folder | What it holds |\n|---|---|---|\n| annex | `src/porch` | … |\n");
    expect(layoutProblems(withAnnex.rows, ["porch"], annex)).toEqual([]);
    expect(layoutProblems(withAnnex.rows, ["porch"], LAYERS)).toEqual([
      "README.md's Layout table, line 3: src/porch stands under annex, but the site plan's LAYERS places it in no layer",
    ]);
    expect(
      layoutTable("| Layer | Folder | What it holds |\n|---|---|---|\n| | `src/core` | … |\n| core | core | … |")
        .problems,
    ).toEqual([
      "README.md's Layout table, line 3: no layer named on it or above it",
      "README.md's Layout table, line 4: the Folder cell 'core' is not `src/<folder>`",
    ]);
    expect(layoutTable("# README\n").problems).toEqual([
      "README.md has no Layout table (| Layer | Folder | What it holds |)",
    ]);
  });

  it(`a ${MAX_FUNCTION_LINES + 10}-line function, and a table that shrank`, () => {
    const body = (lines: number) => Array.from({length: lines - 2}, (_, i) => `  const a${i} = ${i};`).join("\n");
    const long = parseSource(
      "radio/long.ts",
      `export function tuneIn(): void {\n${body(130)}\n}\nclass Player {\n  play(): void {\n${body(121)}\n  }\n}\n`,
    );
    expect(long.functions.map((f) => `${f.name} ${f.lines}`)).toEqual(["tuneIn 130", "Player.play 121"]);
    expect(longFunctions([long], MAX_FUNCTION_LINES, [])).toEqual([
      "radio/long.ts#tuneIn (130)",
      "radio/long.ts#Player.play (121)",
    ]);
    expect(longFunctions([long], MAX_FUNCTION_LINES, ["radio/long.ts#tuneIn"])).toEqual([
      "radio/long.ts#Player.play (121)",
    ]);
    const shrunk = parseSource("radio/long.ts", `export function tuneIn(): void {\n${body(120)}\n}\n`);
    expect(staleAllowances([shrunk], MAX_FUNCTION_LINES, ["radio/long.ts#tuneIn"])).toEqual(["radio/long.ts#tuneIn"]);
  });
});
