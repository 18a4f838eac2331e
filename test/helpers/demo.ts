import {type ChildProcess, spawn} from "node:child_process";
import path from "node:path";
import {PACKAGE_ROOT} from "../../src/paths.js";
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

/**
 * Run `npm run demo`'s command (`src/cli.ts demo`) on free ports, as a user would, until it is
 * ready. `extra` flags are given after the helper's own (a later one wins), `env` on top of this
 * process's environment.
 */
export async function startDemo(extra: string[] = [], env: Record<string, string> = {}): Promise<RunningDemo> {
  const dataDir = await tempDir("yss-demo-");
  const ports = ["--audio_port", "0", "--ingress_port", "0", "--embedded_broker_port", "0"];
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(PACKAGE_ROOT, "src", "cli.ts"), "demo", "--data_dir", dataDir, ...ports, ...extra],
    {cwd: PACKAGE_ROOT, env: {...process.env, YSS_LOG_LEVEL: "info", ...env}, stdio: ["ignore", "pipe", "pipe"]},
  );
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
