import http from "node:http";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {accessToken, newKey} from "../../../src/assistants/assistantTokens.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call, rawRequest} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const NEEDS_TOKEN =
  "This MCP server answers only an assistant with a token: make one on the Yoto panel's Assistants page (Authorization: Bearer <token>), or sign in with OAuth as the resource metadata says";
const NOT_OURS = `That token is not one of this add-on's assistants: ${NEEDS_TOKEN}`;
const TOOLS =
  "play_on_yoto, pause_yoto, resume_yoto, stop_yoto, next_on_yoto, previous_on_yoto, set_yoto_volume, whats_playing_on_yoto, one_more_story, yoto_listened_today, yoto_bedtime, yoto_week, yoto_last_night, yoto_shelf";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON-RPC answer's shape is what the rows assert
  body: any;
}

/** The service on the simulator (the songs card), linked, both players online; the rate as shipped. */
async function linkedService(sim: YotoSimulator): Promise<TestApp> {
  const t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints, republishDelayMs: () => 0});
  await linkAccount(t.app.account);
  await waitFor(() => t.app.players.cloud.state === "connected", "the cloud's MQTT connection");
  await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
  return t;
}

async function makeToken(t: TestApp, name: string): Promise<{id: string; token: string}> {
  const made = await call("POST", `${t.adminUrl}/api/assistants`, {name});
  expect(made.status).toBe(201);
  return {id: made.body.assistant.id as string, token: made.body.token as string};
}

/** A JSON-RPC message to `/mcp` as an MCP client sends it (stateless: no session, JSON answers). */
async function post(t: TestApp, body: string, token?: string, agent?: http.Agent): Promise<Answer> {
  const res = await rawRequest(`${t.adminUrl}/mcp`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      ...(token === undefined ? {} : {Authorization: `Bearer ${token}`}),
    },
    body,
    ...(agent ? {agent} : {}),
  });
  const text = res.body.toString();
  return {status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined};
}

let ids = 0;
const toolCall = (name: string, args: unknown) =>
  JSON.stringify({jsonrpc: "2.0", id: ++ids, method: "tools/call", params: {name, arguments: args}});

/** A tool's answer that is a mistake the agent reads (isError), in these words. */
const toolError = (text: string) => ({
  status: 200,
  body: {result: {content: [{type: "text", text}], isError: true}},
});
/** A JSON-RPC error as the whole answer (no request to answer), with its HTTP status. */
const rpcError = (status: number, code: number, message: string) => ({
  status,
  body: {jsonrpc: "2.0", id: null, error: {code, message}},
});

/** What the service logged at ERROR since `from`. */
const errorsSince = (t: TestApp, from: number) => t.logs.slice(from).filter((l) => / ERROR\b/.test(l));
/** Each command the simulated Yotos heard, per player. */
const heard = (sim: YotoSimulator) => [LIVING, MINI].map((id) => [...sim.player(id).heard]);

describe("the MCP server, given bad input", () => {
  let sim: YotoSimulator;
  let t: TestApp;
  /** Another household's add-on: its own data folder and signing key. */
  let other: TestApp;

  beforeAll(async () => {
    sim = await startSimulator();
    addSongsCard(sim);
    t = await linkedService(sim);
    other = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
  }, 60_000);
  afterAll(async () => {
    await other?.stop();
    await t?.stop();
    await sim?.stop();
  });

  type Row = [
    string,
    (made: {id: string; token: string}) => Promise<Answer>,
    {status: number; body: unknown; authenticate?: RegExp},
  ];
  const rows: Row[] = [
    [
      "an unknown tool",
      ({token}) => post(t, toolCall("play_on_spotify", {what: "songs"}), token),
      {
        status: 200,
        body: {
          jsonrpc: "2.0",
          error: {code: -32602, message: `There is no tool 'play_on_spotify' here: the tools are ${TOOLS}`},
        },
      },
    ],
    [
      "a number for what",
      ({token}) => post(t, toolCall("play_on_yoto", {what: 42}), token),
      toolError("The arguments of play_on_yoto are wrong: 'what' must be string (see the tool's input schema)"),
    ],
    [
      "a string for percent",
      ({token}) => post(t, toolCall("set_yoto_volume", {percent: "loud"}), token),
      toolError("The arguments of set_yoto_volume are wrong: 'percent' must be integer (see the tool's input schema)"),
    ],
    [
      "an extra argument",
      ({token}) => post(t, toolCall("play_on_yoto", {what: "songs", colour: "blue"}), token),
      toolError(
        "The arguments of play_on_yoto are wrong: 'colour' is not an argument here (see the tool's input schema)",
      ),
    ],
    [
      "no what",
      ({token}) => post(t, toolCall("play_on_yoto", {who: "Living Room"}), token),
      toolError("The arguments of play_on_yoto are wrong: 'what' is required (see the tool's input schema)"),
    ],
    [
      "percent and change together",
      ({token}) => post(t, toolCall("set_yoto_volume", {percent: 50, change: "up", who: "Living Room"}), token),
      toolError(
        "Give percent or change, not both: percent sets the volume (0 to 100), change turns it up or down a step",
      ),
    ],
    [
      "a 5 KB what",
      ({token}) => post(t, toolCall("play_on_yoto", {what: "songs ".repeat(850)}), token),
      toolError(
        "The arguments of play_on_yoto are wrong: 'what' must be at most 200 characters (see the tool's input schema)",
      ),
    ],
    [
      "a 100 KB what",
      ({token}) => post(t, toolCall("play_on_yoto", {what: "songs ".repeat(17_000)}), token),
      rpcError(413, -32600, "The request body is larger than 64 KB"),
    ],
    [
      "a malformed JSON body",
      ({token}) => post(t, '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"play_on_yoto"', token),
      rpcError(
        400,
        -32700,
        "The request body is not valid JSON (Expected ',' or '}' after property value in JSON at position 77)",
      ),
    ],
    [
      "no token",
      () => post(t, toolCall("play_on_yoto", {what: "songs"})),
      {
        ...rpcError(401, -32000, NEEDS_TOKEN),
        authenticate: /^Bearer resource_metadata="http:\/\/[^"]+\/\.well-known\/oauth-protected-resource\/mcp"$/,
      },
    ],
    [
      "a made-up token",
      () => post(t, toolCall("play_on_yoto", {what: "songs"}), `yss_mcp_${"x".repeat(43)}`),
      {
        ...rpcError(401, -32000, NOT_OURS),
        authenticate: /error="invalid_token", error_description="That token is not one of this add-on's assistants"$/,
      },
    ],
    [
      "a revoked token",
      async ({id, token}) => {
        expect((await call("DELETE", `${t.adminUrl}/api/assistants/${id}`)).status).toBe(200);
        return post(t, toolCall("play_on_yoto", {what: "songs"}), token);
      },
      {...rpcError(401, -32000, NOT_OURS), authenticate: /error="invalid_token"/},
    ],
    [
      "a token from another household's add-on",
      async () => post(t, toolCall("play_on_yoto", {what: "songs"}), (await makeToken(other, "Their speaker")).token),
      {...rpcError(401, -32000, NOT_OURS), authenticate: /error="invalid_token"/},
    ],
    [
      "an access token signed with a wrong key",
      // Shaped as this add-on's own, naming a real assistant, ending in an hour: only the key is wrong.
      ({id}) =>
        post(
          t,
          toolCall("play_on_yoto", {what: "songs"}),
          accessToken(newKey(), id, Math.floor(Date.now() / 1000) + 3600),
        ),
      {...rpcError(401, -32000, NOT_OURS), authenticate: /error="invalid_token"/},
    ],
  ];

  it.each(rows)("answers %s with a clear error, plays nothing and logs no error", async (name, send, expected) => {
    const made = await makeToken(t, name);
    const from = t.logs.length;
    const commands = t.app.players.stats.commands;
    const before = heard(sim);
    const answer = await send(made);
    expect(answer.status).toBe(expected.status);
    expect(answer.body).toMatchObject(expected.body as object);
    if (expected.authenticate) expect(answer.headers["www-authenticate"]).toMatch(expected.authenticate);
    else expect(answer.headers["www-authenticate"]).toBeUndefined();
    expect(t.app.players.stats.commands).toBe(commands);
    expect(heard(sim)).toEqual(before);
    expect(errorsSince(t, from)).toEqual([]);
  });

  it("answers a play at bedtime with the family plan's sentence, not an error, and plays nothing", async () => {
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const night = {bedtime: hhmm(Date.now() - 3_600_000), wake: hhmm(Date.now() - 7_200_000)};
    const schedule = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));
    expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Living Room"], schedule})).status).toBe(
      200,
    );
    await waitFor(() => t.app.quietHours.period(LIVING) !== undefined, "Ben's bedtime");
    const {token} = await makeToken(t, "Bedtime speaker");
    const from = t.logs.length;
    const commands = t.app.players.stats.commands;
    const before = heard(sim);
    const answer = await post(t, toolCall("play_on_yoto", {what: "songs", who: "Ben"}), token);
    expect(answer.status).toBe(200);
    const result = answer.body.result;
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toMatchObject({outcome: "refused", child: "Ben"});
    const speech = result.structuredContent.speech as string;
    expect(result.content).toEqual([{type: "text", text: speech}]);
    // The wake time, said in the family's zone (UTC here), with "tomorrow" when it is.
    const wake = new Date((await call("GET", `${t.adminUrl}/api/children/Ben`)).body.quiet_until as string);
    const day = wake.toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10) ? "" : " tomorrow";
    const clock = `${wake.getUTCHours()}:${String(wake.getUTCMinutes()).padStart(2, "0")}`;
    const at = clock === "0:00" ? "midnight" : `${clock}${day}`;
    expect(speech).toBe(`Ben is asleep: quiet until ${at}.`);
    expect(t.app.players.stats.commands).toBe(commands);
    expect(heard(sim)).toEqual(before);
    expect(errorsSince(t, from)).toEqual([]);
  });
});

describe("the MCP server, called 10,000 times a minute", () => {
  it("answers at most the burst, refuses the rest with 429 and Retry-After, plays no more, and sums up the log", async () => {
    const sim = await startSimulator();
    addSongsCard(sim);
    const t = await linkedService(sim);
    try {
      const {token} = await makeToken(t, "Runaway script");
      const from = t.logs.length;
      const before = sim.player(LIVING).heard.length;
      // The rate as shipped: 10 a second, 30 at once. 300 at once is what 10,000 a minute looks like,
      // on 8 connections (many more from one address and the listener hangs up: its own guard, not this).
      const agent = new http.Agent({keepAlive: true, maxSockets: 8});
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({length: 300}, () =>
          post(t, toolCall("play_on_yoto", {what: "songs", who: "Living Room"}), token, agent),
        ),
      );
      // The bucket refills while the burst goes out: 30, and 10 more a second it took.
      const allowed = 30 + Math.floor(((performance.now() - started) / 1000) * 10);
      agent.destroy();
      const answered = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      expect(answered.length).toBeGreaterThan(0);
      expect(answered.length).toBeLessThanOrEqual(allowed);
      expect(answered.length + refused.length).toBe(300);
      for (const a of refused) {
        const wait = Number(a.headers["retry-after"]);
        expect(wait).toBeGreaterThanOrEqual(1);
        expect(a.body).toEqual({
          jsonrpc: "2.0",
          id: null,
          error: {code: -32000, message: `Too many calls from the assistant 'Runaway script': try again in ${wait} s`},
        });
      }
      // Each answered call is a voice play: played, or refused by voice's own rate, never an error.
      for (const a of answered) expect(a.body.result.isError ?? false).toBe(false);
      const played = answered.filter((a) => a.body.result.structuredContent.outcome === "played").length;
      const busy = answered.filter((a) => a.body.result.structuredContent.outcome === "busy").length;
      expect(played + busy).toBe(answered.length);
      expect(played).toBeGreaterThan(0);
      await waitFor(() => sim.player(LIVING).heard.length - before >= played, "the plays on the living room Yoto");
      const cards = sim
        .player(LIVING)
        .heard.slice(before)
        .filter((c) => c.startsWith("card/"));
      expect(cards.length).toBeGreaterThan(0);
      expect(cards.length).toBeLessThanOrEqual(answered.length);
      expect(cards.length).toBeLessThanOrEqual(played);

      // Stopped, the service says the flood once: the first five refusals in full, then a count.
      await t.stop();
      const lines = t.logs.slice(from);
      expect(lines.filter((l) => / ERROR\b/.test(l))).toEqual([]);
      const rate = lines.filter((l) => l.includes("called the MCP server too often"));
      expect(rate).toHaveLength(5);
      expect(lines.filter((l) => l.includes("more like it")).map((l) => l.replace(/^\[[^\]]+\] /, ""))).toEqual([
        `WARNING (mcp): … and ${refused.length - 5} more like it in the last minute (mcp rate)`,
        // Past voice's own 20 at once, the calls let through are answered busy, summed up the same way.
        ...(busy > 5
          ? [`WARNING (voice): … and ${busy - 5} more like it in the last minute (voice requests over the limit)`]
          : []),
      ]);
      // A line per call would be 300: the whole burst wrote far fewer.
      expect(lines.length).toBeLessThan(100);
    } finally {
      await t.stop();
      await sim.stop();
    }
  });
});
