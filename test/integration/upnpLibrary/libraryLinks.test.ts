import path from "node:path";
import {describe, expect, it} from "vitest";
import {LIBRARY_LINK_HOURS, librarySections} from "../../../src/upnpLibrary/sections/index.js";
import type {ItemEntry, LibrarySection} from "../../../src/upnpLibrary/tree.js";
import {startApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {rawRequest} from "../../helpers/http.js";

describe("links the UPnP library hands out", () => {
  it("work for a day and then no more, cannot have their expiry moved, and leave the cards' links as they are", async () => {
    const t = await startApp([], {linkToOwnAudioListener: true});
    await makeTone(path.join(t.mediaDir, "lullaby.mp3"), {seconds: 1, title: "Lullaby"});
    await t.app.library.scan();
    const library = librarySections(t.app).find((s) => s.id === "library") as LibrarySection;
    // A file at the top of the media folder is an item right in Folders.
    const [item] = (await library.children("library/folders")) as ItemEntry[];
    const url = new URL(item?.res.url as string);
    const [expiry, mac] = (url.searchParams.get("sig") as string).split(".");
    const hoursLeft = (Number(expiry) * 1000 - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(LIBRARY_LINK_HOURS);
    expect(hoursLeft).toBeLessThanOrEqual(LIBRARY_LINK_HOURS + 1);
    expect((await rawRequest(url.href)).status).toBe(200);

    // The expiry is signed: a later one with the same signature is refused.
    const moved = new URL(url.href);
    moved.searchParams.set("sig", `${Number(expiry) + 86_400}.${mac}`);
    expect((await rawRequest(moved.href)).status).toBe(404);
    // A link past its time is a 404 like any unsigned one.
    const past = `${t.app.audio.url}${t.app.signer.signUntil(url.pathname, Math.floor(Date.now() / 1000) - 1)}`;
    expect((await rawRequest(past)).status).toBe(404);
    // The same file's link as a card holds it: no expiry, still served.
    const onCard = t.app.links.absolute(url.pathname) as string;
    expect(new URL(onCard).searchParams.get("sig")).not.toContain(".");
    expect((await rawRequest(onCard)).status).toBe(200);
  });
});
