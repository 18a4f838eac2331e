import {appendFileSync, mkdirSync, readdirSync, readFileSync} from "node:fs";
import path from "node:path";

/**
 * The CPU each test file spends, its own and its children's (servers, ffmpeg, Chromium, python),
 * kept beside the run's timings so `npm run test:slowest` can say where the suite's CPU goes, not
 * only its wall time. Its children count whether they have ended (servers and ffmpeg that
 * `test/setup.ts` stops) or still run (the Chromium a worker keeps for its next file).
 */
const FOLDER = path.resolve("test-artifacts", "file-cpu");
// Linux counts a process's children in clock ticks of 1/100 s (USER_HZ), whatever the kernel's own HZ.
const TICKS_PER_SECOND = 100;

interface CpuMark {
  own: NodeJS.CpuUsage;
  childTicks: number;
}

/** utime, stime, cutime, cstime and the parent of a process from its /proc stat line. */
function statOf(pid: string): {ppid: string; ticks: number; childTicks: number} | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command's closing parenthesis, from state (the 3rd field): ppid is the 4th,
    // utime and stime the 14th and 15th, cutime and cstime (children ended and reaped) the 16th and 17th.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {ppid: f[1] ?? "", ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14])};
  } catch {
    return undefined;
  }
}

/**
 * The ticks of every process below this one: those that ended (reaped here, or by a descendant
 * that still runs, such as Chromium's renderers) and those still running (a browser the worker
 * keeps for its next file).
 */
function childrenTicks(): number {
  const self = statOf("self");
  if (!self) return 0;
  const parentOf = new Map<string, string>();
  const stats = new Map<string, {ticks: number; childTicks: number}>();
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const stat = statOf(pid);
    if (!stat) continue;
    parentOf.set(pid, stat.ppid);
    stats.set(pid, stat);
  }
  const own = String(process.pid);
  const below = (pid: string): boolean => {
    for (let at = parentOf.get(pid), hops = 0; at && hops < 64; at = parentOf.get(at), hops++)
      if (at === own) return true;
    return false;
  };
  let ticks = self.childTicks;
  for (const [pid, stat] of stats) if (below(pid)) ticks += stat.ticks + stat.childTicks;
  return ticks;
}

export function markCpu(): CpuMark {
  return {own: process.cpuUsage(), childTicks: childrenTicks()};
}

/** Appends the file's CPU since `from` to this worker's record; a failure to write is not the test's. */
export function recordFileCpu(file: string | undefined, from: CpuMark): void {
  if (!file) return;
  const own = process.cpuUsage(from.own);
  const record = {
    file: path.relative(process.cwd(), file),
    at: Date.now(),
    ownSeconds: (own.user + own.system) / 1e6,
    childSeconds: (childrenTicks() - from.childTicks) / TICKS_PER_SECOND,
  };
  try {
    mkdirSync(FOLDER, {recursive: true});
    appendFileSync(path.join(FOLDER, `${process.ppid}.${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
  } catch {
    // The figures are a developer's aid; a read-only checkout still runs its tests.
  }
}
