import {type ChildProcess, spawn} from "node:child_process";
import {readdir, readFile} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {StreamableHTTPClientTransport} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {afterEach, describe, expect, it} from "vitest";
import {isSeq, parseDocument} from "yaml";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {listenOwned} from "../../helpers/ownedServer.js";
import {tempDir} from "../../helpers/tmp.js";

/**
 * The MCP conformance suite (@modelcontextprotocol/conformance, its server scenarios) against the
 * add-on's `/mcp`, through its own CLI with its own baseline format (`--expected-failures`).
 *
 * Its CLI connects with no header of its own choosing, and `/mcp` answers only a bearer token: a
 * loopback proxy of the test's adds the assistant's token to every request (and keeps the Host
 * the suite sent, so the server sees what the suite meant it to). The suite's OAuth scenarios are
 * client scenarios (they test a client against the suite's own server), so there is none to run
 * here against the add-on's OAuth.
 */

const startLinked = linkedBridge();

const CLI = path.join(PACKAGE_ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const BASELINE = path.join(PACKAGE_ROOT, "test/integration/assistants/mcp-conformance-baseline.yml");

/**
 * The suite's CLI imports `globSync` from `fs` (Node 22) for its tier check only, which the add-on's
 * Node 20 does not have: a resolve hook gives the CLI an `fs` with a `globSync` that says so.
 */
const FS_WITH_GLOB = `data:text/javascript,${encodeURIComponent(
  'export * from "node:fs"; export {default} from "node:fs"; export function globSync() { throw new Error("globSync needs Node 22"); }',
)}`;
const HOOKS = `data:text/javascript,${encodeURIComponent(
  `export async function resolve(specifier, context, next) {
    if (specifier === "fs" && context.parentURL?.includes("/@modelcontextprotocol/conformance/")) return {url: ${JSON.stringify(FS_WITH_GLOB)}, shortCircuit: true};
    return next(specifier, context);
  }`,
)}`;
const NODE20_FS = `data:text/javascript,${encodeURIComponent(
  `import {register} from "node:module"; register(${JSON.stringify(HOOKS)});`,
)}`;

const owned: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of owned.splice(0).reverse()) await stop();
});

/** The suite's CLI with `args`, run to its end: its exit code and everything it printed. */
function conformance(args: string[]): Promise<{code: number | null; output: string}> {
  const child: ChildProcess = spawn(process.execPath, ["--import", NODE20_FS, CLI, ...args], {
    cwd: PACKAGE_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ended = new Promise<{code: number | null; output: string}>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({code, output}));
  });
  owned.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await ended.catch(() => undefined);
  });
  return ended;
}

/** A loopback proxy to `target` adding `Authorization: Bearer <token>` to every request; answers its origin. */
function bearerProxy(target: string, token: string): Promise<string> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: {...req.headers, authorization: `Bearer ${token}`},
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return listenOwned(server, owned);
}

/** The baseline's scenarios, each with the comment above it (why it does not apply). */
async function baseline(): Promise<Array<{scenario: string; why: string}>> {
  const doc = parseDocument(await readFile(BASELINE, "utf8"));
  const server = doc.get("server");
  if (!isSeq(server)) throw new Error(`${BASELINE} has no 'server' list`);
  // The first entry's comment is the list's own (the yaml library hangs it there).
  return server.items.map((item, at) => ({
    scenario: String((item as {value: unknown}).value),
    why: ((item as {commentBefore?: string}).commentBefore ?? (at === 0 ? server.commentBefore : "") ?? "").trim(),
  }));
}

/** What each scenario's checks came to, read from the CLI's output folder: `server-<scenario>-<time>/checks.json`. */
async function results(dir: string): Promise<Map<string, Array<{id: string; status: string; errorMessage?: string}>>> {
  const found = new Map<string, Array<{id: string; status: string; errorMessage?: string}>>();
  for (const entry of await readdir(dir)) {
    const name = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry)?.[1];
    if (!name) throw new Error(`an unexpected entry in the suite's results: ${entry}`);
    found.set(name, JSON.parse(await readFile(path.join(dir, entry, "checks.json"), "utf8")));
  }
  return found;
}

describe("the MCP server", () => {
  it("passes the MCP conformance suite's server scenarios, but for those its baseline says do not apply", async () => {
    // The suite opens ~100 requests in a second or two under one token: past the add-on's rate for an
    // assistant (10 a second, 30 at once), which would answer 429 and fail scenarios for no fault of theirs.
    const {t} = await startLinked({app: {mcpRate: {perSecond: 1000, burst: 1000}}});
    const made = await call("POST", `${t.app.admin.url}/api/assistants`, {name: "Conformance"});
    expect(made.status).toBe(201);
    const proxy = await bearerProxy(t.app.admin.url, (made.body as {token: string}).token);

    // What the baseline's reasons rest on: the server declares tools and nothing else.
    const client = new Client({name: "test", version: "1"});
    await client.connect(new StreamableHTTPClientTransport(new URL(`${proxy}/mcp`)));
    expect(Object.keys(client.getServerCapabilities() ?? {})).toEqual(["tools"]);
    await client.close();

    const listed = await conformance(["list", "--server"]);
    expect(listed.code).toBe(0);
    const scenarios = [...listed.output.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1] as string);
    expect(scenarios.length).toBeGreaterThan(20);

    const expected = await baseline();
    for (const {scenario, why} of expected) {
      expect(scenarios, `the baseline's ${scenario} is one of the suite's`).toContain(scenario);
      expect(why.length, `the baseline says why ${scenario} does not apply`).toBeGreaterThan(20);
    }

    const out = await tempDir("yss-conformance-");
    const run = await conformance([
      "server",
      "--url",
      `${proxy}/mcp`,
      "--suite",
      "all",
      "--expected-failures",
      BASELINE,
      "--output-dir",
      out,
    ]);
    const checks = await results(out);
    expect([...checks.keys()].sort()).toEqual([...scenarios].sort());
    // The suite's own rule: a scenario with a failed check or a warning does not pass.
    const notPassing = [...checks]
      .filter(([, c]) => c.some((x) => x.status === "FAILURE" || x.status === "WARNING"))
      .map(([scenario, c]) => ({
        scenario,
        failed: c.filter((x) => x.status !== "SUCCESS" && x.status !== "INFO").map((x) => `${x.id}: ${x.errorMessage}`),
      }));
    expect(notPassing.map((x) => x.scenario).sort(), JSON.stringify(notPassing, null, 2)).toEqual(
      expected.map((x) => x.scenario).sort(),
    );
    // A scenario that passes passed something (not a run that checked nothing).
    for (const [scenario, c] of checks) {
      if (!expected.some((x) => x.scenario === scenario)) {
        expect(c.filter((x) => x.status === "SUCCESS").length, scenario).toBeGreaterThan(0);
      }
    }
    // And the suite's own verdict on the same baseline (unexpected failures or stale entries: exit 1).
    expect(run.code, run.output).toBe(0);
  }, 60_000);
});
