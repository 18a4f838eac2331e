import {spawn} from "node:child_process";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {nodeScript} from "./compiled.js";

/**
 * Lock `file` from another process (as a backup tool or an sqlite3 shell would). Resolves once the
 * lock is held. Without `holdMs` it is held until `release()` (the test lets go once it has seen
 * what the lock does, however slow the machine is); with it, for that long (where how long is the
 * point: a lock shorter than the service's budget). `released` resolves when that process has let
 * go and exited.
 */
export async function holdDatabaseLock(
  file: string,
  holdMs?: number,
): Promise<{released: Promise<void>; release(): Promise<void>}> {
  const child = spawn(process.execPath, [...nodeScript("test/helpers/lockChild.ts"), file, String(holdMs ?? "")], {
    cwd: PACKAGE_ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const released = new Promise<void>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the lock holder exited with ${code}`)))),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) resolve();
    });
    released.catch(reject);
  });
  return {
    released,
    release: () => {
      child.stdin.end("release\n");
      return released;
    },
  };
}
