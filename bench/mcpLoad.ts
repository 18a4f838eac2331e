import http from "node:http";
import {latencyRow, quantile} from "./cloud.js";
import {MEASURE_SECONDS, SMOKE} from "./lib.js";

/** Assistants and pages at once: what a household with a few agents and a panel open asks of it, and more. */
export const CLIENTS = SMOKE ? 5 : 50;
const P99_GOAL_MS = 100;
const P99_RATIO_GOAL = 1.5;
const CPU_RATIO_GOAL = 2;

interface Phase {
  samples: number[];
  cpuMsPerCall: number;
}

/**
 * `CLIENTS` keep-alive clients at once for MEASURE_SECONDS, each sending one request after another:
 * the MCP read tool (`whats_playing_on_yoto`, one `tools/call` POST, as a 2026-07-28 client or a
 * stateless one sends it) against `GET /api/players`, the panel's own read of the same players, in
 * the same process. Beside them, to tell the server's share from the tool's: `tools/list` (the
 * server alone, no tool's work) and the same question over `POST /api/voice` (the tool's work
 * without MCP). The CPU per call is the bench process's (the service runs in it), the clients'
 * share included on every side. Goals: the tool's p99 under 100 ms and at most 1.5× the players',
 * its CPU per call at most 2× the players'.
 */
export async function concurrentRows(base: string, token: string): Promise<Array<Record<string, string | number>>> {
  let id = 0;
  const mcp = (method: string, params?: object) => () => ({
    url: `${base}/mcp`,
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: "application/json, text/event-stream",
      "Content-Type": "application/json",
    },
    body: JSON.stringify({jsonrpc: "2.0", id: ++id, method, ...(params ? {params} : {})}),
  });
  const players = await phase(() => ({url: `${base}/api/players`, method: "GET", headers: {}}));
  const voice = await phase(() => ({
    url: `${base}/api/voice`,
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({
      language: "en",
      trigger: "whats_playing",
      slots: {who: "Mia's"},
      sentence: "what's playing on Mia's Yoto",
    }),
  }));
  const list = await phase(mcp("tools/list"));
  const tool = await phase(mcp("tools/call", {name: "whats_playing_on_yoto", arguments: {who: "Mia's"}}));
  const p99 = quantile(tool.samples, 0.99);
  const ratio = p99 / quantile(players.samples, 0.99);
  const cpuRatio = tool.cpuMsPerCall / players.cpuMsPerCall;
  const verdict = (ok: boolean) => (ok ? "pass" : "FAIL");
  const row = (name: string, p: Phase) => ({
    ...latencyRow(`${CLIENTS} at once: ${name}`, p.samples),
    cpu_ms_per_call: cpu(p),
  });
  const rows: Array<Record<string, string | number>> = [
    row("GET /api/players (baseline)", players),
    row("POST /api/voice what's playing (the tool's work without MCP)", voice),
    row("MCP tools/list (the server's share alone)", list),
    row(`MCP whats_playing_on_yoto (goal p99 < ${P99_GOAL_MS} ms: ${verdict(p99 < P99_GOAL_MS)})`, tool),
    {
      path: `tool / players: at p99 (goal ≤ ${P99_RATIO_GOAL}: ${verdict(ratio <= P99_RATIO_GOAL)}); CPU per call (goal ≤ ${CPU_RATIO_GOAL}: ${verdict(cpuRatio <= CPU_RATIO_GOAL)})`,
      events: "",
      p50_ms: "",
      p99_ms: ratio.toFixed(2),
      cpu_ms_per_call: cpuRatio.toFixed(2),
    },
  ];
  return rows;
}

function cpu(p: Phase): string {
  return p.cpuMsPerCall.toFixed(3);
}

async function phase(request: () => {url: string; method: string; headers: Record<string, string>; body?: string}) {
  const agent = new http.Agent({keepAlive: true, maxSockets: CLIENTS});
  const samples: number[] = [];
  // A second's warm-up first: the first requests open the connections and warm the code.
  await clients(agent, request, Math.min(1, MEASURE_SECONDS), []);
  const before = process.cpuUsage();
  await clients(agent, request, MEASURE_SECONDS, samples);
  const used = process.cpuUsage(before);
  agent.destroy();
  return {samples, cpuMsPerCall: (used.user + used.system) / 1000 / samples.length} satisfies Phase;
}

async function clients(
  agent: http.Agent,
  request: () => {url: string; method: string; headers: Record<string, string>; body?: string},
  seconds: number,
  samples: number[],
): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({length: CLIENTS}, async () => {
      while (performance.now() < deadline) samples.push(await once(agent, request()));
    }),
  );
}

/** One request, timed to its whole answer; anything but a 200 fails the bench (it times answers, not refusals). */
function once(
  agent: http.Agent,
  r: {url: string; method: string; headers: Record<string, string>; body?: string},
): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(r.url, {method: r.method, agent, headers: r.headers}, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (res.statusCode !== 200)
          reject(new Error(`${r.method} ${r.url} answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`));
        else resolve(performance.now() - started);
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(r.body);
  });
}
