import path from "node:path";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {
  edges,
  importsBeyond,
  importsInto,
  intoInternals,
  type Layers,
  room,
  type SourceFile,
  sourceFiles,
} from "../../helpers/architecture.js";

// The site plan README.md describes ("Layout"), checked on every run (by the tests beside this file)
// so that a new wing cannot quietly put a helper in the wrong room or run an arrow back up. The plan
// is data; the checkers are test/helpers/architecture.ts.
export const SRC = path.join(PACKAGE_ROOT, "src");
export const UI = path.join(PACKAGE_ROOT, "ui", "src");
export const MAX_LINES = 400;
export const MAX_FUNCTION_LINES = 120;

/**
 * Every top-level folder (and file) of src/, lowest layer first; an import goes down a layer, and
 * sideways within one only where SIDEWAYS allows it. Core is what everything uses and imports
 * nothing; the rest of the infrastructure knows no feature; the kit is what the wings build on (the
 * Yoto cloud client, the library, streams and their files, speech, links, cards, the UPnP kit, quiet
 * hours); each wing is one feature; the faces show the wings to the outside (the admin and audio HTTP
 * API, the Home Assistant bridge and media players, the rule engine and its plugins, the UPnP
 * renderers and library); the root builds and runs everything.
 */
export const LAYERS: Layers = [
  {name: "core", rooms: ["core"]},
  {name: "infrastructure", rooms: ["store", "shared", "config", "broker", "images", "paths.ts"]},
  {
    name: "kit",
    rooms: ["yoto", "library", "files", "streams", "speech", "links", "cards", "upnp", "parents", "gate"],
  },
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
  // What plays on a player, between the wings and the faces: one catalogue of what a family can play
  // (its plays go through the gate, in the kit), and story radio, a stream of a child's shelf.
  {name: "floor", rooms: ["playing", "storyRadio"]},
  // What the family and the house reach: HTTP, MQTT, the renderers, voice, the shelves, and the
  // assistants (an MCP server reached over HTTP, asking voice and the shelves).
  {
    name: "faces",
    rooms: ["http", "bridge", "mediaPlayer", "rules", "upnpRenderers", "upnpLibrary", "voice", "shelf", "assistants"],
  },
  {name: "root", rooms: ["app", "cli.ts", "demo", "sim"]},
];
export const roomsOf = (name: string) => LAYERS.find((l) => l.name === name)?.rooms ?? [];
export const INFRASTRUCTURE = [...roomsOf("core"), ...roomsOf("infrastructure")];

/**
 * The arrows between folders of one layer there are today, each a dependency of substance; a new one
 * fails, naming both folders. The list only shrinks (an arrow gone fails until it is taken off).
 */
export const SIDEWAYS = [
  // The local broker reads its options and publishes the wire contract's shapes.
  "broker → config",
  "broker → shared",
  // Cards are made of library items, streams and signed links, and written to Yoto.
  "cards → library",
  "cards → links",
  "cards → streams",
  "cards → yoto",
  // A stream's card starts on a player through the gated players.
  "cards → gate",
  // The gate issues the admissions the players start sound with, and wraps the players.
  "gate → yoto",
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
  // An assistant's tool call is a voice request, its titles said as voice says them; the admin API
  // serves the MCP server, OAuth and the Assistants page.
  "assistants → voice",
  "http → assistants",
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
export const LONG_TABLES = [
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
export const COMPUTED_IMPORTS = [
  // The family's own rule plugins, `<rules_dir>/plugins/*.js`, found by listing the folder at run
  // time (the file's change time in the URL loads a changed one afresh): files outside src/.
  "rules/thirdPartyPlugins.ts: import(version)",
];

/** The sources of src/, named from src/ (`app/app.ts`). */
export const srcFiles = () => sourceFiles(SRC, SRC);
/** The panel's sources, named from the package (`ui/src/…`). */
export const panelFiles = () => sourceFiles(UI, PACKAGE_ROOT);

/** The nevers, each a function of the files so the planted fixtures (plantedImports.test.ts) run the very same rule. */
export const NEVERS: Record<string, (files: SourceFile[]) => string[]> = {
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
