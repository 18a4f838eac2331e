import {copyFile, mkdir} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

const SHELVES = 20;
const PER_SHELF = 100;

let t: TestApp;

// One real MP3 copied to 2,000 paths, the size of a family's library, with names long enough
// that a backtracking matcher needs minutes for each of them.
beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  const tone = await makeTone(path.join(root, "tone.mp3"), {seconds: 0.2});
  for (let shelf = 0; shelf < SHELVES; shelf++) {
    const folder = path.join(mediaDir, `shelf-${String(shelf).padStart(2, "0")}`);
    await mkdir(folder, {recursive: true});
    await Promise.all(
      Array.from({length: PER_SHELF}, (_, i) =>
        copyFile(tone, path.join(folder, `bedtime-story-number-${String(i).padStart(3, "0")}.mp3`)),
      ),
    );
  }
  t = await startApp([], {dataDir: path.join(root, "data"), mediaDir});
  expect(t.app.library.items()).toHaveLength(SHELVES * PER_SHELF);
}, 120_000);

afterAll(() => t?.stop());

const put = async (stream: string, items: string[]) => {
  const res = await fetch(`${t.adminUrl}/api/streams/${stream}`, {
    method: "PUT",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({items}),
  });
  return {status: res.status, body: await jsonOf(res)};
};

const relPaths = (body: {stream: {items: Array<{relPath: string}>}}) => body.stream.items.map((i) => i.relPath);

describe("globs in stream items", () => {
  it("answers a hostile glob over 2,000 items, and keeps serving", async () => {
    // How its time grows is the glob's unit test's (a ratio to a tenth of the paths' length).
    for (const glob of ["**?**?**?**?**?**?**!", "**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**?**!"]) {
      const answer = await put("hostile", [glob]);
      expect(answer).toEqual({
        status: 400,
        body: {error: `'${glob}' matches nothing in the library`, code: "bad_items"},
      });
    }
    const health = await fetch(`${t.adminUrl}/api/health`);
    expect(health.status).toBe(200);
  });

  it("takes `*` within a folder, `**` across folders and `?` as one character, in path order", async () => {
    const shelf = await put("shelf", ["shelf-07/*"]);
    expect(shelf.status).toBe(200);
    expect(relPaths(shelf.body)).toHaveLength(PER_SHELF);
    expect(relPaths(shelf.body)[0]).toBe("shelf-07/bedtime-story-number-000.mp3");
    expect(relPaths(shelf.body).at(-1)).toBe("shelf-07/bedtime-story-number-099.mp3");

    const across = await put("across", ["**/bedtime-story-number-04?.mp3"]);
    expect(relPaths(across.body)).toHaveLength(SHELVES * 10);
    expect(relPaths(across.body).slice(0, 2)).toEqual([
      "shelf-00/bedtime-story-number-040.mp3",
      "shelf-00/bedtime-story-number-041.mp3",
    ]);

    const few = await put("few", ["shelf-1?/*-00?.mp3", "shelf-03/*-012.mp3"]);
    expect(relPaths(few.body)).toHaveLength(10 * 10 + 1);
    expect(relPaths(few.body).at(-1)).toBe("shelf-03/bedtime-story-number-012.mp3");

    // `*` never reaches into a folder: at the top of the library there are only folders.
    expect(await put("top", ["*.mp3"])).toEqual({
      status: 400,
      body: {error: "'*.mp3' matches nothing in the library", code: "bad_items"},
    });
  });
});
