import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {describe, expect, it} from "vitest";
import type {UpnpStatus} from "../../../src/shared/api/upnp.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {GupnpControlPoint} from "../../helpers/upnpControlPoint.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const start = linkedBridge();

/** A loopback web server with one MP3 (and a page that is not audio), as a NAS or a podcast host would be. */
async function audioHost(): Promise<{url: (name: string) => string}> {
  const dir = await tempDir("yss-upnp-audio-");
  const mp3 = await makeTone(path.join(dir, "song.mp3"), {seconds: 20});
  const size = (await stat(mp3)).size;
  const server = http.createServer((req, res) => {
    if (req.url === "/song.mp3") {
      res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": size});
      if (req.method === "HEAD") res.end();
      else createReadStream(mp3).pipe(res);
    } else if (req.url === "/page.html") {
      res.writeHead(200, {"Content-Type": "text/html"});
      res.end("<p>not audio</p>");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  atFileEnd(() => {
    // The renderer may still be fetching the song for the relay card: its connection goes too.
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const {port} = server.address() as AddressInfo;
  return {url: (name) => `http://127.0.0.1:${port}/${name}`};
}

/** The value of `<Name val="…"/>` in the last LastChange that carried it. */
function lastChangeValue(cp: GupnpControlPoint, service: string, name: string): string | undefined {
  for (let i = cp.notified.length - 1; i >= 0; i--) {
    const n = cp.notified[i]!;
    if (n.service !== service) continue;
    const m = new RegExp(`<${name}(?: channel="Master")? val="([^"]*)"`).exec(n.value);
    if (m) return m[1];
  }
  return undefined;
}

describe("A Yoto as a UPnP MediaRenderer, driven by GUPnP", () => {
  it("is found by SSDP on loopback, reports its volume, plays a cast URL through the relay card, and events it", async () => {
    // GUPnP always searches the SSDP group's own port: this file is the only one that answers on it.
    const s = await start({flags: ["--ssdp_port", "1900"], app: {linkToOwnAudioListener: true}});
    const {t, sim} = s;
    const udn = t.app.upnp.status("127.0.0.1").renderers.find((r) => r.player_id === MINI)!.udn;
    const cp = await GupnpControlPoint.start();
    const found = await cp.find(udn);
    expect(found.name).toBe("Bedroom Mini");
    expect(found.model).toBe("Yoto Mini");

    // Volume: 0–100 onto the player's steps; read back is the player's real level.
    expect(
      await cp.call(udn, "RenderingControl", "SetVolume", {InstanceID: "0", Channel: "Master", DesiredVolume: "40"}),
    ).toEqual({ok: true, out: {}});
    await waitFor(() => t.app.players.get(MINI).volume.level === 6, "the Mini at step 6");
    const volume = await cp.call(udn, "RenderingControl", "GetVolume", {InstanceID: "0", Channel: "Master"}, [
      "CurrentVolume",
    ]);
    expect(volume.out?.CurrentVolume).toBe("38");

    await cp.subscribe(udn, "AVTransport");
    await cp.subscribe(udn, "RenderingControl");
    await cp.until(() => lastChangeValue(cp, "AVTransport", "TransportState") !== undefined, "the initial event");

    const host = await audioHost();
    const set = await cp.call(udn, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: host.url("song.mp3"),
      CurrentURIMetaData: "",
    });
    expect(set).toEqual({ok: true, out: {}});
    const played = await cp.call(udn, "AVTransport", "Play", {InstanceID: "0", Speed: "1"});
    expect(played).toEqual({ok: true, out: {}});
    await cp.until(() => lastChangeValue(cp, "AVTransport", "TransportState") === "PLAYING", "PLAYING in a NOTIFY");
    const relayFetch = sim.player(MINI).fetches.find((f) => f.url.includes("/relay/"));
    expect(relayFetch).toBeDefined();

    const paused = await cp.call(udn, "AVTransport", "Pause", {InstanceID: "0"});
    expect(paused).toEqual({ok: true, out: {}});
    await cp.until(
      () => lastChangeValue(cp, "AVTransport", "TransportState") === "PAUSED_PLAYBACK",
      "PAUSED in a NOTIFY",
    );

    // A refused URI changes nothing on the player.
    const page = await cp.call(udn, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: host.url("page.html"),
      CurrentURIMetaData: "",
    });
    expect(page).toMatchObject({ok: false, code: 714});
    expect(page.error).toBe(`127.0.0.1:${new URL(host.url("x")).port} serves text/html there, not audio`);
    // The panel's player details: how the renderer is seen, and by whom.
    const status = (await call("GET", `${t.adminUrl}/api/upnp`)).body as UpnpStatus;
    const mini = status.renderers.find((r) => r.player_id === MINI);
    expect(mini).toMatchObject({
      name: "Bedroom Mini",
      enabled: true,
      udn,
      subscribers: 2,
      last_action: {name: "Pause"},
    });
    expect(mini?.seen_by.map((seen) => seen.address)).toEqual(["127.0.0.1"]);
    expect(mini?.location).toBe(`http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}/description.xml`);
    await cp.stop();
  }, 60_000);
});
