import http from "node:http";
import path from "node:path";
import {linkThroughBrowser} from "../src/sim/browser.js";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {addFamilyCards, latencyRow, quantile, simulatedApp, sleep, untilPrimed} from "./cloud.js";
import {sized, table} from "./lib.js";
import {CLIENTS, concurrentRows} from "./mcpLoad.js";

const RUNS = sized(300, 10);
const PLAYS = sized(100, 5);
const WARMUP = sized(20, 2);
/** A big family library, as in the voice bench: every request reads all of it. */
const CARDS = sized(2000, 40);
/** Plays one every 150 ms: voice acts on 10 requests a second (a burst of 20), MCP's plays included. */
const PLAY_EVERY_MS = 150;
const MINI = DEMO_PLAYERS[1]?.deviceId as string;
const ANSWER_GOAL_MS = 100;
const PLAY_GOAL_MS = 300;

/**
 * An assistant's MCP tool call over HTTP (`POST /mcp`, stateless, a JSON answer) against a voice
 * request of the same kind over HTTP (`POST /api/voice`) in the same run, on the demo's players among
 * 2,000 cards: `whats_playing_on_yoto` → its answer against the voice question, and `play_on_yoto` →
 * its answer (sent once the player acknowledged) against the voice play, each pair in turn so both
 * see the same moments of the process. Goals: the answer p99 under 100 ms, the play p99 under 300 ms.
 * Then many clients at once (bench/mcpLoad.ts): the read tool against the panel's `GET /api/players`.
 * The rate per assistant is raised for the bench: it times calls, not the rate's refusals.
 */
export async function mcpBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const root = path.join(workDir, "mcp");
  const {app, sim, stop} = await simulatedApp({
    root,
    mediaDirs: [path.join(root, "media")],
    upnp: false,
    mcpRate: {perSecond: 10_000, burst: 10_000},
  });
  const agent = new http.Agent({keepAlive: true, maxSockets: 1});
  try {
    addFamilyCards(sim, CARDS);
    await linkThroughBrowser(app.account);
    await untilPrimed(app.players, sim.players.size);
    await app.family.put("Mia", {players: [MINI]});
    await app.family.put("Ben", {players: [DEMO_PLAYERS[0]?.deviceId as string]});
    const {token} = await app.assistants.assistants.make("Bench speaker");
    const base = app.admin.url;
    let id = 0;

    const voice = (body: Record<string, unknown>) =>
      timedPost(agent, `${base}/api/voice`, {}, JSON.stringify({language: "en", ...body}), (answer) => answer);
    const tool = (name: string, args: Record<string, unknown>) =>
      timedPost(
        agent,
        `${base}/mcp`,
        {Authorization: `Bearer ${token}`, Accept: "application/json, text/event-stream"},
        JSON.stringify({jsonrpc: "2.0", id: ++id, method: "tools/call", params: {name, arguments: args}}),
        (answer) => {
          const result = (answer as {result?: {isError?: boolean; structuredContent?: unknown}}).result;
          if (!result || result.isError) throw new Error(`the MCP call ${name} failed: ${JSON.stringify(answer)}`);
          return result.structuredContent;
        },
      );
    const outcome = (want: string) => (data: unknown) => {
      if ((data as {outcome?: string}).outcome !== want)
        throw new Error(`expected ${want}, answered ${JSON.stringify(data)}`);
    };

    const voiceQuestion: number[] = [];
    const mcpQuestion: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const v = await voice({
        trigger: "whats_playing",
        slots: {who: "Mia's"},
        sentence: "what's playing on Mia's Yoto",
      });
      const m = await tool("whats_playing_on_yoto", {who: "Mia's"});
      if (i >= WARMUP) {
        voiceQuestion.push(v.ms);
        mcpQuestion.push(m.ms);
      }
    }
    const voicePlay: number[] = [];
    const mcpPlay: number[] = [];
    for (let i = 0; i < WARMUP + PLAYS; i++) {
      const v = await voice({
        trigger: "play",
        slots: {what: "songs", who: "Mia's"},
        sentence: "play songs on Mia's Yoto",
      });
      outcome("played")(v.data);
      if (v.ms < PLAY_EVERY_MS) await sleep(PLAY_EVERY_MS - v.ms);
      const m = await tool("play_on_yoto", {what: "songs", who: "Mia's"});
      outcome("played")(m.data);
      if (m.ms < PLAY_EVERY_MS) await sleep(PLAY_EVERY_MS - m.ms);
      if (i >= WARMUP) {
        voicePlay.push(v.ms);
        mcpPlay.push(m.ms);
      }
    }

    const verdict = (samples: number[], goal: number) => (quantile(samples, 0.99) < goal ? "pass" : "FAIL");
    const rows = [
      latencyRow("voice over HTTP: what's playing on Mia's Yoto → answer (baseline)", voiceQuestion),
      latencyRow(
        `MCP: whats_playing_on_yoto → answer (goal p99 < ${ANSWER_GOAL_MS} ms: ${verdict(mcpQuestion, ANSWER_GOAL_MS)})`,
        mcpQuestion,
      ),
      latencyRow("voice over HTTP: play Songs on Mia's Yoto → played, acked (baseline)", voicePlay),
      latencyRow(
        `MCP: play_on_yoto → played, acked (goal p99 < ${PLAY_GOAL_MS} ms: ${verdict(mcpPlay, PLAY_GOAL_MS)})`,
        mcpPlay,
      ),
    ];
    const ratio = (ours: number[], baseline: number[]) => (quantile(ours, 0.99) / quantile(baseline, 0.99)).toFixed(2);
    console.log(
      `\nMCP tool call over HTTP → answer, one at a time: ${RUNS} questions and ${PLAYS} plays, each beside a voice request of the same kind, among ${CARDS} cards\n${table(rows)}\nat p99: answer ${ratio(mcpQuestion, voiceQuestion)}× the voice question (goal < ${ANSWER_GOAL_MS} ms: ${quantile(mcpQuestion, 0.99).toFixed(1)} ms); play ${ratio(mcpPlay, voicePlay)}× the voice play (goal < ${PLAY_GOAL_MS} ms: ${quantile(mcpPlay, 0.99).toFixed(1)} ms)`,
    );
    const concurrent = await concurrentRows(base, token);
    console.log(
      `\nMCP read tool with ${CLIENTS} clients at once, against the panel's GET /api/players (CPU per call: this process's, the clients' share included)\n${table(concurrent)}`,
    );
    return [
      ...rows,
      ...concurrent,
      {
        path: "ratio at p99: MCP answer / voice question",
        events: "",
        p50_ms: "",
        p99_ms: ratio(mcpQuestion, voiceQuestion),
      },
      {path: "ratio at p99: MCP play / voice play", events: "", p50_ms: "", p99_ms: ratio(mcpPlay, voicePlay)},
    ];
  } finally {
    agent.destroy();
    await stop();
  }
}

/** One POST on the keep-alive agent, timed from the request to its whole answer; `read` checks it. */
function timedPost(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
  read: (answer: unknown) => unknown,
): Promise<{ms: number; data: unknown}> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {method: "POST", agent, headers: {"Content-Type": "application/json", ...headers}},
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const ms = performance.now() - started;
          try {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${text}`);
            resolve({ms, data: read(JSON.parse(text))});
          } catch (err) {
            reject(err);
          }
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
