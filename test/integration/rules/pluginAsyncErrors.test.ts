import {type ChildProcess, execFile, spawn} from "node:child_process";
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {afterEach, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {nodeScript} from "../../helpers/compiled.js";
import {jsonOf} from "../../helpers/http.js";
import {freePort} from "../../helpers/mqtt.js";
import {tempDir} from "../../helpers/tmp.js";

// Fails a moment after it is loaded, from a timer nobody can catch (line 3, column 9: the `new Error`).
const TIMER_PLUGIN = `setTimeout(() => {
  // nobody can catch this
  throw new Error("timer boom");
}, 300);
export default () => {};
`;

// An action that starts a request and never waits for it: the rejection comes from inside fetch.
const FORGETFUL_PLUGIN = `export default (api) =>
  api.register({
    kind: "action",
    type: "forget.fetch",
    schema: {type: "object"},
    compile: () => async () => {
      fetch("http://127.0.0.1:1/");
    },
  });
`;

const RULES = `
- id: forgetful
  triggers: [{trigger: startup}]
  actions: [{action: forget.fetch}]
- id: ticking
  mode: parallel
  triggers: [{trigger: time_pattern, seconds: "/1"}]
  actions: [{action: log, message: tick}]
`;

interface Service {
  child: ChildProcess;
  adminUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

let running: Service | undefined;
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill("SIGKILL");
    await running.exited;
  }
  running = undefined;
});

/** The real service, started by its CLI in its own process, on a free admin port. */
async function startService(rules: Record<string, string>, nodeArgs: string[] = []): Promise<Service> {
  const root = await tempDir("yss-plugin-crash-");
  const rulesDir = path.join(root, "rules");
  for (const [name, text] of Object.entries(rules)) {
    await mkdir(path.dirname(path.join(rulesDir, name)), {recursive: true});
    await writeFile(path.join(rulesDir, name), text);
  }
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...nodeScript("src/cli.ts", nodeArgs),
      "start",
      ...["--data_dir", path.join(root, "data"), "--media_dirs", path.join(root, "media")],
      ...["--rules_dir", rulesDir, "--ingress_port", String(port), "--audio_port", "0"],
      ...["--embedded_broker_port", "0", "--log_level", "debug"],
      // start is a real install, which searches the home network for media servers: a test sends nothing off the machine.
      ...["--media_discovery", "false"],
    ],
    {cwd: PACKAGE_ROOT, env: {...process.env, TZ: "Europe/London"}, stdio: ["ignore", "pipe", "pipe"]},
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  running = {child, adminUrl: `http://127.0.0.1:${port}`, output: () => output, exited};
  return running;
}

async function until<T>(what: string, service: Service, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (service.child.exitCode !== null) throw new Error(`the service exited before ${what}:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}:\n${service.output()}`);
}

const getJson = async (url: string) => jsonOf(await fetch(url));

describe("a third-party plugin's asynchronous error", () => {
  it("is reported against the plugin, and the service, its health and the other rules keep running", async () => {
    const service = await startService({
      "plugins/timer.mjs": TIMER_PLUGIN,
      "plugins/forget.mjs": FORGETFUL_PLUGIN,
      "rules.yaml": RULES,
    });
    const errors = await until("both plugin errors", service, async () => {
      const {errors} = await getJson(`${service.adminUrl}/api/rules`);
      return errors.length === 2 ? errors.map((e: {text: string}) => e.text) : undefined;
    });
    expect(errors).toEqual([
      "plugins/forget.mjs:1:1 plugin left a rejected promise unhandled: fetch failed (fix or remove the plugin)",
      "plugins/timer.mjs:3:9 plugin threw asynchronously: timer boom (fix or remove the plugin)",
    ]);
    const ticks = async () => (await getJson(`${service.adminUrl}/api/rules/ticking/traces`)).traces.length as number;
    const before = await ticks();
    await until("the time_pattern rule to run again", service, async () =>
      (await ticks()) > before ? true : undefined,
    );
    const health = await getJson(`${service.adminUrl}/api/health`);
    expect(health.services.rules).toMatchObject({state: "running", details: {rules: 2, errors: 2}});
    expect(service.output()).toContain(
      "ERROR (rules): Plugin plugins/timer.mjs threw asynchronously: Error: timer boom\\n    at ",
    );
    expect(service.output()).toContain(
      "ERROR (rules): Plugin plugins/forget.mjs left a rejected promise unhandled: TypeError: fetch failed\\n    at ",
    );

    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
  }, 60_000);

  it("an uncaught error from the service's own code is still fatal, logged with its stack", async () => {
    const root = await tempDir("yss-own-bug-");
    const preload = path.join(root, "ownBug.mjs");
    // Thrown once the service watches for it (a fixed delay raced the start on a busy machine).
    await writeFile(
      preload,
      [
        `const watching = setInterval(() => {`,
        `  if (process.listenerCount("uncaughtException") === 0) return;`,
        `  clearInterval(watching);`,
        `  setTimeout(() => { throw new Error("our own bug"); }, 200);`,
        `}, 20);`,
        ``,
      ].join("\n"),
    );
    const service = await startService({"rules.yaml": RULES}, ["--import", preload]);
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(
      /ERROR: Uncaught exception outside any plugin \(a bug in this service: it stops rather than run on in an unknown state\): Error: our own bug\\n {4}at Timeout\._onTimeout \(file:\/\/[^)]*ownBug\.mjs:4:28\)/,
    );
  }, 60_000);

  it("rules check reports a plugin's unhandled rejection at load as an error of that plugin", async () => {
    const dir = await tempDir("yss-check-plugin-");
    await mkdir(path.join(dir, "plugins"));
    await writeFile(
      path.join(dir, "plugins/rejects.mjs"),
      `export default () => {\n  Promise.reject(new Error("nobody awaits this"));\n};\n`,
    );
    await writeFile(path.join(dir, "rules.yaml"), RULES.replace(/- id: forgetful[\s\S]*?(?=- id: ticking)/, ""));
    const result = await promisify(execFile)(process.execPath, [...nodeScript("src/cli.ts"), "rules", "check", dir], {
      cwd: PACKAGE_ROOT,
    }).then(
      (r) => ({code: 0, out: r.stdout}),
      (e: {code: number; stdout: string}) => ({code: e.code, out: e.stdout}),
    );
    expect(result).toEqual({
      code: 1,
      out: [
        "plugins/rejects.mjs:2:18 plugin left a rejected promise unhandled: nobody awaits this (fix or remove the plugin)",
        `1 rule(s) OK in 1 file(s) under ${dir}; 1 error(s)`,
        "",
      ].join("\n"),
    });
  }, 30_000);
});
