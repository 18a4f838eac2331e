import {spawn} from "node:child_process";
import {readdir} from "node:fs/promises";
import {createInterface} from "node:readline";
import {PACKAGE_ROOT} from "../../src/paths.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {CLIENT_ID} from "./cloud.js";
import {nodeScript} from "./compiled.js";
import {atFileEnd} from "./fileEnd.js";
import {FREE_PORT_FLAGS} from "./freePorts.js";
import type {ChildSetup, Question} from "./inspectedServiceChild.js";

export interface InspectedService {
  pid: number;
  adminUrl: string;
  audioUrl: string;
  upnpPort: number;
  /** Every log line the service wrote (debug and up), in order. */
  lines: string[];
  /** The exit code or signal, once it exited; undefined while it runs. */
  exited(): string | undefined;
  /** A signed audio-listener URL for `pathname`, as the service hands them out. */
  signedUrl(pathname: string): Promise<string>;
  ask<T>(question: Question): Promise<T>;
  /** The descriptors the service's process holds open now (/proc/<pid>/fd). */
  openDescriptors(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The whole service in its own process (inspectedServiceChild.ts) on `sim`'s cloud, linked, with
 * the data, media and rules folders given: whatever stops it is seen as its exit, and what it holds
 * is counted without the test's own sockets and files. Node runs it with --expose-gc so its heap
 * can be measured after a collection. Stopped at the file's end.
 */
export async function startInspectedService(
  sim: YotoSimulator,
  folders: {dataDir: string; mediaDir: string; rulesDir: string},
  opts: {flags?: string[]; app?: ChildSetup["app"]} = {},
): Promise<InspectedService> {
  const setup: ChildSetup = {
    flags: [
      ...["--data_dir", folders.dataDir, "--media_dirs", folders.mediaDir, "--rules_dir", folders.rulesDir],
      ...FREE_PORT_FLAGS,
      ...["--yoto_client_id", CLIENT_ID, "--fetch_allow", "127.0.0.1,::1", "--media_discovery", "false"],
      ...(opts.flags ?? []),
    ],
    cloud: sim.endpoints,
    app: opts.app ?? {},
  };
  const proc = spawn(
    process.execPath,
    [...nodeScript("test/helpers/inspectedServiceChild.ts", ["--expose-gc"]), JSON.stringify(setup)],
    {cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "pipe", "ipc"]},
  );
  let exit: string | undefined;
  const lines: string[] = [];
  let stderr = "";
  createInterface({input: proc.stdout as NodeJS.ReadableStream}).on("line", (line) => lines.push(line));
  proc.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const gone = new Promise<void>((resolve) =>
    proc.once("exit", (code, signal) => {
      exit = signal ?? String(code);
      resolve();
    }),
  );
  const stop = async () => {
    if (exit === undefined) {
      proc.send({id: 0, ask: "stop"});
      const killer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(killer);
    }
  };
  atFileEnd(stop);

  const waiting = new Map<number, {resolve: (v: unknown) => void; reject: (e: Error) => void}>();
  let nextId = 1;
  const ready = new Promise<{admin: string; audio: string; upnpPort: number}>((resolve, reject) => {
    proc.on("message", (message: {ready?: {admin: string; audio: string; upnpPort: number}; id?: number}) => {
      if (message.ready) return resolve(message.ready);
      const reply = message as {id: number; value?: unknown; error?: string};
      const waiter = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply.value);
    });
    void gone.then(() => {
      const why = new Error(`the service exited (${exit}); its stderr ends: ${stderr.slice(-1500)}`);
      reject(why);
      for (const waiter of waiting.values()) waiter.reject(why);
      waiting.clear();
    });
  });
  const {admin, audio, upnpPort} = await ready;

  const ask = <T>(question: Question) =>
    new Promise<T>((resolve, reject) => {
      if (exit !== undefined) return reject(new Error(`the service exited (${exit})`));
      const id = nextId++;
      waiting.set(id, {resolve: resolve as (v: unknown) => void, reject});
      proc.send({id, ...question});
    });
  return {
    pid: proc.pid as number,
    adminUrl: admin,
    audioUrl: audio,
    upnpPort,
    lines,
    exited: () => exit,
    ask,
    signedUrl: async (pathname) => `${audio}${await ask<string>({ask: "signed", path: pathname})}`,
    openDescriptors: async () => (await readdir(`/proc/${proc.pid}/fd`)).length,
    stop,
  };
}
