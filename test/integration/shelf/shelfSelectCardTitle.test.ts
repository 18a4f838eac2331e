import path from "node:path";
import {describe, expect, it} from "vitest";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();
const BRIDGE = "homeassistant/device/yoto_bridge_yoto/config";

/** Mia's shelf holding the stream `demo` (one library tone), on a linked service with its own audio address. */
async function miaWithDemoOnHerShelf() {
  const linked = await startLinked({app: {linkToOwnAudioListener: true}});
  const {t} = linked;
  await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
  await makeTone(path.join(t.mediaDir, "growl.mp3"), {seconds: 10, title: "Growl", bitrate: "32k", quick: true});
  await t.app.library.scan();
  await t.app.streams.replace("demo", ["growl.mp3"]);
  const plan = {players: ["Bedroom Mini"], shelf: ["stream:demo"]};
  expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);
  return linked;
}

describe("the shelf select in Home Assistant, when a card is made from a stream on the shelf", () => {
  it("offers the stream by the card's title, as the child's page names it, and plays it by that title", async () => {
    const {t, watcher: w} = await miaWithDemoOnHerShelf();
    const options = () => w.lastJson(BRIDGE)?.components?.family_mia_shelf?.options as string[] | undefined;
    await waitFor(() => options()?.[0] === "Demo", "the select offering Demo");
    await waitFor(() => t.app.streams.has("story-radio-mia"), "Mia's story radio");

    // The Streams view's "Make a card": the stream is "The Gruffalo" from now on, on the child's page too.
    const made = await call("POST", `${t.adminUrl}/api/cards`, {from: "stream", stream: "demo", title: "The Gruffalo"});
    expect(made.status, made.body.error).toBe(201);
    const shelf = await call("GET", `${t.adminUrl}/api/children/Mia/shelf`);
    expect(shelf.body.items.map((i: {title: string}) => i.title)).toEqual(["The Gruffalo"]);

    // Home Assistant's select says what the page says, and what it offers plays.
    await waitFor(() => options()?.[0] === "The Gruffalo", `the select offering The Gruffalo, not ${options()}`);
  }, 60_000);

  it("still plays the option Home Assistant offers now, when the card was made after the select was published", async () => {
    const {t, watcher: w} = await miaWithDemoOnHerShelf();
    const comps = () => w.lastJson(BRIDGE)?.components;
    await waitFor(() => comps()?.family_mia_shelf?.options?.[0] === "Demo", "the select offering Demo");
    const made = await call("POST", `${t.adminUrl}/api/cards`, {from: "stream", stream: "demo", title: "The Gruffalo"});
    expect(made.status, made.body.error).toBe(201);

    // What the select offers (however long ago it was published) is what a pick sends.
    const option = comps().family_mia_shelf.options[0] as string;
    await w.client.publishAsync(
      comps().family_mia_shelf.command_topic,
      JSON.stringify({child: "Mia", title: option, transaction: 7}),
    );
    await waitFor(() => w.lastJson("yoto/bridge/response/shelf/play")?.transaction === 7, "the answer");
    expect(w.lastJson("yoto/bridge/response/shelf/play").error, option).toBeUndefined();
  }, 60_000);
});
