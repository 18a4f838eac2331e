import path from "node:path";
import {afterAll, afterEach, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {
  taleEpisode as episode,
  type FeedServer,
  followFeed,
  refreshFeed,
  toneFeedServer,
} from "../../helpers/feedServer.js";
import {call} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let server: FeedServer;
let t: TestApp | undefined;
beforeAll(async () => {
  server = await toneFeedServer(5);
}, 30_000);
afterAll(() => server.stop());
afterEach(async () => {
  await t?.stop();
  t = undefined;
  server.log.length = 0;
});

const follow = (stream: string, feed: Record<string, unknown>) => followFeed(t!.adminUrl, stream, feed);
const refresh = (stream: string) => refreshFeed(t!.adminUrl, stream);

/** The titles the stream's queue plays, in order. */
async function queue(stream: string): Promise<string[]> {
  const res = await call("GET", `${t!.adminUrl}/api/streams/${stream}`);
  return res.body.items.map((i: {title: string | null; id: string}) => i.title ?? i.id);
}

const titles = (view: {episodes: Array<{title: string}>}) => view.episodes.map((e) => e.title);

describe("hiding an episode of a feed stream", () => {
  it("takes it out now, fills its place with the next newest, and keeps it out across refreshes and a restart until it is unhidden", async () => {
    t = await startApp();
    server.episodes = [episode(1), episode(2), episode(3), episode(4), episode(5)];
    server.bump();
    const first = await follow("tales", {url: `${server.url}/feed.xml`, keep: 3});
    expect(titles(first)).toEqual(["Tale 3", "Tale 4", "Tale 5"]);
    const tale4 = first.episodes[1].item;

    // The row's remove: Tale 4 leaves the queue in the answer itself.
    const hide = await call("DELETE", `${t.adminUrl}/api/streams/tales/queue/1`);
    expect(hide.status, JSON.stringify(hide.body)).toBe(200);
    expect(hide.body.message).toBe(
      "Hid episode 'Tale 4' of stream 'tales': refreshes leave it out and the next newest takes its place (DELETE /api/streams/tales/feed/hidden/<key> brings it back)",
    );
    expect(hide.body.stream.items.map((i: {title: string}) => i.title)).toEqual(["Tale 3", "Tale 5"]);
    expect(hide.body.stream.feed.hidden).toEqual([{key: "tale-4", title: "Tale 4"}]);
    expect(titles(hide.body.stream.feed)).toEqual(["Tale 3", "Tale 5"]);

    // The refresh it started (joined here) reads the whole feed though it is unchanged, and keeps 3.
    const filled = await refresh("tales");
    expect(server.requests("/feed.xml").at(-1)).toMatchObject({conditional: false, status: 200});
    expect(titles(filled)).toEqual(["Tale 2", "Tale 3", "Tale 5"]);
    expect(filled.hidden).toEqual([{key: "tale-4", title: "Tale 4"}]);
    expect(await queue("tales")).toEqual(["Tale 2", "Tale 3", "Tale 5"]);
    // Its file left the library, as an episode past `keep` does.
    expect(t.app.library.get(tale4)).toBeUndefined();

    // Unchanged, then changed: still hidden, and the ETag is trusted again.
    await refresh("tales");
    expect(server.requests("/feed.xml").at(-1)).toMatchObject({conditional: true, status: 304});
    server.bump();
    expect(titles(await refresh("tales"))).toEqual(["Tale 2", "Tale 3", "Tale 5"]);

    // A restart with the same data folder.
    const {dataDir, mediaDir} = t;
    await t.stop();
    t = await startApp([], {dataDir, mediaDir});
    server.bump();
    const restarted = await refresh("tales");
    expect(titles(restarted)).toEqual(["Tale 2", "Tale 3", "Tale 5"]);
    expect(restarted.hidden).toEqual([{key: "tale-4", title: "Tale 4"}]);
    expect(await queue("tales")).toEqual(["Tale 2", "Tale 3", "Tale 5"]);

    const unknown = await call("DELETE", `${t.adminUrl}/api/streams/tales/feed/hidden/tale-9`);
    expect([unknown.status, unknown.body]).toEqual([
      404,
      {error: "Stream 'tales' hides no episode 'tale-9' (it hides: 'tale-4')", code: "not_hidden"},
    ]);

    const unhide = await call("DELETE", `${t.adminUrl}/api/streams/tales/feed/hidden/tale-4`);
    expect(unhide.status, JSON.stringify(unhide.body)).toBe(200);
    expect(unhide.body.message).toBe(
      "Episode 'Tale 4' of stream 'tales' is no longer hidden: it comes back at the refresh now under way if it is still among the newest",
    );
    expect(unhide.body.feed.hidden).toEqual([]);
    const back = await refresh("tales");
    expect(titles(back)).toEqual(["Tale 3", "Tale 4", "Tale 5"]);
    expect(await queue("tales")).toEqual(["Tale 3", "Tale 4", "Tale 5"]);
    // Downloaded again: its file had gone.
    expect(server.requests("/audio/4.mp3")).toHaveLength(2);
  });

  it("refuses a move or an insert among the episodes, with why, and keeps the family's own items in front", async () => {
    const root = await tempDir("yss-hidden-own-");
    const mediaDir = path.join(root, "media");
    await makeTone(path.join(mediaDir, "greeting.mp3"), {seconds: 1, frequency: 880});
    t = await startApp([], {dataDir: path.join(root, "data"), mediaDir});
    server.episodes = [episode(1), episode(2)];
    server.bump();
    await follow("owned", {url: `${server.url}/feed.xml`});
    expect(await queue("owned")).toEqual(["Tale 1", "Tale 2"]);

    const insert = await call("POST", `${t.adminUrl}/api/streams/owned/queue`, {items: ["greeting.mp3"], index: 1});
    expect([insert.status, insert.body]).toEqual([
      409,
      {
        error:
          "Stream 'owned' follows a feed, which would put your items back in front of its episodes at its next refresh: add them at index 0, or without one",
        code: "follows_feed",
      },
    ]);
    const move = await call("PUT", `${t.adminUrl}/api/streams/owned/queue/reorder`, {old_index: 0, new_index: 1});
    expect([move.status, move.body]).toEqual([
      409,
      {
        error:
          'Stream \'owned\' follows a feed, which would put its episodes back in the feed\'s order at its next refresh: change the order with {"feed": {"order": …}}',
        code: "follows_feed",
      },
    ]);
    expect(await queue("owned")).toEqual(["Tale 1", "Tale 2"]);

    // Without an index the item goes in front of the episodes, where a refresh keeps it.
    const add = await call("POST", `${t.adminUrl}/api/streams/owned/queue`, {items: ["greeting.mp3"]});
    expect(add.status, JSON.stringify(add.body)).toBe(200);
    expect(add.body.message).toBe("Added 1 item(s) to stream 'owned', in front of its episodes");
    server.bump();
    await refresh("owned");
    expect(await queue("owned")).toEqual(["greeting", "Tale 1", "Tale 2"]);

    // The family's own item is removed as any item, not hidden.
    const remove = await call("DELETE", `${t.adminUrl}/api/streams/owned/queue/0`);
    expect(remove.body.message).toBe("Removed item 0 from stream 'owned'");
    expect(remove.body.stream.feed.hidden).toEqual([]);
    expect(await queue("owned")).toEqual(["Tale 1", "Tale 2"]);
  });
});
