import {execFile} from "node:child_process";
import path from "node:path";
import {promisify} from "node:util";
import {quantile, sleep} from "./cloud.js";
import {BENCH_DIR, forkBench, SERVICE_ENV, SERVICE_NODE_FLAGS, SMOKE, sized} from "./lib.js";
import {EventSink} from "./upnpHttp.js";
import {PLAYERS, subscribeAll, withService} from "./upnpSetup.js";

const IDLE_SECONDS = sized(15, 1);
const ROUNDS = sized(3, 1);
const MIB = 1024 * 1024;
const run = promisify(execFile);

/** The compiled service (bench/servers/upnpIdle.mjs), as `npm start` runs it: no loader in its memory. */
function launchCompiled(args: string[]) {
  return forkBench(path.join(BENCH_DIR, "servers", "upnpIdle.mjs"), args, {
    execArgv: SERVICE_NODE_FLAGS,
    env: {...process.env, ...SERVICE_ENV},
  });
}

/**
 * Idle memory of the renderers (issue 58): RSS and V8 heap after IDLE_SECONDS idle and a full
 * collection, PLAYERS renderers with a subscriber each (to AVTransport and RenderingControl), against
 * the same compiled service with `upnp` off; fresh processes, alternating, ROUNDS each, medians
 * compared, each round's RSS shown (one reading on a shared box is noise).
 */
export async function idleMemory(root: string): Promise<Array<Record<string, string>>> {
  // Measured as it runs in production: compiled. A smoke run follows the build it checks (`npm run
  // bench` builds first, as CI does).
  if (!SMOKE)
    await run(process.execPath, [
      path.join(BENCH_DIR, "..", "node_modules", "typescript", "bin", "tsc"),
      "-p",
      path.join(BENCH_DIR, "..", "tsconfig.build.json"),
    ]);
  const readings = {on: [] as number[], off: [] as number[], heapOn: [] as number[], heapOff: [] as number[]};
  for (let round = 0; round < ROUNDS; round++)
    for (const upnp of [false, true])
      await withService(
        {root, name: `idle-${upnp}-${round}`, upnp, launch: launchCompiled},
        async (ready, _sim, specs, child) => {
          const sink = new EventSink();
          await sink.start();
          try {
            if (upnp) await subscribeAll(`http://127.0.0.1:${ready.upnpPort}`, specs, sink);
            await sleep(IDLE_SECONDS * 1000);
            const m = await child.ask<{rss: number; heapUsed: number; subscriptions: number}>({cmd: "rss"}, "rss");
            if (m.subscriptions !== (upnp ? 2 * PLAYERS : 0))
              throw new Error(`bench: ${m.subscriptions} subscriptions after the idle wait`);
            (upnp ? readings.on : readings.off).push(m.rss);
            (upnp ? readings.heapOn : readings.heapOff).push(m.heapUsed);
          } finally {
            await sink.stop();
          }
        },
      );
  const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
  const median = (xs: number[]) => quantile(xs, 0.5);
  const each = (xs: number[]) => xs.map((x) => (x / MIB).toFixed(1)).join(", ");
  return [
    {
      what: `RSS after ${IDLE_SECONDS} s idle (median of ${ROUNDS})`,
      "upnp off (baseline)": mib(median(readings.off)),
      [`${PLAYERS} renderers, ${PLAYERS} subscribers`]: mib(median(readings.on)),
      difference: mib(median(readings.on) - median(readings.off)),
    },
    {
      what: "V8 heap used",
      "upnp off (baseline)": mib(median(readings.heapOff)),
      [`${PLAYERS} renderers, ${PLAYERS} subscribers`]: mib(median(readings.heapOn)),
      difference: mib(median(readings.heapOn) - median(readings.heapOff)),
    },
    {
      what: "RSS of each round (MiB)",
      "upnp off (baseline)": each(readings.off),
      [`${PLAYERS} renderers, ${PLAYERS} subscribers`]: each(readings.on),
      difference: "",
    },
  ];
}
