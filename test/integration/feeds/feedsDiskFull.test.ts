import path from "node:path";
import {afterAll, afterEach, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {taleEpisode as episode, FeedServer} from "../../helpers/feedServer.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {call} from "../../helpers/http.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping feed disk-full tests: ${cannotMountReason}`);

let server: FeedServer;
let t: TestApp | undefined;
let disk: SmallDisk | undefined;
beforeAll(async () => {
  server = new FeedServer();
  await server.start();
  const dir = await tempDir("yss-feed-full-");
  for (const n of [1, 2]) server.files.set(`/audio/${n}.mp3`, await makeTone(path.join(dir, `${n}.mp3`), {seconds: 1}));
});
afterAll(() => server.stop());
afterEach(async () => {
  await t?.stop();
  await disk?.unmount();
  t = disk = undefined;
});

describe.skipIf(!canMountDisks)("a feed refresh when the data folder's disk is full", () => {
  it("fails as a whole naming the disk, keeps the last good episodes, and takes the news once space is freed", async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    disk = await mountSmallDisk(dataDir, 4096);
    t = await startApp([], {dataDir, mediaDir: path.join(root, "media")});
    server.episodes = [episode(1)];
    server.bump();
    expect((await call("PUT", `${t.adminUrl}/api/streams/tales`, {feed: {url: `${server.url}/feed.xml`}})).status).toBe(
      202,
    );
    const refresh = async () => (await call("POST", `${t!.adminUrl}/api/streams/tales/feed/refresh`)).body;
    const good = await refresh();
    expect(good.episodes.map((e: {title: string}) => e.title)).toEqual(["Tale 1"]);
    const queue = t.app.streams.get("tales").items;

    const filled = await fillDisk(dataDir);
    server.episodes.push(episode(2));
    server.bump();
    const full = await refresh();
    expect(full.error).toBe(
      `The disk holding '${path.join(dataDir, "feed-downloads")}' is full: free some space and retry`,
    );
    expect(full.skipped).toEqual([]);
    expect(full.episodes.map((e: {title: string}) => e.title)).toEqual(["Tale 1"]);
    expect(t.app.streams.get("tales").items).toEqual(queue);

    await filled.free();
    const after = await refresh();
    expect([after.error, after.episodes.map((e: {title: string}) => e.title)]).toEqual([null, ["Tale 1", "Tale 2"]]);
  });
});
