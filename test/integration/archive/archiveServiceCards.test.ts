import {readdir} from "node:fs/promises";
import path from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import type {ArchiveOverview} from "../../../src/shared/api/archive.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {audioTrack, uploadTone} from "../../helpers/archiveCards.js";
import {type ArchiveStack, archiveStack, toneBytes} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {putStream, tinyServer} from "../../helpers/radio.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;

let stack: ArchiveStack | undefined;
const servers: Array<{close(): Promise<void>}> = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await stack?.stop();
});

/** A station (and a chime for the announcement): one MP3, answered to every request. */
async function mp3Server(): Promise<string> {
  const mp3 = await toneBytes(2, 660);
  const server = await tinyServer((_req, res) => res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(mp3));
  servers.push(server);
  return server.url;
}

describe("the archive and this service's own cards", () => {
  it("leaves out an announcement's relay card and a radio station's card, and drops a copy an earlier run took", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    const fox = await uploadTone(sim, "fox", 5, 440);
    sim.addCard({
      cardId: "fam1",
      title: "Bedtime songs",
      content: {chapters: [{key: "01", title: "Songs", tracks: [audioTrack("01", "The fox", fox, 5)]}]},
    });
    // A card made here from a stream of the family's queue: the family's own, archived.
    expect((await putStream(t, "kids", {items: []})).status).toBe(200);
    const made = await call("POST", `${api}/cards`, {from: "stream", stream: "kids", title: "Kids' radio"});
    expect(made.status).toBe(201);
    const kidsCard = made.body.card.cardId as string;
    const first = await call("POST", `${api}/archive/run?wait=true`);
    expect(first.body.run.state).toBe("done");
    expect((await call("GET", `${api}/archive`)).body.cards.map((c: {cardId: string}) => c.cardId).sort()).toEqual(
      [kidsCard, "fam1"].sort(),
    );

    // The stream becomes a radio station: its card plays the station from here, nothing of the family's.
    const station = await mp3Server();
    expect((await putStream(t, "kids", {radio: {url: `${station}/live.mp3`}})).status).toBe(200);
    // An announcement makes the player's relay card on the account.
    await waitFor(() => t.app.players.list().length === 2, "both players");
    const chime = await mp3Server();
    const announced = await call("POST", `${api}/players/${LIVING}/announce`, {media: `${chime}/chime.mp3`});
    expect(announced.status).toBe(200);
    const relay = t.app.announcer.relayCards().find((c) => c.playerId === LIVING)?.cardId as string;
    expect(sim.card(relay)?.title).toBe(`Announcements · ${t.app.players.get(LIVING).name}`);

    const second = await call("POST", `${api}/archive/run?wait=true`);
    expect(second.body.run).toMatchObject({state: "done", cards: {done: 1, total: 1}, problems: []});
    // The station's card is not marked "deleted at Yoto": it is simply not the family's.
    expect(second.body.run.changes).toEqual([]);
    const overview = (await call("GET", `${api}/archive`)).body as ArchiveOverview;
    expect(overview.cards.map((c) => c.cardId)).toEqual(["fam1"]);
    expect(overview.notArchived).toContain(
      "This service's own cards (the announcements' relay cards, radio stations' cards) are left out too",
    );
    expect((await call("GET", `${api}/archive/${relay}`)).status).toBe(404);
    expect(await readdir(path.join(t.dataDir, "archive", "cards"))).toEqual(["fam1.json"]);
    expect(t.logs.join("\n")).toContain(
      `Archive: 'Kids' radio' (${kidsCard}) is the card of the radio station 'kids', not one of the family's cards: its copy was removed`,
    );
  }, 60_000);
});
