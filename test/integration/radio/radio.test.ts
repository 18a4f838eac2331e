import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {type Icecast, startIcecast, until} from "../../helpers/icecast.js";
import {hasMp3Frames, listen, putStream, streamView} from "../../helpers/radio.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const ICECAST = systemNeed("icecast2");

let icecast: Icecast;
let t: TestApp;
const nowPlaying: Array<{stream: string; title: string}> = [];

describe.skipIf(!ICECAST.path)("internet radio from a real Icecast server", () => {
  beforeAll(async () => {
    icecast = await startIcecast();
    await icecast.feed("kids");
    await icecast.feed("aac", "aac");
    t = await startApp([], {radio: {lingerMs: 300}});
    t.app.bus.on({}, "radio.songChanged", (e) => {
      nowPlaying.push(e);
    });
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    await icecast?.stop();
  });

  it("plays an MP3 station as the stream's MP3, with the station's song as now playing", async () => {
    const put = await putStream(t, "kids", {radio: {url: `${icecast.url}/kids`}});
    expect(put.status).toBe(200);
    expect(put.body.message).toBe("Stream 'kids' plays the station");
    expect(put.body.stream.radio).toEqual({
      url: `${icecast.url}/kids`,
      state: "idle",
      now_playing: null,
      error: null,
      listeners: 0,
      since: null,
    });
    await icecast.setTitle("kids", "The Wheels on the Bus");
    const player = await listen(t, "kids", true);
    await until(() => player.bytes() > 32_000, "two seconds of audio");
    expect(hasMp3Frames(player.received())).toBe(true);
    // The station's metadata blocks never reach the player.
    expect(player.received().includes("StreamTitle")).toBe(false);
    await until(async () => (await streamView(t, "kids")).radio.now_playing === "The Wheels on the Bus", "the title");
    const view = await streamView(t, "kids");
    expect(view.radio).toMatchObject({state: "playing", listeners: 1, error: null});
    expect(nowPlaying).toContainEqual({stream: "kids", title: "The Wheels on the Bus"});
    await icecast.setTitle("kids", "Baby Shark");
    await until(async () => (await streamView(t, "kids")).radio.now_playing === "Baby Shark", "the next title");
    player.close();
  }, 30_000);

  it("serves 50 players from one connection to the station, and lets go after the last leaves", async () => {
    await putStream(t, "kids", {radio: {url: `${icecast.url}/kids`}});
    const players = await Promise.all(Array.from({length: 50}, () => listen(t, "kids")));
    await until(async () => (await streamView(t, "kids")).radio.state === "playing", "the station playing");
    const before = players.map((p) => p.bytes());
    await until(() => players.every((p, i) => p.bytes() > (before[i] as number) + 16_000), "audio at every player");
    expect(await icecast.listeners("kids")).toBe(1);
    expect((await streamView(t, "kids")).radio.listeners).toBe(50);
    for (const p of players) p.close();
    await until(async () => (await icecast.listeners("kids")) === 0, "the upstream closed after the linger");
    expect((await streamView(t, "kids")).radio.state).toBe("idle");
  }, 30_000);

  it("re-encodes an AAC station to MP3", async () => {
    await putStream(t, "aac-radio", {radio: {url: `${icecast.url}/aac`}});
    const player = await listen(t, "aac-radio", true);
    await until(async () => (await streamView(t, "aac-radio")).radio.state === "playing", "the station playing");
    await until(() => player.bytes() > 48_000, "converted audio");
    const bytes = player.received();
    expect(hasMp3Frames(bytes)).toBe(true);
    // ADTS frames start 0xFFF1/0xFFF9: none of those pass through.
    expect(bytes.subarray(0, 2).equals(Buffer.from([0xff, 0xf1]))).toBe(false);
    expect((await streamView(t, "aac-radio")).radio.state).toBe("playing");
    player.close();
  }, 30_000);

  it("keeps a station stream's queue edits out, and makes it a queue again on request", async () => {
    await putStream(t, "kids", {radio: {url: `${icecast.url}/kids`}});
    const res = await fetch(`${t.adminUrl}/api/streams/kids/queue`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({items: ["x.mp3"]}),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as {error: string}).error).toBe(
      `Stream 'kids' plays a radio station and has no queue: send {"radio": null} to PUT /api/streams/kids first to make it a queue again`,
    );
    const back = await putStream(t, "kids", {radio: null});
    expect(back.body.message).toBe("Stream 'kids' is a queue again");
    expect(back.body.stream.radio).toBeNull();
    expect(back.body.stream.items).toEqual([]);
  });
});
