import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {rawRequest} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

// Outside Home Assistant a browser on this machine is a loopback caller: any page it opens can aim
// requests here. These send what such a page's browser would, from loopback.

let running: TestApp | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const HOST_REFUSED = {
  error:
    "Host 'attacker.example' is not a name this service is reached by: open it by its address or add the name to the allowed_hosts option",
  code: "host_not_allowed",
};
const FROM_EVIL = {
  error:
    "Refused a cross-site request from 'https://evil.example': the admin API only takes changes from its own panel",
  code: "cross_site",
};

async function send(path: string, opts: Parameters<typeof rawRequest>[1] = {}) {
  const res = await rawRequest(`${running?.adminUrl}${path}`, opts);
  const text = res.body.toString("utf8");
  return {status: res.status, body: text ? JSON.parse(text) : undefined};
}

/** The admin listener's `host:port`, as a browser that opened it by that address sends it. */
const own = () => new URL(running?.adminUrl as string).host;
const port = () => new URL(running?.adminUrl as string).port;

/** An app whose rules folder holds one rule that logs when it runs. */
async function startWithRule(flags: string[] = []): Promise<TestApp> {
  const root = await tempDir("yss-cross-site-");
  await mkdir(path.join(root, "rules"), {recursive: true});
  await writeFile(
    path.join(root, "rules", "bell.yaml"),
    '- id: bell\n  triggers: [{trigger: mqtt, topic: "test/bell"}]\n  actions: [{action: log, message: "bell rang"}]\n',
  );
  return startApp(flags, {dataDir: path.join(root, "data"), mediaDir: path.join(root, "media")});
}

const rang = () => running?.logs.some((l) => l.includes("bell rang")) ?? false;

describe("DNS rebinding: only the names the service is reached by", () => {
  it("refuses a foreign Host from loopback, for reads and changes, and answers its own names", async () => {
    running = await startApp(["--allowed_hosts", "yoto.home.arpa", "--public_url", "https://yoto.example.com"]);
    expect(await send("/api/players", {headers: {Host: "attacker.example"}})).toEqual({
      status: 403,
      body: HOST_REFUSED,
    });
    // The port is not part of the name.
    expect(await send("/api/players", {headers: {Host: `attacker.example:${port()}`}})).toEqual({
      status: 403,
      body: HOST_REFUSED,
    });
    expect(await send("/api/library/rescan", {method: "POST", headers: {Host: "attacker.example"}})).toEqual({
      status: 403,
      body: HOST_REFUSED,
    });

    for (const host of [
      `localhost:${port()}`,
      `127.0.0.1:${port()}`,
      `[::1]:${port()}`,
      `panel.localhost:${port()}`,
      "yoto.home.arpa",
      "YOTO.home.arpa.:443",
      "yoto.example.com",
      // Any address: rebinding needs a name, and Docker's port mapping hides the address users type.
      `192.168.1.20:${port()}`,
    ]) {
      const res = await send("/api/players", {headers: {Host: host}});
      expect([host, res.status]).toEqual([host, 200]);
    }
  });

  it("lets the ingress proxy through whatever Host it forwards with", async () => {
    // 127.0.0.2 plays the Supervisor's ingress proxy; 127.0.0.1 stays an ordinary loopback caller.
    running = await startApp([], {adminAccess: {ingressPeers: ["127.0.0.2"]}});
    const ingress = {
      Host: "attacker.example",
      Origin: "https://evil.example",
      "Sec-Fetch-Site": "cross-site",
      "Content-Type": "text/plain",
    };
    expect((await send("/api/players", {localAddress: "127.0.0.2", headers: ingress})).status).toBe(200);
    expect(
      (await send("/api/library/rescan", {method: "POST", localAddress: "127.0.0.2", headers: ingress})).status,
    ).toBe(200);
    expect(await send("/api/players", {headers: {Host: "attacker.example"}})).toEqual({
      status: 403,
      body: HOST_REFUSED,
    });
  });
});

describe("cross-site changes from a web page", () => {
  it("a text/plain POST from another site neither runs a rule nor reloads them", async () => {
    running = await startWithRule();
    const evil = {Host: own(), Origin: "https://evil.example", "Content-Type": "text/plain"};
    expect(await send("/api/rules/bell/run", {method: "POST", headers: evil, body: "x"})).toEqual({
      status: 403,
      body: FROM_EVIL,
    });
    expect(await send("/api/rules/reload", {method: "POST", headers: evil, body: "x"})).toEqual({
      status: 403,
      body: FROM_EVIL,
    });
    // What the browser says about the page is enough, Origin or not.
    for (const site of ["cross-site", "same-site"]) {
      expect(
        await send("/api/rules/bell/run", {method: "POST", headers: {Host: own(), "Sec-Fetch-Site": site}}),
      ).toEqual({
        status: 403,
        body: {
          error: "Refused a cross-site request from another site: the admin API only takes changes from its own panel",
          code: "cross_site",
        },
      });
    }
    // An opaque origin (sandboxed frame, file:) is not ours either.
    expect((await send("/api/rules/bell/run", {method: "POST", headers: {Host: own(), Origin: "null"}})).body).toEqual({
      error: "Refused a cross-site request from 'null': the admin API only takes changes from its own panel",
      code: "cross_site",
    });
    expect(rang()).toBe(false);
    expect((await send("/api/rules/traces")).body).toEqual({traces: []});

    // Curl or a script: no Origin, no Sec-Fetch-*: it runs.
    expect((await send("/api/rules/bell/run", {method: "POST", headers: {Host: own()}})).status).toBe(200);
    expect(rang()).toBe(true);
  });

  it("an audio upload from another site is refused and adds nothing to the library", async () => {
    running = await startApp();
    const attempts: Record<string, string>[] = [
      {Origin: "https://evil.example", "Content-Type": "text/plain"},
      {Origin: "https://evil.example", "Content-Type": "audio/mpeg", "X-Requested-With": "yoto-smart-stream"},
      {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Content-Type": "text/plain"},
    ];
    for (const headers of attempts) {
      const res = await send("/api/library/uploads?filename=x.mp3", {
        method: "POST",
        headers: {Host: own(), ...headers},
        body: Buffer.alloc(4096, 0xff),
      });
      expect([headers, res.status, res.body.code]).toEqual([headers, 403, "cross_site"]);
    }
    expect((await send("/api/library")).body).toEqual({items: [], total: 0, limit: 100, offset: 0});
  });

  it("the panel's own requests pass: same origin with JSON or with its header; a simple one from a page does not", async () => {
    running = await startWithRule(["--allowed_hosts", "yoto.home.arpa"]);
    const page = `http://${own()}`;
    const json = {Host: own(), Origin: page, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"};
    expect(
      (await send("/api/rules/bell", {method: "PUT", headers: json, body: JSON.stringify({enabled: false})})).status,
    ).toBe(200);
    expect(
      (await send("/api/rules/bell", {method: "PUT", headers: json, body: JSON.stringify({enabled: true})})).status,
    ).toBe(200);

    // Same origin but form-like: a page could have sent it without a preflight, so it needs the panel's header.
    const plain = {Host: own(), Origin: page, "Content-Type": "text/plain"};
    expect(await send("/api/rules/reload", {method: "POST", headers: plain, body: "x"})).toEqual({
      status: 403,
      body: {
        error:
          "Refused a 'text/plain' request from a web page without 'X-Requested-With: yoto-smart-stream': the admin API only takes changes from its own panel",
        code: "cross_site",
      },
    });
    expect(
      await send("/api/rules/bell/run", {method: "POST", headers: {Host: own(), "Sec-Fetch-Site": "same-origin"}}),
    ).toEqual({
      status: 403,
      body: {
        error:
          "Refused a bodiless request from a web page without 'X-Requested-With: yoto-smart-stream': the admin API only takes changes from its own panel",
        code: "cross_site",
      },
    });
    expect(rang()).toBe(false);
    // Scripts are not pages: Node's own fetch sends Sec-Fetch-Mode but no Origin or Sec-Fetch-Site.
    expect((await fetch(`${running?.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBe(200);
    expect(rang()).toBe(false);
    const panel = {...plain, "X-Requested-With": "yoto-smart-stream"};
    expect((await send("/api/rules/reload", {method: "POST", headers: panel, body: "x"})).status).toBe(200);
    expect((await send("/api/rules/bell/run", {method: "POST", headers: panel})).status).toBe(200);
    expect(rang()).toBe(true);

    // A page served under a name the service is reached by, through a proxy on another port.
    const proxied = {Host: own(), Origin: "https://yoto.home.arpa", "Content-Type": "application/json"};
    expect(
      (await send("/api/rules/bell", {method: "PUT", headers: proxied, body: JSON.stringify({enabled: true})})).status,
    ).toBe(200);
    // …but not a page on some other address.
    expect(
      (
        await send("/api/rules/bell", {
          method: "PUT",
          headers: {...proxied, Origin: "http://203.0.113.9"},
          body: JSON.stringify({enabled: true}),
        })
      ).body,
    ).toEqual({
      error:
        "Refused a cross-site request from 'http://203.0.113.9': the admin API only takes changes from its own panel",
      code: "cross_site",
    });
  });
});
