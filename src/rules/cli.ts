import {statSync} from "node:fs";
import path from "node:path";
import {Logger} from "../core/logger.js";
import {ProcessGuard} from "../core/processGuard.js";
import {processTimeZone, zonedInstant} from "../core/time/zoned.js";
import {StoryFiles} from "../stories/index.js";
import {type LoadError, loadRules} from "./loader.js";
import {PluginFaults} from "./pluginFaults.js";
import {simulateRules} from "./simulate.js";

const USAGE = `Usage:
  yoto-smart-stream rules check [DIR]
  yoto-smart-stream rules simulate --at 2026-12-01T19:00 [--event '{"type":"card","card":"abc12","player":"Living Room"}'] [--tz Europe/London] [--assume-online] [--listening 'Bedroom Mini=45'] [DIR]

DIR defaults to ./rules. Times without a zone are read in --tz (default: TZ or the system's).
Offline there are no players and no history: --assume-online counts every player the simulation
names as online, and --listening <player>=<minutes> (repeat it, or separate with commas) sets how
long a player listened today.`;

/** Flags that take no value. */
const SWITCHES = new Set(["help", "assume-online"]);

/** `rules check` and `rules simulate`: exit code 0 when all is well, 1 on rule errors, 2 on usage. */
export async function rulesCommand(args: string[], print: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  // Every value of a flag, in order: --listening may be given more than once.
  const all = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    all.set(name, [...(all.get(name) ?? []), SWITCHES.has(name) ? "" : (rest[++i] ?? "")]);
  }
  const flags = new Map([...all].map(([name, values]) => [name, values.at(-1) as string]));
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help" || flags.has("help")) {
    print(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const dir = path.resolve(positional[0] ?? "rules");
  const folderProblem = checkFolder(dir);
  if ((sub === "check" || sub === "simulate") && folderProblem) {
    print(folderProblem);
    return 2;
  }
  const timeZone = flags.get("tz") || processTimeZone();
  const services = {log: new Logger({level: "error", sink: () => {}})};

  if (sub === "check") {
    const storyFiles = new StoryFiles();
    const {rules, errors, files} = await guardingPlugins(services.log, (faults) =>
      loadRules(dir, {timeZone, services, attribution: faults.attribution, documents: [storyFiles]}),
    );
    const stories = storyFiles.stories;
    for (const error of errors) print(error.text);
    const storyCount = stories.length ? ` and ${stories.length} ${stories.length === 1 ? "story" : "stories"}` : "";
    print(
      `${rules.length} rule(s)${storyCount} OK in ${files.length} file(s) under ${dir}${errors.length ? `; ${errors.length} error(s)` : ""}`,
    );
    return errors.length ? 1 : 0;
  }
  if (sub === "simulate") {
    const atText = flags.get("at");
    const at = atText ? parseLocal(atText, timeZone) : Date.now();
    if (Number.isNaN(at)) {
      print(`--at must be a date and time such as 2026-12-01T19:00 (got '${atText}')`);
      return 2;
    }
    let event: Record<string, unknown> | undefined;
    if (flags.has("event")) {
      try {
        event = JSON.parse(flags.get("event") as string) as Record<string, unknown>;
      } catch {
        print(`--event must be JSON such as '{"type":"card","card":"abc12"}'`);
        return 2;
      }
    }
    const listening = listeningFlags(all.get("listening") ?? []);
    if (typeof listening === "string") {
      print(listening);
      return 2;
    }
    const assume = {online: flags.has("assume-online"), listening};
    const {runs, errors, assumed} = await guardingPlugins(services.log, (faults) =>
      simulateRules(dir, {at, event, timeZone, services, attribution: faults.attribution, assume}),
    );
    for (const error of errors) print(error.text);
    print(`${event ? `On ${JSON.stringify(event)}` : "At"} ${new Date(at).toISOString()} (${timeZone}):`);
    if (assumed.length) print(`  Assumed: ${assumed.join("; ")}`);
    if (runs.length === 0) print("  nothing fires");
    for (const run of runs) {
      print(`  ${run.rule} (${run.file}:${run.line}) fires on ${run.trigger.type}`);
      for (const c of run.conditions) print(`    condition ${c.type}: ${c.result ? "passes" : "fails"}`);
      if (run.result === "condition_failed") print("    → stops: a condition fails");
      for (const line of run.would) print(`    would ${line}`);
      if (run.error) print(`    → ${run.result}: ${run.error}`);
    }
    return errors.length ? 1 : 0;
  }
  print(USAGE);
  return 2;
}

/**
 * Run `load` with the process's last-resort handlers on: a plugin's asynchronous error becomes one
 * more placed error in the answer (anything else is fatal, as in the service).
 */
async function guardingPlugins<T extends {errors: LoadError[]}>(
  log: Logger,
  load: (faults: PluginFaults) => Promise<T>,
): Promise<T> {
  const faults = new PluginFaults(log, () => {});
  const guard = new ProcessGuard({
    log: new Logger({level: "error"}),
    claim: (error, kind) => faults.claim(error, kind),
    onFatal: () => process.exit(1),
  });
  guard.start();
  try {
    const result = await load(faults);
    // A rejection a plugin left while loading is reported once the current tick ends.
    await new Promise((resolve) => setImmediate(resolve));
    return {...result, errors: [...result.errors, ...faults.list()]};
  } finally {
    guard.stop();
  }
}

/** `--listening 'Bedroom Mini=45,Kitchen=10'` (and repeated flags): minutes by player, or what is wrong. */
function listeningFlags(values: string[]): Record<string, number> | string {
  const minutes: Record<string, number> = {};
  for (const item of values.flatMap((v) => v.split(","))) {
    const cut = item.lastIndexOf("=");
    const name = item.slice(0, cut).trim();
    const value = cut < 0 ? "" : item.slice(cut + 1).trim();
    if (!name || !/^\d+(\.\d+)?$/.test(value))
      return `--listening must be <player>=<minutes listened today>, such as 'Bedroom Mini=45' (got '${item}')`;
    minutes[name] = Number(value);
  }
  return minutes;
}

/** "2026-12-01T19:00" in the zone (an explicit Z or offset wins). */
function parseLocal(text: string, timeZone: string): number {
  if (/[zZ]|[+-]\d\d:?\d\d$/.test(text)) return Date.parse(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return Number.NaN;
  return zonedInstant(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0),
    timeZone,
  );
}

/** Why `dir` cannot be a rules folder, or undefined when it can. */
function checkFolder(dir: string): string | undefined {
  try {
    if (statSync(dir).isDirectory()) return undefined;
    return `'${dir}' is a file: give the folder that holds your rule files (.yaml), e.g. rules check ./rules`;
  } catch {
    return `There is no folder '${dir}': give the folder that holds your rule files (.yaml), e.g. rules check ./rules`;
  }
}
