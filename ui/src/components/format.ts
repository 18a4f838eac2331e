import type {RunResult} from "../../../src/shared/api/index.js";
/** Plain formatting for the views. */

/** Seconds as m:ss or h:mm:ss. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.round(seconds);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return hms[0] ? `${hms[0]}:${pad(hms[1])}:${pad(hms[2])}` : `${hms[1]}:${pad(hms[2])}`;
}

/** Minutes as people say them: "45 min", "1 h 30 min". */
export function minutes(m: number): string {
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
}

/**
 * A sleep timer as the time left, "Sleep in 12 min": read as "12:00" it looked like a clock time.
 * Rounded up, so the last minute still says "1 min" until the player stops.
 */
export function sleepIn(seconds: number): string {
  return `Sleep in ${minutes(Math.max(1, Math.ceil(seconds / 60)))}`;
}

// Made at first use: Chromium takes 30–55 ms to make the first one (it loads its locale data),
// which at module load held up the panel's first view, where nothing says "ago".
let relative: Intl.RelativeTimeFormat | undefined;
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["minute", 60],
  ["hour", 3600],
  ["day", 86_400],
];

/** A moment in words: "just now", "5 minutes ago", "yesterday"; a date once it is over a week old. */
export function ago(iso: string, now = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "–";
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 45) return "just now";
  if (seconds >= 7 * 86_400) return `on ${new Date(at).toLocaleDateString()}`;
  const [unit, size] = STEPS.findLast(([, size]) => seconds >= size * 0.9) ?? ["minute", 60];
  relative ??= new Intl.RelativeTimeFormat("en", {numeric: "auto"});
  return relative.format(-Math.max(1, Math.round(seconds / size)), unit);
}

/** Turn a rejected call into the message to show, for `catch` in event handlers. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A rule run's result in words (the API's values are for machines). */
/** Every way a rule run ends, in words: the compiler asks for a new one here. */
const RUN_RESULTS: Record<RunResult, string> = {
  running: "running",
  completed: "done",
  stopped: "stopped by the rule",
  condition_failed: "condition not met",
  error: "failed",
  aborted: "cut short",
  skipped: "skipped (already running)",
  refused: "held by the family plan",
};

export function runResult(result: string): string {
  return Object.hasOwn(RUN_RESULTS, result) ? RUN_RESULTS[result as RunResult] : result.replaceAll("_", " ");
}

/**
 * A step's place in a rule in words: `[0].actions[2].then[1]` → "action 3 › then 2". The rule's
 * own index is left out: the trace is already the rule's.
 */
export function stepPlace(path: string): string {
  const parts = [...path.matchAll(/\.?([a-z_]+)\[(\d+)\]/g)].map(([, key, index]) => {
    const name = key === "actions" ? "action" : key === "conditions" ? "condition" : (key as string);
    return `${name} ${Number(index) + 1}`;
  });
  return parts.join(" › ") || path;
}

/** A reading with its unit, or a dash alone when there is none (not "– dBm"). */
export function withUnit(value: number | undefined | null, unit: string): string {
  return value === undefined || value === null ? "–" : `${value}${unit}`;
}

const MODELS: Record<string, string> = {
  v3: "Yoto Player (3rd gen)",
  v2: "Yoto Player (2nd gen)",
  v1: "Yoto Player",
  mini: "Yoto Mini",
};

/** "Yoto Player (3rd gen)", with the device type only when it says more than the family ("v3e"). */
export function modelName(family: string | undefined, type: string | undefined): string {
  const name = family && Object.hasOwn(MODELS, family) ? MODELS[family] : family ? `Yoto ${family}` : undefined;
  if (!name) return type ?? "–";
  return type && type !== family ? `${name}, ${type}` : name;
}

/** How long a run or a step took: "12 ms", "5.6 s", "20 min 4 s". */
export function elapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ""}`;
}

const SIZE_UNITS = ["KB", "MB", "GB", "TB"];

/** A size on disk in words: "820 B", "14.2 MB", "1.31 GB" (1 KB is 1024 bytes, as file managers count). */
export function fileSize(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "–";
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${SIZE_UNITS[unit]}`;
}

/** "1 card", "3 cards": a count with its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
