import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let items: string[];

beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  for (const name of ["a", "b", "c"]) await makeTone(path.join(mediaDir, `${name}.mp3`), {seconds: 0.3});
  t = await startApp([], {dataDir: path.join(root, "data"), mediaDir});
  items = ["a.mp3", "b.mp3", "c.mp3"].map((p) => t.app.library.items().find((i) => i.relPath === p)?.id as string);
});

afterAll(() => t?.stop());

const remove = async (index: string, stream = "kids") => {
  const res = await fetch(`${t.adminUrl}/api/streams/${stream}/queue/${index}`, {method: "DELETE"});
  return {status: res.status, body: await jsonOf(res)};
};

describe("queue positions in the address", () => {
  it("takes digits only, and a refused position changes nothing", async () => {
    await t.app.streams.replace("kids", items);
    // Each of these is a number to Number() (" " and "" are 0), so each used to remove an item.
    const refused: Array<[string, string]> = [
      ["%20", " "],
      ["%09", "\t"],
      ["1e0", "1e0"],
      ["0x1", "0x1"],
      ["0b1", "0b1"],
      ["+1", "+1"],
      ["-0", "-0"],
      ["1.0", "1.0"],
      ["%201", " 1"],
      ["1%20", "1 "],
      ["%EF%BC%91", "１"],
      ["Infinity", "Infinity"],
      ["%ZZ", "%ZZ"],
      // Without an index the router would reach the route that clears the whole queue.
      ["", ""],
    ];
    for (const [sent, decoded] of refused) {
      expect(await remove(sent), sent).toEqual({
        status: 400,
        body: {
          error: `index must be digits only, counting from 0 (…/queue/0 removes the first item); got ${JSON.stringify(decoded)}`,
          code: "bad_index",
        },
      });
    }
    expect(t.app.streams.get("kids")).toMatchObject({items, version: 1});
  });

  it("removes the item at a position written in digits, leading zeros allowed", async () => {
    await t.app.streams.replace("zeros", items);
    const removed = await remove("001", "zeros");
    expect(removed.status).toBe(200);
    expect(removed.body.queue.files).toEqual([items[0], items[2]]);
    expect(await remove("2", "zeros")).toEqual({
      status: 400,
      body: {error: "index 2 is out of range: the queue has 2 item(s)", code: "bad_index"},
    });
  });
});
