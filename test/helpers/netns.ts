import {spawnSync} from "node:child_process";

/**
 * Why tests that make machines of their own (network namespaces) cannot run here, or undefined:
 * they need root and `ip netns`. CI has both and must run them, so there a missing one is an error.
 */
export function netnsSkipReason(tests: string): string | undefined {
  const why =
    process.getuid?.() !== 0
      ? "they need root"
      : spawnSync("ip", ["netns", "list"]).status !== 0
        ? "they need `ip netns` (apt-get install iproute2)"
        : undefined;
  if (!why) return undefined;
  const reason = `Skipping ${tests}: ${why}`;
  if (process.env.CI === "true") throw new Error(`${reason}, and CI runs them`);
  console.warn(reason);
  return reason;
}

/** `ip …`, or an error with what it said. */
export function ip(...args: string[]): void {
  const done = spawnSync("ip", args, {encoding: "utf8"});
  if (done.status !== 0) throw new Error(`ip ${args.join(" ")}: ${done.stderr.trim()}`);
}
