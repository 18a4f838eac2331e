import {createReadStream} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {expect} from "vitest";
import {makeTone} from "./audio.js";
import {atFileEnd} from "./fileEnd.js";
import {rawRequest} from "./http.js";
import {tempDir} from "./tmp.js";
import {host, type SoapAnswer, soap, unescapeXml} from "./upnpHttp.js";

/** One variable as a LastChange event carried it, and when it arrived. */
export interface Evented {
  variable: string;
  value: string;
  at: number;
}

export const xmlText = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * DIDL-Lite for a track as Music Assistant's DLNA provider and async_upnp_client's
 * construct_play_media_metadata write it: an item with a title, a music class and one res with
 * the protocolInfo and (Music Assistant) the duration.
 */
export function trackDidl(url: string, title: string, seconds?: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = (s: number) => `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.000`;
  const duration = seconds !== undefined ? ` duration="${time(seconds)}"` : "";
  return `<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/"><item id="0" parentID="-1" restricted="false"><dc:title>${xmlText(title)}</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class><res protocolInfo="http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=01"${duration}>${xmlText(url)}</res></item></DIDL-Lite>`;
}

/**
 * A control point as async_upnp_client's DmrDevice is (what Home Assistant's dlna_dmr and Music
 * Assistant use): it subscribes to AVTransport and RenderingControl (`TIMEOUT: Second-1800`, a
 * callback on its own address), keeps every variable the LastChange events carry, and calls
 * actions with InstanceID 0 and the argument names of the service description.
 */
export class DmrLikeDevice {
  readonly state: Record<string, string> = {};
  readonly events: Evented[] = [];

  private constructor(readonly base: string) {}

  static async open(base: string): Promise<DmrLikeDevice> {
    const device = new DmrLikeDevice(base);
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        device.#take(body);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const port = (server.address() as AddressInfo).port;
    for (const service of ["AVTransport", "RenderingControl"]) {
      const sub = await rawRequest(`${base}/${service}/event`, {
        method: "SUBSCRIBE",
        headers: {CALLBACK: `<http://127.0.0.1:${port}/${service}>`, NT: "upnp:event", TIMEOUT: "Second-1800"},
      });
      expect(sub.status).toBe(200);
    }
    return device;
  }

  #take(body: string): void {
    const lastChange = /<LastChange>([\s\S]*)<\/LastChange>/.exec(body)?.[1];
    if (!lastChange) return;
    const xml = unescapeXml(lastChange);
    for (const m of xml.matchAll(/<(\w+)(?: channel="Master")? val="([^"]*)"\/>/g)) {
      const value = unescapeXml(m[2] as string);
      this.state[m[1] as string] = value;
      this.events.push({variable: m[1] as string, value, at: Date.now()});
    }
  }

  /** The values a variable took, in the order the events brought them (repeats of one value once). */
  seen(variable: string): string[] {
    const out: string[] = [];
    for (const e of this.events) if (e.variable === variable && out.at(-1) !== e.value) out.push(e.value);
    return out;
  }

  async call(
    action: string,
    args: Record<string, string> = {},
    service: "AVTransport" | "RenderingControl" = "AVTransport",
  ): Promise<SoapAnswer> {
    return soap(this.base, service, action, {InstanceID: "0", ...args});
  }

  async ok(
    action: string,
    args: Record<string, string> = {},
    service: "AVTransport" | "RenderingControl" = "AVTransport",
  ) {
    const answer = await this.call(action, args, service);
    expect(answer.status, `${action}: ${answer.error ?? answer.body}`).toBe(200);
    return answer;
  }

  setUri(url: string, title: string, seconds?: number) {
    return this.ok("SetAVTransportURI", {
      CurrentURI: xmlText(url),
      CurrentURIMetaData: xmlText(trackDidl(url, title, seconds)),
    });
  }

  setNext(url: string, title: string, seconds?: number) {
    return this.ok("SetNextAVTransportURI", {
      NextURI: xmlText(url),
      NextURIMetaData: xmlText(trackDidl(url, title, seconds)),
    });
  }

  play() {
    return this.ok("Play", {Speed: "1"});
  }
}

/**
 * A plain audio server, not Music Assistant's (musicAssistantStreams.ts is that, header for
 * header): each track a mono MP3 tone at its own URL on the control point's own address (so no
 * fetch_allow is needed), `audio/mpeg`, answering HEAD and GET with no length, all at once.
 */
export async function trackServer(tracks: Record<string, {seconds: number; frequency?: number}>) {
  const dir = await tempDir("yss-tracks-");
  const files: Record<string, string> = {};
  for (const [i, [name, t]] of Object.entries(tracks).entries())
    files[name] = await makeTone(path.join(dir, `${name}.mp3`), {
      seconds: t.seconds,
      frequency: t.frequency ?? 400 + 100 * i,
      channels: 1,
    });
  const {origin} = await host("127.0.0.1", (req, res) => {
    const name = /^\/flow\/(\w+)\.mp3$/.exec(req.url ?? "")?.[1];
    const file = name && Object.hasOwn(files, name) ? files[name] : undefined;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {"Content-Type": "audio/mpeg"});
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return {url: (name: string) => `${origin}/flow/${name}.mp3`, files};
}
