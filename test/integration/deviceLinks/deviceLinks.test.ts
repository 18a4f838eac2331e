import http from "node:http";
import {describe, expect, it} from "vitest";
import {FORBIDDEN_MESSAGE} from "../../../src/http/middleware/adminAccess.js";
import type {DeviceLinkMade} from "../../../src/shared/api/devices.js";
import {rawRequest} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const TOKEN = "a-long-enough-api-token-1234";
const startLinked = linkedBridge();
const MIA_ONLY =
  "This is a device link for Mia's page: it may read Mia's shelf, play from it, pause, resume, skip, set the volume within the plan, ask for one more story and start the sleep sound, nothing else (a parent signs in for the rest)";

describe("a child's device link", () => {
  it("opens that child's page and calls and nothing else, is refused once revoked, and dies with its child", async () => {
    const {t} = await startLinked({
      flags: ["--api_token", TOKEN],
      // Loopback off: 127.0.0.1 plays the tablet on the home network.
      app: {adminAccess: {allowLoopback: false, ingressPeers: []}},
    });
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const send = async (method: string, pathname: string, opts: {body?: unknown; auth?: string} = {}) => {
      const headers: Record<string, string> = {};
      if (opts.auth) headers.Authorization = opts.auth;
      if (opts.body !== undefined) headers["Content-Type"] = "application/json";
      const res = await rawRequest(`${t.adminUrl}${pathname}`, {
        method,
        headers,
        ...(opts.body !== undefined ? {body: JSON.stringify(opts.body)} : {}),
      });
      const text = res.body.toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text);
      } catch {
        body = {text};
      }
      return {status: res.status, body};
    };
    const parent = `Bearer ${TOKEN}`;
    expect((await send("PUT", "/api/children/Mia", {body: {players: ["Bedroom Mini"]}, auth: parent})).status).toBe(
      200,
    );
    expect((await send("PUT", "/api/children/Ben", {body: {players: ["Living Room"]}, auth: parent})).status).toBe(200);

    // Made by a parent: the credential once, the page's address with it, a QR code of that address.
    const made = await send("POST", "/api/children/mia/devices", {
      body: {name: "Kitchen tablet", base: "http://192.168.1.20:8099/"},
      auth: parent,
    });
    expect(made.status).toBe(201);
    const link = made.body as unknown as DeviceLinkMade;
    expect(link.link).toMatchObject({child: "Mia", name: "Kitchen tablet", last_used_at: null});
    expect(link.url).toBe(`http://192.168.1.20:8099/child/Mia#device=${link.token}`);
    expect(link.qr_svg).toMatch(/^<svg /);
    const device = `Device ${link.token}`;

    // What the page does: its shelf, a control, and its own page and files without any admin.
    expect((await send("GET", "/api/children/Mia/shelf", {auth: device})).status).toBe(200);
    expect(
      (await send("POST", "/api/children/Mia/shelf/control", {body: {action: "pause"}, auth: device})).status,
    ).toBe(200);
    expect((await send("GET", "/child/Mia")).status).toBe(200);
    const listed = await send("GET", "/api/children/Mia/devices", {auth: parent});
    expect((listed.body.links as Array<{last_used_at: string | null}>)[0]?.last_used_at).not.toBeNull();

    // Every other route refuses the link: deviceRoutes.test.ts, from the routes' own declarations.
    // Not even this child's plan, the broker's password or the other child's page.
    for (const [method, pathname] of [
      ["PUT", "/api/children/Mia"],
      ["GET", "/api/mqtt"],
      ["GET", "/api/children/Ben/shelf"],
      ["GET", "/api/children"],
    ] as const)
      expect(await send(method, pathname, {auth: device, body: method === "PUT" ? {} : undefined})).toEqual({
        status: 403,
        // The child the link is for, too: the page at another child's address goes to Mia's.
        body: {error: MIA_ONLY, code: "device_link_only", child: "Mia"},
      });
    // A credential is never taken from the address but for the live events.
    expect((await send("GET", `/api/children/Mia/shelf?device=${link.token}`)).body).toEqual({
      error: FORBIDDEN_MESSAGE,
      code: "forbidden",
    });

    // The live events the page follows, with the credential in the address (an EventSource sends no
    // header): whose day changed (the child's own), never the plan itself.
    const events = await new Promise<{text: () => string; close: () => void}>((resolve, reject) => {
      let text = "";
      const req = http.get(`${t.adminUrl}/api/events?only=family.changed,log.written&device=${link.token}`, (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        resolve({text: () => text, close: () => req.destroy()});
      });
      req.on("error", reject);
    });
    try {
      await waitFor(() => events.text().includes("event: hello"), "the events' hello");
      expect(
        (
          await send("PUT", "/api/children/Mia", {
            body: {players: ["Bedroom Mini"], budget: {minutes: 45}},
            auth: parent,
          })
        ).status,
      ).toBe(200);
      await waitFor(() => events.text().includes("event: family.changed"), "a family change");
      expect(events.text()).toMatch(/event: family\.changed\ndata: \{"child":"Mia"\}\n/);
      expect(events.text()).not.toContain("log.written");
      expect(events.text()).not.toContain("45");
    } finally {
      events.close();
    }

    // Unlocking a locked tablet: the parent PIN, tries limited.
    expect((await send("POST", "/api/children/Mia/unlock", {body: {pin: "2580"}, auth: device})).body).toMatchObject({
      code: "no_pin",
    });
    expect((await send("PUT", "/api/devices/pin", {body: {pin: "2580"}, auth: parent})).body).toEqual({pin_set: true});
    expect(await send("POST", "/api/children/Mia/unlock", {body: {pin: "1111"}, auth: device})).toEqual({
      status: 403,
      body: {error: "That is not the parent PIN", code: "wrong_pin"},
    });
    expect(await send("POST", "/api/children/Mia/unlock", {body: {pin: "2580"}, auth: device})).toEqual({
      status: 200,
      body: {unlocked: true},
    });
    for (let i = 0; i < 4; i++) await send("POST", "/api/children/Mia/unlock", {body: {pin: "0000"}, auth: device});
    expect((await send("POST", "/api/children/Mia/unlock", {body: {pin: "2580"}, auth: device})).status).toBe(429);

    // Revoked: refused at once.
    expect((await send("DELETE", `/api/devices/${link.link.id}`, {auth: parent})).status).toBe(200);
    expect(await send("GET", "/api/children/Mia/shelf", {auth: device})).toEqual({
      status: 401,
      body: {
        error: "This device link was revoked, or is not one: a parent makes a new link on the Family page",
        code: "device_link_revoked",
      },
    });

    // A link for a child who leaves the family plan dies with it.
    const ben = (await send("POST", "/api/children/Ben/devices", {body: {name: "Ben's tablet"}, auth: parent}))
      .body as unknown as DeviceLinkMade;
    expect((await send("DELETE", "/api/children/Ben", {auth: parent})).status).toBeLessThan(300);
    expect((await send("GET", "/api/children/Ben/shelf", {auth: `Device ${ben.token}`})).body).toEqual({
      error:
        "This device link was for Ben, who was removed from the family plan (a child added again is a new child): a parent makes a new link on the Family page",
      code: "device_link_child_gone",
    });
  }, 120_000);

  it("refuses a link past 20 for a child, an unnamed one, and one for nobody, saying why", async () => {
    const {t} = await startLinked();
    const post = (child: string, body: unknown) =>
      rawRequest(`${t.adminUrl}/api/children/${child}/devices`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body),
      }).then((r) => ({status: r.status, body: JSON.parse(r.body.toString("utf8"))}));
    const put = await rawRequest(`${t.adminUrl}/api/children/Mia`, {
      method: "PUT",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({players: ["Bedroom Mini"]}),
    });
    expect(put.status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await post("Mia", {name: `Tablet ${i}`})).status).toBe(201);
    expect(await post("Mia", {name: "One too many"})).toEqual({
      status: 409,
      body: {
        error: "Mia has 20 device links, the most there may be: revoke one on the Family page first",
        code: "too_many_device_links",
      },
    });
    expect((await post("Mia", {name: "  "})).body.code).toBe("bad_device_name");
    expect(await post("Zoe", {name: "Tablet"})).toEqual({
      status: 404,
      body: {error: "There is no child 'Zoe' in the family plan", code: "unknown_child"},
    });
  }, 60_000);
});
