import {type ChildProcess, spawn} from "node:child_process";
import {PACKAGE_ROOT} from "../../src/paths.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {CLIENT_ID} from "./cloud.js";
import {nodeScript} from "./compiled.js";

/**
 * The whole service in its own process (appChild.ts), linked to `sim`, so a test can kill -9 it at
 * the worst moment and start it again on the same data folder. `ready` resolves with its admin URL.
 */
export function startServiceChild(
  sim: YotoSimulator,
  dataDir: string,
  mediaDir: string,
): {proc: ChildProcess; ready: Promise<string>} {
  const proc = spawn(
    process.execPath,
    [...nodeScript("test/helpers/appChild.ts"), JSON.stringify(sim.endpoints), dataDir, mediaDir, CLIENT_ID],
    {cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "inherit"]},
  );
  const ready = new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (chunk) => {
      out += chunk;
      const found = /ready (\S+)/.exec(out);
      if (found) resolve(found[1] as string);
    });
    proc.on("exit", (code) => reject(new Error(`the service exited (${code}) before it was ready`)));
  });
  return {proc, ready};
}
