import {execFileSync} from "node:child_process";
import {describe, expect, it} from "vitest";
import type {PlayersList} from "../../../src/shared/api/players.js";
import {DmrLikeDevice, xmlText} from "../../helpers/dmrDevice.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {until} from "../../helpers/historyStack.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {MusicAssistantDlna} from "../../helpers/musicAssistantPlayer.js";
import {type MaTrack, musicAssistantStreams} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

// A cast is shown in its own words wherever a player's "now playing" is: the admin API, the panel's
// list, the MQTT media player from its first message, and the listening history. The relay card it
// plays on has one track, "Announcement", of length 0: that is never what a family should read.
const start = linkedBridge();

const QUEUE: MaTrack[] = [
  {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 6, frequency: 440},
  {name: "Über den Wolken", artist: "Reinhard Mey", album: "Ikarus", seconds: 6, frequency: 550},
];

type Renderered = Awaited<ReturnType<typeof miniRenderer>>;

/** `GET /api/players`, each answer kept: every one of them is checked for the relay card's words. */
function playersSeen(s: Renderered) {
  const answers: PlayersList[] = [];
  const read = async () => {
    const list = (await call("GET", `${s.t.adminUrl}/api/players`)).body as PlayersList;
    answers.push(list);
    return list;
  };
  const mini = (list: PlayersList) => list.players.find((p) => p.id === MINI);
  return {answers, read, mini};
}

/** The MQTT media player's messages on one of its state topics since `from`, in order. */
const mediaSince = (s: Renderered, from: number, key: string) =>
  s.watcher.seen
    .slice(from)
    .filter((m) => m.topic.endsWith(`/${MINI}/media/${key}`))
    .map((m) => m.payload);

async function dmrAt(s: Renderered) {
  const dmr = await DmrLikeDevice.open(s.base);
  await waitFor(() => dmr.state.TransportState !== undefined, "the first event");
  return dmr;
}

describe("a cast in its own words", () => {
  it("shows Music Assistant's queue as its tracks (title, artist, length, a moving position) in the API, MQTT and history", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const ma = await musicAssistantStreams(QUEUE, {});
    atFileEnd(() => ma.stop());
    const dmr = await dmrAt(s);
    const player = new MusicAssistantDlna(dmr, ma, false);
    atFileEnd(() => player.stop());
    const api = playersSeen(s);
    // Every message from before Play: the first title the media player gets is the cast's.
    const from = s.watcher.seen.length;
    await player.play();

    await until(
      async () => ((await api.read()).playing[MINI]?.position ?? 0) > 0.5,
      "the first track under way",
      30_000,
    );
    const first = api.answers.at(-1) as PlayersList;
    expect(first.playing[MINI]).toEqual({
      kind: "cast",
      title: "Morning Song",
      artist: "The Larks",
      album: "Dawn",
      position: first.playing[MINI]?.position,
      seconds: 6,
    });
    const shown = api.mini(first)?.playback;
    expect(shown?.chapterTitle).toBe("Morning Song");
    expect(shown?.trackTitle).toBe("Morning Song");
    expect(shown?.trackLength).toBe(6);
    expect(shown?.position).toBe(first.playing[MINI]?.position);
    const at = first.playing[MINI]?.position as number;
    await until(
      async () => ((await api.read()).playing[MINI]?.position ?? 0) >= at + 1,
      "the position to move",
      30_000,
    );
    await until(
      async () => (await api.read()).playing[MINI]?.title === "Über den Wolken",
      "the second track in the API",
      30_000,
    );
    expect(api.answers.at(-1)?.playing[MINI]).toMatchObject({artist: "Reinhard Mey", album: "Ikarus", seconds: 6});

    // The queue played out: the player's session is named by the cast, in the history and its log line.
    await waitFor(() => dmr.state.TransportState === "STOPPED" && player.current() === 1, "the queue's end", 30_000);
    await waitFor(
      () => s.t.logs.some((l) => /Bedroom Mini listened to 'Morning Song' for \d+ s$/.test(l)),
      "the history's line",
      30_000,
    );
    expect(s.t.logs.filter((l) => l.includes("listened to 'Announcements"))).toEqual([]);
    const sessions = await call("GET", `${s.t.adminUrl}/api/history/sessions?player=${MINI}`);
    const session = (sessions.body as {sessions: Array<{cardTitle?: string; chapterTitle?: string}>}).sessions[0];
    expect(session?.cardTitle).toBe("Morning Song");
    expect(session?.chapterTitle).toBe("Über den Wolken");

    // Never the relay card's words, in any answer or any message.
    for (const list of api.answers) {
      expect(api.mini(list)?.playback.trackTitle).not.toBe("Announcement");
      expect(api.mini(list)?.playback.chapterTitle).not.toBe("Announcement");
    }
    const titles = mediaSince(s, from, "title");
    expect(titles[0]).toBe("Morning Song");
    expect(titles).not.toContain("Announcement");
    expect(mediaSince(s, from, "artist")[0]).toBe("The Larks");
    expect(mediaSince(s, from, "artist")).not.toContain("Announcements · Bedroom Mini");
    // Its length from the first message (a "0" comes only once the player has left the relay card).
    expect(mediaSince(s, from, "duration")[0]).toBe("6");
  }, 90_000);

  it("gives a FLAC track cast with no DIDL-Lite and no length a position and, from the player, its length", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const ma = await musicAssistantStreams(
      [{name: "Lullaby", artist: "The Owls", album: "Night", seconds: 8, frequency: 660}],
      {},
    );
    atFileEnd(() => ma.stop());
    const dmr = await dmrAt(s);
    const api = playersSeen(s);
    const from = s.watcher.seen.length;
    await dmr.ok("SetAVTransportURI", {CurrentURI: xmlText(ma.url("single", 0)), CurrentURIMetaData: ""});
    await dmr.play();
    await until(
      async () => {
        const now = (await api.read()).playing[MINI];
        return (now?.position ?? 0) > 0 && now?.seconds !== undefined;
      },
      "a position and a length",
      30_000,
    );
    const now = api.answers.at(-1)?.playing[MINI];
    // Nothing names it but its address: its file name is its title.
    expect(now?.title).toBe("uuid-yoto.flac");
    expect(now?.seconds).toBe(8);
    expect(api.mini(api.answers.at(-1) as PlayersList)?.playback.trackLength).toBe(8);
    expect(mediaSince(s, from, "title")[0]).toBe("uuid-yoto.flac");
    await waitFor(() => mediaSince(s, from, "duration").includes("8"), "the media player's length");
    for (const list of api.answers) expect(api.mini(list)?.playback.trackTitle).not.toBe("Announcement");
  }, 60_000);

  it("logs a connection reset on the UPnP port at debug, not as a refused client", async () => {
    const s = await miniRenderer(start);
    const port = s.t.app.upnp.port;
    // A client that writes its request and resets the connection while the service is busy (this
    // process blocked until that client has exited): the listener takes the connection afterwards,
    // when its peer's address is already gone. So it came under Music Assistant's load.
    execFileSync(process.execPath, [
      "-e",
      `const s = require("node:net").connect(${port}, "127.0.0.1", () => {
        s.write("GET /upnp/${MINI}/description.xml HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n", () => s.resetAndDestroy());
      });
      s.on("error", () => undefined);`,
    ]);
    const reset = /A UPnP GET came on a connection its client had already reset: not answered/;
    await waitFor(() => s.t.logs.some((l) => reset.test(l)), "the reset's line");
    expect(s.t.logs.find((l) => reset.test(l))).toMatch(/DEBUG/);
    expect(s.t.logs.filter((l) => l.includes("Refused a UPnP"))).toEqual([]);
  }, 60_000);
});
