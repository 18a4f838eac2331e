import {randomBytes} from "node:crypto";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {
  browse,
  browserReturns,
  exchange,
  HA_REDIRECT,
  haFlowToAuthorizePage,
  haSignedIn,
  parentAnswers,
  reasonOf,
} from "../../helpers/haMcpFlow.js";
import {call} from "../../helpers/http.js";

/**
 * Where Home Assistant's MCP config flow (test/helpers/haMcpClient.ts, a port of its code) must be
 * refused: a code traded with the wrong PKCE verifier or twice, a redirect_uri the client did not
 * register, a parent's no, and an assistant revoked on the panel. Each test runs its own service and flow.
 */
let running: TestApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
async function service(): Promise<string> {
  running = await startApp();
  return running.app.admin.url;
}

const INVALID_CODE =
  'oauth_failed: 400: {"error":"invalid_grant","error_description":"That code opens nothing: it was used, its 5 minutes passed, or the redirect_uri or code_verifier differ from the request\'s"}';

async function assistants(admin: string): Promise<unknown[]> {
  return (await call("GET", `${admin}/api/assistants`)).body.assistants as unknown[];
}

async function errorOf(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => "no error",
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
}

describe("Home Assistant's MCP sign-in refused", () => {
  it("with a wrong code_verifier: invalid_grant, nothing issued, and the code spent", async () => {
    const admin = await service();
    const flow = await haFlowToAuthorizePage(admin);
    await parentAnswers(admin, "approve");
    const code = (await browserReturns(flow)).searchParams.get("code") as string;
    const wrong = randomBytes(96).toString("base64url").slice(0, 128);
    expect(await errorOf(exchange(flow, code, wrong))).toBe(INVALID_CODE);
    expect(await assistants(admin)).toEqual([]);
    // The right verifier after a wrong one opens nothing either: a guessed code is tried once.
    expect(await errorOf(exchange(flow, code))).toBe(INVALID_CODE);
    expect(await assistants(admin)).toEqual([]);
  });

  it("with a code used twice: the second is invalid_grant and revokes what the first issued (RFC 6749 §4.1.2)", async () => {
    const admin = await service();
    const flow = await haFlowToAuthorizePage(admin);
    await parentAnswers(admin, "approve");
    const code = (await browserReturns(flow)).searchParams.get("code") as string;
    const token = await exchange(flow, code);
    expect(token.access_token).toMatch(/^yss_at_/);
    expect(await assistants(admin)).toHaveLength(1);
    // Someone besides Home Assistant saw the code: whoever traded it first, its assistant is revoked.
    expect(await errorOf(exchange(flow, code))).toBe(INVALID_CODE);
    expect(await assistants(admin)).toEqual([]);
    expect(await reasonOf(flow.ha.listTools(flow.mcpUrl, token.access_token))).toBe("reauth");
    expect(running?.logs.filter((l) => l.includes("was used a second time"))).toEqual([
      expect.stringMatching(
        "WARNING.* A sign-in code of the assistant 'Home Assistant' was used a second time: the assistant it signed in is revoked, since someone else may hold its tokens$",
      ),
    ]);
    // A third try finds nothing more to revoke, and says nothing more.
    expect(await errorOf(exchange(flow, code))).toBe(INVALID_CODE);
    expect(running?.logs.filter((l) => l.includes("was used a second time"))).toHaveLength(1);
    // The browser's page, loaded again, has ended: it does not hand the code out twice.
    const again = await browse(flow.page.url, flow.browser);
    expect([again.status, again.leftTo]).toEqual([410, undefined]);
    expect(again.text).toContain("<h1>This request has ended</h1>");
  });

  it("with a redirect_uri the client did not register: the page says so (400) and sends the browser nowhere", async () => {
    const admin = await service();
    const flow = await haFlowToAuthorizePage(admin, "https://elsewhere.example/auth/external/callback");
    expect(flow.page.status).toBe(400);
    expect(flow.page.leftTo).toBeUndefined();
    expect(flow.page.url).toBe(flow.authorize.url);
    expect(flow.page.text).toContain(
      "<h1>Wrong return address</h1><p>The redirect_uri is not one the client registered, so the answer cannot go back to it. Add the MCP server again from the assistant.</p>",
    );
    expect((await call("GET", `${admin}/api/assistants`)).body.requests).toEqual([]);
  });

  it("by a parent's no: the browser goes back to Home Assistant with error=access_denied and its state", async () => {
    const admin = await service();
    const flow = await haFlowToAuthorizePage(admin);
    expect(flow.page.status).toBe(200);
    await parentAnswers(admin, "deny");
    const back = await browserReturns(flow);
    expect(`${back.origin}${back.pathname}`).toBe(HA_REDIRECT);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe(flow.authorize.state);
    expect(back.searchParams.get("code")).toBeNull();
    expect(await assistants(admin)).toEqual([]);
  });

  it("once revoked on the panel: the access token gets 401 invalid_token and the refresh token is refused", async () => {
    const admin = await service();
    const {flow, token} = await haSignedIn(admin);
    const [assistant] = (await assistants(admin)) as Array<{id: string; name: string}>;
    expect(assistant?.name).toBe("Home Assistant");
    expect((await call("DELETE", `${admin}/api/assistants/${assistant?.id}`)).status).toBe(200);

    const refused = await fetch(flow.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token.access_token}`,
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
      },
      body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "tools/list"}),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${admin}/.well-known/oauth-protected-resource/mcp", error="invalid_token", error_description="This assistant was revoked on the Yoto panel"`,
    );
    // The coordinator's next refresh of tools: a 401 with a token is a reauth.
    expect(await reasonOf(flow.ha.listTools(flow.mcpUrl, token.access_token))).toBe("reauth");
    expect(await errorOf(flow.ha.refresh({tokenUrl: flow.oauth.tokenUrl, client: flow.client, token}))).toBe(
      'oauth_failed: 400: {"error":"invalid_grant","error_description":"That refresh token opens nothing: its assistant was revoked on the Yoto panel, or it is not this client\'s"}',
    );
  });
});
