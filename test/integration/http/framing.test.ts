import http from "node:http";
import type Router from "@koa/router";
import type Koa from "koa";
import {describe, expect, it} from "vitest";
import {FRAMING_HEADERS} from "../../../src/http/middleware/framing.js";
import {startApp} from "../../helpers/app.js";
import {waitFor} from "../../helpers/players.js";
import {fakeSupervisor} from "../../helpers/supervisor.js";

const TOKEN = "a-long-enough-api-token-1234";
/** As a browser asks for a page it navigates to. */
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
/** The pages the service serves from its router: the table below must find each (and any added later). */
const PAGES = ["/oauth/authorize", "/", "/child", "/child/", "/child/:name", "/child/:name/"];

/** The admin listener's router, as the app runs it (`router.routes()` carries its router). */
function routerOf(app: Koa): Router {
  const dispatch = app.middleware.find((m) => "router" in m) as {router: Router} | undefined;
  if (!dispatch) throw new Error("the admin app runs no router");
  return dispatch.router;
}

interface Answer {
  status: number;
  type: string;
  csp?: string;
  xfo?: string;
}

/** One request's status and headers; the body is not waited for (the live events never end). */
function ask(url: string, init: {method?: string; headers?: Record<string, string>; body?: string} = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(url, {method: init.method ?? "GET", headers: init.headers}, (res) => {
      resolve({
        status: res.statusCode ?? 0,
        type: String(res.headers["content-type"] ?? ""),
        csp: res.headers["content-security-policy"] as string | undefined,
        xfo: res.headers["x-frame-options"] as string | undefined,
      });
      res.destroy();
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

const framedOnlyHere = (a: Answer) =>
  a.csp === FRAMING_HEADERS["Content-Security-Policy"] && a.xfo === FRAMING_HEADERS["X-Frame-Options"];

describe("who may frame the admin listener's pages", () => {
  it("is said by every page the router serves (and every other answer): frame-ancestors 'self' and SAMEORIGIN", async () => {
    expect(FRAMING_HEADERS).toEqual({
      "Content-Security-Policy": "frame-ancestors 'self'",
      "X-Frame-Options": "SAMEORIGIN",
    });
    // Loopback off: the parent is a browser on the home network with the api_token.
    const t = await startApp(["--api_token", TOKEN], {adminAccess: {allowLoopback: false, ingressPeers: []}});
    const parent = {Accept: BROWSER_ACCEPT, Authorization: `Bearer ${TOKEN}`};
    const fill = (p: string) => p.replace(/:(child|name)\b/g, "Mia").replace(/:[a-z]+/gi, "x");
    const routes = routerOf(t.app.admin.app)
      .stack.filter((layer) => layer.methods.includes("GET") && typeof layer.path === "string")
      .map((layer) => layer.path as string);
    expect(routes.length).toBeGreaterThan(50);

    const table: Array<{route: string} & Answer> = [];
    for (const route of routes) table.push({route, ...(await ask(`${t.adminUrl}${fill(route)}`, {headers: parent}))});
    const pages = table.filter((row) => row.type.startsWith("text/html")).map((row) => row.route);
    expect(pages).toEqual(PAGES);
    expect(table.filter((row) => !framedOnlyHere(row)).map((row) => `${row.route} (${row.status})`)).toEqual([]);

    // The pages beside the router: the sign-in page (and its answer to a wrong token), where a
    // browser with no credential is sent, and a path nothing serves.
    const beside = {
      "GET /signin": await ask(`${t.adminUrl}/signin`, {headers: {Accept: BROWSER_ACCEPT}}),
      "POST /signin": await ask(`${t.adminUrl}/signin`, {
        method: "POST",
        headers: {Accept: BROWSER_ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
        body: "token=not-the-token",
      }),
      "GET / with no credential": await ask(`${t.adminUrl}/`, {headers: {Accept: BROWSER_ACCEPT}}),
      "GET /nothing-here": await ask(`${t.adminUrl}/nothing-here`, {headers: parent}),
    };
    expect(Object.values(beside).map((a) => [a.status, a.type.split(";")[0]])).toEqual([
      [200, "text/html"],
      [401, "text/html"],
      [302, "text/html"],
      [404, "text/plain"],
    ]);
    expect(Object.entries(beside).flatMap(([what, a]) => (framedOnlyHere(a) ? [] : [what]))).toEqual([]);
  }, 60_000);

  it("lets Home Assistant's own pages frame a child's page, and only that page, once its addresses are learnt", async () => {
    const supervisor = await fakeSupervisor({status: 404, body: {}});
    try {
      const t = await startApp(["--api_token", TOKEN], {
        adminAccess: {allowLoopback: false, ingressPeers: []},
        supervisor: {url: supervisor.url, token: "sup-token"},
        homeAssistant: true,
      });
      await waitFor(() => t.app.homeAssistantPages.length > 0, "Home Assistant's addresses learnt", 30_000);
      const parent = {Accept: BROWSER_ACCEPT, Authorization: `Bearer ${TOKEN}`};
      // The fake Supervisor's Core: homeassistant.local:8123 (internal_url) on 192.168.1.5.
      const child = await ask(`${t.adminUrl}/child/Mia`, {headers: parent});
      expect([child.csp, child.xfo]).toEqual([
        "frame-ancestors 'self' http://homeassistant:8123 http://homeassistant.local:8123 http://192.168.1.5:8123",
        undefined,
      ]);
      // The panel and everything else: its own address only (ingress is Home Assistant's same origin).
      for (const path of ["/", "/api/health", "/signin"])
        expect(framedOnlyHere(await ask(`${t.adminUrl}${path}`, {headers: parent}))).toBe(true);
    } finally {
      await supervisor.close();
    }
  }, 60_000);
});
