import path from "node:path";
import {describe, expect, it} from "vitest";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();

describe("story radio on a shelf just saved", () => {
  it("is on the shelf at once, never 'missing' while its stream is being written", async () => {
    const {t} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    await makeTone(path.join(t.mediaDir, "hum.mp3"), {seconds: 2, title: "Humming", quick: true});
    await t.app.library.scan();
    const hum = t.app.library.items()[0]!.id;
    const plan = {players: ["Bedroom Mini"], shelf: [`library:${hum}`, "story-radio"]};
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);

    // Read as the Family page reads it right after Save: before story radio has written its stream.
    const read = await call("GET", `${t.adminUrl}/api/children/Mia/shelf`);
    expect(read.body.missing).toEqual([]);
    expect(read.body.items.map((i: {id: string; title: string}) => [i.id, i.title])).toEqual([
      [`library:${hum}`, "Humming"],
      ["story-radio", "Story radio"],
    ]);
    await waitFor(() => t.app.streams.has("story-radio-mia"), "Mia's story radio written");

    // A shelf with nothing story radio can play still says so.
    expect(
      (await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Living Room"], shelf: ["Songs", "story-radio"]}))
        .status,
    ).toBe(200);
    const ben = await call("GET", `${t.adminUrl}/api/children/Ben/shelf`);
    expect(ben.body.missing).toEqual([
      {
        ref: "story-radio",
        why: "has nothing to play yet: story radio plays the shelf's library items, streams and podcasts",
      },
    ]);
  }, 60_000);
});
