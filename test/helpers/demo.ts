import {type ChildProcess, spawn} from "node:child_process";
import {cp} from "node:fs/promises";
import path from "node:path";
import {inject} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {nodeScript} from "./compiled.js";
import {FREE_PORT_FLAGS} from "./freePorts.js";
import {shippedRulesFolder} from "./shippedRules.js";
import {tempDir} from "./tmp.js";

export interface RunningDemo {
  child: ChildProcess;
  /** Everything printed up to the welcome's last line. */
  printed: string;
  /** The panel's address, ending in `/`. */
  panelUrl: string;
  dataDir: string;
  /** SIGTERM, resolving with the exit code. */
  stop(): Promise<number | null>;
}

export interface DemoOptions {
  /** Flags after the helper's own (a later one wins). */
  args?: string[];
  /** On top of this process's environment. */
  env?: Record<string, string>;
  /** The rules folder the demo runs: by default a copy of the shipped examples (shippedRulesFolder). */
  rulesDir?: string;
  /** Node's own flags, after tsx where the sources run (`--import` of a test's recorder, named by `runnable`). */
  nodeArgs?: string[];
  /**
   * Make the demo's sample audio and story narration at its start, as a first `npm run demo`
   * does; otherwise it starts with the copy made once for the run (test/globalSetup/demoMedia.ts).
   */
  freshMedia?: boolean;
}

/**
 * Run `npm run demo`'s command (`src/cli.ts demo`) on free ports, as a user would, until it is
 * ready. It runs the shipped example rules from a folder of its own, not the repository's `rules/`:
 * a parent keeps their own rule files there (for their own players, which the demo does not have),
 * and those must not change what a test of the demo sees.
 */
export async function startDemo(opts: DemoOptions = {}): Promise<RunningDemo> {
  const dataDir = await tempDir("yss-demo-");
  if (!opts.freshMedia) await cp(inject("demoMedia"), path.join(dataDir, "demo-media"), {recursive: true});
  const rulesDir = opts.rulesDir ?? (await shippedRulesFolder());
  const ports = FREE_PORT_FLAGS;
  const args = ["demo", "--data_dir", dataDir, "--rules_dir", rulesDir, ...ports, ...(opts.args ?? [])];
  const env = opts.env ?? {};
  const child = spawn(process.execPath, [...nodeScript("src/cli.ts", opts.nodeArgs), ...args], {
    cwd: PACKAGE_ROOT,
    env: {...process.env, YSS_LOG_LEVEL: "info", ...env},
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const printed = await waitForOutput(child, /Press Ctrl\+C to stop/);
    const panelUrl = printed.match(/Panel:\s+(\S+)/)?.[1] ?? "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return {
      child,
      printed,
      panelUrl,
      dataDir,
      stop: () => {
        child.kill("SIGTERM");
        return exited;
      },
    };
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
}

/** Resolve with everything printed once `pattern` appears; fail with the output if the process exits first. */
function waitForOutput(proc: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.on("exit", (code) => reject(new Error(`exited with ${code} before ${pattern}; output:\n${out}`)));
  });
}
