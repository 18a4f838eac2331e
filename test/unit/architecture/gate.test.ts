import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import {afterAll, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {gateSources, rawPlayersOutsideTheGate} from "../../helpers/gateRule.js";
import {SRC} from "./sitePlan.js";

// The play gate by construction: the players start sound only with the gate's admission, which no
// one else can make, and only the gate, the players and the root hold the players themselves.

describe("the play gate in the site plan", () => {
  it("lets no file outside the players, the gate and the root hold the players below the gate", () => {
    expect(rawPlayersOutsideTheGate(gateSources(SRC))).toEqual([]);
  });

  it("names the file of a face or a wing planted with the players themselves", () => {
    const plants = [
      {
        file: "http/routes/plant.ts",
        text: `import type {YotoPlayers} from "../../yoto/players.js";\n// YotoPlayers in a comment is not a use\nexport const play = (p: YotoPlayers) => p.list();\n`,
      },
      {
        file: "stories/plant.ts",
        text: `export const issue = (p: {admissions: {issue(id: string): unknown}}) => p["admissions"].issue("x");\n`,
      },
      {
        file: "voice/plant.ts",
        text: `export const lift = (a: Record<string, (id: string) => unknown>) => a["ownStart"]?.("x");\n`,
      },
      {
        file: "assistants/plant.ts",
        text: `export const lift = (a: {ownStart(id: string): unknown}) => a.ownStart("x");\n`,
      },
      {
        file: "bridge/plant.ts",
        text: `export const reach = (deps: {playersService: {cloud: unknown}}) => deps.playersService.cloud;\n`,
      },
      {
        file: "announce/fine.ts",
        text: `export const lift = (a: {ownStart(id: string): unknown}) => a.ownStart("x");\n`,
      },
    ];
    expect(rawPlayersOutsideTheGate(plants)).toEqual([
      "http/routes/plant.ts names YotoPlayers, the players below the play gate: hold the gated players (gate/gatedPlayers.ts) and start sound with a request or an admission",
      "stories/plant.ts names admissions, the players below the play gate: hold the gated players (gate/gatedPlayers.ts) and start sound with a request or an admission",
      "voice/plant.ts reaches the announcement's admission: only the announcer holds it, handed by the root; a start takes a request ({route, what})",
      "assistants/plant.ts reaches the announcement's admission: only the announcer holds it, handed by the root; a start takes a request ({route, what})",
      "bridge/plant.ts names playersService, the players below the play gate: hold the gated players (gate/gatedPlayers.ts) and start sound with a request or an admission",
    ]);
  });
});

describe("a start without the gate does not compile", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gate-plant-"));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));
  const src = (p: string) => JSON.stringify(path.join(PACKAGE_ROOT, "src", p));

  /** Compiles one planted file against the real sources, with the project's options: its own errors. */
  function errorsOf(name: string, text: string): string[] {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(PACKAGE_ROOT, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    );
    const program = ts.createProgram([file], {...config?.options, noEmit: true, noUnusedLocals: false});
    return ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map(
        (d) =>
          `${d.start === undefined ? "" : ts.getLineAndCharacterOfPosition(d.file as ts.SourceFile, d.start).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
      );
  }

  it("refuses a wing's start sent without a request or an admission, a start on the players themselves, and a forged admission", () => {
    const errors = errorsOf(
      "plant.mts",
      [
        `import type {GatedPlayers} from ${src("gate/gatedPlayers.js")};`,
        `import type {YotoPlayers} from ${src("yoto/players.js")};`,
        `import type {Admission} from ${src("yoto/admission.js")};`,
        `export async function wing(players: Pick<GatedPlayers, "command">) {`,
        `  await players.command("mini", {command: "pause"});`,
        `  await players.command("mini", {command: "play_card", cardId: "songs"});`,
        `}`,
        `export async function face(players: YotoPlayers) {`,
        `  await players.command("mini", {command: "next"});`,
        `}`,
        `export const forged: Admission = {playerId: "mini"};`,
        "",
      ].join("\n"),
    );
    expect(errors.map((e) => e.slice(0, e.indexOf(":")))).toEqual(["6", "9", "11"]);
    expect(errors[0]).toContain(`'"play_card"' is not assignable`);
    expect(errors[1]).toContain(`'"next"' is not assignable`);
    expect(errors[2]).toContain("is missing in type");
  });

  it("refuses a face publishing card/start on Yoto's cloud, a wing reaching an announcement's admission by element access, and a restore called from outside the announcer", () => {
    const errors = errorsOf(
      "windows.mts",
      [
        `import type {GatedPlayers} from ${src("gate/gatedPlayers.js")};`,
        `import type {PlayGate} from ${src("gate/playGate.js")};`,
        `import type {Announcer} from ${src("announce/announcer.js")};`,
        `export async function face(players: GatedPlayers) {`,
        `  await players.cloud.publish("mini", "card/start", "{}");`,
        `}`,
        `export const wing = (gate: PlayGate) => gate["announcement"]("mini");`,
        `export const state = (players: GatedPlayers) => players.cloud.state;`,
        `export const restore = (announcer: Announcer) => announcer.resume("mini", {cardId: "songs"});`,
        "",
      ].join("\n"),
    );
    expect(errors.map((e) => e.slice(0, e.indexOf(":")))).toEqual(["5", "7", "9"]);
    expect(errors[0]).toContain("Property 'publish' does not exist on type 'CloudLink'");
    expect(errors[1]).toContain(`'"announcement"' can't be used to index type 'PlayGate'`);
    expect(errors[2]).toContain("Property 'resume' does not exist on type 'Announcer'");
  });
});
