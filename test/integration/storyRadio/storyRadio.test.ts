import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {describeAudio, makeTone} from "../../helpers/audio.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {call} from "../../helpers/http.js";
import {discoveryPayloads, lastOnEveryTopic, linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();
const BRIDGE = "homeassistant/device/yoto_bridge_yoto/config";

describe("story radio and the shelf in Home Assistant", () => {
  it("plays only the shelf's items, each once a round, a stream's tracks together, and stops within the day's listening", async () => {
    const {t, watcher: w} = await startLinked({app: {linkToOwnAudioListener: true}});
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    for (const [name, hz] of [
      ["a", 300],
      ["b", 400],
      ["c", 500],
      ["not-on-shelf", 600],
    ] as const)
      await makeTone(path.join(t.mediaDir, `${name}.mp3`), {
        seconds: 15,
        frequency: hz,
        title: name,
        bitrate: "32k",
        quick: true,
      });
    await t.app.library.scan();
    const id = (title: string) => t.app.library.items().find((i) => i.title === title)!.id;
    const [a, b, c] = [id("a"), id("b"), id("c")];
    expect((await call("PUT", `${t.adminUrl}/api/streams/two-songs`, {items: [a, b]})).status).toBe(200);
    const plan = {
      players: ["Bedroom Mini"],
      budget: {minutes: 1},
      shelf: ["stream:two-songs", `library:${c}`, "Songs", "story-radio"],
    };
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);

    await waitFor(
      () => t.app.streams.has("story-radio-mia") && t.app.streams.get("story-radio-mia").items.length > 0,
      "Mia's story radio",
    );
    const queue = t.app.streams.get("story-radio-mia").items;
    expect(t.app.streams.get("story-radio-mia").mode).toBe("loop");
    // Rounds of the two units (the stream's tracks in order, then the item, or the other way round).
    expect(queue.length % 3).toBe(0);
    for (let r = 0; r < queue.length; r += 3) {
      const round = queue.slice(r, r + 3).join(",");
      expect([`${a},${b},${c}`, `${c},${a},${b}`]).toContain(round);
      if (r > 0) expect(queue[r]).not.toBe(queue[r - 1]);
    }
    // The radio is the shelf's: another's edit is refused with what to do instead.
    expect((await call("PUT", `${t.adminUrl}/api/streams/story-radio-mia`, {items: [a]})).body).toEqual({
      error: `Stream 'story-radio-mia' is Mia's story radio and plays Mia's shelf: change the shelf on the Family page (or "shelf" in PUT /api/children/Mia) instead`,
      code: "story_radio",
    });

    // A minute of listening left: four items of 15 s start within it, the fifth would not, then the stream ends.
    const res = await fetch(`${t.audioUrl}${t.app.links.signed("/streams/story-radio-mia.mp3")}`);
    expect(res.status).toBe(200);
    const heard = path.join(await tempDir(), "heard.mp3");
    await writeFile(heard, Buffer.from(await res.arrayBuffer()));
    const seconds = (await fileSeconds(heard)) ?? 0;
    expect(seconds).toBeGreaterThan(59);
    expect(seconds).toBeLessThan(61);
    expect(await describeAudio(heard)).toMatch(/mp3/);

    // Said to Home Assistant: the child's own story radio.
    const said = await call("POST", `${t.adminUrl}/api/voice`, {
      trigger: "play",
      slots: {what: "story radio", who: "Mia"},
    });
    expect(said.body, JSON.stringify(said.body)).toMatchObject({
      outcome: "played",
      title: "Mia's story radio",
      child: "Mia",
    });
    await waitFor(
      () => t.app.players.get(MINI).playback.chapterTitle === "Mia's story radio",
      "story radio on the Mini",
    );
    // The evening, as the programme reaches it: the Mini playing story radio three steps softer.
    await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the Mini playing");
    const level = t.app.players.get(MINI).volume.level as number;
    await t.app.storyRadio.soften("Mia");
    await waitFor(
      () => t.app.players.get(MINI).volume.level === Math.max(1, level - 3),
      "the Mini softer for the evening",
    );

    // Home Assistant: the shelf as a select, story radio as a button; both pass HA's rules and play.
    await waitFor(
      () => w.lastJson(BRIDGE)?.components?.family_mia_story_radio !== undefined,
      "Mia's story radio button",
    );
    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);
    const comps = w.lastJson(BRIDGE).components;
    expect(comps.family_mia_shelf).toMatchObject({
      platform: "select",
      name: "Mia shelf",
      options: ["Two songs", "c", "Songs"],
      command_topic: "yoto/bridge/request/shelf/play",
    });
    expect(comps.family_mia_story_radio).toMatchObject({platform: "button", name: "Mia story radio"});
    // A name or a title that is nobody's or not there: said so, with what there is.
    const request = async (data: object, transaction: number) => {
      await w.client.publishAsync(comps.family_mia_shelf.command_topic, JSON.stringify({...data, transaction}));
      await waitFor(() => w.lastJson("yoto/bridge/response/shelf/play")?.transaction === transaction, "the answer");
      return w.lastJson("yoto/bridge/response/shelf/play");
    };
    expect((await request({child: "Nobody", title: "x"}, 1)).error).toBe(
      "No child 'Nobody' in the family plan: children are Mia",
    );
    expect((await request({child: "mia", title: "Nope"}, 2)).error).toBe(
      `'Nope' is not on Mia's shelf: its titles are 'Two songs', 'c', 'Songs'; send {"child": "Mia", "title": "<title>"}`,
    );
    await w.client.publishAsync(comps.family_mia_shelf.command_topic, JSON.stringify({child: "Mia", title: "Songs"}));
    await waitFor(() => t.app.players.get(MINI).playback.cardId === "songs", "Songs picked in Home Assistant, playing");
    // An automation written when the stream was said in lower case still names it (the tap just
    // taken may hold it back a moment: "busy", never "not on Mia's shelf").
    const lower = await request({child: "Mia", title: "two songs"}, 3);
    expect([lower.error, ["busy", "played"].includes(lower.data?.outcome)]).toEqual([undefined, true]);

    // Deleted by hand, the radio comes back (the tile and the button play it); with its child gone, it goes.
    expect((await call("DELETE", `${t.adminUrl}/api/streams/story-radio-mia`)).status).toBeLessThan(300);
    await waitFor(() => t.app.streams.has("story-radio-mia"), "story radio back");
    expect((await call("DELETE", `${t.adminUrl}/api/children/Mia`)).status).toBe(204);
    await waitFor(() => !t.app.streams.has("story-radio-mia"), "story radio gone with Mia");
  }, 90_000);
});

/** The length ffmpeg reads from the whole file (decoding it), in seconds. */
async function fileSeconds(file: string): Promise<number | undefined> {
  const {execFile} = await import("node:child_process");
  const {ffmpegPath} = await import("../../helpers/audio.js");
  const stderr = await new Promise<string>((resolve) =>
    execFile(ffmpegPath, ["-hide_banner", "-nostdin", "-i", file, "-f", "null", "-"], (_err, _out, err) =>
      resolve(err),
    ),
  );
  const times = [...stderr.matchAll(/time=(\d+):(\d+):(\d+\.\d+)/g)];
  const t = times.at(-1);
  return t ? Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3]) : undefined;
}
