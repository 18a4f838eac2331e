import path from "node:path";
import {describe, expect, it} from "vitest";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();
const RADIO = "story-radio-mia";
const REFUSED = {
  error: `Stream '${RADIO}' is Mia's story radio and plays Mia's shelf: change the shelf on the Family page (or "shelf" in PUT /api/children/Mia) instead`,
  code: "story_radio",
};

describe("a child's story radio is only what the shelf makes it", () => {
  it("refuses every write to the stream with where to change it, and a shelf change writes it back from the shelf", async () => {
    const {t} = await startLinked();
    for (const [name, hz] of [
      ["a", 300],
      ["b", 400],
      ["c", 500],
    ] as const)
      await makeTone(path.join(t.mediaDir, `${name}.mp3`), {seconds: 1, frequency: hz, title: name, quick: true});
    await t.app.library.scan();
    const id = (title: string) => t.app.library.items().find((i) => i.title === title)!.id;
    const [a, b, c] = [id("a"), id("b"), id("c")];
    const api = `${t.adminUrl}/api/streams/${RADIO}`;

    // Before Mia has a plan the name is story radio's already: a stream of it made by hand is refused
    // (one an older version made is taken over: storyRadioName.test.ts).
    expect((await call("PUT", api, {items: [c, c], mode: "shuffle"})).body).toEqual({
      error: `Stream names starting with 'story-radio-' are kept for the children's story radios, which story radio makes from each child's shelf: name this stream another way, such as 'mia-radio' (and put "story-radio" on a child's shelf for that child's own)`,
      code: "story_radio_name",
    });
    expect(t.app.streams.has(RADIO)).toBe(false);
    expect((await call("PUT", `${t.adminUrl}/api/streams/two-songs`, {items: [a, b]})).status).toBe(200);
    const shelf = (refs: string[]) =>
      call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"], shelf: refs});
    expect((await shelf(["stream:two-songs"])).status).toBe(200);
    await waitFor(() => t.app.streams.has(RADIO) && t.app.streams.get(RADIO).items[0] === a, "Mia's story radio");
    const before = t.app.streams.get(RADIO);
    expect(before).toMatchObject({mode: "loop", presets: {}, activePreset: null});
    expect(new Set(before.items)).toEqual(new Set([a, b]));

    // Every way to write a stream, each refused with the same answer.
    const writes: Array<[string, string, unknown?]> = [
      ["PUT", api, {items: [c]}],
      ["PUT", api, {items: [c], mode: "once"}],
      ["PUT", api, {feed: {url: "http://127.0.0.1:9/feed.xml"}}],
      ["PUT", api, {radio: {url: "http://127.0.0.1:9/station.mp3"}}],
      ["POST", `${api}/queue`, {items: [c]}],
      ["POST", `${api}/queue`, {items: [c], index: 0}],
      ["DELETE", `${api}/queue`],
      ["DELETE", `${api}/queue/0`],
      ["PUT", `${api}/queue/reorder`, {old_index: 0, new_index: 1}],
      ["PUT", `${api}/mode`, {mode: "once"}],
      ["POST", `${api}/shuffle`],
      ["PUT", `${api}/presets/calm`, {items: [c]}],
      ["DELETE", `${api}/presets/calm`],
      ["POST", `${api}/presets/calm/activate`],
    ];
    for (const [method, url, body] of writes) {
      const res = await call(method, url, body);
      expect({method, url, body, status: res.status, answer: res.body}).toEqual({
        method,
        url,
        body,
        status: 409,
        answer: REFUSED,
      });
    }
    // Nothing changed: the same stream, no feed, no station.
    expect(t.app.streams.get(RADIO)).toEqual(before);
    expect((await call("GET", api)).body).toMatchObject({feed: null, radio: null, mode: "loop", presets: {}});

    // Deleted by hand, it is made again from the shelf (the tile and the button play it).
    expect((await call("DELETE", api)).status).toBe(200);
    await waitFor(() => t.app.streams.has(RADIO), "story radio back");
    expect(new Set(t.app.streams.get(RADIO).items)).toEqual(new Set([a, b]));

    // A shelf change: the stream is what the new shelf makes it, rounds of its two units.
    expect((await shelf([`library:${c}`, "stream:two-songs"])).status).toBe(200);
    await waitFor(() => t.app.streams.get(RADIO).items.includes(c), "the new shelf on the radio");
    const after = t.app.streams.get(RADIO);
    expect(after).toMatchObject({mode: "loop", presets: {}, activePreset: null});
    expect(after.items.length % 3).toBe(0);
    for (let r = 0; r < after.items.length; r += 3)
      expect([`${a},${b},${c}`, `${c},${a},${b}`]).toContain(after.items.slice(r, r + 3).join(","));
  }, 60_000);
});
