import dgram from "node:dgram";
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import os from "node:os";
import path from "node:path";
import MediaRendererClient from "upnp-mediarenderer-client";
import {afterEach, describe, expect, it, vi} from "vitest";
import {makeTone} from "../../helpers/audio.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {rawRequest} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";
import {GupnpControlPoint} from "../../helpers/upnpControlPoint.js";
import {host, MINI, subscribe} from "../../helpers/upnpHttp.js";

const GUPNP = systemNeed("gupnp");
const start = linkedBridge();

afterEach(() => {
  vi.restoreAllMocks();
});

/** One NOTIFY as a subscriber of the test's own saw it. */
interface Event {
  sid: string;
  seq: number;
  body: string;
}

/**
 * A control point of the test's own on 127.0.0.1: answers each NOTIFY with 200, or (silent) takes
 * it and never answers, as npm's upnp-device-client does.
 */
async function listener(silent: boolean): Promise<{url: string; got: Event[]}> {
  const got: Event[] = [];
  const {origin} = await host("127.0.0.1", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({
        sid: String(req.headers.sid),
        seq: Number(req.headers.seq),
        body: Buffer.concat(chunks).toString(),
      });
      if (!silent) res.end();
    });
  });
  return {url: `${origin}/event`, got};
}

/** A loopback web server with one MP3, as a NAS would be. */
async function audioHost(): Promise<string> {
  const dir = await tempDir("yss-upnp-audio-");
  const mp3 = await makeTone(path.join(dir, "song.mp3"), {seconds: 20});
  const size = (await stat(mp3)).size;
  const {origin} = await host("127.0.0.1", (req, res) => {
    res.writeHead(req.url === "/song.mp3" ? 200 : 404, {"Content-Type": "audio/mpeg", "Content-Length": size});
    if (req.method === "HEAD" || req.url !== "/song.mp3") res.end();
    else createReadStream(mp3).pipe(res);
  });
  return `${origin}/song.mp3`;
}

/** The value of `<Name val="…"/>` in the last LastChange of `events` that carried it (escaped once or twice). */
function lastValue(bodies: string[], name: string): string | undefined {
  for (let i = bodies.length - 1; i >= 0; i--) {
    const text = (bodies[i] as string).replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&lt;", "<");
    const m = new RegExp(`<${name}(?: channel="Master")? val="([^"]*)"`).exec(text);
    if (m) return m[1];
  }
  return undefined;
}

const done =
  <T>(resolve: (value: T) => void, reject: (err: Error) => void) =>
  (err: Error | null, value?: T) =>
    err ? reject(err) : resolve(value as T);

describe.skipIf(!GUPNP.path)("three control points on one address, and a silent one", () => {
  it("all get every event (GUPnP, a plain subscriber, npm's upnp-mediarenderer-client), after a crashed one's set", async () => {
    const s = await start({flags: ["--ssdp_port", "1900"], app: {linkToOwnAudioListener: true}});
    const {t} = s;
    await waitFor(() => t.app.players.get(MINI).volume.level !== undefined, "the Mini's volume");
    const renderer = t.app.upnp.renderer(MINI)!;
    const base = `http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}`;
    const udn = t.app.upnp.status("127.0.0.1").renderers.find((r) => r.player_id === MINI)!.udn;

    // A control point that crashed: eight subscriptions left behind, its callback gone (refused).
    const crashed = http.createServer((req, res) => req.resume().on("end", () => res.end()));
    await new Promise<void>((resolve) => crashed.listen(0, "127.0.0.1", resolve));
    const gone = `http://127.0.0.1:${(crashed.address() as AddressInfo).port}/event`;
    for (let i = 0; i < 8; i++)
      expect((await subscribe(base, i % 2 ? "RenderingControl" : "AVTransport", gone)).status).toBe(200);
    crashed.closeAllConnections();
    await new Promise((resolve) => crashed.close(resolve));

    // 1. GUPnP (Debian's), as Home Assistant's host's own control point would be.
    const cp = await GupnpControlPoint.start();
    await cp.find(udn);
    await cp.subscribe(udn, "AVTransport");
    await cp.subscribe(udn, "RenderingControl");
    // 2. A plain subscriber, and 3. one that never answers.
    const plain = await listener(false);
    const silent = await listener(true);
    for (const l of [plain, silent])
      for (const service of ["AVTransport", "RenderingControl"])
        expect((await subscribe(base, service, l.url)).status).toBe(200);
    // 4. npm's upnp-mediarenderer-client (dlnacasts'). Its eventing server listens on the machine's
    // first address off loopback; here it is made to find loopback only, so nothing leaves the
    // machine and its callback is on the address it subscribes from.
    vi.spyOn(os, "networkInterfaces").mockReturnValue({
      lo: [
        {
          address: "127.0.0.1",
          netmask: "255.0.0.0",
          family: "IPv4",
          mac: "00:00:00:00:00:00",
          internal: true,
          cidr: "127.0.0.1/8",
        },
      ],
    });
    const npm = new MediaRendererClient(`${base}/description.xml`);
    const npmErrors: Error[] = [];
    npm.on("error", (err: Error) => npmErrors.push(err));
    // Closed without its UNSUBSCRIBEs (the service may be gone by then): its renewal timers and eventing server.
    atFileEnd(() => {
      const client = npm as unknown as {
        server: http.Server | null;
        subscriptions: Record<string, {timer: NodeJS.Timeout}>;
      };
      for (const sub of Object.values(client.subscriptions)) clearTimeout(sub.timer);
      client.server?.closeAllConnections();
      client.server?.close();
    });
    const states: string[] = [];
    for (const state of ["playing", "paused", "stopped", "loading"] as const) npm.on(state, () => states.push(state));
    const npmVolumes: string[] = [];
    npm.subscribe("RenderingControl", (e) => e.Volume !== undefined && npmVolumes.push(e.Volume));
    const held = () =>
      renderer.subs
        .of("AVTransport")
        .concat(renderer.subs.of("RenderingControl"))
        .filter((sub) => sub.address === "127.0.0.1");
    const npmServer = () => (npm as unknown as {server: http.Server | null}).server?.address() as AddressInfo | null;
    const ports = (p: string) => held().filter((sub) => sub.callbacks[0]?.port === p).length;
    await waitFor(
      () => npmErrors.length > 0 || ports(String(npmServer()?.port)) === 2,
      "the npm client's two subscriptions",
    );
    expect(npmErrors).toEqual([]);
    expect(held()).toHaveLength(12);
    // The crashed one's oldest made way: each of the four live control points holds both of its own.
    expect([plain.url, silent.url].map((u) => ports(new URL(u).port))).toEqual([2, 2]);
    expect(held().filter((sub) => sub.callbacks[0]?.href === gone).length).toBeLessThanOrEqual(4);

    // The npm client sets the volume: every control point hears it.
    await new Promise((resolve, reject) => npm.setVolume(40, done(resolve, reject)));
    await cp.until(
      () =>
        lastValue(
          cp.notified.filter((n) => n.service === "RenderingControl").map((n) => n.value),
          "Volume",
        ) === "38",
      "GUPnP hearing the volume",
    );
    const bodies = (l: {got: Event[]}) => l.got.map((e) => e.body);
    await waitFor(() => lastValue(bodies(plain), "Volume") === "38", "the plain subscriber hearing it");
    await waitFor(() => npmVolumes.includes("38"), "the npm client hearing it", 8000);
    await waitFor(() => lastValue(bodies(silent), "Volume") === "38", "the silent subscriber hearing it", 8000);

    // It casts a song and plays it (SetAVTransportURI, then Play): PLAYING reaches everyone.
    const song = await audioHost();
    await new Promise((resolve, reject) =>
      npm.load(
        song,
        {autoplay: true, contentType: "audio/mpeg", metadata: {title: "Song", type: "audio"}},
        done(resolve, reject),
      ),
    );
    await cp.until(
      () =>
        lastValue(
          cp.notified.filter((n) => n.service === "AVTransport").map((n) => n.value),
          "TransportState",
        ) === "PLAYING",
      "GUPnP hearing PLAYING",
    );
    const heard = (l: {got: Event[]}, state: string) =>
      l.got.some((e) => lastValue([e.body], "TransportState") === state);
    await waitFor(() => heard(plain, "PLAYING"), "the plain subscriber hearing PLAYING");
    await waitFor(() => states.includes("playing"), "the npm client hearing PLAYING", 8000);
    await waitFor(() => heard(silent, "PLAYING"), "the silent one hearing PLAYING", 8000);
    // Every event: the silent one heard the same states as the plain one, in the same order.
    const transport = (l: {got: Event[]}) =>
      l.got.map((e) => lastValue([e.body], "TransportState")).filter((v) => v !== undefined);
    await waitFor(() => transport(silent).length >= transport(plain).length, "the silent one's events", 8000);
    expect(transport(silent).slice(0, transport(plain).length)).toEqual(transport(plain));

    // Each subscriber's events came in SEQ order; the silent one kept both subscriptions.
    for (const l of [plain, silent])
      for (const sid of new Set(l.got.map((e) => e.sid))) {
        const seqs = l.got.filter((e) => e.sid === sid).map((e) => e.seq);
        expect(seqs).toEqual(seqs.map((_, i) => i));
      }
    expect(ports(new URL(silent.url).port)).toBe(2);
    expect(ports(String(npmServer()?.port))).toBe(2);
    expect(npmErrors).toEqual([]);
    await cp.stop();
  }, 90_000);

  it("sends one SERVER header in SSDP and in the description, control and event answers", async () => {
    const s = await start({app: {linkToOwnAudioListener: true}});
    const {t} = s;
    const base = `http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}`;
    const description = await rawRequest(`${base}/description.xml`, {method: "GET"});
    const server = String(description.headers.server);
    expect(server).toMatch(/^Linux\/\S+ UPnP\/1\.1 YotoSmartStream\/\S+$/);
    const control = await rawRequest(`${base}/RenderingControl/control`, {method: "POST", body: "<x/>"});
    const events = await subscribe(base, "RenderingControl", "http://127.0.0.1:9/event");
    expect([control.headers.server, events.headers.server]).toEqual([server, server]);
    // SSDP's answer to a unicast search on this machine.
    const socket = dgram.createSocket("udp4");
    atFileEnd(() => socket.close());
    const answers: string[] = [];
    socket.on("message", (msg) => answers.push(msg.toString()));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const search = `M-SEARCH * HTTP/1.1\r\nHOST: 127.0.0.1:${t.app.upnp.ssdpPort}\r\nMAN: "ssdp:discover"\r\nST: upnp:rootdevice\r\n\r\n`;
    socket.send(search, t.app.upnp.ssdpPort, "127.0.0.1");
    await waitFor(() => answers.length > 0, "an SSDP answer");
    expect(/^SERVER: (.*)$/m.exec(answers[0] as string)?.[1]?.trim()).toBe(server);
  });
});
