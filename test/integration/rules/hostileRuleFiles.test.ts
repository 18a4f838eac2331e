import {execFile} from "node:child_process";
import {mkdir, truncate, unlink, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {afterEach, describe, expect, it, vi} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {nodeScript} from "../../helpers/compiled.js";
import {call} from "../../helpers/http.js";
import {startEngine} from "../../helpers/rules.js";
import {tempDir} from "../../helpers/tmp.js";

/** "Billion laughs": nine aliases of nine aliases of … — tiny on disk, 387 million values as data. */
const ALIAS_BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;
const BOMB_ERROR =
  "bomb.yaml:6:8 YAML alias '*e' takes the file past 100000 values once aliases are expanded: use fewer aliases";

const pressRule = (id: string) => `
- id: ${id}
  triggers: [{trigger: button, button: right}]
  actions: [{action: log, message: "${id} pressed"}]
`;

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  await stack?.stop();
  await app?.stop();
  stack = undefined;
  app = undefined;
});

function pressRight(): void {
  stack?.bus.emit("player.buttonPressed", {playerId: "y7s9", player: "Living Room", button: "right"});
}

describe("a hostile rule file is reported at its place and the rest keep working", () => {
  it("an alias bomb: reported at file:line:col, the other rules run, and hot reload works once it is gone", async () => {
    stack = await startEngine({"bomb.yaml": ALIAS_BOMB, "good.yaml": pressRule("first")}, {watch: true});
    expect(stack.engine.errors().map((e) => e.text)).toEqual([BOMB_ERROR]);
    expect(stack.engine.list().map((r) => r.id)).toEqual(["first"]);
    pressRight();
    await vi.waitFor(() => expect(stack?.engine.traces("first")[0]?.result).toBe("completed"));

    let changes = 0;
    stack.bus.on({}, "rules.changed", () => {
      changes++;
    });
    await unlink(path.join(stack.rulesDir, "bomb.yaml"));
    await writeFile(path.join(stack.rulesDir, "later.yaml"), pressRule("second"));
    await vi.waitFor(() => expect(stack?.engine.list().map((r) => r.id)).toEqual(["first", "second"]), {
      timeout: 5000,
    });
    expect(changes).toBeGreaterThan(0);
    expect(stack.engine.errors()).toEqual([]);
    pressRight();
    await vi.waitFor(() => expect(stack?.engine.traces("second")[0]?.result).toBe("completed"));
    expect(stack.engine.traces("first")).toHaveLength(2);
  });

  it("refuses a rule file over 1 MB without reading it, naming its size", async () => {
    stack = await startEngine({"good.yaml": pressRule("first")});
    // Sparse: 21 MB on paper, nothing on disk. Reading it whole is what must not happen.
    await writeFile(path.join(stack.rulesDir, "huge.yaml"), "");
    await truncate(path.join(stack.rulesDir, "huge.yaml"), 21 * 1024 * 1024);
    await writeFile(path.join(stack.rulesDir, "just-over.yaml"), `# ${"x".repeat(1024 * 1024)}\n`);
    const result = await stack.engine.reload();
    expect(result.errors.map((e) => e.text)).toEqual([
      "huge.yaml:1:1 the file is 21.0 MB; rule and story files are limited to 1 MB: split it into smaller files",
      "just-over.yaml:1:1 the file is 1.1 MB; rule and story files are limited to 1 MB: split it into smaller files",
    ]);
    expect(stack.engine.list().map((r) => r.id)).toEqual(["first"]);
  });

  it("refuses anchors and aliases that never end, point nowhere or are too many, each at its place", async () => {
    const manyAnchors = Array.from({length: 1001}, (_, i) => `- &a${i} x${i}`).join("\n");
    const deep = `- id: deep\n  triggers: [{trigger: startup}]\n  variables: {v: ${"[".repeat(201)}${"]".repeat(201)}}\n`;
    stack = await startEngine({
      "circular.yaml": "- id: loop\n  triggers: &t [{trigger: startup}, *t]\n  actions: []\n",
      "deep.yaml": deep,
      // Deeper than the parser's own stack: it gives up part way, wherever its stack ran out.
      "deeper.yaml": `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
      "many.yaml": manyAnchors,
      "nowhere.yaml": "- id: lost\n  triggers: *nowhere\n  actions: []\n",
      "good.yaml": pressRule("first"),
    });
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "circular.yaml:2:37 YAML alias '*t' is inside the node it names, so it would never end: remove it",
      "deep.yaml:3:215 YAML nested more than 200 levels deep: flatten it",
      expect.stringMatching(/^deeper\.yaml:1:\d+ YAML nested too deeply to read: flatten it$/),
      "many.yaml:1001:3 YAML anchors (&name) and aliases (*name): a file may hold 1000 in all: split it",
      "nowhere.yaml:2:13 YAML alias '*nowhere' has no anchor '&nowhere' before it: define the anchor first",
    ]);
    expect(stack.engine.list().map((r) => r.id)).toEqual(["first"]);
  });

  it("anchors used as meant still load, however often a small one is repeated", async () => {
    const rules = Array.from(
      {length: 150},
      (_, i) => `- id: r${i}\n  triggers: [{trigger: button, button: right}]\n  actions: *say\n`,
    );
    stack = await startEngine({
      "shared.yaml": `- id: first\n  triggers: [{trigger: startup}]\n  actions: &say [{action: log, message: hi}]\n${rules.join("")}`,
    });
    expect(stack.engine.errors()).toEqual([]);
    expect(stack.engine.list()).toHaveLength(151);
  });

  it("checks duplicate keys in linear time: a mapping of 100,000 keys is read", async () => {
    // Checked in time growing with the square of the keys, 100,000 would hold the test past its time.
    const keys = Array.from({length: 100_000}, (_, i) => `k${i.toString(36)}: 0`).join("\n");
    stack = await startEngine({"keys.yaml": `${keys}\nk7: again\n`, "good.yaml": pressRule("first")});
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "keys.yaml:100001:1 YAML syntax: Map keys must be unique",
    ]);
    expect(stack.engine.list().map((r) => r.id)).toEqual(["first"]);
  }, 120_000);
});

describe("through the service and the CLI", () => {
  it("POST /api/rules/reload answers with the bomb placed, not a 500", async () => {
    app = await startApp();
    const rulesDir = app.app.config.rules_dir;
    await mkdir(rulesDir, {recursive: true});
    await writeFile(path.join(rulesDir, "bomb.yaml"), ALIAS_BOMB);
    const res = await call("POST", `${app.adminUrl}/api/rules/reload`);
    expect(res.status).toBe(200);
    expect(res.body.errors.map((e: {text: string}) => e.text)).toContain(BOMB_ERROR);
    const health = await call("GET", `${app.adminUrl}/api/health`);
    expect(health.body.services.rules.state).toBe("running");
  });

  it("rules check prints the bomb at file:line:col and exits 1", async () => {
    const dir = await tempDir("yss-rules-check-");
    await writeFile(path.join(dir, "bomb.yaml"), ALIAS_BOMB);
    await writeFile(path.join(dir, "good.yaml"), pressRule("first"));
    const result = await promisify(execFile)(process.execPath, [...nodeScript("src/cli.ts"), "rules", "check", dir], {
      cwd: PACKAGE_ROOT,
    }).then(
      (r) => ({code: 0, out: r.stdout}),
      (e: {code: number; stdout: string}) => ({code: e.code, out: e.stdout}),
    );
    expect(result).toEqual({code: 1, out: `${BOMB_ERROR}\n1 rule(s) OK in 2 file(s) under ${dir}; 1 error(s)\n`});
  }, 30_000);
});
