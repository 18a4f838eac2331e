import dgram from "node:dgram";
import {describe, expect, it} from "vitest";
import type {UpnpStatus} from "../../../src/shared/api/upnp.js";
import {startApp} from "../../helpers/app.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {call, rawRequest} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

const MEDIA_SERVER = "urn:schemas-upnp-org:device:MediaServer:1";

/** A unicast M-SEARCH for a MediaServer, as a control point on this machine sends it; the first answer. */
async function searchMediaServer(port: number): Promise<string> {
  const socket = dgram.createSocket("udp4");
  atFileEnd(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  const answer = new Promise<string>((resolve) => socket.once("message", (msg) => resolve(msg.toString())));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const text = [
    "M-SEARCH * HTTP/1.1",
    `HOST: 127.0.0.1:${port}`,
    'MAN: "ssdp:discover"',
    `ST: ${MEDIA_SERVER}`,
    "",
    "",
  ];
  socket.send(text.join("\r\n"), port, "127.0.0.1");
  return answer;
}

describe("upnp_library", () => {
  it("is on by default: a MediaServer on the renderers' port, answered by their SSDP", async () => {
    const dataDir = await tempDir("yss-library-option-");
    const t = await startApp([], {dataDir});
    const description = await rawRequest(`http://127.0.0.1:${t.app.upnp.port}/upnp/library/description.xml`);
    expect(description.status).toBe(200);
    const xml = description.body.toString("utf8");
    expect(xml).toContain(`<deviceType>${MEDIA_SERVER}</deviceType>`);
    expect(xml).toContain("<friendlyName>Yoto Smart Stream</friendlyName>");
    expect(xml).toContain("<controlURL>/upnp/library/ContentDirectory/control</controlURL>");
    const scpd = await rawRequest(`http://127.0.0.1:${t.app.upnp.port}/upnp/library/ContentDirectory.xml`);
    expect(scpd.body.toString("utf8")).toContain("<name>Search</name>");
    const answer = await searchMediaServer(t.app.upnp.ssdpPort);
    expect(answer).toContain(`ST: ${MEDIA_SERVER}`);
    expect(answer).toContain(`LOCATION: http://127.0.0.1:${t.app.upnp.port}/upnp/library/description.xml`);
    const udn = /<UDN>(uuid:[^<]+)<\/UDN>/.exec(xml)?.[1];
    expect(answer).toContain(`USN: ${udn}::${MEDIA_SERVER}`);
    // The admin API says where it is, for adding it to Home Assistant by hand.
    const status = (await call("GET", `${t.adminUrl}/api/upnp`)).body as UpnpStatus;
    expect(status.library).toEqual({
      udn,
      location: `http://127.0.0.1:${t.app.upnp.port}/upnp/library/description.xml`,
      subscribers: 0,
    });
    // The UDN is the instance's own and stays across a restart: Home Assistant keeps its entry.
    await t.stop();
    const again = await startApp([], {dataDir});
    const later = await rawRequest(`http://127.0.0.1:${again.app.upnp.port}/upnp/library/description.xml`);
    expect(/<UDN>(uuid:[^<]+)<\/UDN>/.exec(later.body.toString("utf8"))?.[1]).toBe(udn);
  });

  it("off, serves no library and announces none", async () => {
    const t = await startApp(["--upnp_library", "false"]);
    const description = await rawRequest(`http://127.0.0.1:${t.app.upnp.port}/upnp/library/description.xml`);
    expect(description.status).toBe(404);
    expect(t.app.upnp.library).toBeUndefined();
    expect(((await call("GET", `${t.adminUrl}/api/upnp`)).body as UpnpStatus).library).toBeNull();
  });
});
