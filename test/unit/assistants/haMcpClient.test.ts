/** Self-test of test/helpers/haMcpClient.ts against a minimal stateless MCP server built with the TS SDK. */
import {createServer, type Server as HttpServer} from "node:http";
import type {AddressInfo} from "node:net";
import {Server} from "@modelcontextprotocol/sdk/server/index.js";
import {StreamableHTTPServerTransport} from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {CallToolRequestSchema, ListToolsRequestSchema} from "@modelcontextprotocol/sdk/types.js";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {HaMcpClient} from "../../helpers/haMcpClient.js";

const INPUT_SCHEMA = {
  type: "object" as const,
  properties: {text: {type: "string", description: "What to echo"}, times: {type: "integer", minimum: 1, maximum: 3}},
  required: ["text"],
  additionalProperties: false,
};

function mcpServer(): Server {
  const server = new Server({name: "Echo server", version: "0.0.1"}, {capabilities: {tools: {}}});
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{name: "echo", description: "Echo text", inputSchema: INPUT_SCHEMA}],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const {text, times = 1} = req.params.arguments as {text: string; times?: number};
    return {content: [{type: "text", text: text.repeat(times)}]};
  });
  return server;
}

let http: HttpServer;
let base: string;

beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url?.startsWith("/locked")) {
      res
        .writeHead(401, {
          "www-authenticate": 'Bearer resource_metadata="/.well-known/oauth-protected-resource/locked", scope="mcp"',
        })
        .end();
      return;
    }
    if (req.url === "/.well-known/oauth-protected-resource/locked") {
      res
        .writeHead(200, {"content-type": "application/json"})
        .end(JSON.stringify({resource: `${base}/locked`, authorization_servers: [base]}));
      return;
    }
    if (req.url?.startsWith("/.well-known/")) {
      res.writeHead(404).end();
      return;
    }
    if (req.url !== "/mcp" || req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const transport = new StreamableHTTPServerTransport({sessionIdGenerator: undefined, enableJsonResponse: true});
    const server = mcpServer();
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

describe("HaMcpClient", () => {
  it("validates, lists, converts and calls like HA", async () => {
    const ha = new HaMcpClient();
    expect(await ha.validateInput(`${base}/mcp`)).toEqual({title: "Echo server"});
    const init = ha.requests.find((r) => r.method === "POST");
    expect(init?.headers.accept).toContain("text/event-stream");
    expect(init?.headers.authorization).toBeUndefined();

    const tools = await ha.listTools(`${base}/mcp`, "tok");
    expect(ha.requests.at(-1)?.headers.authorization).toBe("Bearer tok");
    expect(tools.map((t) => t.name)).toEqual(["echo"]);
    const echo = tools[0];
    if (!echo) throw new Error("no tool");
    expect(echo.parameters).toMatchObject({
      kind: "object",
      extra: "prevent",
      keys: [
        {name: "text", required: true},
        {name: "times", required: false},
      ],
    });

    const {result} = await ha.callTool(`${base}/mcp`, echo, {text: "hi", times: 2});
    expect(result).toEqual({content: [{type: "text", text: "hihi"}]});
    await expect(ha.callTool(`${base}/mcp`, echo, {text: "hi", extra: 1})).rejects.toThrow("extra keys not allowed");
  });

  it("follows a 401's resource_metadata to the metadata URL, then discovers the server", async () => {
    const ha = new HaMcpClient();
    const err = await ha.validateInput(`${base}/locked`).catch((e: unknown) => e);
    expect(err).toMatchObject({
      reason: "invalid_auth",
      authHeader: {resourceMetadataUrl: `${base}/.well-known/oauth-protected-resource/locked`, scopes: ["mcp"]},
    });
    const {resourceMetadata, oauth, scopes} = await ha.discoverAuth(
      `${base}/locked`,
      (err as {authHeader: never}).authHeader,
    );
    expect(ha.requests.filter((r) => r.url.includes("/.well-known/oauth-protected-resource"))[0]?.url).toBe(
      `${base}/.well-known/oauth-protected-resource/locked`,
    );
    expect(resourceMetadata?.authorizationServers).toEqual([base]);
    // No RFC 8414 document here: HA falls back to /authorize and /token on the server's origin.
    expect(oauth).toMatchObject({
      authorizeUrl: `${base}/authorize`,
      tokenUrl: `${base}/token`,
      registrationEndpoint: null,
    });
    expect(scopes).toEqual(["mcp"]);
  });
});
