import {mkdir, readdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {startApp} from "../../helpers/app.js";
import {tempDir} from "../../helpers/tmp.js";

describe("narration after a killed run", () => {
  it("removes the speech an earlier run left half made, and says how many files it removed", async () => {
    const root = await tempDir("yss-leftovers-");
    const dataDir = path.join(root, "data");
    const incoming = path.join(dataDir, "narration-incoming");
    await mkdir(incoming, {recursive: true});
    // What a kill -9 in the middle of speaking leaves: the raw WAV and the half-encoded MP3.
    await writeFile(path.join(incoming, "3f2a9c-4242"), Buffer.alloc(64 * 1024));
    await writeFile(path.join(incoming, "3f2a9c-4242.mp3"), Buffer.alloc(1024));
    const t = await startApp([], {dataDir, mediaDir: path.join(root, "media")});
    expect(await readdir(dataDir)).not.toContain("narration-incoming");
    expect(t.logs.filter((l) => l.includes("unfinished narration"))).toEqual([
      expect.stringContaining(`Removed 2 unfinished narration file(s) an earlier run left in '${incoming}'`),
    ]);
  });
});
