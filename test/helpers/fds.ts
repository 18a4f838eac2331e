import {readdir, readlink} from "node:fs/promises";

/** Files below `dir` this process has open (Linux /proc), to prove nothing leaks a handle. */
export async function openFilesUnder(dir: string): Promise<string[]> {
  const fds = await readdir("/proc/self/fd");
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")));
  return targets.filter((target) => target.startsWith(dir));
}
