import {createReadStream} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {call, rawRequest} from "../../helpers/http.js";
import {journalRefusals} from "../../helpers/journal.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {unescapeXml} from "../../helpers/upnpHttp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const AVT = "urn:schemas-upnp-org:service:AVTransport:1";
const start = linkedBridge();

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  atFileEnd(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

/** Home Assistant's TTS proxy on loopback: a short spoken message at /api/tts_proxy/<token>.mp3. */
async function ttsProxy(): Promise<string> {
  const speech = await makeTone(path.join(await tempDir("yss-ha-tts-"), "speech.mp3"), {seconds: 2});
  const port = await listen(
    http.createServer((req, res) => {
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      if (req.method === "HEAD") res.end();
      else createReadStream(speech).pipe(res);
    }),
  );
  return `http://127.0.0.1:${port}/api/tts_proxy/3f1a9c_en-gb_google.mp3`;
}

const attr = (xml: string, name: string) => new RegExp(`<${name} val="([^"]*)"`).exec(xml)?.[1];

/**
 * A control point as Home Assistant's DLNA integration is (async_upnp_client's DmrDevice): it
 * subscribes to AVTransport and keeps TransportState and CurrentTransportActions from each NOTIFY
 * it has taken; its play_media is Stop, SetAVTransportURI, then — only if the transport it knows
 * is not PLAYING — wait until Play is offered (polling GetCurrentTransportActions) and Play.
 */
async function homeAssistant(base: string) {
  const state: {transport?: string; actions?: string} = {};
  const port = await listen(
    http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        const lastChange = unescapeXml(/<LastChange>([\s\S]*)<\/LastChange>/.exec(body)?.[1] ?? "");
        state.transport = attr(lastChange, "TransportState") ?? state.transport;
        const actions = attr(lastChange, "CurrentTransportActions");
        if (actions !== undefined) state.actions = actions;
        res.end();
      });
    }),
  );
  const sub = await rawRequest(`${base}/AVTransport/event`, {
    method: "SUBSCRIBE",
    headers: {CALLBACK: `<http://127.0.0.1:${port}/notify>`, NT: "upnp:event", TIMEOUT: "Second-300"},
  });
  expect(sub.status).toBe(200);
  const call = async (action: string, args: string) => {
    const res = await rawRequest(`${base}/AVTransport/control`, {
      method: "POST",
      headers: {SOAPACTION: `"${AVT}#${action}"`, "Content-Type": 'text/xml; charset="utf-8"'},
      body: `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action} xmlns:u="${AVT}"><InstanceID>0</InstanceID>${args}</u:${action}></s:Body></s:Envelope>`,
    });
    expect(res.status, res.body.toString()).toBe(200);
    return res.body.toString();
  };
  return {
    state,
    async playMedia(uri: string): Promise<"played" | "left as it was playing"> {
      await call("Stop", "");
      await call("SetAVTransportURI", `<CurrentURI>${uri}</CurrentURI><CurrentURIMetaData></CurrentURIMetaData>`);
      // What the integration does next depends on what it has been told so far, nothing else.
      if (state.transport === "PLAYING") return "left as it was playing";
      for (let i = 0; i < 20 && !(state.actions ?? "").split(",").includes("Play"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const polled = /<Actions>([^<]*)<\/Actions>/.exec(await call("GetCurrentTransportActions", ""))?.[1];
        if (polled !== undefined) state.actions = polled;
      }
      await call("Play", "<Speed>1</Speed>");
      return "played";
    },
  };
}

describe("tts.speak through Home Assistant's DLNA integration", () => {
  it("plays the speech on a Yoto that was playing a card, and the card comes back", async () => {
    const s = await start({app: {linkToOwnAudioListener: true}});
    const {t, sim} = s;
    await waitFor(() => t.app.upnp.renderer(MINI) !== undefined, "the Mini's renderer");
    const ha = await homeAssistant(`http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}`);
    const tts = await ttsProxy();
    expect(sim.player(MINI).insertCard("songs")).toBe(true);
    await waitFor(() => ha.state.transport === "PLAYING", "PLAYING in a NOTIFY");

    expect(await ha.playMedia(tts)).toBe("played");
    await waitFor(
      () => sim.player(MINI).fetches.some((f) => f.url.includes("/relay/")),
      "the speech on the relay card",
      15_000,
    );
    await waitFor(
      () => {
        const now = sim.player(MINI).eventsSnapshot();
        return now.cardId === "songs" && now.playbackStatus === "playing";
      },
      "the card back",
      20_000,
    );
  }, 60_000);
  it("sends a new subscriber its whole state first (SEQ 0), even when an action follows its SUBSCRIBE at once", async () => {
    const s = await start();
    const {t} = s;
    await waitFor(
      () => t.app.upnp.renderer(MINI) !== undefined && t.app.players.get(MINI).volume.level !== undefined,
      "the Mini's renderer and volume",
    );
    const base = `http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}`;
    const subscriber = async () => {
      const got: Array<{seq: string; body: string}> = [];
      const port = await listen(
        http.createServer((req, res) => {
          let body = "";
          req.on("data", (c: Buffer) => {
            body += c.toString();
          });
          req.on("end", () => {
            got.push({seq: String(req.headers.seq), body: unescapeXml(body)});
            res.end();
          });
        }),
      );
      const sub = await rawRequest(`${base}/RenderingControl/event`, {
        method: "SUBSCRIBE",
        headers: {CALLBACK: `<http://127.0.0.1:${port}/notify>`, NT: "upnp:event", TIMEOUT: "Second-300"},
      });
      expect(sub.status).toBe(200);
      return got;
    };
    // Home Assistant has been subscribed a while; Music Assistant subscribes and sets the volume at once.
    const first = await subscriber();
    await waitFor(() => first.length === 1, "the first subscriber's initial event");
    const second = await subscriber();
    const set = await rawRequest(`${base}/RenderingControl/control`, {
      method: "POST",
      headers: {SOAPACTION: '"urn:schemas-upnp-org:service:RenderingControl:1#SetVolume"', "Content-Type": "text/xml"},
      body: `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:SetVolume xmlns:u="urn:schemas-upnp-org:service:RenderingControl:1"><InstanceID>0</InstanceID><Channel>Master</Channel><DesiredVolume>25</DesiredVolume></u:SetVolume></s:Body></s:Envelope>`,
    });
    expect(set.status).toBe(200);
    await waitFor(() => t.app.players.get(MINI).volume.level === 4, "the Mini at step 4");
    for (const got of [first, second])
      await waitFor(() => got.some((g) => g.body.includes('<Volume channel="Master" val="25"/>')), "the new volume");
    // Each subscriber's first event is SEQ 0 and carries every variable (Mute too), the rest in order.
    for (const got of [first, second]) {
      expect(got[0]?.seq).toBe("0");
      expect(got[0]?.body).toMatch(/<Volume channel="Master" val="\d+"\/><Mute channel="Master" val="0"\/>/);
      expect(got.map((g) => g.seq)).toEqual(got.map((_, i) => String(i)));
    }
  }, 30_000);
  it("refuses Play from several control points at once in quiet hours, one line in the child's journal", async () => {
    const s = await start({app: {timeZone: "UTC"}});
    const {t} = s;
    await waitFor(() => t.app.upnp.renderer(MINI) !== undefined, "the Mini's renderer");
    const plan = await call("PUT", `${t.adminUrl}/api/children/Ben`, {
      players: ["Bedroom Mini"],
      budget: {minutes: 0},
      bonus: {minutes: 15, daily_cap: 3},
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "the Mini quiet");
    const play = (from: string) =>
      rawRequest(`http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}/AVTransport/control`, {
        method: "POST",
        headers: {SOAPACTION: `"${AVT}#Play"`, "Content-Type": "text/xml"},
        body: `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Play xmlns:u="${AVT}"><InstanceID>0</InstanceID><Speed>1</Speed></u:Play></s:Body></s:Envelope>`,
        localAddress: from,
      });
    // Home Assistant and Music Assistant press play together.
    const answers = await Promise.all(["127.0.0.1", "127.0.0.2", "127.0.0.3"].map(play));
    for (const answer of answers) expect(answer.body.toString()).toContain("<errorCode>701</errorCode>");
    const why = "Ben's listening for today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00";
    await waitFor(
      () => t.logs.filter((l) => l.includes(`INFO (upnp): A DLNA Play was refused: ${why}`)).length === 3,
      "three refusals logged",
    );
    // One tap, pressed by three: one line in Ben's journal, in a parent's words.
    expect((await journalRefusals(t)).map((e) => e.text)).toEqual([
      `Play, cast from Home Assistant, Music Assistant or another app, was not played: ${why}`,
    ]);
  }, 30_000);
});
