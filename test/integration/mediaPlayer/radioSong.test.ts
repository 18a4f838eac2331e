import {afterAll, afterEach, beforeAll, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {HacsMediaPlayer} from "../../helpers/hacsMediaPlayer.js";
import {call} from "../../helpers/http.js";
import {type Icecast, startIcecast} from "../../helpers/icecast.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {FAST_RADIO, putStream, streamView} from "../../helpers/radio.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const ICECAST = systemNeed("icecast2");

const LIVING = DEMO_PLAYERS[0]!.deviceId;

let icecast: Icecast;
const startLinked = linkedBridge();
const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe.skipIf(!ICECAST.path)("a radio card's song in Home Assistant's media player", () => {
  beforeAll(async () => {
    icecast = await startIcecast();
    await icecast.feed("kids");
    await icecast.setTitle("kids", "Raffi - Baby Beluga");
  }, 60_000);
  afterAll(async () => {
    await icecast?.stop();
  });

  it("shows the station's song as title and artist while it plays, clears it while the station is down, and logs its return", async () => {
    const {sim, t} = await startLinked({app: {linkToOwnAudioListener: true, radio: FAST_RADIO}});
    await waitFor(() => t.app.players.list().length === 2, "the players");
    const ha = await HacsMediaPlayer.connect(t.app.broker.connection(), t.app.mediaPlayers.names()?.[LIVING] as string);
    closing.push(() => ha.close());
    await waitFor(() => ha.available === true, "the media player set up");

    expect((await putStream(t, "kids", {radio: {url: `${icecast.url}/kids`}})).status).toBe(200);
    const made = await call("POST", `${t.adminUrl}/api/cards`, {from: "stream", stream: "kids", title: "Kids radio"});
    expect(made.status).toBe(201);
    sim.player(LIVING).insertCard((made.body as {card: {cardId: string}}).card.cardId);

    // "Artist - Title", as stations write it: split; the station's card is the album.
    await waitFor(() => ha.title === "Baby Beluga", "the song in the media player", 20_000);
    expect(ha).toMatchObject({haState: "playing", title: "Baby Beluga", artist: "Raffi", album: "Kids radio"});
    // The panel's Players view reads it from the players list.
    const songs = async () => (await call("GET", `${t.adminUrl}/api/players`)).body.songs;
    expect(await songs()).toEqual({[LIVING]: "Raffi - Baby Beluga"});
    // A title without an artist: the card stays the artist.
    await icecast.setTitle("kids", "Morning Songs");
    await waitFor(() => ha.title === "Morning Songs", "the next song", 15_000);
    expect(ha).toMatchObject({artist: "Kids radio", album: ""});

    // Off air: the station is down, and its last song is not shown as playing any more.
    icecast.unfeed("kids");
    await waitFor(() => t.logs.some((l) => l.includes(`Station ${icecast.url}/kids is not answering`)), "down", 15_000);
    await waitFor(() => ha.title !== "Morning Songs", "the song cleared", 5000);
    expect(ha.artist).toBe("Kids radio");
    expect((await streamView(t, "kids")).radio).toMatchObject({state: "down", now_playing: null});
    expect(await songs()).toEqual({});
    expect(JSON.stringify((await call("GET", `${t.adminUrl}/api/streams/kids`)).body)).not.toContain("Morning Songs");

    // Back on air: the log says so, once, and the song shows again.
    await icecast.feed("kids");
    await icecast.setTitle("kids", "Raffi - Down by the Bay");
    await waitFor(() => ha.title === "Down by the Bay", "the song after the return", 20_000);
    const back = t.logs.filter((l) => l.includes(`Station ${icecast.url}/kids is back, after `));
    expect(back).toHaveLength(1);
    expect(back[0]).toMatch(/INFO \(radio\): Station .* is back, after \d+ s not answering$/);
  }, 90_000);
});
