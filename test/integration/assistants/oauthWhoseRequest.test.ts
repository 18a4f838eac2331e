/**
 * Whose sign-in request a parent approves (#98): two requests may both say "Home Assistant", so the
 * panel shows the machine each came from and a pairing code its waiting page shows too, and the
 * answer goes only to the browser that started the request. Real HTTP against the real app, from
 * several loopback addresses standing in for machines on the home network.
 */
import {createHash, randomBytes} from "node:crypto";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {HA_REDIRECT} from "../../helpers/haMcpFlow.js";
import {call, rawRequest} from "../../helpers/http.js";

let running: TestApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");

/** One request of a browser at `from` (a loopback address standing for a machine). */
async function get(url: string, opts: {from?: string; cookie?: string; method?: string} = {}) {
  const res = await rawRequest(url, {
    method: opts.method ?? "GET",
    headers: opts.cookie ? {Cookie: opts.cookie} : {},
    ...(opts.from ? {localAddress: opts.from} : {}),
  });
  const setCookie = res.headers["set-cookie"]?.[0];
  return {
    status: res.status,
    location: res.headers.location,
    type: res.headers["content-type"],
    text: res.body.toString("utf8"),
    cookie: setCookie?.split(";")[0],
    setCookie,
  };
}

async function register(admin: string, body: Record<string, unknown>) {
  const res = await rawRequest(`${admin}/oauth/register`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  return {status: res.status, json: JSON.parse(res.body.toString("utf8")) as Record<string, string>};
}

async function homeAssistantClient(admin: string): Promise<string> {
  const registered = await register(admin, {client_name: "Home Assistant", redirect_uris: [HA_REDIRECT]});
  expect(registered.status).toBe(201);
  return registered.json.client_id as string;
}

function authorizeUrl(admin: string, clientId: string, extra: Record<string, string> = {}): string {
  const url = new URL(`${admin}/oauth/authorize`);
  const params = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: HA_REDIRECT,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** A browser at `from` starting a sign-in: the waiting page's address and the cookie it was given. */
async function ask(admin: string, clientId: string, from = "127.0.0.1") {
  const started = await get(authorizeUrl(admin, clientId), {from});
  expect(started.status).toBe(302);
  return {waiting: `${admin}${started.location}`, cookie: started.cookie as string, setCookie: started.setCookie};
}

const waitingRequests = async (admin: string) =>
  (await call("GET", `${admin}/api/assistants`)).body.requests as Array<Record<string, string>>;

describe("whose sign-in request it is", () => {
  it("shows two 'Home Assistant' requests apart by machine and pairing code, each code on its own browser's page", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const clientId = await homeAssistantClient(admin);
    const parent = await ask(admin, clientId, "127.0.0.1");
    const stranger = await ask(admin, clientId, "127.0.0.66");
    const [mine, theirs] = await waitingRequests(admin);
    expect(mine).toMatchObject({client: "Home Assistant", from: "127.0.0.1", redirect_host: "my.home-assistant.io"});
    expect(theirs).toMatchObject({client: "Home Assistant", from: "127.0.0.66"});
    expect(mine?.pairing).toMatch(/^[ACDEFHJKMNPRTUVWXY3479]{4}$/);
    expect(mine?.pairing).not.toBe(theirs?.pairing);
    const page = await get(parent.waiting, {cookie: parent.cookie});
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Check that the panel shows <strong class="pairing">${mine?.pairing}</strong>`);
    const strangers = await get(stranger.waiting, {from: "127.0.0.66", cookie: stranger.cookie});
    expect(strangers.text).toContain(`Check that the panel shows <strong class="pairing">${theirs?.pairing}</strong>`);
    expect(running.logs.some((l) => l.includes(`from 127.0.0.66, pairing code ${theirs?.pairing}`))).toBe(true);
  });

  it("gives the code only to the browser holding the request's cookie: another gets 403 and spends nothing, a HEAD takes nothing", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const parent = await ask(admin, await homeAssistantClient(admin));
    expect(parent.setCookie).toMatch(/^yss_oauth_[\w-]+=[\w-]{43}; path=\/oauth; expires=.+; samesite=lax; httponly$/);
    const [request] = await waitingRequests(admin);
    expect((await call("POST", `${admin}/api/assistants/requests/${request?.id}/approve`)).status).toBe(200);

    // Anyone else with the request's address: a page saying it is another browser's, never the code.
    for (const cookie of [undefined, `${parent.cookie.split("=")[0]}=${"x".repeat(43)}`]) {
      const other = await get(parent.waiting, {from: "127.0.0.66", ...(cookie ? {cookie} : {})});
      expect([other.status, other.location]).toEqual([403, undefined]);
      expect(other.text).toContain(
        "<h1>Not this browser's request</h1><p>This sign-in was started in another browser (or this one keeps no cookies), so its answer goes only there. Start again from the assistant, in a browser that keeps cookies.</p>",
      );
    }
    // A HEAD of the page, even with the cookie (a link preview, a prefetch), takes nothing.
    const head = await get(parent.waiting, {method: "HEAD", cookie: parent.cookie});
    expect([head.status, head.location]).toEqual([200, undefined]);

    const back = await get(parent.waiting, {cookie: parent.cookie});
    expect(back.status).toBe(302);
    const to = new URL(back.location as string);
    expect(`${to.origin}${to.pathname}`).toBe(HA_REDIRECT);
    expect(to.searchParams.get("code")).toMatch(/^[\w-]{43}$/);
    // The cookie is cleared with the answer, and the page has ended.
    expect(back.setCookie).toMatch(/^yss_oauth_[\w-]+=; path=\/oauth; expires=Thu, 01 Jan 1970 00:00:00 GMT/);
    expect((await get(parent.waiting, {cookie: parent.cookie})).status).toBe(410);
  });

  it("keeps a parent's request through 20 from ten other machines: the 21st is refused with a page, and the parent's is approved", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const clientId = await homeAssistantClient(admin);
    const parent = await ask(admin, clientId, "127.0.0.1");
    const answers: number[] = [];
    let refusal = "";
    for (let machine = 0; machine < 10; machine++)
      for (let n = 0; n < 2; n++) {
        const res = await get(authorizeUrl(admin, clientId), {from: `127.0.0.${100 + machine}`});
        answers.push(res.status);
        if (res.status !== 302) refusal = res.text;
      }
    expect(answers).toEqual([...Array(19).fill(302), 429]);
    expect(refusal).toContain(
      "<h1>Too many requests</h1><p>Too many sign-in requests are waiting: ask a parent to answer them on the Assistants page, or try again in 10 minutes.</p>",
    );
    const requests = await waitingRequests(admin);
    expect(requests).toHaveLength(20);
    const own = requests.find((r) => r.from === "127.0.0.1");
    expect((await call("POST", `${admin}/api/assistants/requests/${own?.id}/approve`)).status).toBe(200);
    expect((await get(parent.waiting, {cookie: parent.cookie})).status).toBe(302);
  });
});

describe("an authorization request with something wrong", () => {
  it.each([
    [
      "response_type=token",
      {response_type: "token"},
      "This add-on answers only response_type=code (an authorization code with PKCE), not 'token'.",
    ],
    [
      "no code_challenge",
      {code_challenge: ""},
      "PKCE is required: the request must send a code_challenge with code_challenge_method=S256.",
    ],
    [
      "code_challenge_method=plain",
      {code_challenge_method: "plain"},
      "PKCE is required: the request must send a code_challenge with code_challenge_method=S256.",
    ],
    ["scope=admin", {scope: "admin"}, "The one scope is \"yoto\", not 'admin'."],
    ["a state of 4097 characters", {state: "s".repeat(4097)}, "The state must be one text of at most 4096 characters."],
  ])("%s is a page saying what was wrong (400), sending the browser nowhere", async (_, extra, why) => {
    running = await startApp();
    const admin = running.adminUrl;
    // A stranger's client, whose redirect a parent never approved: nothing may go there.
    const registered = await register(admin, {client_name: "Evil", redirect_uris: ["http://evil.example/cb"]});
    const res = await get(
      authorizeUrl(admin, registered.json.client_id as string, {redirect_uri: "http://evil.example/cb", ...extra}),
    );
    expect([res.status, res.location, res.type]).toEqual([400, undefined, "text/html; charset=utf-8"]);
    expect(res.text).toContain(
      `<h1>The assistant's request is wrong</h1><p>${why.replace(/"/g, "&quot;").replace(/'/g, "&#39;")}</p><p>The add-on sends nothing back to the assistant. Add the MCP server again from the assistant, or tell its maker.</p>`,
    );
    expect(await waitingRequests(admin)).toEqual([]);
  });

  it("as a HEAD is checked, but starts no request", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const url = authorizeUrl(admin, await homeAssistantClient(admin));
    const head = await get(url, {method: "HEAD"});
    expect([head.status, head.location, head.setCookie]).toEqual([200, undefined, undefined]);
    expect((await get(authorizeUrl(admin, "not-a-client"), {method: "HEAD"})).status).toBe(400);
    expect(await waitingRequests(admin)).toEqual([]);
  });

  it("hands a state of 2 KB back whole", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const state = randomBytes(1536).toString("base64url");
    expect(state.length).toBe(2048);
    const started = await get(authorizeUrl(admin, await homeAssistantClient(admin), {state}));
    const [request] = await waitingRequests(admin);
    await call("POST", `${admin}/api/assistants/requests/${request?.id}/deny`);
    const back = await get(`${admin}${started.location}`, {cookie: started.cookie as string});
    expect(new URL(back.location as string).searchParams.get("state")).toBe(state);
  });
});

describe("a registration", () => {
  it.each([
    [
      {client_name: "Home Assistant", redirect_uris: ["http://evil.example/auth"]},
      "The registration's client_name 'Home Assistant' is taken only by Home Assistant itself, whose answers go to https://my.home-assistant.io/redirect/oauth or its own address followed by /auth/external/callback: register under another name",
    ],
    [
      {client_name: "Helper", redirect_uris: ["ms-msdt:/id PCWDiagnostic"]},
      "The registration's redirect_uris 'ms-msdt:/id PCWDiagnostic' cannot take an answer: only an http or https address can (not ms-msdt:)",
    ],
  ])("%j is refused, saying why", async (body, why) => {
    running = await startApp();
    expect(await register(running.adminUrl, body)).toEqual({
      status: 400,
      json: {error: "invalid_client_metadata", error_description: why},
    });
  });

  it("of a name with format characters is shown without them", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const registered = await register(admin, {
      client_name: "Kitchen\u202e\u200b bot\u2066",
      redirect_uris: ["http://127.0.0.1:9/cb"],
    });
    expect(registered.json.client_name).toBe("Kitchen bot");
    const url = authorizeUrl(admin, registered.json.client_id as string, {redirect_uri: "http://127.0.0.1:9/cb"});
    expect((await get(url)).status).toBe(302);
    expect((await waitingRequests(admin))[0]?.client).toBe("Kitchen bot");
  });
});
