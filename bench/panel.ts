import {existsSync} from "node:fs";
import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {gzipSync} from "node:zlib";
import {type Browser, chromium} from "playwright-core";
import {PACKAGE_ROOT} from "../src/paths.js";
import {YotoSimulator} from "../src/sim/simulator.js";
import {latencyRow, quantile} from "./cloud.js";
import {forkService, sized, table} from "./lib.js";
import {timeToReady} from "./pageTiming.js";

const LOADS = sized(30, 2);
const WARMUP = sized(3, 1);
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

/** The players view shows its cards and their buttons can be pressed. */
const PANEL_READY = `(() => {
  const view = document.querySelector("yss-panel")?.shadowRoot?.querySelector("yss-players-view");
  const card = view?.shadowRoot?.querySelector("yss-player-card");
  return Boolean(card?.shadowRoot?.querySelector("button:not([disabled])"));
})()`;

/**
 * A page that does the least a page can do to show the players: fetch the same API and write the
 * names. Served on the same origin, so the same network and server are in the measurement.
 */
const BASELINE_PAGE = `<!doctype html><html><body><ul id="players"></ul><script type="module">
const {players} = await (await fetch("api/players")).json();
document.getElementById("players").innerHTML = players.map((p) => "<li><button>" + p.name + "</button></li>").join("");
</script></body></html>`;
const BASELINE_READY = `document.querySelectorAll("#players button").length > 0`;

/**
 * Each load is a new window, and for a new window Chromium loads its address bar's suggestion popup
 * (a WebUI page) in a renderer of its own: about 360 ms of CPU in a traced load, beside the page on
 * two cores, which a browser opening the panel again does not spend. Off for both pages, both
 * loaded about 100 ms sooner here.
 */
const NO_OMNIBOX_POPUP = "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup";

/**
 * The panel's first load in Chromium, cold (a new browser context each time, so nothing cached):
 * from navigation until the Players view is interactive, against the minimal page above. Also
 * the bytes the panel ships, gzipped as the service sends them.
 */
export async function panelBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const assets = path.join(PACKAGE_ROOT, "dist", "ui", "assets");
  if (!CHROMIUM || !existsSync(assets)) {
    console.log("\nPanel first load: skipped (needs Chromium and a built panel: npm run build:ui)");
    return [];
  }
  let gzipped = 0;
  let raw = 0;
  // What the first view needs: the files index.html names (the other views' chunk comes later).
  const index = await readFile(path.join(PACKAGE_ROOT, "dist", "ui", "index.html"), "utf8");
  let firstGzipped = 0;
  for (const file of await readdir(assets)) {
    const bytes = await readFile(path.join(assets, file));
    const packed = gzipSync(bytes, {level: 9}).length;
    raw += bytes.length;
    gzipped += packed;
    if (index.includes(`assets/${file}`)) firstGzipped += packed;
  }

  // The service in a process of its own, as in the add-on; the simulator and the browser's driver
  // here. In one process the driver's work while a page loads held up the service's answers.
  const sim = new YotoSimulator({});
  await sim.start();
  const service = forkService("panelService", [
    path.join(workDir, "panel"),
    JSON.stringify(sim.endpoints),
    String(sim.players.size),
  ]);
  let browser: Browser | undefined;
  try {
    const launched = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        NO_OMNIBOX_POPUP,
      ],
    });
    browser = launched;
    const base = `${(await service.ask<{url: string}>({}, "ready")).url}/`;
    const timed = async (url: string, ready: string, baseline: boolean) => {
      const context = await launched.newContext();
      try {
        return await timeToReady(await context.newPage(), url, ready, baseline ? BASELINE_PAGE : undefined);
      } finally {
        await context.close();
      }
    };
    const panel: number[] = [];
    const minimal: number[] = [];
    for (let i = 0; i < WARMUP + LOADS; i++) {
      const p = await timed(base, PANEL_READY, false);
      const m = await timed(`${base}baseline`, BASELINE_READY, true);
      if (i >= WARMUP) {
        panel.push(p);
        minimal.push(m);
      }
    }
    const rows = [
      latencyRow("minimal page listing the players (baseline)", minimal),
      latencyRow("panel: players view interactive", panel),
    ];
    const ratio = quantile(panel, 0.5) / quantile(minimal, 0.5);
    console.log(
      `\nPanel first load, cold cache, ${LOADS} loads\n${table(rows)}\npanel / minimal page at p50: ${ratio.toFixed(2)}×; panel JS+CSS ${(raw / 1024).toFixed(1)} KiB, ${(gzipped / 1024).toFixed(1)} KiB gzipped, of which the first load ${(firstGzipped / 1024).toFixed(1)} KiB`,
    );
    return [
      ...rows,
      {path: "ratio p50 (panel / minimal)", events: "", p50_ms: ratio.toFixed(2), p99_ms: ""},
      {path: "panel JS+CSS gzipped (KiB)", events: "", p50_ms: (gzipped / 1024).toFixed(1), p99_ms: ""},
      {path: "first load gzipped (KiB)", events: "", p50_ms: (firstGzipped / 1024).toFixed(1), p99_ms: ""},
    ];
  } finally {
    await browser?.close();
    await service.stop();
    await sim.stop();
  }
}
