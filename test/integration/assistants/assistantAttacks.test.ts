/** What the assistants' endpoints answer to callers trying them on (the MCP server, OAuth, the panel's list). */
import {createHash, randomBytes} from "node:crypto";
import {afterEach, describe, expect, it} from "vitest";
import {homeNetworkAddress} from "../../../src/core/address.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {HaMcpClient, MCP_DISCOVERY_HEADERS, parseAuthenticateHeader} from "../../helpers/haMcpClient.js";
import {rawRequest} from "../../helpers/http.js";

let running: TestApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function send(url: string, opts: {method?: string; headers?: Record<string, string>; body?: unknown} = {}) {
  const body =
    opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  const json = body !== undefined && typeof opts.body !== "string";
  const res = await rawRequest(url, {
    method: opts.method ?? (body === undefined ? "GET" : "POST"),
    headers: {...(json ? {"Content-Type": "application/json"} : {}), ...opts.headers},
    ...(body === undefined ? {} : {body}),
  });
  const text = res.body.toString("utf8");
  return {status: res.status, headers: res.headers, text, json: text.startsWith("{") ? JSON.parse(text) : undefined};
}

const MCP_HEADERS = {Accept: "application/json, text/event-stream", "Content-Type": "application/json"};
const list = (id: number) => ({jsonrpc: "2.0", id, method: "tools/list"});
/** A read tool's call: what the rate counts (no Yoto here, so it answers that there is none). */
const ask = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: {name: "whats_playing_on_yoto", arguments: {}},
});
const FORM = {"Content-Type": "application/x-www-form-urlencoded"};
const errors = (t: TestApp) => t.logs.filter((line) => line.includes(" ERROR "));

describe("the assistants' endpoints, tried on", () => {
  it("name the service's own address in the OAuth metadata, the 401's challenge, the code's iss and the panel", async () => {
    running = await startApp();
    const own = running.adminUrl;
    const registered = await send(`${own}/oauth/register`, {
      body: {client_name: "Laptop client", redirect_uris: ["http://127.0.0.1:9/cb"]},
    });
    const client = registered.json.client_id as string;
    const home = homeNetworkAddress();
    const laptops = home ? own.replace("127.0.0.1", home) : own;
    // An MCP client sends no Origin; one that does (a page, a forged header) must not move what is named.
    for (const headers of [{}, {Origin: "https://evil.example"}] as Record<string, string>[]) {
      const server = await send(`${own}/.well-known/oauth-authorization-server`, {headers});
      expect(server.json).toMatchObject({
        issuer: own,
        authorization_endpoint: `${own}/oauth/authorize`,
        token_endpoint: `${own}/oauth/token`,
        registration_endpoint: `${own}/oauth/register`,
      });
      const resource = await send(`${own}/.well-known/oauth-protected-resource/mcp`, {headers});
      expect(resource.json).toMatchObject({resource: `${own}/mcp`, authorization_servers: [own]});
      const refused = await send(`${own}/mcp`, {method: "GET", headers});
      expect(refused.status).toBe(401);
      expect(refused.headers["www-authenticate"]).toBe(
        `Bearer resource_metadata="${own}/.well-known/oauth-protected-resource/mcp"`,
      );
      // The panel opened on this machine shows the home network's address, for a laptop to paste.
      expect((await send(`${own}/api/assistants`, {headers})).json.mcp_url).toBe(`${laptops}/mcp`);
    }
    const asLocalhost = {Host: `localhost:${new URL(own).port}`};
    expect((await send(`${own}/api/assistants`, {headers: asLocalhost})).json.mcp_url).toBe(`${laptops}/mcp`);
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const asked = await send(
      `${own}/oauth/authorize?client_id=${encodeURIComponent(client)}&response_type=code&code_challenge=${challenge}&code_challenge_method=S256`,
    );
    const request = new URL(asked.headers.location as string, own).searchParams.get("request");
    expect((await send(`${own}/api/assistants/requests/${request}/approve`, {method: "POST"})).status).toBe(200);
    // The browser that asked sends back the cookie the authorize page set.
    const cookie = String(asked.headers["set-cookie"]).split(";")[0] as string;
    const back = await send(`${own}${asked.headers.location}`, {headers: {Cookie: cookie}});
    expect(new URL(back.headers.location as string).searchParams.get("iss")).toBe(own);
  });

  it("leads Home Assistant's MCP integration from its first 401 to the authorization server's endpoints", async () => {
    running = await startApp();
    const own = running.adminUrl;
    const url = `${own}/mcp`;
    const refused = await send(url, {headers: {...MCP_HEADERS, ...MCP_DISCOVERY_HEADERS}, body: list(1)});
    const header = parseAuthenticateHeader(url, refused.headers["www-authenticate"] as string);
    const found = await new HaMcpClient().discoverAuth(url, header);
    expect(found.resourceMetadata?.authorizationServers).toEqual([own]);
    expect(found.oauth).toMatchObject({
      authorizeUrl: `${own}/oauth/authorize`,
      tokenUrl: `${own}/oauth/token`,
      registrationEndpoint: `${own}/oauth/register`,
    });
  });

  it("answers a Basic client credential that is not percent-encoded as an unknown client, not a failure", async () => {
    running = await startApp();
    const answer = await send(`${running.adminUrl}/oauth/token`, {
      headers: {...FORM, Authorization: `Basic ${Buffer.from("%E0%A4%A:").toString("base64")}`},
      body: "grant_type=refresh_token&refresh_token=yss_rt_x",
    });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe("invalid_client");
    expect(errors(running)).toEqual([]);
  });

  it("counts each tool call of a JSON-RPC batch against the assistant's rate, and a batch of listings as one request", async () => {
    running = await startApp();
    const own = running.adminUrl;
    const made = await send(`${own}/api/assistants`, {body: {name: "Kitchen speaker"}});
    const headers = {...MCP_HEADERS, Authorization: `Bearer ${made.json.token}`};
    // The burst (30) in one batch is answered whole...
    const batch = Array.from({length: 30}, (_, i) => ask(i + 1));
    const first = await send(`${own}/mcp`, {headers, body: batch});
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toHaveLength(30);
    // ...and spends it: thirty more at once wait (three seconds' refill), as thirty single calls would.
    const second = await send(`${own}/mcp`, {headers, body: batch});
    expect(second.status).toBe(429);
    expect(Number(second.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(second.json.error.message).toBe(
      `Too many calls from the assistant 'Kitchen speaker': try again in ${second.headers["retry-after"]} s`,
    );
    // Listing is no call: a batch of thirty listings still answers, the tool calls' allowance spent or not.
    const listings = await send(`${own}/mcp`, {headers, body: Array.from({length: 30}, (_, i) => list(i + 1))});
    expect(listings.status).toBe(200);
    expect(JSON.parse(listings.text)).toHaveLength(30);
    // A batch past what an assistant may ever send at once is refused, not held off for ever.
    const other = await send(`${own}/api/assistants`, {body: {name: "Laptop"}});
    const huge = await send(`${own}/mcp`, {
      headers: {...MCP_HEADERS, Authorization: `Bearer ${other.json.token}`},
      body: Array.from({length: 31}, (_, i) => list(i + 1)),
    });
    expect(huge.status).toBe(400);
    expect(huge.json.error.message).toBe("A batch may hold at most 30 messages: send the rest in another request");
    expect(errors(running)).toEqual([]);
  });
});
