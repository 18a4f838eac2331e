/**
 * A client that names itself by its Client ID Metadata Document signs in without registering, as
 * MCP 2025-11-25 clients do: the authorize page reads the document (from a real HTTPS server on
 * this machine, which the test apps' fetch_allow lists), a parent approves, and the token endpoint
 * takes the same address as client_id. A document that names nobody is a page saying why, never a
 * redirect.
 */
import {createHash, randomBytes} from "node:crypto";
import https from "node:https";
import type {AddressInfo} from "node:net";
import {afterEach, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {call, rawRequest} from "../../helpers/http.js";
import {selfSignedCert} from "../../helpers/selfSignedCert.js";

let cert = "";
let key = "";
beforeAll(async () => {
  ({cert, key} = await selfSignedCert());
});

let running: TestApp | undefined;
const closing: Array<() => void> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) close();
  await running?.stop();
  running = undefined;
});

const REDIRECT = "http://127.0.0.1:33418/callback";

/** The client's own HTTPS server, holding its metadata document at /client.json. */
async function documentHost(doc: (id: string) => Record<string, unknown>): Promise<string> {
  let id = "";
  const server = https.createServer({cert, key}, (_req, res) => {
    res.writeHead(200, {"Content-Type": "application/json"}).end(JSON.stringify(doc(id)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closing.push(() => {
    server.closeAllConnections();
    server.close();
  });
  id = `https://127.0.0.1:${(server.address() as AddressInfo).port}/client.json`;
  return id;
}

const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");

function authorizeUrl(admin: string, clientId: string): string {
  const url = new URL(`${admin}/oauth/authorize`);
  const params = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    state: "st",
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

describe("a client named by its metadata document", () => {
  it("signs in with the document's address as its client_id, once a parent approves", async () => {
    const clientId = await documentHost((id) => ({
      client_id: id,
      client_name: "Claude Code",
      redirect_uris: [REDIRECT],
    }));
    running = await startApp([], {trustedCa: cert});
    const admin = running.app.admin.url;
    const meta = await call("GET", `${admin}/.well-known/oauth-authorization-server`);
    expect(meta.body).toMatchObject({client_id_metadata_document_supported: true});

    const started = await rawRequest(authorizeUrl(admin, clientId));
    expect(started.status).toBe(302);
    const cookie = (started.headers["set-cookie"]?.[0] ?? "").split(";")[0] as string;
    const requests = (await call("GET", `${admin}/api/assistants`)).body.requests as Array<Record<string, string>>;
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({client: "Claude Code", redirect_host: "127.0.0.1:33418"});
    expect((await call("POST", `${admin}/api/assistants/requests/${requests[0]?.id}/approve`)).status).toBe(200);

    const back = await rawRequest(`${admin}${started.headers.location}`, {headers: {Cookie: cookie}});
    expect(back.status).toBe(302);
    const code = new URL(back.headers.location as string).searchParams.get("code") as string;
    const tokens = await rawRequest(`${admin}/oauth/token`, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }).toString(),
    });
    expect(tokens.status).toBe(200);
    const issued = JSON.parse(tokens.body.toString("utf8")) as {access_token: string};
    const listed = await rawRequest(`${admin}/mcp`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${issued.access_token}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "tools/list", params: {}}),
    });
    expect(listed.status).toBe(200);
    expect(listed.body.toString("utf8")).toContain("play_on_yoto");
  });

  it("answers a document claiming to be Home Assistant with a page saying why, and starts nothing", async () => {
    const clientId = await documentHost((id) => ({
      client_id: id,
      client_name: "Home Assistant",
      redirect_uris: [REDIRECT],
    }));
    running = await startApp([], {trustedCa: cert});
    const admin = running.app.admin.url;
    const res = await rawRequest(authorizeUrl(admin, clientId));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body.toString("utf8")).toContain(
      `The client&#39;s metadata document at ${clientId} names no client: &#39;Home Assistant&#39; is taken only by Home Assistant itself`,
    );
    expect((await call("GET", `${admin}/api/assistants`)).body.requests).toEqual([]);
  });

  it("refuses a document inside the home network that fetch_allow does not list", async () => {
    const clientId = await documentHost((id) => ({
      client_id: id,
      client_name: "Claude Code",
      redirect_uris: [REDIRECT],
    }));
    // The test apps allow loopback (their media and feeds are there): this one allows nothing.
    running = await startApp(["--fetch_allow", "[]"], {trustedCa: cert});
    const res = await rawRequest(authorizeUrl(running.app.admin.url, clientId));
    expect(res.status).toBe(400);
    // Why (a loopback address) is the parent's log's, not the asker's: how the network looks is no stranger's.
    expect(res.body.toString("utf8")).toContain(
      "names no client: it could not be read from here (a document inside the home network is read only when fetch_allow lists its host)",
    );
  });
});
