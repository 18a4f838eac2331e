import {stat} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {tempDir} from "../../helpers/tmp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const start = linkedBridge();

/** One SOAP call to the Mini's AVTransport, as any control point on this machine sends it. */
async function setUri(upnpPort: number, uri: string): Promise<{status: number; text: string}> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:SetAVTransportURI xmlns:u="urn:schemas-upnp-org:service:AVTransport:1"><InstanceID>0</InstanceID><CurrentURI>${uri}</CurrentURI><CurrentURIMetaData></CurrentURIMetaData></u:SetAVTransportURI></s:Body></s:Envelope>`;
  const res = await fetch(`http://127.0.0.1:${upnpPort}/upnp/${MINI}/AVTransport/control`, {
    method: "POST",
    headers: {SOAPACTION: '"urn:schemas-upnp-org:service:AVTransport:1#SetAVTransportURI"', "Content-Type": "text/xml"},
    body,
  });
  return {status: res.status, text: await res.text()};
}

const description = (text: string) =>
  /<errorDescription>([^<]*)<\/errorDescription>/.exec(text)?.[1]?.replaceAll("&apos;", "'");

describe("What a control point casts from its own address", () => {
  it("is fetched without fetch_allow (Music Assistant serves from its own host), but never from this service's own listeners", async () => {
    // fetch_allow names some other host only: loopback is not listed.
    const s = await start({flags: ["--fetch_allow", "192.0.2.10"]});
    const dir = await tempDir("yss-cast-origin-");
    const mp3 = await makeTone(path.join(dir, "song.mp3"), {seconds: 2});
    const size = (await stat(mp3)).size;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": size});
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;

    const upnp = s.t.app.upnp.port;
    expect(await setUri(upnp, `http://127.0.0.1:${port}/song.mp3`)).toMatchObject({status: 200});
    const admin = new URL(s.t.adminUrl).port;
    const own = await setUri(upnp, `http://127.0.0.1:${admin}/api/health`);
    expect(own.status).toBe(500);
    expect(description(own.text)).toBe(
      `127.0.0.1:${admin} is this service's own admin listener, which it never fetches from`,
    );
    // The renderer still knows the cast it took.
    const state = s.t.app.upnp.renderer(MINI)?.cast;
    expect(state?.uri).toBe(`http://127.0.0.1:${port}/song.mp3`);
  }, 60_000);

  it("never reaches this service's own admin listener, by another name for this machine or by a redirect", async () => {
    // The test apps' fetch_allow lists loopback, as a family that allows its own machine does.
    const s = await start();
    const admin = new URL(s.t.adminUrl).port;
    const server = http.createServer((_req, res) => {
      res.writeHead(302, {Location: `http://127.0.0.1:${admin}/api/mqtt`});
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const upnp = s.t.app.upnp.port;
    for (const host of ["localhost", "127.0.0.2"]) {
      const named = await setUri(upnp, `http://${host}:${admin}/api/mqtt`);
      expect(named.status).toBe(500);
      expect(description(named.text)).toContain(
        `${host}:${admin} is this service's own admin listener, which it never fetches from`,
      );
    }
    // An announcement's media is held to the same rule, redirects included.
    const redirect = `http://127.0.0.1:${(server.address() as AddressInfo).port}/go`;
    const res = await fetch(`${s.t.adminUrl}/api/players/${MINI}/announce`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({media: redirect}),
    });
    const body = (await res.json()) as {error?: {message?: string}};
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(body)).toContain(
      `127.0.0.1:${admin} is this service's own admin listener, which it never fetches from`,
    );
  }, 60_000);
});
