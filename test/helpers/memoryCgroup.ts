import {existsSync} from "node:fs";
import {mkdir, readFile, rmdir, writeFile} from "node:fs/promises";
import path from "node:path";

/**
 * A memory cgroup holding a process and every child it starts later (ffmpeg included), as a small
 * Home Assistant box's memory is: past `limitBytes` the kernel reclaims, then kills. cgroup v2
 * (`memory.max`) or v1 (`memory.limit_in_bytes`), whichever this machine mounts writable; undefined
 * where neither is (not root): the caller then measures the process's own peak instead.
 */
export interface MemoryCgroup {
  version: 1 | 2;
  /** The most the group has held at once, children included. */
  peakBytes(): Promise<number>;
  /** How many processes in the group the kernel killed for memory. */
  oomKills(): Promise<number>;
  remove(): Promise<void>;
}

export async function memoryCgroup(name: string, pid: number, limitBytes: number): Promise<MemoryCgroup | undefined> {
  const v2 = existsSync("/sys/fs/cgroup/cgroup.controllers");
  const dir = v2 ? path.join("/sys/fs/cgroup", name) : path.join("/sys/fs/cgroup/memory", name);
  try {
    await mkdir(dir);
    if (v2) await writeFile(path.join(dir, "memory.max"), String(limitBytes));
    else await writeFile(path.join(dir, "memory.limit_in_bytes"), String(limitBytes));
    await writeFile(path.join(dir, "cgroup.procs"), String(pid));
  } catch {
    await rmdir(dir).catch(() => undefined);
    return undefined;
  }
  const read = (file: string) => readFile(path.join(dir, file), "utf8");
  return {
    version: v2 ? 2 : 1,
    peakBytes: async () =>
      Number((await read(v2 ? "memory.peak" : "memory.max_usage_in_bytes").catch(() => "0")).trim()),
    oomKills: async () => {
      const text = await read(v2 ? "memory.events" : "memory.oom_control");
      return Number(/oom_kill (\d+)/.exec(text)?.[1] ?? 0);
    },
    // A group empties when its processes end; only then can it go.
    remove: () => rmdir(dir).catch(() => undefined),
  };
}

/** A process's resident memory now and at its peak, from /proc/<pid>/status. */
export async function processMemory(pid: number): Promise<{rss: number; peak: number}> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return {rss: kb("VmRSS"), peak: kb("VmHWM")};
}
