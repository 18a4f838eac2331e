import {describe, expect, it} from "vitest";
import {cardsSection} from "../../../src/upnpLibrary/sections/cards.js";
import {DmrLikeDevice} from "../../helpers/dmrDevice.js";
import {addFamilyCard, archiveNow} from "../../helpers/familyArchive.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {MINI} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

describe("a card started from the library's Cards on a Yoto renderer", () => {
  it("offers next and previous, which move the card itself a chapter on and back", async () => {
    const s = await start({app: {linkToOwnAudioListener: true}});
    const {t, sim} = s;
    await addFamilyCard(sim, "famsg", "Family songs", [{title: "One"}, {title: "Two"}, {title: "Three"}]);
    await archiveNow(`${t.adminUrl}/api`);
    await waitFor(() => t.app.upnp.renderer(MINI) !== undefined, "the Mini's renderer");
    const track = await cardsSection(t.app.archive, t.app.links).entry("cards/famsg/2");
    const url = track?.kind === "item" ? track.res.url : "";
    const dmr = await DmrLikeDevice.open(`http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}`);
    // Home Assistant's media browser: Cards → the second chapter's track.
    await dmr.setUri(url, "Two");
    await dmr.play();
    const chapter = () => sim.player(MINI).eventsSnapshot().chapterKey;
    await waitFor(() => chapter() === "02" && dmr.state.TransportState === "PLAYING", "the card at chapter 2");
    // Home Assistant greys out what CurrentTransportActions leaves out: next and previous are offered.
    await waitFor(() => /\bNext\b/.test(dmr.state.CurrentTransportActions ?? ""), "Next offered");
    expect(dmr.state.CurrentTransportActions?.split(",")).toEqual(expect.arrayContaining(["Next", "Previous"]));
    await dmr.ok("Next");
    await waitFor(() => chapter() === "03", "the card on at chapter 3");
    await dmr.ok("Previous");
    await waitFor(() => chapter() === "02", "the card back at chapter 2");
    expect(sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"))).toEqual([]);
  }, 60_000);
});
