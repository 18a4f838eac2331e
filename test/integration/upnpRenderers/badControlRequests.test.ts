import {createReadStream} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {describe, expect, it} from "vitest";
import type {AppOptions} from "../../../src/app/app.js";
import {makeTone} from "../../helpers/audio.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {call, rawRequest} from "../../helpers/http.js";
import {type LinkedBridge, linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {
  AVT,
  actionBody,
  callbackServer,
  envelope,
  MINI,
  miniRenderer,
  RCS,
  type SoapAnswer,
  soap,
  subscribe,
  unescapeXml,
} from "../../helpers/upnpHttp.js";

const start = linkedBridge();
const renderer = (flags: string[] = [], app: Partial<AppOptions> = {}) => miniRenderer(start, flags, app);

/** A good request after a refusal: the renderer still answers, with the player's real volume. */
async function stillAnswers(s: LinkedBridge & {base: string}): Promise<void> {
  const res = await soap(s.base, "RenderingControl", "GetVolume", {InstanceID: "0", Channel: "Master"});
  expect(res.status).toBe(200);
  const level = s.t.app.players.get(MINI).volume.level as number;
  expect(res.body).toContain(`<CurrentVolume>${Math.round((level / 16) * 100)}</CurrentVolume>`);
}

describe("The renderers refuse bad input clearly and stay unharmed", () => {
  it("refuses SOAP that declares a DOCTYPE or entities with 402, changing nothing", async () => {
    const s = await renderer();
    const before = s.t.app.players.get(MINI).volume.level;
    const laughs = envelope(
      `<u:SetVolume xmlns:u="${RCS}"><InstanceID>0</InstanceID><Channel>Master</Channel><DesiredVolume>&lol3;</DesiredVolume></u:SetVolume>`,
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "10"><!ENTITY lol2 "&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;">]>',
    );
    const res = await soap(s.base, "RenderingControl", "SetVolume", {}, {body: laughs});
    expect(res).toMatchObject({
      status: 500,
      code: 402,
      error: "The request declares a DOCTYPE or entities, which no UPnP control request needs: it was not read",
    });
    // An entity alone (no DOCTYPE) is refused the same way.
    const entity = await soap(
      s.base,
      "RenderingControl",
      "SetVolume",
      {},
      {
        body: `<!ENTITY x SYSTEM "file:///etc/passwd">${actionBody(RCS, "SetVolume", {InstanceID: "0", Channel: "Master", DesiredVolume: "&x;"})}`,
      },
    );
    expect(entity).toMatchObject({
      status: 500,
      code: 402,
      error: "The request declares a DOCTYPE or entities, which no UPnP control request needs: it was not read",
    });
    expect(s.t.app.players.get(MINI).volume.level).toBe(before);
    await stillAnswers(s);
  }, 30_000);

  it("refuses a body over 64 KB with 413, by its Content-Length or as it streams in", async () => {
    const s = await renderer();
    const big = actionBody(RCS, "GetVolume", {InstanceID: "0", Channel: "Master", Pad: "x".repeat(70_000)});
    const declared = await rawRequest(`${s.base}/RenderingControl/control`, {
      method: "POST",
      headers: {SOAPACTION: `"${RCS}#GetVolume"`, "Content-Type": "text/xml"},
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.body.toString()).toBe("A control request is at most 64 KB\n");

    // Chunked, with no length to judge by: refused once 64 KB have come in.
    const streamed = await new Promise<{status: number; body: string}>((resolve, reject) => {
      const req = http.request(
        `${s.base}/RenderingControl/control`,
        {method: "POST", headers: {SOAPACTION: `"${RCS}#GetVolume"`, "Transfer-Encoding": "chunked"}},
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => {
            body += c.toString();
          });
          res.on("end", () => resolve({status: res.statusCode ?? 0, body}));
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write("x".repeat(8 * 1024));
      req.end();
    });
    expect(streamed).toEqual({status: 413, body: "A control request is at most 64 KB\n"});
    await stillAnswers(s);
  }, 30_000);

  it("answers an unknown action with 401 and bad arguments with 402 (601, 710, 711, 718 where UPnP names them)", async () => {
    const s = await renderer();
    const before = s.t.app.players.get(MINI).volume.level;
    const cases: Array<[Promise<SoapAnswer>, number, string]> = [
      [
        soap(s.base, "AVTransport", "Frobnicate", {InstanceID: "0"}),
        401,
        "AVTransport has no action 'Frobnicate': it has SetAVTransportURI, GetMediaInfo, GetTransportInfo, GetPositionInfo, GetDeviceCapabilities, GetTransportSettings, GetCurrentTransportActions, SetNextAVTransportURI, SetPlayMode, Stop, Play, Pause, Seek, Next, Previous",
      ],
      [
        soap(s.base, "AVTransport", "Play", {}, {soapAction: "Play"}),
        401,
        `SOAPACTION must be "${AVT}#<action>", not 'Play'`,
      ],
      [
        soap(s.base, "AVTransport", "Play", {}, {soapAction: `"${RCS}#GetVolume"`}),
        401,
        `This control URL is ${AVT}'s, not ${RCS}'s`,
      ],
      [soap(s.base, "AVTransport", "Play", {Speed: "1"}), 402, "Play needs the argument 'InstanceID'"],
      [
        soap(s.base, "AVTransport", "Play", {InstanceID: "0", Speed: "1", Volume: "100"}),
        402,
        "Play has no argument(s) 'Volume'",
      ],
      [
        soap(s.base, "AVTransport", "Play", {InstanceID: "0", Speed: "<b>1</b>"}),
        402,
        "Play's 'Speed' must be text, not markup",
      ],
      [soap(s.base, "AVTransport", "Play", {InstanceID: "7", Speed: "1"}), 718, "There is no instance 7: only 0"],
      [
        soap(s.base, "AVTransport", "Seek", {InstanceID: "0", Unit: "ABS_COUNT", Target: "5"}),
        710,
        "Seek mode ABS_COUNT is not supported: use REL_TIME",
      ],
      [
        soap(s.base, "AVTransport", "Seek", {InstanceID: "0", Unit: "REL_TIME", Target: "soon"}),
        711,
        "'soon' is not a time: send H:MM:SS, such as 0:45:00",
      ],
      [
        soap(s.base, "RenderingControl", "SetVolume", {InstanceID: "0", Channel: "Master", DesiredVolume: "abc"}),
        601,
        "DesiredVolume must be a whole number from 0 to 100, not 'abc'",
      ],
      [
        soap(s.base, "RenderingControl", "SetVolume", {InstanceID: "0", Channel: "Master", DesiredVolume: "101"}),
        601,
        "DesiredVolume must be a whole number from 0 to 100, not '101'",
      ],
      [
        soap(s.base, "RenderingControl", "SetVolume", {InstanceID: "0", Channel: "LF", DesiredVolume: "10"}),
        402,
        "Channel must be Master, not 'LF'",
      ],
      [
        soap(s.base, "RenderingControl", "SetMute", {InstanceID: "0", Channel: "Master", DesiredMute: "maybe"}),
        402,
        "DesiredMute must be 1 or 0, not 'maybe'",
      ],
    ];
    for (const [answer, code, error] of cases) expect(await answer).toMatchObject({status: 500, code, error});
    expect(s.t.app.players.get(MINI).volume.level).toBe(before);
    expect(s.t.app.upnp.renderer(MINI)?.lastAction).toBeNull();
    await stillAnswers(s);
  }, 30_000);

  it("refuses a URI that is no URL, not http(s), or on an address the fetch policy refuses, with 716 and the reason", async () => {
    const s = await renderer();
    const set = (uri: string) =>
      soap(s.base, "AVTransport", "SetAVTransportURI", {InstanceID: "0", CurrentURI: uri, CurrentURIMetaData: ""});
    const policy = (ip: string) =>
      `${ip} is a private address, which this service does not fetch from unless you allow it: add '${ip}' to the fetch_allow option (--fetch_allow ${ip} or YSS_FETCH_ALLOW=${ip}) if it is yours`;
    const cases: Array<[string, string]> = [
      ["not a url", "'not a url' is not a URL: send an http(s) address of audio"],
      ["file:///etc/passwd", "'file:///etc/passwd' is a file: address: this renderer plays http(s) audio"],
      ["ftp://127.0.0.1/song.mp3", "'ftp://127.0.0.1/song.mp3' is a ftp: address: this renderer plays http(s) audio"],
      // The policy refuses before connecting: nothing is sent to these addresses.
      ["http://10.20.30.40/song.mp3", policy("10.20.30.40")],
      ["http://192.168.77.5:8200/song.mp3", policy("192.168.77.5")],
      // The same address written as IPv4 inside IPv6 is judged as the IPv4 one.
      ["http://[::ffff:10.20.30.40]/song.mp3", `'::ffff:a14:1e28' (10.20.30.40)${policy("10.20.30.40").slice(11)}`],
    ];
    for (const [uri, error] of cases) expect(await set(uri)).toMatchObject({status: 500, code: 716, error});
    // Nothing was set: the transport has no URI and nothing was played.
    const info = await soap(s.base, "AVTransport", "GetMediaInfo", {InstanceID: "0"});
    expect(info.body).toContain("<CurrentURI></CurrentURI>");
    expect(s.t.app.upnp.renderer(MINI)?.cast).toBeUndefined();
    expect(s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"))).toEqual([]);
    await stillAnswers(s);
  }, 30_000);

  it("refuses a name that resolves to an address the fetch policy refuses (716), without connecting to it", async () => {
    // fetch_allow names another host only: loopback is not allowed here.
    const s = await renderer(["--fetch_allow", "192.0.2.10"]);
    const hits: string[] = [];
    const target = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      res.end();
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => new Promise<void>((resolve) => target.close(() => resolve())));
    const port = (target.address() as AddressInfo).port;
    // Sent from 127.0.0.2, so it is not the control point's own address either.
    const res = await rawRequest(`${s.base}/AVTransport/control`, {
      method: "POST",
      headers: {SOAPACTION: `"${AVT}#SetAVTransportURI"`, "Content-Type": "text/xml"},
      body: actionBody(AVT, "SetAVTransportURI", {
        InstanceID: "0",
        CurrentURI: `http://localhost:${port}/song.mp3`,
        CurrentURIMetaData: "",
      }),
      localAddress: "127.0.0.2",
    });
    expect(res.status).toBe(500);
    expect(res.body.toString()).toContain("<errorCode>716</errorCode>");
    expect(unescapeXml(/<errorDescription>([^<]*)</.exec(res.body.toString())?.[1] ?? "")).toBe(
      "'localhost' (127.0.0.1) is a loopback address, which this service does not fetch from unless you allow it: add 'localhost' to the fetch_allow option (--fetch_allow localhost or YSS_FETCH_ALLOW=localhost) if it is yours",
    );
    expect(hits).toEqual([]);
    expect(s.t.app.upnp.renderer(MINI)?.cast).toBeUndefined();
    await stillAnswers(s);
  }, 30_000);

  it("trusts a control point's own address only for audio it served, and only its most recent origins", async () => {
    // Loopback's 127.0.0.2 is no address fetch_allow lists here (127.0.0.1 and ::1 only).
    const s = await renderer([], {linkToOwnAudioListener: true});
    const mp3 = await makeTone(path.join(await tempDir("yss-cast-own-"), "song.mp3"), {seconds: 2});
    // This service's own ports are never fetched on this machine, 127.0.0.2 included: the test's
    // hosts keep clear of them (a free port on 127.0.0.2 may be one of theirs on 127.0.0.1).
    const servicePorts = [s.t.adminUrl, s.t.audioUrl].map((u) => Number(new URL(u).port));
    servicePorts.push(s.t.app.upnp.port, s.t.app.broker.summary().port ?? 0);
    const host = async (): Promise<string> => {
      const server = http.createServer((req, res) => {
        if (req.url === "/page.html") {
          res.writeHead(200, {"Content-Type": "text/html"});
          res.end("<p>not audio</p>");
          return;
        }
        res.writeHead(200, {"Content-Type": "audio/mpeg"});
        if (req.method === "HEAD") res.end();
        else createReadStream(mp3).pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", resolve));
      atFileEnd(() => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      });
      const {port} = server.address() as AddressInfo;
      return servicePorts.includes(port) ? host() : `http://127.0.0.2:${port}`;
    };
    const castFrom2 = async (uri: string) => {
      const res = await rawRequest(`${s.base}/AVTransport/control`, {
        method: "POST",
        headers: {SOAPACTION: `"${AVT}#SetAVTransportURI"`, "Content-Type": "text/xml"},
        body: actionBody(AVT, "SetAVTransportURI", {InstanceID: "0", CurrentURI: uri, CurrentURIMetaData: ""}),
        localAddress: "127.0.0.2",
      });
      return {
        status: res.status,
        error: unescapeXml(/<errorDescription>([^<]*)</.exec(res.body.toString())?.[1] ?? ""),
      };
    };
    const announce = (media: string) => call("POST", `${s.t.adminUrl}/api/players/${MINI}/announce`, {media});
    const refused = (media: string) => ({
      status: 403,
      body: {
        code: "fetch_refused",
        error: `Could not fetch ${media}: 127.0.0.2 is a loopback address, which this service does not fetch from unless you allow it: add '127.0.0.2' to the fetch_allow option (--fetch_allow 127.0.0.2 or YSS_FETCH_ALLOW=127.0.0.2) if it is yours`,
      },
    });
    // A page is no audio: refused, and its origin is trusted for nothing afterwards.
    const first = await host();
    expect(await castFrom2(`${first}/page.html`)).toEqual({
      status: 500,
      error: `${first.slice(7)} serves text/html there, not audio`,
    });
    expect(await announce(`${first}/song.mp3`)).toEqual(refused(`${first}/song.mp3`));

    // Audio it serves is cast, and its origin trusted while it is among the 16 most recent.
    expect(await castFrom2(`${first}/song.mp3`)).toEqual({status: 200, error: ""});
    const others = [];
    for (let i = 0; i < 16; i++) others.push(await host());
    for (const origin of others) expect(await castFrom2(`${origin}/song.mp3`)).toEqual({status: 200, error: ""});
    expect(await announce(`${first}/song.mp3`)).toEqual(refused(`${first}/song.mp3`));
    // The latest is trusted: played, it is fetched for the relay card.
    expect(await soap(s.base, "AVTransport", "Play", {InstanceID: "0", Speed: "1"})).toMatchObject({status: 200});
    await waitFor(() => s.sim.player(MINI).fetches.some((f) => f.url.includes("/relay/")), "the relay card fetched");
  }, 60_000);

  it("refuses a SUBSCRIBE whose CALLBACK is on another host with 412 and never sends it an event", async () => {
    const s = await renderer();
    const elsewhere = await callbackServer("127.0.0.2");
    const own = await callbackServer("127.0.0.1");
    const refused = await subscribe(s.base, "RenderingControl", elsewhere.url);
    expect(refused.status).toBe(412);
    expect(refused.body.toString()).toBe(
      "CALLBACK must be on the subscriber's own address (127.0.0.1), not 127.0.0.2: events are never sent to another host\n",
    );
    // A name is not an address: it could be made to point anywhere.
    const named = await subscribe(s.base, "RenderingControl", own.url.replace("127.0.0.1", "localhost"));
    expect(named.status).toBe(412);
    expect(named.body.toString()).toBe(
      "CALLBACK must be on the subscriber's own address (127.0.0.1), not localhost: events are never sent to another host\n",
    );
    // This machine's own address, but the service's own admin listener: never a callback.
    const adminPort = new URL(s.t.adminUrl).port;
    const admin = await subscribe(s.base, "RenderingControl", `http://127.0.0.1:${adminPort}/api/players`);
    expect(admin.status).toBe(412);
    expect(admin.body.toString()).toBe(
      `CALLBACK 127.0.0.1:${adminPort} is this service's own admin listener: give a port your control point listens on\n`,
    );
    // Two callbacks, the second elsewhere: the whole SUBSCRIBE is refused.
    const mixed = await rawRequest(`${s.base}/RenderingControl/event`, {
      method: "SUBSCRIBE",
      headers: {CALLBACK: `<${own.url}><${elsewhere.url}>`, NT: "upnp:event"},
    });
    expect(mixed.status).toBe(412);

    // The subscriber's own callback takes its events; a change reaches it, and never the other host.
    const ok = await subscribe(s.base, "RenderingControl", own.url);
    expect(ok.status).toBe(200);
    await waitFor(() => own.got.length === 1, "the initial event");
    const set = await soap(s.base, "RenderingControl", "SetVolume", {
      InstanceID: "0",
      Channel: "Master",
      DesiredVolume: "25",
    });
    expect(set.status).toBe(200);
    await waitFor(() => own.got.length >= 2, "the volume's event");
    expect(own.got.every((g) => g.method === "NOTIFY" && g.sid === ok.headers.sid)).toBe(true);
    expect(elsewhere.got).toEqual([]);
    expect(s.t.app.upnp.renderer(MINI)?.subs.size).toBe(1);
  }, 30_000);

  it("accepts 12 subscriptions from one address (its oldest then gives way) and 32 in all; a newcomer then takes the biggest holder's oldest place", async () => {
    const s = await renderer();
    const callbacks = await Promise.all([1, 2, 3, 4].map((n) => callbackServer(`127.0.0.${n}`)));
    const from = (n: number) => subscribe(s.base, "AVTransport", callbacks[n - 1]!.url, `127.0.0.${n}`);
    const held = (address: string) =>
      s.t.app.upnp
        .renderer(MINI)
        ?.subs.of("AVTransport")
        .filter((sub) => sub.address === address);
    const firsts: string[] = [];
    for (let i = 0; i < 12; i++) {
      const ok = await from(1);
      expect(ok.status).toBe(200);
      firsts.push(String(ok.headers.sid));
    }
    // The thirteenth is no 503: a crashed control point's set must not lock the next one out.
    const thirteenth = await from(1);
    expect(thirteenth.status).toBe(200);
    expect(held("127.0.0.1")?.map((sub) => sub.sid)).toEqual([...firsts.slice(1), String(thirteenth.headers.sid)]);
    // Another address still gets its places, up to the renderer's 32.
    for (let i = 0; i < 12; i++) expect((await from(2)).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await from(3)).status).toBe(200);
    // Full: a control point holding fewer (Home Assistant, arriving last) takes the oldest place of the biggest holder.
    const full = await from(4);
    expect(full.status).toBe(200);
    expect(s.t.app.upnp.renderer(MINI)?.subs.size).toBe(32);
    expect(held("127.0.0.1")).toHaveLength(11);
    await stillAnswers(s);
    // Each subscriber had its initial event (each sent a moment after its answer: one whose place
    // was taken may have gone before its own was sent).
    const got = () => callbacks.map((c) => c.got.length);
    await waitFor(() => got().slice(1).join() === "12,8,1" && got()[0]! >= 11, "every initial event");
    expect(got()[0]).toBeLessThanOrEqual(13);
  }, 30_000);

  it("keeps answering others while a subscriber's callback takes events and never answers", async () => {
    const s = await renderer();
    // A callback that takes the connection and never answers: each event to it waits out its time.
    const stuck = http.createServer(() => undefined);
    await new Promise<void>((resolve) => stuck.listen(0, "127.0.0.2", resolve));
    atFileEnd(() => {
      stuck.closeAllConnections();
      return new Promise<void>((resolve) => stuck.close(() => resolve()));
    });
    const stuckUrl = `http://127.0.0.2:${(stuck.address() as AddressInfo).port}/event`;
    let held = 0;
    stuck.on("request", () => held++);
    expect((await subscribe(s.base, "AVTransport", stuckUrl, "127.0.0.2")).status).toBe(200);
    await waitFor(() => held === 1, "the stuck callback holding its initial event");
    const own = await callbackServer("127.0.0.1");
    expect((await subscribe(s.base, "AVTransport", own.url)).status).toBe(200);
    await waitFor(() => own.got.length === 1, "the good subscriber's initial event");
    // Audio on loopback (which fetch_allow lists here), a path for each cast.
    const audio = http.createServer((_req, res) => {
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      res.end();
    });
    await new Promise<void>((resolve) => audio.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => new Promise<void>((resolve) => audio.close(() => resolve())));
    const audioUrl = (name: string) => `http://127.0.0.1:${(audio.address() as AddressInfo).port}/${name}.mp3`;

    // Each URI set is an event for both at once; the caller's answer waits for its own alone (that a
    // silent subscriber slows nobody else is shown event by event in GENA's own test).
    for (const name of ["one", "two", "three", "four", "five", "six"]) {
      const set = await soap(s.base, "AVTransport", "SetAVTransportURI", {
        InstanceID: "0",
        CurrentURI: audioUrl(name),
        CurrentURIMetaData: "",
      });
      expect(set.status).toBe(200);
    }
    await waitFor(() => own.got.length === 7, "the good subscriber's six events");
    // The stuck one still gets its events, each at most 2 s after the one it left unanswered.
    expect(held).toBeGreaterThanOrEqual(1);
    await stillAnswers(s);
  }, 30_000);

  it("refuses requests from outside upnp_allow with 403, and lets in a range upnp_allow adds", async () => {
    const s = await renderer(["--upnp_allow", "203.0.113.0/24"]);
    // Loopback cannot send from a public address: the renderers' own app, behind a real server
    // whose peers are made to look public (the only thing changed).
    const fromOutside = async (peer: string) => {
      const handle = s.t.app.upnp.app.callback();
      const server = http.createServer((req, res) => {
        Object.defineProperty(req.socket, "remoteAddress", {value: peer, configurable: true});
        void handle(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const {port} = server.address() as AddressInfo;
        return await rawRequest(`http://127.0.0.1:${port}/upnp/${MINI}/RenderingControl/control`, {
          method: "POST",
          headers: {SOAPACTION: `"${RCS}#SetVolume"`, "Content-Type": "text/xml"},
          body: actionBody(RCS, "SetVolume", {InstanceID: "0", Channel: "Master", DesiredVolume: "0"}),
        });
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    };
    const before = s.t.app.players.get(MINI).volume.level;
    for (const peer of ["198.51.100.7", "::ffff:198.51.100.7", "2001:db8::1"]) {
      const res = await fromOutside(peer);
      expect(res.status).toBe(403);
      expect(res.body.toString()).toBe(
        "Only the home network may use these renderers (add the address to upnp_allow if it is yours)\n",
      );
    }
    expect(s.t.app.players.get(MINI).volume.level).toBe(before);
    expect(
      s.t.logs.some((l) =>
        l.includes(
          "Refused a UPnP POST from 198.51.100.7: only the home network (and upnp_allow) may use the renderers",
        ),
      ),
    ).toBe(true);
    // The range upnp_allow adds is let in.
    const allowed = await fromOutside("203.0.113.9");
    expect(allowed.status).toBe(200);
    await waitFor(() => s.t.app.players.get(MINI).volume.level === 0, "the Mini at 0");
    await stillAnswers(s);
  }, 30_000);
});
