/**
 * The MCP server's two eras over the wire (docs/assistants.md): a 2026-07-28 client sends no
 * handshake and names its revision in every request (`_meta` and `MCP-Protocol-Version`); a client
 * of 2025-11-25 and before opens with `initialize`. The same server answers both, statelessly.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {call, rawRequest} from "../../helpers/http.js";

const SUPPORTED = "2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05";
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": {name: "test", version: "1"},
};
const SERVER_INFO = {"io.modelcontextprotocol/serverInfo": {name: "Yoto Smart Stream", title: "Yoto Smart Stream"}};

let t: TestApp;
let token: string;
let ids = 0;

beforeAll(async () => {
  t = await startApp();
  const made = await call("POST", `${t.adminUrl}/api/assistants`, {name: "Laptop"});
  token = made.body.token as string;
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

/** One JSON-RPC request; `headers` beside the bearer token and the Accept and Content-Type every MCP client sends. */
async function rpc(method: string, params: object | undefined, headers: Record<string, string> = {}) {
  const res = await rawRequest(`${t.adminUrl}/mcp`, {
    method: "POST",
    headers: {
      Accept: "application/json, text/event-stream",
      "Content-Type": "application/json",
      Authorization: `Bearer ${token}`,
      ...headers,
    },
    body: JSON.stringify({jsonrpc: "2.0", id: ++ids, method, ...(params ? {params} : {})}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the JSON-RPC answer's shape is what the tests assert
  return {status: res.status, body: JSON.parse(res.body.toString()) as any};
}

/** A 2026-07-28 request as its client sends it: the envelope in `_meta`, the standard headers. */
const modern = (method: string, params: object = {}, name?: string) =>
  rpc(
    method,
    {...params, _meta: ENVELOPE},
    {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method, ...(name ? {"Mcp-Name": name} : {})},
  );

describe("the MCP server, to a 2026-07-28 client", () => {
  it("answers server/discover with the revisions it speaks, its tools capability and instructions", async () => {
    const {status, body} = await modern("server/discover");
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      resultType: "complete",
      supportedVersions: SUPPORTED.split(", "),
      capabilities: {tools: {listChanged: false}},
      instructions: expect.stringContaining("Yoto"),
      ttlMs: 60_000,
      cacheScope: "private",
      _meta: SERVER_INFO,
    });
  });

  it("lists and calls tools without initialize, each result complete", async () => {
    const listed = await modern("tools/list");
    expect(listed.status).toBe(200);
    expect(listed.body.result).toMatchObject({resultType: "complete", ttlMs: 60_000, cacheScope: "private"});
    expect(listed.body.result.tools).toHaveLength(14);
    const called = await modern("tools/call", {name: "whats_playing_on_yoto", arguments: {}}, "whats_playing_on_yoto");
    expect(called.status).toBe(200);
    expect(called.body.result).toMatchObject({resultType: "complete", _meta: SERVER_INFO});
    expect(called.body.result.content).toEqual([{type: "text", text: called.body.result.structuredContent.speech}]);
  });

  it("refuses a request whose MCP-Protocol-Version, Mcp-Method or Mcp-Name header says other than its body", async () => {
    const method = await rpc(
      "tools/list",
      {_meta: ENVELOPE},
      {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call"},
    );
    expect(method).toEqual({
      status: 400,
      body: {
        jsonrpc: "2.0",
        id: null,
        error: {
          code: -32020,
          message: "Header mismatch: Mcp-Method says 'tools/call', the body's method is 'tools/list'",
        },
      },
    });
    const version = await rpc("tools/list", {_meta: ENVELOPE}, {"MCP-Protocol-Version": "2025-11-25"});
    expect(version.status).toBe(400);
    expect(version.body.error).toEqual({
      code: -32020,
      message: "Header mismatch: MCP-Protocol-Version says '2025-11-25', the request's _meta says '2026-07-28'",
    });
    const name = await modern("tools/call", {name: "pause_yoto", arguments: {}}, "play_on_yoto");
    expect(name.status).toBe(400);
    expect(name.body.error).toEqual({
      code: -32020,
      message: "Header mismatch: Mcp-Name says 'play_on_yoto', the body's tool is 'pause_yoto'",
    });
  });

  it("answers a revision it does not speak with the ones it does", async () => {
    const header = await rpc("tools/list", undefined, {"MCP-Protocol-Version": "2099-01-01"});
    expect(header).toEqual({
      status: 400,
      body: {
        jsonrpc: "2.0",
        id: null,
        error: {
          code: -32022,
          message: `Bad Request: Unsupported protocol version: 2099-01-01 (supported versions: ${SUPPORTED})`,
        },
      },
    });
    const meta = await rpc("tools/list", {
      _meta: {...ENVELOPE, "io.modelcontextprotocol/protocolVersion": "2099-01-01"},
    });
    expect(meta.status).toBe(200);
    expect(meta.body.error).toEqual({
      code: -32022,
      message: `Unsupported protocol version: 2099-01-01 (supported versions: ${SUPPORTED})`,
      data: {supported: SUPPORTED.split(", "), requested: "2099-01-01"},
    });
  });
});

describe("the MCP server, to a client of 2025-11-25 and before", () => {
  it("names the revision asked for in initialize when it speaks it, else its newest of that era", async () => {
    const info = {capabilities: {}, clientInfo: {name: "mcp", version: "1"}};
    for (const [asked, answered] of [
      ["2025-11-25", "2025-11-25"],
      ["2025-03-26", "2025-03-26"],
      ["2024-10-07", "2025-11-25"],
      ["2026-07-28", "2025-11-25"],
    ]) {
      const {status, body} = await rpc("initialize", {protocolVersion: asked, ...info});
      expect(status).toBe(200);
      expect(body.result).toMatchObject({
        protocolVersion: answered,
        capabilities: {tools: {listChanged: false}},
        serverInfo: {name: "Yoto Smart Stream"},
      });
    }
  });

  it("answers tools/list without the later revision's fields, and an unknown method as not found", async () => {
    const listed = await rpc("tools/list", undefined, {"MCP-Protocol-Version": "2025-11-25"});
    expect(Object.keys(listed.body.result)).toEqual(["tools"]);
    const unknown = await rpc("resources/list", undefined);
    expect(unknown.body.error).toEqual({code: -32601, message: "Method not found: resources/list"});
  });

  it("asks a client to accept both JSON and an event stream, as streamable HTTP says", async () => {
    const res = await rawRequest(`${t.adminUrl}/mcp`, {
      method: "POST",
      headers: {Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token}`},
      body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "tools/list"}),
    });
    expect(res.status).toBe(406);
    expect(JSON.parse(res.body.toString()).error.message).toBe(
      "Not Acceptable: Client must accept both application/json and text/event-stream",
    );
  });
});
