import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {cardsSection} from "../../../src/upnpLibrary/sections/cards.js";
import {addFamilyCard, archiveNow} from "../../helpers/familyArchive.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const start = linkedBridge();

/** One AVTransport action on the Mini's renderer, as any control point sends it. */
async function transport(upnpPort: number, action: string, args: string): Promise<{status: number; text: string}> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action} xmlns:u="urn:schemas-upnp-org:service:AVTransport:1"><InstanceID>0</InstanceID>${args}</u:${action}></s:Body></s:Envelope>`;
  const res = await fetch(`http://127.0.0.1:${upnpPort}/upnp/${MINI}/AVTransport/control`, {
    method: "POST",
    headers: {SOAPACTION: `"urn:schemas-upnp-org:service:AVTransport:1#${action}"`, "Content-Type": "text/xml"},
    body,
  });
  return {status: res.status, text: await res.text()};
}

const escapeXml = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
const description = (text: string) =>
  /<errorDescription>([^<]*)<\/errorDescription>/.exec(text)?.[1]?.replaceAll("&apos;", "'");

describe("a track of the library's Cards sent to a Yoto renderer", () => {
  it("plays the family's card itself at that chapter (native, nothing relayed), and a card gone from Yoto is refused with why", async () => {
    const s = await start({app: {linkToOwnAudioListener: true}});
    const {t, sim} = s;
    await addFamilyCard(sim, "famsg", "Family songs", [{title: "One"}, {title: "Two"}, {title: "Three"}]);
    // The bridge's own "Songs" card streams from a signed link, which the archive leaves out: ours is in.
    await archiveNow(`${t.adminUrl}/api`);
    expect(t.app.archive.has("famsg")).toBe(true);
    await waitFor(() => t.app.upnp.renderer(MINI) !== undefined, "the Mini's renderer");
    // A chapter of one track is that track (no folder around it).
    const track = await cardsSection(t.app.archive, t.app.links).entry("cards/famsg/2");
    const url = track?.kind === "item" ? track.res.url : "";
    expect(url).toMatch(/\/archive\/famsg\/2\/1\.mp3\?sig=/);

    const port = t.app.upnp.port as number;
    const set = await transport(
      port,
      "SetAVTransportURI",
      `<CurrentURI>${escapeXml(url)}</CurrentURI><CurrentURIMetaData></CurrentURIMetaData>`,
    );
    expect(set.status, set.text).toBe(200);
    const play = await transport(port, "Play", "<Speed>1</Speed>");
    expect(play.status, play.text).toBe(200);
    await waitFor(() => {
      const now = sim.player(MINI).eventsSnapshot();
      return now.cardId === "famsg" && now.chapterKey === "02" && now.playbackStatus === "playing";
    }, "the card playing at its second chapter");
    expect(sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"))).toEqual([]);

    // Deleted in the Yoto app: the archive keeps it, but a Yoto has nothing to play.
    sim.removeCard("famsg");
    await archiveNow(`${t.adminUrl}/api`);
    expect(t.app.archive.card("famsg").deletedAt).toBeDefined();
    expect(
      (
        await transport(
          port,
          "SetAVTransportURI",
          `<CurrentURI>${escapeXml(url)}</CurrentURI><CurrentURIMetaData></CurrentURIMetaData>`,
        )
      ).status,
    ).toBe(200);
    const refused = await transport(port, "Play", "<Speed>1</Speed>");
    expect(refused.status).toBe(500);
    expect(refused.text).toContain("<errorCode>716</errorCode>");
    expect(description(refused.text)).toBe(
      `'Family songs' was deleted from the Yoto account (${new Date().toISOString().slice(0, 10)}), so a Yoto cannot play it: restore it from the archive first`,
    );
  }, 60_000);
});
