import {spawn} from "node:child_process";
import {afterEach, vi} from "vitest";
import type {AppOptions} from "../../src/app/app.js";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../src/sim/simulator.js";
import type {TestApp} from "./app.js";
import {startApp} from "./app.js";
import {CLIENT_ID} from "./cloud.js";
import {nodeScript} from "./compiled.js";
import {type LinkedBridge, linkedBridge} from "./linkedBridge.js";

export const LIVING = DEMO_PLAYERS[0]!.deviceId;
export const MINI = DEMO_PLAYERS[1]!.deviceId;
/** Not the machine's zone, and not UTC: day boundaries must come from the option. */
export const ZONE = "America/New_York";

/** Two chapters, so a chapter change can be made with the right button. */
export function addTalesCard(sim: YotoSimulator): void {
  const track = (key: string, title: string) => ({
    key,
    title,
    trackUrl: "yoto:#x",
    type: "audio" as const,
    duration: 600,
  });
  sim.addCard({
    cardId: "tales",
    title: "Bedtime Tales",
    content: {
      chapters: [
        {key: "01", title: "The Fox", tracks: [track("01", "Fox")]},
        {key: "02", title: "The Owl", tracks: [track("01", "Owl")]},
      ],
    },
  });
}

/**
 * The service on the simulator with only `Date` faked (timers and `performance` stay real, so the
 * brokers and the simulator run as usual): the clock moves only when a test moves it, and every
 * second of listening is exact. The history looks at its sessions every 20 ms.
 */
export function historyStack() {
  const startLinked = linkedBridge();
  afterEach(() => {
    vi.useRealTimers();
  });
  return async (
    at: number,
    opts: {flags?: string[]; dataDir?: string; mediaDir?: string; app?: Partial<AppOptions>} = {},
  ): Promise<LinkedBridge & {restart(): Promise<TestApp>}> => {
    vi.useFakeTimers({toFake: ["Date"], now: at});
    const stack = await startLinked({
      flags: opts.flags,
      prepare: addTalesCard,
      // Tokens outlive the jumps of the fake clock, so no refresh muddles the timing.
      simulator: {tokenTtlSeconds: 2 * 86_400},
      app: {
        timeZone: ZONE,
        history: {sweepMs: 20},
        ...(opts.dataDir ? {dataDir: opts.dataDir, mediaDir: opts.mediaDir} : {}),
        ...opts.app,
      },
    });
    await until(() => stack.watcher.lastJson(`yoto/${LIVING}`)?.volume === 8, "the Living Room's state");
    return {
      ...stack,
      // The same data folder, as a restart of the add-on: the login is saved there, so no linking.
      restart: () =>
        startApp(["--yoto_client_id", CLIENT_ID, ...(opts.flags ?? [])], {
          cloud: stack.sim.endpoints,
          republishDelayMs: () => 0,
          timeZone: ZONE,
          history: {sweepMs: 20},
          dataDir: stack.t.dataDir,
          mediaDir: stack.t.mediaDir,
        }),
    };
  };
}

/** Poll on real time (the fake clock does not move by itself). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// biome-ignore lint/suspicious/noExplicitAny: response shapes are what the assertions check
export async function getJson(base: string, path: string): Promise<{status: number; body: any}> {
  const res = await fetch(`${base}${path}`);
  return {status: res.status, body: await res.json()};
}

/** Run the crash child to its "playing" line, then kill -9 it. */
export async function crashMidPlay(dataDir: string, startedAt: number): Promise<string | null> {
  const child = spawn(
    process.execPath,
    [...nodeScript("test/helpers/historyCrashChild.ts"), dataDir, String(startedAt)],
    {cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "inherit"]},
  );
  const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve) =>
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("playing")) resolve();
    }),
  );
  child.kill("SIGKILL");
  return exited;
}
