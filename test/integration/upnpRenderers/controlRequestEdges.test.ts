import {createReadStream} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import type {AppOptions} from "../../../src/app/app.js";
import {makeTone} from "../../helpers/audio.js";
import {rawRequest} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {AVT, actionBody, envelope, host, MINI, miniRenderer, RCS, soap, unescapeXml} from "../../helpers/upnpHttp.js";

const start = linkedBridge();
const renderer = (flags: string[] = [], app: Partial<AppOptions> = {}) => miniRenderer(start, flags, app);

describe("The renderers read requests at their edges as control points mean them", () => {
  it("reads character references in SOAP arguments (&#38; is '&' in a cast URL)", async () => {
    const s = await renderer();
    const asked: string[] = [];
    const {origin} = await host("127.0.0.1", (req, res) => {
      asked.push(req.url ?? "");
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      res.end();
    });
    const set = await soap(s.base, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: `${origin}/n.mp3?a=1&#38;b=2&amp;c=&#x33;`,
      CurrentURIMetaData: "",
    });
    expect(set).toMatchObject({status: 200});
    expect(asked).toEqual(["/n.mp3?a=1&b=2&c=3"]);
    expect(s.t.app.upnp.renderer(MINI)?.cast?.uri).toBe(`${origin}/n.mp3?a=1&b=2&c=3`);
    // An entity XML does not define is refused, naming it.
    const nbsp = await soap(s.base, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: `${origin}/a&nbsp;b.mp3`,
      CurrentURIMetaData: "",
    });
    expect(nbsp).toMatchObject({
      status: 500,
      code: 402,
      error: "SetAVTransportURI's 'CurrentURI' uses an entity (&nbsp;) XML does not define: it was not read",
    });
  }, 30_000);

  it("says what is wrong with an argument given twice, text outside the arguments, and a body too large", async () => {
    const s = await renderer();
    const twice = await soap(
      s.base,
      "AVTransport",
      "Play",
      {},
      {
        body: envelope(
          `<u:Play xmlns:u="${AVT}"><InstanceID>0</InstanceID><InstanceID>0</InstanceID><Speed>1</Speed></u:Play>`,
        ),
      },
    );
    expect(twice).toMatchObject({
      status: 500,
      code: 402,
      error: "Play's 'InstanceID' is given more than once: send it once",
    });
    const stray = await soap(
      s.base,
      "AVTransport",
      "Play",
      {},
      {body: envelope(`<u:Play xmlns:u="${AVT}">now<InstanceID>0</InstanceID><Speed>1</Speed></u:Play>`)},
    );
    expect(stray).toMatchObject({
      status: 500,
      code: 402,
      error: "Play has text outside its arguments: each value goes inside its argument's element",
    });
    // The 413 is plain words, and says so.
    const big = await rawRequest(`${s.base}/RenderingControl/control`, {
      method: "POST",
      headers: {SOAPACTION: `"${RCS}#GetVolume"`, "Content-Type": "text/xml"},
      body: actionBody(RCS, "GetVolume", {InstanceID: "0", Channel: "Master", Pad: "x".repeat(70_000)}),
    });
    expect(big.status).toBe(413);
    expect(big.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(big.body.toString()).toBe("A control request is at most 64 KB\n");
    expect(s.t.app.upnp.renderer(MINI)?.lastAction).toBeNull();
  }, 30_000);

  it("refuses a CALLBACK on an IPv6 address that only carries the subscriber's IPv4 one (6to4, NAT64, compatible)", async () => {
    const s = await renderer();
    const from = (callback: string) =>
      rawRequest(`${s.base}/AVTransport/event`, {
        method: "SUBSCRIBE",
        headers: {CALLBACK: `<${callback}>`, NT: "upnp:event", TIMEOUT: "Second-300"},
        localAddress: "127.0.0.9",
      });
    for (const [callback, shown] of [
      ["http://[2002:7f00:9:abcd::55]:9/", "[2002:7f00:9:abcd::55]"],
      ["http://[64:ff9b::7f00:9]:9/", "[64:ff9b::7f00:9]"],
      ["http://[::ffff:0:7f00:9]:9/", "[::ffff:0:7f00:9]"],
      ["http://[::127.0.0.9]:9/", "[::7f00:9]"],
    ] as const) {
      const res = await from(callback);
      expect({callback, status: res.status, body: res.body.toString()}).toEqual({
        callback,
        status: 412,
        body: `CALLBACK must be on the subscriber's own address (127.0.0.9), not ${shown}: events are never sent to another host\n`,
      });
    }
    expect(s.t.app.upnp.renderer(MINI)?.subs.size).toBe(0);
    // The subscriber's own address, also in its IPv4-mapped spelling, is its own.
    const own = await host("127.0.0.9", (req, res) => {
      req.resume();
      res.end();
    });
    expect((await from(`${own.origin}/event`)).status).toBe(200);
    expect((await from(`http://[::ffff:127.0.0.9]:${new URL(own.origin).port}/event`)).status).toBe(200);
    expect(s.t.app.upnp.renderer(MINI)?.subs.size).toBe(2);
  }, 30_000);

  it("refuses DIDL metadata over 8 KB with 402 (each event would carry it, escaped twice), keeping 8 KB", async () => {
    const s = await renderer();
    const {origin} = await host("127.0.0.1", (_req, res) => {
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      res.end();
    });
    const didl = (bytes: number) => {
      const open = '&lt;DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/"&gt;&lt;item&gt;&lt;dc:title&gt;';
      const close = "&lt;/dc:title&gt;&lt;/item&gt;&lt;/DIDL-Lite&gt;";
      // Its size as read (each &lt; one byte).
      const frame = unescapeXml(open + close).length;
      return open + "x".repeat(bytes - frame) + close;
    };
    const big = await soap(s.base, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: `${origin}/big.mp3`,
      CurrentURIMetaData: didl(60 * 1024),
    });
    expect(big).toMatchObject({
      status: 500,
      code: 402,
      error:
        "CurrentURIMetaData is 60 KB, more than the 8 KB a renderer here keeps: send the title, artist and cover only",
    });
    expect(s.t.app.upnp.renderer(MINI)?.cast).toBeUndefined();
    const fits = await soap(s.base, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: `${origin}/fits.mp3`,
      CurrentURIMetaData: didl(8 * 1024),
    });
    expect(fits).toMatchObject({status: 200});
    expect(s.t.app.upnp.renderer(MINI)?.cast?.metadata).toHaveLength(8 * 1024);
  }, 30_000);

  it("refuses track metadata that declares a DOCTYPE or entities (714), never passing it on to subscribers", async () => {
    const s = await renderer();
    const {origin} = await host("127.0.0.1", (_req, res) => {
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      res.end();
    });
    // As it arrives inside the SOAP body: escaped once, so the body itself declares nothing.
    const entity =
      '&lt;!DOCTYPE d [&lt;!ENTITY x SYSTEM "file:///etc/passwd"&gt;]&gt;&lt;DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/"&gt;&lt;item&gt;&lt;dc:title&gt;&amp;x;&lt;/dc:title&gt;&lt;/item&gt;&lt;/DIDL-Lite&gt;';
    const refused = await soap(s.base, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: `${origin}/a.mp3`,
      CurrentURIMetaData: entity,
    });
    expect(refused).toMatchObject({
      status: 500,
      code: 714,
      error:
        "CurrentURIMetaData declares a DOCTYPE or entities, which track metadata never needs: send DIDL-Lite without them",
    });
    expect(s.t.app.upnp.renderer(MINI)?.cast).toBeUndefined();
    const next = await soap(s.base, "AVTransport", "SetNextAVTransportURI", {
      InstanceID: "0",
      NextURI: `${origin}/b.mp3`,
      NextURIMetaData: entity,
    });
    expect(next).toMatchObject({
      code: 714,
      error:
        "NextURIMetaData declares a DOCTYPE or entities, which track metadata never needs: send DIDL-Lite without them",
    });
  }, 30_000);

  it("calls off a Play still fetching its audio when a Stop or another URI comes: the old URI never plays", async () => {
    const s = await renderer([], {linkToOwnAudioListener: true});
    const mp3 = await makeTone(path.join(await tempDir("yss-cast-calloff-"), "song.mp3"), {seconds: 2});
    // The audio host answers HEAD at once and holds each GET until the test lets it go.
    const held: Array<() => void> = [];
    const {origin} = await host("127.0.0.1", (req, res) => {
      if (req.method === "HEAD") {
        res.writeHead(200, {"Content-Type": "audio/mpeg"});
        res.end();
        return;
      }
      held.push(() => {
        res.writeHead(200, {"Content-Type": "audio/mpeg"});
        createReadStream(mp3).pipe(res);
      });
    });
    const setUri = (name: string) =>
      soap(s.base, "AVTransport", "SetAVTransportURI", {
        InstanceID: "0",
        CurrentURI: `${origin}/${name}.mp3`,
        CurrentURIMetaData: "",
      });
    const streamed = () => s.t.app.announcer.health().details.streamed;
    const r = s.t.app.upnp.renderer(MINI);

    // Play, then Stop while its audio is still being fetched.
    expect(await setUri("first")).toMatchObject({status: 200});
    const play = soap(s.base, "AVTransport", "Play", {InstanceID: "0", Speed: "1"});
    await waitFor(() => held.length === 1, "the first audio fetched");
    expect(await soap(s.base, "AVTransport", "Stop", {InstanceID: "0"})).toMatchObject({status: 200});
    held.shift()?.();
    expect(await play).toMatchObject({status: 200});
    expect(streamed()).toBe(0);
    expect(r?.cast).toMatchObject({uri: `${origin}/first.mp3`, started: false});

    // Play, then another URI while the audio is still being fetched: the new one is what waits to play.
    const again = soap(s.base, "AVTransport", "Play", {InstanceID: "0", Speed: "1"});
    await waitFor(() => held.length === 1, "the first audio fetched again");
    expect(await setUri("second")).toMatchObject({status: 200});
    held.shift()?.();
    expect(await again).toMatchObject({status: 200});
    expect(streamed()).toBe(0);
    expect(r?.cast).toMatchObject({uri: `${origin}/second.mp3`, started: false});

    // The new URI plays when asked.
    const third = soap(s.base, "AVTransport", "Play", {InstanceID: "0", Speed: "1"});
    await waitFor(() => held.length === 1, "the second audio fetched");
    held.shift()?.();
    expect(await third).toMatchObject({status: 200});
    expect(streamed()).toBe(1);
  }, 60_000);
});
