import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {
  computedImports,
  declaredEvents,
  edges,
  eventNameProblem,
  folderCycles,
  importsBeyond,
  importsInto,
  importsUp,
  intoInternals,
  type Layers,
  layoutProblems,
  layoutTable,
  longFunctions,
  newSidewaysImports,
  parseSource,
  room,
  type SourceFile,
  sourceFiles,
  staleAllowances,
  staleComputed,
  staleSideways,
  testTreeProblems,
  unplacedRooms,
} from "../helpers/architecture.js";

// The site plan README.md describes ("Layout"), checked on every run so that a new wing cannot
// quietly put a helper in the wrong room or run an arrow back up.
const SRC = path.join(PACKAGE_ROOT, "src");
const UI = path.join(PACKAGE_ROOT, "ui", "src");
const MAX_LINES = 400;
const MAX_FUNCTION_LINES = 120;

/**
 * Every top-level folder (and file) of src/, lowest layer first; an import goes down a layer, and
 * sideways within one only where SIDEWAYS allows it. Core is what everything uses and imports
 * nothing; the rest of the infrastructure knows no feature; the kit is what the wings build on (the
 * Yoto cloud client, the library, streams and their files, speech, links, cards, the UPnP kit, quiet
 * hours); each wing is one feature; the faces show the wings to the outside (the admin and audio HTTP
 * API, the Home Assistant bridge and media players, the rule engine and its plugins, the UPnP
 * renderers and library); the root builds and runs everything.
 */
const LAYERS: Layers = [
  {name: "core", rooms: ["core"]},
  {name: "infrastructure", rooms: ["store", "shared", "config", "broker", "images", "paths.ts"]},
  {name: "kit", rooms: ["yoto", "library", "files", "streams", "speech", "links", "cards", "upnp", "parents"]},
  {
    name: "wings",
    rooms: [
      "announce",
      "archive",
      "deviceLinks",
      "family",
      "feeds",
      "health",
      "history",
      "icons",
      "logs",
      "radio",
      "mediaServers",
      "pictures",
      "stories",
    ],
  },
  // What plays on a player, between the wings and the faces: one catalogue of what a family can play,
  // one gate every route into a player passes, and story radio, a stream of a child's shelf.
  {name: "floor", rooms: ["playing", "storyRadio"]},
  {
    name: "faces",
    rooms: ["http", "bridge", "mediaPlayer", "rules", "upnpRenderers", "upnpLibrary", "voice", "shelf"],
  },
  {name: "root", rooms: ["app", "cli.ts", "demo", "sim"]},
];
const roomsOf = (name: string) => LAYERS.find((l) => l.name === name)?.rooms ?? [];
const INFRASTRUCTURE = [...roomsOf("core"), ...roomsOf("infrastructure")];

/**
 * The arrows between folders of one layer there are today, each a dependency of substance; a new one
 * fails, naming both folders. The list only shrinks (an arrow gone fails until it is taken off).
 */
const SIDEWAYS = [
  // The local broker reads its options and publishes the wire contract's shapes.
  "broker → config",
  "broker → shared",
  // Cards are made of library items, streams and signed links, and written to Yoto.
  "cards → library",
  "cards → links",
  "cards → streams",
  "cards → yoto",
  // A library item's public link.
  "links → library",
  // Quiet hours set the players' max volume.
  "parents → yoto",
  // A stream is library files, served from open files.
  "streams → files",
  "streams → library",
  // The bridge offers a switch per rule; the admin API shows rules and the media players' switches;
  // the media players publish through the bridge's MQTT.
  "bridge → rules",
  "http → mediaPlayer",
  "http → rules",
  "mediaPlayer → bridge",
  // The root: the command line starts the app, the demo and the simulator; the demo runs the app
  // against the simulator.
  "cli.ts → app",
  "cli.ts → demo",
  "cli.ts → sim",
  "demo → app",
  "demo → sim",
];

/** The wings that make a kind of stream: streams/ and library/ serve them all and name none. */
const STREAM_KINDS = ["radio", "feeds", "mediaServers", "stories", "archive", "storyRadio"];

/**
 * Functions allowed over MAX_FUNCTION_LINES, each a table whose length is its number of entries;
 * the list only shrinks (an entry back under the cap fails until it is taken off).
 */
const LONG_TABLES = [
  // One short handler per Yoto cloud endpoint the simulator stands in for.
  "sim/rest.ts#restRoutes",
  // The Home Assistant component table of a child's entities (sensors, buttons, the bonus event),
  // each a literal, beside the requests those buttons send.
  "bridge/familyFeature.ts#familyFeature",
];

/**
 * `import(…)` and `new URL(…, import.meta.url)` calls whose path is computed at run time, each
 * `file: call` as written, with its reason: the site plan cannot follow them, so every other one
 * fails. The command line's imports and the workers' scripts (`a ? "./x.ts" : "./x.js"`) are
 * literals, followed like any import. The list only shrinks.
 */
const COMPUTED_IMPORTS = [
  // The family's own rule plugins, `<rules_dir>/plugins/*.js`, found by listing the folder at run
  // time (the file's change time in the URL loads a changed one afresh): files outside src/.
  "rules/thirdPartyPlugins.ts: import(version)",
];

const files = sourceFiles(SRC, SRC);
/** The panel's sources, named from the package (`ui/src/…`). */
const panel = sourceFiles(UI, PACKAGE_ROOT);
const wrongWay = (from: (f: string) => boolean, to: (t: string) => boolean) => edges(files, from, to);

/** The nevers, each a function of the files so the planted fixtures below run the very same rule. */
const NEVERS: Record<string, (files: SourceFile[]) => string[]> = {
  "the Yoto cloud client imports nothing but infrastructure": (all) => importsBeyond(all, ["yoto"], INFRASTRUCTURE),
  "no folder imports another's internals (the files in its subfolders)": (all) =>
    intoInternals(all, INFRASTRUCTURE, roomsOf("root")),
  "nothing outside rules/ imports rules/plugins/": (all) =>
    edges(
      all,
      (f) => room(f) !== "rules",
      (t) => t.startsWith("rules/plugins/"),
    ),
  "streams/ and library/ know no stream kinds": (all) => importsInto(all, ["streams", "library"], STREAM_KINDS),
  "a folder with a face (index.ts) is reached through it alone": (all) => {
    const faced = new Set(all.filter((f) => /^[^/]+\/index\.ts$/.test(f.file)).map((f) => room(f.file)));
    return edges(
      all,
      (f) => !roomsOf("root").includes(room(f)),
      (t, f) => room(t) !== room(f) && faced.has(room(t)) && t !== `${room(t)}/index.ts`,
    );
  },
};

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

describe("the test tree", () => {
  it("mirrors src/: each folder of test/unit and test/integration is named after the src/ folder it tests", () => {
    const rooms = [...new Set(files.map((f) => room(f.file)))];
    expect(
      testTreeProblems(path.join(PACKAGE_ROOT, "test"), rooms, {
        // The panel's own code is ui/, not src/.
        also: ["ui"],
        // This site plan, the docs' links, and README.md's test figures.
        looseAllowed: [
          "test/unit/architecture.test.ts",
          "test/unit/docLinks.test.ts",
          "test/unit/readmeFigures.test.ts",
        ],
      }),
    ).toEqual([]);
  });
});

describe(`functions (src/ and the panel) up to ${MAX_FUNCTION_LINES} lines`, () => {
  const all = [...files, ...panel];

  it("finds them", () => {
    expect(all.flatMap((f) => f.functions).length).toBeGreaterThan(2000);
  });

  it("are all under the cap, but for the named tables", () => {
    expect(longFunctions(all, MAX_FUNCTION_LINES, LONG_TABLES)).toEqual([]);
  });

  it("has no table on its list that is gone or back under the cap", () => {
    expect(staleAllowances(all, MAX_FUNCTION_LINES, LONG_TABLES)).toEqual([]);
  });
});

describe("the panel", () => {
  it("reaches into src/ only for the wire contract", () => {
    const intoSrc = panel.flatMap((f) => f.imports.filter((t) => t.startsWith("src/")).map((t) => `${f.file} → ${t}`));
    expect(intoSrc.length).toBeGreaterThan(0);
    expect(intoSrc.filter((edge) => !edge.endsWith("→ src/shared/api/index.ts"))).toEqual([]);
  });

  // Every tab named in README.md, ui/README.md and the docs: test/unit/ui/readmeViews.test.ts.
});

/** A few files as if under src/, each with one plain import line per target. */
const fixture = (imports: Record<string, string[]>, extra: SourceFile[] = []) => [
  ...Object.entries(imports).map(([file, targets]) =>
    parseSource(file, targets.map((t, i) => `import {x${i}} from "${t}";\n`).join("")),
  ),
  ...extra,
];
/** A tidy little src/: infrastructure, the kit, two wings, a face and the root, every arrow down. */
const TIDY = {
  "core/errors.ts": [],
  "yoto/players.ts": ["../core/errors.js"],
  "streams/streams.ts": ["../core/errors.js", "../library/library.js"],
  "library/library.ts": ["../core/errors.js"],
  "radio/radio.ts": ["../streams/streams.js", "../yoto/players.js"],
  "family/childView.ts": ["../yoto/players.js", "../parents/playerVolumes.js"],
  "parents/playerVolumes.ts": [],
  "rules/plugins/actions/windDown.ts": ["../../../parents/playerVolumes.js", "../../engine.js"],
  "rules/engine.ts": ["./plugins/actions/windDown.js", "../radio/radio.js"],
  "app/app.ts": ["../rules/engine.js", "../http/routes/rules.js"],
  "http/routes/rules.ts": ["../../rules/engine.js"],
};
const planted = (file: keyof typeof TIDY, target: string) => fixture({...TIDY, [file]: [...TIDY[file], target]});
const verdicts = (all: SourceFile[]) => ({
  up: importsUp(all, LAYERS),
  ...Object.fromEntries(Object.entries(NEVERS).map(([never, check]) => [never, check(all)])),
});

describe("each rule on a planted violation", () => {
  it("finds nothing in the tidy fixture", () => {
    expect(Object.values(verdicts(fixture(TIDY))).flat()).toEqual([]);
    expect(unplacedRooms(fixture(TIDY), LAYERS)).toEqual([]);
  });

  it("a new folder no layer names", () => {
    expect(unplacedRooms(fixture({...TIDY, "dlna/renderer.ts": []}), LAYERS)).toEqual(["dlna"]);
  });

  it("an import from the Yoto cloud client into radio/", () => {
    expect(verdicts(planted("yoto/players.ts", "../radio/radio.js"))).toEqual({
      up: ["yoto/players.ts → radio/radio.ts (kit → wings)"],
      "the Yoto cloud client imports nothing but infrastructure": ["yoto/players.ts → radio/radio.ts"],
      "no folder imports another's internals (the files in its subfolders)": [],
      "nothing outside rules/ imports rules/plugins/": [],
      "streams/ and library/ know no stream kinds": [],
      "a folder with a face (index.ts) is reached through it alone": [],
    });
  });

  it("a wing reaching into rules/plugins/", () => {
    const edge = "family/childView.ts → rules/plugins/actions/windDown.ts";
    expect(verdicts(planted("family/childView.ts", "../rules/plugins/actions/windDown.js"))).toEqual({
      up: [`${edge} (wings → faces)`],
      "the Yoto cloud client imports nothing but infrastructure": [],
      "no folder imports another's internals (the files in its subfolders)": [edge],
      "nothing outside rules/ imports rules/plugins/": [edge],
      "streams/ and library/ know no stream kinds": [],
      "a folder with a face (index.ts) is reached through it alone": [],
    });
  });

  it("a face reaching into another face's internals (no layer rule to catch it)", () => {
    const http = fixture({...TIDY, "http/routes/rules.ts": ["../../rules/plugins/actions/windDown.js"]});
    const edge = "http/routes/rules.ts → rules/plugins/actions/windDown.ts";
    expect(verdicts(http)).toMatchObject({
      up: [],
      "no folder imports another's internals (the files in its subfolders)": [edge],
      "nothing outside rules/ imports rules/plugins/": [edge],
    });
  });

  it("streams/ naming a stream kind", () => {
    expect(verdicts(planted("streams/streams.ts", "../feeds/feeds.js"))).toMatchObject({
      up: ["streams/streams.ts → feeds/feeds.ts (kit → wings)"],
      "streams/ and library/ know no stream kinds": ["streams/streams.ts → feeds/feeds.ts"],
    });
  });

  it("a sideways import in each layer, naming both folders; the arrows on the list still pass", () => {
    const plant = (file: string, target: string) =>
      newSidewaysImports(fixture({...TIDY, [file]: [target]}), LAYERS, SIDEWAYS);
    expect(plant("radio/radio.ts", "../archive/archive.js")).toEqual([
      "radio → archive (sideways within wings: radio/radio.ts → archive/archive.ts); import only down a layer, or move what both need below them",
    ]);
    expect(plant("speech/speech.ts", "../cards/cards.js")).toEqual([
      "speech → cards (sideways within kit: speech/speech.ts → cards/cards.ts); import only down a layer, or move what both need below them",
    ]);
    expect(plant("store/store.ts", "../broker/localBroker.js")).toEqual([
      "store → broker (sideways within infrastructure: store/store.ts → broker/localBroker.ts); import only down a layer, or move what both need below them",
    ]);
    expect(plant("upnpRenderers/renderer.ts", "../upnpLibrary/mediaServer.js")).toEqual([
      "upnpRenderers → upnpLibrary (sideways within faces: upnpRenderers/renderer.ts → upnpLibrary/mediaServer.ts); import only down a layer, or move what both need below them",
    ]);
    expect(plant("cards/cards.ts", "../streams/streams.js")).toEqual([]);
  });

  it("the UPnP kit importing the bridge: up a layer", () => {
    expect(verdicts(planted("yoto/players.ts", "../upnp/soap.js")).up).toEqual([]);
    const upnp = fixture({...TIDY, "upnp/soap.ts": ["../bridge/haBridge.js"]});
    expect(importsUp(upnp, LAYERS)).toEqual(["upnp/soap.ts → bridge/haBridge.ts (kit → faces)"]);
  });

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

  it("a face reaching past a family's face (index.ts) into its files", () => {
    const faced = fixture({
      ...TIDY,
      "stories/index.ts": ["./stories.js"],
      "stories/stories.ts": [],
      "stories/narration/narration.ts": [],
      "http/routes/rules.ts": ["../../stories/index.js", "../../stories/stories.js"],
      "app/app.ts": ["../stories/stories.js"],
    });
    expect(verdicts(faced)).toMatchObject({
      "a folder with a face (index.ts) is reached through it alone": ["http/routes/rules.ts → stories/stories.ts"],
    });
  });

  it("a face importing another face's catalogue: a new sideways import", () => {
    const shelf = fixture({...TIDY, "voice/playChoices.ts": [], "shelf/x.ts": ["../voice/playChoices.js"]});
    expect(newSidewaysImports(shelf, LAYERS, SIDEWAYS)).toEqual([
      "shelf → voice (sideways within faces: shelf/x.ts → voice/playChoices.ts); import only down a layer, or move what both need below them",
    ]);
  });

  it("a sideways import through a worker's new URL(…, import.meta.url)", () => {
    const worker = parseSource(
      "radio/radio.ts",
      [
        'import {Worker} from "node:worker_threads";',
        'const url = new URL("../archive/archiveWorker.js", import.meta.url);',
        "export const start = () => new Worker(url);",
      ].join("\n"),
    );
    expect(worker.imports).toEqual(["archive/archiveWorker.ts"]);
    expect(newSidewaysImports(fixture(TIDY, [worker]), LAYERS, SIDEWAYS)).toEqual([
      "radio → archive (sideways within wings: radio/radio.ts → archive/archiveWorker.ts); import only down a layer, or move what both need below them",
    ]);
    // Up a layer the same way: a worker of the kit's run by a face's file.
    const up = parseSource("yoto/players.ts", 'new URL(fast ? "../rules/a.ts" : "../rules/a.js", import.meta.url);');
    expect(importsUp([up], LAYERS)).toEqual(["yoto/players.ts → rules/a.ts (kit → faces)"]);
    // A URL of anything else is no import.
    expect(parseSource("radio/radio.ts", 'new URL("../archive/x.js", base); new URL("./x.js");').imports).toEqual([]);
  });

  it("a computed import() and a computed worker path: refused, naming file and line, but for the allowed", () => {
    const computed = parseSource(
      "radio/radio.ts",
      [
        "export const kinds = (kind: string) =>",
        `  import(\`../\${kind}/index.js\`);`,
        'export const literal = () => import(`../core/errors.js`).then(() => import("../core/errors.js"));',
        "export const worker = (name: string) => new URL(name, import.meta.url);",
        'export const either = (a: boolean) => import(a ? "./a.js" : name);',
      ].join("\n"),
    );
    expect(computed.imports).toEqual(["core/errors.ts"]);
    const how =
      "loads a path computed at run time, which the site plan cannot follow: name the file with a string literal, or allow it (with its reason) in COMPUTED_IMPORTS";
    expect(computedImports([computed], [])).toEqual([
      `radio/radio.ts:2: import(\`../\${kind}/index.js\`) ${how}`,
      `radio/radio.ts:4: new URL(name, import.meta.url) ${how}`,
      `radio/radio.ts:5: import(a ? "./a.js" : name) ${how}`,
    ]);
    const allowed = [`radio/radio.ts: import(\`../\${kind}/index.js\`)`, 'radio/radio.ts: import(a ? "./a.js" : name)'];
    expect(computedImports([computed], allowed)).toEqual([`radio/radio.ts:4: new URL(name, import.meta.url) ${how}`]);
    expect(staleComputed([computed], [...allowed, "radio/gone.ts: import(x)"])).toEqual(["radio/gone.ts: import(x)"]);
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

  it("infrastructure importing a wing", () => {
    expect(verdicts(planted("core/errors.ts", "../radio/radio.js")).up).toEqual([
      "core/errors.ts → radio/radio.ts (core → wings)",
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
