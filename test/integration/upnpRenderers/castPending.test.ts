import {stat} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const start = linkedBridge();
const AVT = "urn:schemas-upnp-org:service:AVTransport:1";

/** One AVTransport call over plain HTTP, as any control point sends it; the answer's text. */
async function avt(
  port: number,
  action: string,
  args: Record<string, string>,
): Promise<{status: number; text: string}> {
  const inner = Object.entries({InstanceID: "0", ...args})
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join("");
  const res = await fetch(`http://127.0.0.1:${port}/upnp/${MINI}/AVTransport/control`, {
    method: "POST",
    headers: {SOAPACTION: `"${AVT}#${action}"`, "Content-Type": 'text/xml; charset="utf-8"'},
    body: `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action} xmlns:u="${AVT}">${inner}</u:${action}></s:Body></s:Envelope>`,
  });
  return {status: res.status, text: await res.text()};
}

const field = (text: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];

describe("A URI set but not played", () => {
  it("gives way to a card a child puts in by hand, and Pause on a paused player is no error", async () => {
    const s = await start();
    const dir = await tempDir("yss-cast-pending-");
    const mp3 = await makeTone(path.join(dir, "song.mp3"), {seconds: 2});
    const size = (await stat(mp3)).size;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": size});
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const song = `http://127.0.0.1:${(server.address() as AddressInfo).port}/song.mp3`;
    const port = s.t.app.upnp.port;

    expect((await avt(port, "SetAVTransportURI", {CurrentURI: song, CurrentURIMetaData: ""})).status).toBe(200);
    expect(field((await avt(port, "GetTransportInfo", {})).text, "CurrentTransportState")).toBe("STOPPED");
    expect(s.sim.player(MINI).insertCard("songs")).toBe(true);
    await waitFor(() => s.t.app.players.get(MINI).playback.status === "playing", "the child's card playing");
    expect(field((await avt(port, "GetTransportInfo", {})).text, "CurrentTransportState")).toBe("PLAYING");
    expect(field((await avt(port, "GetMediaInfo", {})).text, "CurrentURI")).toBe("yoto:card:songs");

    expect((await avt(port, "Pause", {})).status).toBe(200);
    await waitFor(() => s.t.app.players.get(MINI).playback.status === "paused", "paused");
    // A bedtime automation pauses every player, the paused ones too.
    expect(await avt(port, "Pause", {})).toMatchObject({status: 200});
    // The panel shows what was done to the player, not a control point's polling.
    await avt(port, "GetTransportInfo", {});
    expect(s.t.app.upnp.renderer(MINI)?.lastAction?.name).toBe("Pause");

    // Stop answered is STOPPED at once, before the player reports it: Home Assistant's play_media
    // sends Stop, then the URI, then Play only if what it was told last is not PLAYING.
    const again = await avt(port, "Play", {Speed: "1"});
    expect(again, again.text).toMatchObject({status: 200});
    await waitFor(() => s.t.app.players.get(MINI).playback.status === "playing", "playing again");
    expect((await avt(port, "Stop", {})).status).toBe(200);
    expect(field((await avt(port, "GetTransportInfo", {})).text, "CurrentTransportState")).toBe("STOPPED");
  }, 60_000);
});
