import http from "node:http";
import type {AddressInfo} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {trustHomeAssistantUrls} from "../../../src/app/homeAssistantUrls.js";
import {FetchPolicy} from "../../../src/core/fetchPolicy.js";
import {Logger} from "../../../src/core/logger.js";

let server: http.Server | undefined;
afterEach(() => new Promise((r) => (server ? server.close(r) : r(undefined))));

/** The Supervisor as an add-on meets it: Core's config through its proxy, Core's port, the host's addresses. */
async function supervisor(routes: Record<string, unknown>): Promise<{url: string; auth: string[]}> {
  const auth: string[] = [];
  server = http.createServer((req, res) => {
    auth.push(req.headers.authorization ?? "");
    const body = Object.hasOwn(routes, req.url ?? "") ? routes[req.url ?? ""] : undefined;
    if (body === undefined) res.writeHead(404).end("{}");
    else res.writeHead(200, {"Content-Type": "application/json"}).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth};
}

const tts = (origin: string) => new URL(`${origin}/api/tts_proxy/abc.mp3`);

describe("Home Assistant's own URLs are trusted without fetch_allow", () => {
  it("learns Core's internal and external URLs and its port on the host's addresses", async () => {
    const sup = await supervisor({
      "/core/api/config": {internal_url: "http://ha.lan:8123", external_url: null},
      "/core/info": {result: "ok", data: {port: 8123, ssl: false}},
      "/network/info": {
        result: "ok",
        data: {interfaces: [{ipv4: {address: ["192.168.1.5/24"]}, ipv6: {address: ["fd00::5/64"]}}]},
      },
    });
    const policy = new FetchPolicy();
    const lines: string[] = [];
    const trusted = await trustHomeAssistantUrls(
      {url: sup.url, token: "tok"},
      policy,
      new Logger({level: "debug", sink: (l) => lines.push(l)}),
    );
    expect(trusted).toEqual([
      sup.url,
      "http://homeassistant:8123",
      "http://homeassistant.local:8123",
      "http://ha.lan:8123",
      "http://192.168.1.5:8123",
      "http://[fd00::5]:8123",
    ]);
    expect(sup.auth).toEqual(["Bearer tok", "Bearer tok", "Bearer tok"]);
    expect(policy.refusal(tts("http://192.168.1.5:8123"), "192.168.1.5")).toBeUndefined();
    expect(policy.refusal(tts("http://ha.lan:8123"), "192.168.1.5")).toBeUndefined();
    expect(policy.refusal(tts("http://[fd00::5]:8123"), "fd00::5")).toBeUndefined();
    // Another port on the same host is not Home Assistant.
    expect(policy.refusal(tts("http://192.168.1.5:8099"), "192.168.1.5")).toMatch(/private address/);
  });

  it("says in the log what it could not learn, and still trusts the Supervisor and Core's usual names", async () => {
    const sup = await supervisor({});
    const policy = new FetchPolicy();
    const lines: string[] = [];
    await trustHomeAssistantUrls(
      {url: sup.url, token: "tok"},
      policy,
      new Logger({level: "debug", sink: (l) => lines.push(l)}),
    );
    expect(lines.join("\n")).toContain(
      "Could not learn Home Assistant's URLs (/core/api/config answered 404); media from it at an address of its own needs that address in fetch_allow",
    );
    expect(policy.refusal(tts("http://homeassistant:8123"), "172.30.32.1")).toBeUndefined();
    expect(policy.refusal(tts(sup.url), "127.0.0.1")).toBeUndefined();
  });
});
