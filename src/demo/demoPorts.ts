/**
 * The demo's own servers' ports: its Yoto cloud simulator and its radio station pick a free port
 * each run unless pinned, so the printed `curl` lines (and a firewall rule, a bookmark) can stay the
 * same from one run to the next. They are the demo's, not the service's options: taken out of the
 * flags before the service reads its own, which would refuse them as unknown.
 */
export const DEMO_PORT_FLAGS = {sim_port: "DEMO_SIM_PORT", radio_port: "DEMO_RADIO_PORT"} as const;

export type DemoPortName = keyof typeof DEMO_PORT_FLAGS;

export interface DemoPorts {
  /** The flags left for the service's own options. */
  rest: string[];
  /** 0 (or absent): a free port. */
  sim?: number;
  radio?: number;
}

/** `--sim_port 9100` / `--sim-port=9100` / `DEMO_SIM_PORT=9100` (and the radio's), or what is wrong. */
export function demoPorts(flags: readonly string[], env: NodeJS.ProcessEnv): DemoPorts | {error: string} {
  const given: Partial<Record<DemoPortName, {raw: string; from: string}>> = {};
  for (const [name, variable] of Object.entries(DEMO_PORT_FLAGS) as Array<[DemoPortName, string]>) {
    const raw = env[variable];
    if (raw !== undefined && raw !== "") given[name] = {raw, from: `env ${variable}`};
  }
  const rest: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const arg = flags[i] as string;
    const eq = arg.indexOf("=");
    const name = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)).replaceAll("-", "_");
    if (!arg.startsWith("--") || !Object.hasOwn(DEMO_PORT_FLAGS, name)) {
      rest.push(arg);
      continue;
    }
    const raw = eq === -1 ? (flags[++i] ?? "") : arg.slice(eq + 1);
    given[name as DemoPortName] = {raw, from: `flag --${name}`};
  }
  const ports: DemoPorts = {rest};
  for (const [name, value] of Object.entries(given) as Array<[DemoPortName, {raw: string; from: string}]>) {
    const port = /^\d{1,5}$/.test(value.raw.trim()) ? Number(value.raw) : Number.NaN;
    if (!(port >= 0 && port <= 65535))
      return {
        error: `${name} must be a port number from 0 to 65535, 0 for a free one (got '${value.raw}' from ${value.from})`,
      };
    if (name === "sim_port") ports.sim = port;
    else ports.radio = port;
  }
  return ports;
}

/** The same flags given to `start`: say they belong to the demo rather than "not a known option". */
export function demoOnlyFlag(flags: readonly string[]): string | undefined {
  for (const arg of flags) {
    const name = arg.startsWith("--") ? arg.slice(2).split("=")[0]?.replaceAll("-", "_") : undefined;
    if (name && Object.hasOwn(DEMO_PORT_FLAGS, name))
      return `--${name} sets a port of the demo's own servers: give it to the demo (npm run demo -- --${name} 9100)`;
  }
  return undefined;
}

/** What a demo server's failed listen means, in words. */
export function demoListenError(err: unknown, server: string, name: DemoPortName, port: number): Error {
  if ((err as NodeJS.ErrnoException).code === "EADDRINUSE")
    return new Error(
      `port ${port} for the demo's ${server} is already in use: stop what uses it, or choose another with --${name} (0 for a free one)`,
    );
  return err as Error;
}
