import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {librarySections} from "../../../src/upnpLibrary/sections/index.js";
import type {ItemEntry} from "../../../src/upnpLibrary/tree.js";
import {startApp} from "../../helpers/app.js";
import {narrated} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

// A story written for this test whose scenes are narrated by the service.
const MOON = `story:
  id: moon
  title: Moon walk
  start: rise
  scenes:
    rise: {say: The moon rises over the hill., end: set}
    set: {say: The moon sets and the owls sleep.}
`;

describe("the Stories section of the family's library", () => {
  it.skipIf(!SPEECH.path)(
    "lists a narrated scene as its narration once it is made, served from the library, never the scene URL",
    async () => {
      const root = await tempDir("yss-narrated-section-");
      await mkdir(path.join(root, "rules"), {recursive: true});
      await writeFile(path.join(root, "rules", "moon.yaml"), MOON);
      const t = await startApp([], {
        dataDir: path.join(root, "data"),
        mediaDir: path.join(root, "media"),
        linkToOwnAudioListener: true,
      });
      expect(await narrated(t, "moon")).toMatchObject({state: "ready", done: 2});
      const stories = librarySections(t.app).find((s) => s.id === "stories")!;
      const scenes = (await stories.children("stories/moon")) as ItemEntry[];
      expect(scenes.map((e) => [e.id, e.title])).toEqual([
        ["stories/moon/rise", "rise"],
        ["stories/moon/set", "set"],
      ]);
      expect(scenes[0]!.res.url).toMatch(/\/audio\/[0-9a-f]{16}\.mp3\?sig=/);
    },
    60_000,
  );
});
