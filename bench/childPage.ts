import {existsSync} from "node:fs";
import path from "node:path";
import {type Browser, chromium, type Page} from "playwright-core";
import {PACKAGE_ROOT} from "../src/paths.js";
import {DEMO_PLAYERS, YotoSimulator} from "../src/sim/simulator.js";
import {latencyRow, quantile} from "./cloud.js";
import {forkService, sized, table} from "./lib.js";
import {timeToReady} from "./pageTiming.js";

const LOADS = sized(30, 2);
const WARMUP = sized(3, 1);
const TAPS = sized(40, 2);
/** A CPU four times slower than this one: an old wall tablet. */
const THROTTLE = 4;
const CARDS = 24;
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
/** Each child may play once every 2 s (a toddler's taps): two children, tapped in turn. */
const CHILDREN = [
  {name: "Mia", player: DEMO_PLAYERS[1]!.name},
  {name: "Ben", player: DEMO_PLAYERS[0]!.name},
];

/** The child's page shows its covers, loaded. */
const CHILD_READY = `(() => {
  const root = document.querySelector("yss-child-page")?.shadowRoot;
  const imgs = [...(root?.querySelectorAll("li img") ?? [])];
  return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
})()`;

/** The least a page can do to show the shelf: read the same API and draw the covers as buttons. */
const BASELINE_PAGE = `<!doctype html><html><head><base href="../"></head><body><ul id="shelf"></ul><script type="module">
const {items} = await (await fetch("api/children/Mia/shelf")).json();
document.getElementById("shelf").innerHTML = items.map((i) => '<li><button><img width="96" height="96" alt="' + i.title + '" src="' + i.cover + '"></button></li>').join("");
</script></body></html>`;
const BASELINE_READY = `(() => {
  const imgs = [...document.querySelectorAll("#shelf img")];
  return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
})()`;

/** Keeps the time of the next pointerdown, and clears the timings of requests before it. */
const TAP_CLOCK = `(() => {
  performance.clearResourceTimings();
  window.addEventListener("pointerdown", () => { window.tapAt = performance.now(); }, {capture: true, once: true});
})()`;
const PLAY_TIMING = `performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/shelf/play")).at(-1)`;
const TAP_TIME = `${PLAY_TIMING}.responseEnd - window.tapAt`;
const SERVER_TIME = `(() => { const e = ${PLAY_TIMING}; return e.responseEnd - e.requestStart; })()`;

/**
 * The child's page on a CPU-throttled Chromium (4×, an old tablet), cold each time: from navigation
 * until its covers are painted, against a minimal page drawing the same shelf; then a tap on a cover
 * until the play command is acknowledged (the page's request answered, after the player's ack).
 * Half the 24 cards have art, so the page loads pictures the service made as well as drawings; they
 * are made before the warm-up loads, so their making is never in the timed loads.
 */
export async function childPageBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  if (!CHROMIUM || !existsSync(path.join(PACKAGE_ROOT, "dist", "ui", "child.html"))) {
    console.log("\nChild's page: skipped (needs Chromium and a built panel: npm run build:ui)");
    return [];
  }
  const sim = new YotoSimulator({});
  // Started before the cards are added: the art's address is the simulator's, known once it listens.
  await sim.start();
  for (let i = 0; i < CARDS; i++)
    sim.addCard({
      cardId: `sh${String(i).padStart(3, "0")}`,
      title: `Story ${i}`,
      content: {
        chapters: [
          {
            key: "01",
            title: "One",
            tracks: [{key: "01", title: "One", trackUrl: "yoto:#x", type: "audio", duration: 300}],
          },
        ],
      },
      // Every other card with art, as a real family's shelf mixes pictures made from art and drawings.
      ...(i % 2 === 0 ? {metadata: {cover: {imageL: `${sim.url}/covers/sh${i}.png`}}} : {}),
    });
  const service = forkService("panelService", [
    path.join(workDir, "child"),
    JSON.stringify(sim.endpoints),
    String(sim.players.size),
  ]);
  let browser: Browser | undefined;
  try {
    const base = `${(await service.ask<{url: string}>({}, "ready")).url}/`;
    const shelf = Array.from({length: CARDS}, (_, i) => `sh${String(i).padStart(3, "0")}`);
    for (const child of CHILDREN) {
      const res = await fetch(`${base}api/children/${child.name}`, {
        method: "PUT",
        headers: {"content-type": "application/json"},
        body: JSON.stringify({players: [child.player], shelf}),
      });
      if (res.status !== 200) throw new Error(`bench: the plan for ${child.name} was refused: ${await res.text()}`);
    }
    // The art made into pictures before any load: a read waits only 1.5 s for them, and making 12
    // may take longer than the warm-up loads, which would leave drawings in the timed ones.
    const made = async () => {
      const {items} = (await (await fetch(`${base}api/children/Mia/shelf`)).json()) as {items: {picture: string}[]};
      return items.filter((i) => i.picture === "art").length;
    };
    for (const until = performance.now() + 60_000; (await made()) < CARDS / 2; ) {
      if (performance.now() > until) throw new Error("bench: the cards' art was not made into pictures in 60 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const launched = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
    browser = launched;
    const throttled = async (): Promise<Page> => {
      const page = await (await launched.newContext({viewport: {width: 1280, height: 800}})).newPage();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", {rate: THROTTLE});
      return page;
    };
    const timed = async (url: string, ready: string, baseline: boolean) => {
      const page = await throttled();
      try {
        return await timeToReady(page, url, ready, baseline ? BASELINE_PAGE : undefined);
      } finally {
        await page.context().close();
      }
    };
    const child: number[] = [];
    const minimal: number[] = [];
    for (let i = 0; i < WARMUP + LOADS; i++) {
      const c = await timed(`${base}child/Mia`, CHILD_READY, false);
      const m = await timed(`${base}child/baseline`, BASELINE_READY, true);
      if (i >= WARMUP) {
        child.push(c);
        minimal.push(m);
      }
    }

    // Taps: each child's page open (throttled), a cover tapped, until the page has the answer.
    const pages = await Promise.all(CHILDREN.map(() => throttled()));
    for (const [i, page] of pages.entries()) {
      await page.goto(`${base}child/${CHILDREN[i]!.name}`);
      await page.waitForFunction(CHILD_READY);
    }
    const taps: number[] = [];
    const server: number[] = [];
    // When each child's last tap was answered: the shelf's cool-down (2 s) counts from the answer.
    const answered = pages.map(() => 0);
    for (let i = 0; i < TAPS; i++) {
      const page = pages[i % pages.length] as Page;
      // Each child's next tap after its cool-down: the other child's tap fills the wait.
      const wait = 2100 - (performance.now() - (answered[i % pages.length] as number));
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const tile = page.getByRole("button", {name: `Story ${(i >> 1) % CARDS}`, exact: true});
      // Timed in the page, from the finger's pointerdown to the answer's last byte: the driver's own
      // work before it presses (waiting for the cover to be still, scrolling) is not the child's wait.
      await page.evaluate(TAP_CLOCK);
      const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/shelf/play")), tile.click()]);
      const body = (await answer.json()) as {outcome: string};
      answered[i % pages.length] = performance.now();
      taps.push(await page.evaluate<number>(TAP_TIME));
      server.push(await page.evaluate<number>(SERVER_TIME));
      if (body.outcome !== "played") throw new Error(`bench: a tap was answered ${JSON.stringify(body)}`);
    }
    const rows = [
      latencyRow("minimal page drawing the shelf (baseline), 4× CPU throttle", minimal),
      latencyRow("child's page: covers painted, 4× CPU throttle", child),
      latencyRow("tap on a cover → play acknowledged, 4× CPU throttle", taps),
      latencyRow("of which the request (sent → answered)", server),
    ];
    const ratio = quantile(child, 0.5) / quantile(minimal, 0.5);
    console.log(
      `\nChild's page, cold, ${LOADS} loads, ${CARDS} cards on the shelf; ${TAPS} taps\n${table(rows)}\nchild's page / minimal page at p50: ${ratio.toFixed(2)}×; tap → play p99 ${quantile(taps, 0.99).toFixed(1)} ms`,
    );
    return [...rows, {path: "ratio p50 (child's page / minimal)", events: "", p50_ms: ratio.toFixed(2), p99_ms: ""}];
  } finally {
    await browser?.close();
    await service.stop();
    await sim.stop();
  }
}
