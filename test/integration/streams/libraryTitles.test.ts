import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** A rule naming a library item by its title, as a family would write it. */
const LULLABY_RULE = `- id: lullaby_by_title
  triggers:
    - trigger: startup
  actions:
    - action: stream.replace
      stream: lullaby
      items: ["Twinkle Tone"]
`;

describe("a library item by its title", () => {
  it("is taken by streams and rules like its id or path; a title two items share is refused, naming their paths", async () => {
    const root = await tempDir();
    const mediaDir = path.join(root, "media");
    await makeTone(path.join(mediaDir, "lullabies", "01.mp3"), {seconds: 1, title: "Twinkle Tone"});
    await makeTone(path.join(mediaDir, "songs", "moon.mp3"), {seconds: 1, title: "Goodnight Moon", frequency: 300});
    await makeTone(path.join(mediaDir, "other", "moon.mp3"), {seconds: 1, title: "Goodnight Moon", frequency: 500});
    await mkdir(path.join(root, "rules"), {recursive: true});
    await writeFile(path.join(root, "rules", "lullaby.yaml"), LULLABY_RULE);
    t = await startApp([], {dataDir: path.join(root, "data"), mediaDir});
    const twinkle = t.app.library.items().find((i) => i.relPath === "lullabies/01.mp3")?.id;
    expect(twinkle).toBeDefined();

    // The rule loaded and ran: its stream holds the item it named by title.
    expect(t.app.rules.errors()).toEqual([]);
    await waitFor(() => t!.app.streams.has("lullaby"), "the rule's stream");
    expect(t.app.streams.get("lullaby").items).toEqual([twinkle]);

    const put = async (items: string[]) => {
      const res = await fetch(`${t!.adminUrl}/api/streams/bedtime`, {
        method: "PUT",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({items}),
      });
      return {status: res.status, body: await jsonOf(res)};
    };
    // The exact title, or the same letters in another case.
    expect(await put(["twinkle tone"])).toMatchObject({status: 200, body: {queue: {files: [twinkle]}}});
    expect(await put(["Goodnight Moon"])).toEqual({
      status: 400,
      body: {
        error:
          "'Goodnight Moon' is the title of 2 library items ('other/moon.mp3', 'songs/moon.mp3'): use the path of the one you mean",
        code: "bad_items",
      },
    });
    expect((await put(["songs/moon.mp3"])).status).toBe(200);
  });
});
