/**
 * The rate an assistant's MCP requests are held to (docs/assistants.md): tool calls count, once
 * each, decided before they act; the requests a client makes around a call (initialize, its
 * notification, the listing, a GET for a stream) spend only a guard against a flood.
 */
import http from "node:http";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {HaMcpClient} from "../../helpers/haMcpClient.js";
import {call, rawRequest} from "../../helpers/http.js";

let running: TestApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const MCP_HEADERS = {Accept: "application/json, text/event-stream", "Content-Type": "application/json"};
let ids = 0;
const message = (method: string, params?: object) =>
  JSON.stringify({jsonrpc: "2.0", ...(method.startsWith("notifications/") ? {} : {id: ++ids}), method, params});
const pause = () => message("tools/call", {name: "pause_yoto", arguments: {}});

async function post(t: TestApp, token: string, body: string, agent?: http.Agent, method = "POST") {
  const res = await rawRequest(`${t.adminUrl}/mcp`, {
    method,
    headers: {...MCP_HEADERS, Authorization: `Bearer ${token}`},
    ...(method === "POST" ? {body} : {}),
    ...(agent ? {agent} : {}),
  });
  const text = res.body.toString();
  const json = String(res.headers["content-type"]).startsWith("application/json");
  return {status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text};
}

async function made(t: TestApp, name: string): Promise<string> {
  const answer = await call("POST", `${t.adminUrl}/api/assistants`, {name});
  expect(answer.status).toBe(201);
  return answer.body.token as string;
}

describe("an assistant's MCP rate", () => {
  it("refuses none of Home Assistant's requests for 10 tool calls at once, four and more requests each", async () => {
    running = await startApp();
    const token = await made(running, "Home Assistant");
    const url = `${running.adminUrl}/mcp`;
    const ha = new HaMcpClient();
    const tools = await ha.listTools(url, token);
    const tool = tools.find((x) => x.name === "pause_yoto");
    expect(tool).toBeDefined();
    const from = ha.requests.length;
    // HA's coordinator opens a session per call: initialize, initialized, (the client's GET for a
    // stream), tools/call, and the python SDK's tools/list after a call that is not an error.
    const answers = await Promise.all(
      Array.from({length: 10}, () => ha.callTool(url, tool as NonNullable<typeof tool>, {}, token)),
    );
    const sent = ha.requests.slice(from);
    expect(sent.length).toBeGreaterThanOrEqual(40);
    expect(sent.filter((r) => r.status === 429)).toEqual([]);
    expect(sent.filter((r) => r.body?.includes('"tools/call"'))).toHaveLength(10);
    for (const answer of answers) expect(answer.result.isError).toBeUndefined();
  });

  it("refuses a flood of tool calls with Retry-After and says so, yet answers the requests around a call", async () => {
    // Five calls at once, then one every ten seconds: the flood and the next call stay refused
    // however slowly the machine sends them (the shipped rate is the test above's).
    running = await startApp([], {mcpRate: {perSecond: 0.1, burst: 5}});
    const token = await made(running, "Runaway script");
    const agent = new http.Agent({keepAlive: true, maxSockets: 8});
    const flood = await Promise.all(Array.from({length: 60}, () => post(running as TestApp, token, pause(), agent)));
    agent.destroy();
    const refused = flood.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      const wait = Number(a.headers["retry-after"]);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(a.body).toEqual({
        jsonrpc: "2.0",
        id: null,
        error: {code: -32000, message: `Too many calls from the assistant 'Runaway script': try again in ${wait} s`},
      });
    }
    // The calls' allowance is spent: the next call waits, and what a client sends around one does not.
    expect((await post(running, token, pause())).status).toBe(429);
    const init = await post(
      running,
      token,
      message("initialize", {protocolVersion: "2025-11-25", capabilities: {}, clientInfo: {name: "mcp", version: "1"}}),
    );
    expect(init.status).toBe(200);
    expect(init.body.result.protocolVersion).toBe("2025-11-25");
    expect((await post(running, token, message("notifications/initialized"))).status).toBe(202);
    expect((await post(running, token, message("tools/list"))).status).toBe(200);
    expect((await post(running, token, message("ping"))).body.result).toEqual({});
    expect((await post(running, token, "", undefined, "GET")).status).toBe(405);
    // DELETE is no route of the server's (it has no session to close): the listener's own 405, nothing spent.
    expect((await post(running, token, "", undefined, "DELETE")).status).toBe(405);
  });

  it("guards against a flood of other requests with a far larger allowance, in its own words", async () => {
    // Three calls at once, one every ten seconds: the guard is ten times that (30 at once, 1 a second).
    running = await startApp([], {mcpRate: {perSecond: 0.1, burst: 3}});
    const token = await made(running, "Chatty client");
    const agent = new http.Agent({keepAlive: true, maxSockets: 8});
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({length: 200}, () => post(running as TestApp, token, message("tools/list"), agent)),
    );
    const allowed = 30 + Math.floor((performance.now() - started) / 1000);
    agent.destroy();
    const answered = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(answered.length).toBeGreaterThanOrEqual(30);
    expect(answered.length).toBeLessThanOrEqual(allowed);
    expect(answered.length + refused.length).toBe(200);
    for (const a of refused)
      expect(a.body.error.message).toBe(
        `Too many requests from the assistant 'Chatty client': try again in ${a.headers["retry-after"]} s`,
      );
  });
});
