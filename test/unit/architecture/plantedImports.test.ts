import {describe, expect, it} from "vitest";
import {
  computedImports,
  importsUp,
  newSidewaysImports,
  parseSource,
  type SourceFile,
  staleComputed,
  unplacedRooms,
} from "../../helpers/architecture.js";
import {LAYERS, NEVERS, SIDEWAYS} from "./sitePlan.js";

// Each import rule of the site plan run on a small planted src/, to prove it can fail and says where.

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

  it("infrastructure importing a wing", () => {
    expect(verdicts(planted("core/errors.ts", "../radio/radio.js")).up).toEqual([
      "core/errors.ts → radio/radio.ts (core → wings)",
    ]);
  });
});
