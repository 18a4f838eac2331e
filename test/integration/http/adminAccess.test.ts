import {afterEach, describe, expect, it} from "vitest";
import {FORBIDDEN_MESSAGE} from "../../../src/http/middleware/adminAccess.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {rawRequest} from "../../helpers/http.js";

const TOKEN = "a-long-enough-api-token-1234";
let running: TestApp | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const request = async (url: string, opts: Parameters<typeof rawRequest>[1] = {}) => {
  const res = await rawRequest(url, opts);
  return {status: res.status, body: res.body.toString("utf8")};
};

describe("admin API access", () => {
  it("answers loopback callers", async () => {
    running = await startApp();
    const res = await request(`${running.adminUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).status).toBe("ok");
  });

  it("refuses a peer that is neither ingress, loopback nor token-bearing, with the reason", async () => {
    // Loopback is switched off so 127.0.0.1 plays an arbitrary LAN peer; 127.0.0.2 plays the ingress proxy.
    running = await startApp(["--api_token", TOKEN], {
      adminAccess: {allowLoopback: false, ingressPeers: ["127.0.0.2"]},
    });
    const refused = await request(`${running.adminUrl}/api/library`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({error: FORBIDDEN_MESSAGE, code: "forbidden"});
    expect(FORBIDDEN_MESSAGE).toBe(
      "The admin API answers only Home Assistant ingress, this machine, requests with 'Authorization: Bearer <api_token>', or a browser signed in at /signin",
    );

    const wrongToken = await request(`${running.adminUrl}/api/library`, {headers: {Authorization: `Bearer ${TOKEN}x`}});
    expect(wrongToken.status).toBe(403);

    const withToken = await request(`${running.adminUrl}/api/library`, {headers: {Authorization: `Bearer ${TOKEN}`}});
    expect(withToken.status).toBe(200);
    expect(JSON.parse(withToken.body)).toEqual({items: [], total: 0, limit: 100, offset: 0});

    const viaIngress = await request(`${running.adminUrl}/api/library`, {localAddress: "127.0.0.2"});
    expect(viaIngress.status).toBe(200);
  });

  it("lets a browser on another device in through the sign-in page, with an HttpOnly, SameSite=Strict cookie", async () => {
    // Loopback off: 127.0.0.1 plays a phone on the LAN.
    running = await startApp(["--api_token", TOKEN], {adminAccess: {allowLoopback: false, ingressPeers: []}});
    const url = running.adminUrl;
    // A browser asking for the panel is sent to sign in, not shown JSON.
    const panel = await rawRequest(`${url}/`, {headers: {Accept: "text/html"}});
    expect([panel.status, panel.headers.location]).toEqual([302, "/signin"]);
    const form = await request(`${url}/signin`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('<input name="token" type="password"');
    const post = (token: string, headers: Record<string, string> = {}) =>
      rawRequest(`${url}/signin`, {
        method: "POST",
        headers: {"Content-Type": "application/x-www-form-urlencoded", ...headers},
        body: new URLSearchParams({token}).toString(),
      });
    const wrong = await post(`${TOKEN}x`);
    expect([wrong.status, wrong.headers["set-cookie"]]).toEqual([401, undefined]);
    expect(wrong.body.toString()).toContain("That is not the api_token. Try again.");
    // A sign-in form on another site must not sign this browser in.
    const elsewhere = await post(TOKEN, {Origin: "https://evil.example"});
    expect([elsewhere.status, elsewhere.headers["set-cookie"]]).toEqual([403, undefined]);

    const signed = await post(TOKEN, {Origin: url});
    expect([signed.status, signed.headers.location]).toEqual([303, "/"]);
    const cookie = signed.headers["set-cookie"]?.[0] ?? "";
    expect(cookie).toMatch(/^yss_session=[\w-]+; path=\/; expires=.+; samesite=strict; httponly$/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(";")[0] as string;
    const api = await request(`${url}/api/library`, {headers: {Cookie: session}});
    expect(api.status).toBe(200);
    // A made-up cookie is refused like none.
    const forged = await request(`${url}/api/library`, {headers: {Cookie: "yss_session=abc"}});
    expect(forged.status).toBe(403);
    // A change from the panel with the cookie goes through; the same from a form elsewhere does not.
    const change = await request(`${url}/api/library/rescan`, {
      method: "POST",
      headers: {Cookie: session, "X-Requested-With": "yoto-smart-stream"},
    });
    expect(change.status).toBe(200);
  });

  it("records Home Assistant users from ingress headers in the audit log", async () => {
    running = await startApp([], {adminAccess: {allowLoopback: false, ingressPeers: ["127.0.0.2"]}});
    const res = await request(`${running.adminUrl}/api/library/rescan`, {
      method: "POST",
      localAddress: "127.0.0.2",
      headers: {"X-Remote-User-Id": "u1", "X-Remote-User-Name": "mum", "X-Remote-User-Display-Name": "Mum"},
    });
    expect(res.status).toBe(200);
    const audit = await request(`${running.adminUrl}/api/audit`, {localAddress: "127.0.0.2"});
    expect(JSON.parse(audit.body).entries).toEqual([
      expect.objectContaining({method: "POST", path: "/api/library/rescan", status: 200, via: "ingress", user: "Mum"}),
    ]);
    expect(running.logs.some((l) => l.includes("POST /api/library/rescan → 200 by 'Mum' via ingress"))).toBe(true);
  });

  it("answers unknown API routes and methods with JSON errors", async () => {
    running = await startApp();
    const missing = await request(`${running.adminUrl}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({error: "No API route GET /api/nothing-here", code: "not_found"});
    const unknownItem = await request(`${running.adminUrl}/api/library/0123456789abcdef`);
    expect(unknownItem.status).toBe(404);
    expect(JSON.parse(unknownItem.body)).toEqual({
      error: "Library item '0123456789abcdef' does not exist",
      code: "unknown_item",
    });
    const badQuery = await request(`${running.adminUrl}/api/library?limit=5000`);
    expect(badQuery.status).toBe(400);
    expect(JSON.parse(badQuery.body)).toEqual({
      error: "limit must be a whole number from 1 to 1000",
      code: "bad_query",
    });
  });
});
