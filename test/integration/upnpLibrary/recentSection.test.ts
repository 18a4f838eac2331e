import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {librarySections} from "../../../src/upnpLibrary/sections/index.js";
import type {Entry, LibrarySection} from "../../../src/upnpLibrary/tree.js";
import {addFamilyCard, archiveNow} from "../../helpers/familyArchive.js";
import {until} from "../../helpers/historyStack.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";

const [LIVING, MINI] = DEMO_PLAYERS.map((p) => p.deviceId) as [string, string];
const start = linkedBridge();

const summary = (entries: Entry[]) => entries.map((e) => `${e.kind === "container" ? "+" : "-"} ${e.id} | ${e.title}`);

describe("the Recently played section", () => {
  it("lists the cards listened to last, newest first, each once: an archived card as its tracks, a stream's card as the stream under the card's title; a shop card is left out", async () => {
    const {t, sim} = await start({app: {linkToOwnAudioListener: true}});
    await addFamilyCard(sim, "famsg", "Family songs", [{title: "One"}, {title: "Two"}]);
    await archiveNow(`${t.adminUrl}/api`);
    await t.app.streams.replace("bedtime", []);
    const recent = librarySections(t.app).find((s) => s.id === "recent") as LibrarySection;
    expect(await recent.children("recent")).toEqual([]);

    // Each play runs over a second (shorter ones are not counted as listening) before the next.
    const heard = (cardId: string) =>
      until(
        async () => {
          const [last] = (await t.app.history.sessions({limit: 1})).sessions;
          return last?.cardId === cardId && last.seconds >= 2;
        },
        `'${cardId}' heard`,
        15_000,
      );
    // The bridge's "Songs" card is not archived and not this service's: nothing to play it from.
    expect(sim.player(MINI).insertCard("songs")).toBe(true);
    await heard("songs");
    expect(sim.player(MINI).insertCard("famsg")).toBe(true);
    await heard("famsg");
    // Played through the card the family made for it, which is titled as they named it.
    await t.app.cards.fromStream("bedtime", {title: "Bedtime songs"});
    const card = await t.app.cards.playStream(LIVING, "bedtime", {route: "api"});
    await heard(card.cardId);

    expect(summary(await recent.children("recent"))).toEqual([
      `- recent/${card.cardId} | Bedtime songs`,
      "+ recent/famsg | Family songs",
    ]);
    const tracks = await recent.children("recent/famsg");
    // Chapters of one track each: each chapter is its track, as under Cards.
    expect(summary(tracks)).toEqual(["- recent/famsg/1 | One", "- recent/famsg/2 | Two"]);
    expect(tracks.every((e) => e.parentId === "recent/famsg")).toBe(true);
    expect(await recent.entry("recent/famsg/2")).toMatchObject({title: "Two", album: "Family songs"});
    expect(await recent.entry("recent/songs")).toBeUndefined();
    expect((await recent.items()).map((i) => i.title)).toEqual(["Bedtime songs", "One", "Two"]);
  }, 60_000);
});
