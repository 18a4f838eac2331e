import {createHash} from "node:crypto";
import {mkdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack, filesOnDisk} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {untilAdded} from "../../helpers/streamAdding.js";

let stack: ArchiveStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("the family archive", () => {
  it("archives the family's own cards once, then exactly what changed, keeps a card deleted at Yoto, restores it equal, and plays it as a stream", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    sim.addUserIcon("grandmaIconMediaId0001", "Grandma");
    const grandma = await addFamilyCard(
      sim,
      "gran1",
      "Grandma's stories",
      [{title: "The Owl"}, {title: "The Fox"}, {title: "The Moon", seconds: 2}],
      {icon: "grandmaIconMediaId0001", cover: true},
    );
    // A song on two cards is stored once.
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush", sha: grandma[0]}, {title: "Lullaby"}]);
    sim.addStoreCard({
      cardId: "shop1",
      title: "The Gruffalo",
      content: {chapters: [{key: "01-INT", title: "Welcome", tracks: []}]},
    });

    const first = await archiveNow(api);
    expect(first.status).toBe(200);
    expect(first.run).toMatchObject({state: "done", trigger: "manual", cards: {done: 2, total: 2}, problems: []});
    // 4 distinct tracks, 1 icon, 1 cover.
    expect(first.run.downloaded.files).toBe(6);
    expect(first.run.changes.map((c: {summary: string}) => c.summary).sort()).toEqual([
      "archived for the first time: 2 chapters, 2 tracks",
      "archived for the first time: 3 chapters, 3 tracks",
    ]);
    const overview = (await call("GET", `${api}/archive`)).body;
    expect(overview.cards.map((c: {title: string}) => c.title)).toEqual(["Grandma's stories", "Songs"]);
    expect(overview.files).toBe(6);
    expect(overview.notArchived).toMatch(/^Only the family's own Make Your Own cards are archived/);
    expect(overview.cards[0]).toMatchObject({
      cardId: "gran1",
      chapterCount: 3,
      trackCount: 3,
      duration: 4,
      hasCover: true,
    });
    // Every file on disk is named by the sha256 of its bytes, and the tracks' are Yoto's own shas.
    const names = await filesOnDisk(t.dataDir);
    expect(names).toHaveLength(6);
    for (const name of names) {
      const sha = name.split(".")[0]!;
      const bytes = await readFile(path.join(t.dataDir, "archive", "files", name));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha);
    }
    for (const sha of grandma) expect(names).toContain(`${sha}.mp3`);
    // The record keeps stable references, never the signed links.
    const record = await readFile(path.join(t.dataDir, "archive", "cards", "gran1.json"), "utf8");
    expect(record).toContain(`"trackUrl": "yoto:#${grandma[0]}"`);
    expect(record).not.toMatch(/Signature=|Expires=/);

    // Nothing new: nothing fetched, not even the cards' content.
    const fetchedBefore = sim.mediaRequests.length;
    const second = await archiveNow(api);
    expect(second.run).toMatchObject({state: "done", downloaded: {files: 0, bytes: 0}, changes: []});
    expect(sim.mediaRequests.length).toBe(fetchedBefore);

    // The family adds two tracks and renames one: exactly those two files are fetched.
    await new Promise((r) => setTimeout(r, 5));
    const changed = await addFamilyCard(
      sim,
      "gran1",
      "Grandma's stories",
      [
        {title: "The Owl", sha: grandma[0]},
        {title: "The Sly Fox", sha: grandma[1]},
        {title: "The Moon", sha: grandma[2], seconds: 2},
        {title: "The Bear", variant: "bear"},
        {title: "The Hare", variant: "hare"},
      ],
      {icon: "grandmaIconMediaId0001", cover: true},
    );
    const third = await archiveNow(api);
    expect(third.run).toMatchObject({state: "done", downloaded: {files: 2}});
    expect(third.run.changes).toEqual([
      {cardId: "gran1", title: "Grandma's stories", summary: "2 tracks added, 1 renamed"},
    ]);
    expect(
      sim.mediaRequests
        .slice(fetchedBefore)
        .map((r) => r.sha)
        .sort(),
    ).toEqual([changed[3], changed[4]].sort());
    const detail = (await call("GET", `${api}/archive/gran1`)).body;
    expect(detail.chapters.map((c: {title: string}) => c.title)).toEqual([
      "The Owl",
      "The Sly Fox",
      "The Moon",
      "The Bear",
      "The Hare",
    ]);
    expect(detail.changes.map((c: {summary: string}) => c.summary)).toEqual([
      "2 tracks added, 1 renamed",
      "archived for the first time: 3 chapters, 3 tracks",
    ]);

    // Deleted at Yoto: kept, marked.
    sim.removeCard("gran1");
    const fourth = await archiveNow(api);
    expect(fourth.run.changes).toEqual([
      {cardId: "gran1", title: "Grandma's stories", summary: "deleted at Yoto; the archived copy is kept"},
    ]);
    const kept = (await call("GET", `${api}/archive/gran1`)).body;
    expect(Date.parse(kept.deletedAt)).toBeGreaterThan(Date.parse(third.run.startedAt));
    expect(await filesOnDisk(t.dataDir)).toHaveLength(8);

    // Restore it as a new card through the upload flow: equal to the archived copy.
    const restored = await call("POST", `${api}/archive/gran1/restore`, {mode: "new", audio: "upload"});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      title: "Grandma's stories",
      mode: "new",
      audio: "upload",
      uploaded: {files: 5},
      check: {ok: true, differences: [], chapters: {archived: 5, restored: 5}, tracks: {archived: 5, restored: 5}},
    });
    const made = sim.card(restored.body.cardId)!;
    expect(made.content.chapters.map((c) => c.tracks[0]!.trackUrl)).toEqual(changed.map((sha) => `yoto:#${sha}`));
    expect(made.content.chapters.map((c) => c.title)).toEqual(detail.chapters.map((c: {title: string}) => c.title));
    expect(made.content.chapters[0]!.display?.icon16x16).toMatch(/^yoto:#/);
    expect((made.metadata as {cover?: {imageL?: string}}).cover?.imageL).toMatch(/\/covers\//);

    // Again: Yoto has the audio already, nothing is sent.
    const again = await call("POST", `${api}/archive/gran1/restore`, {});
    expect(again.body).toMatchObject({uploaded: {files: 0, bytes: 0}, check: {ok: true}});

    // Played without Yoto: a stream, a chapter a track, that any speaker can fetch.
    const stream = await call("POST", `${api}/archive/gran1/stream`, {});
    expect(stream.body).toMatchObject({stream: "grandmas-stories", items: 5});
    // The answer does not wait for the tracks: they join as they are made.
    await untilAdded(t.app, "grandmas-stories");
    const audio = await fetch(stream.body.url);
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-type")).toBe("audio/mpeg");
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(5 * 1000);
    expect(t.app.streams.get("grandmas-stories").items).toHaveLength(5);
    // Made playable once: a second stream of it reuses the same library items.
    const items = t.app.library.items().length;
    expect((await call("POST", `${api}/archive/gran1/stream`, {name: "grandma"})).body.items).toBe(5);
    await untilAdded(t.app, "grandma");
    expect(t.app.library.items().length).toBe(items);
    expect(t.app.streams.get("grandma").items).toEqual(t.app.streams.get("grandmas-stories").items);

    // Or as a card whose tracks stream from here.
    const streamed = await call("POST", `${api}/archive/gran1/restore`, {audio: "stream"});
    expect(streamed.body).toMatchObject({audio: "stream", uploaded: {files: 0}, check: {ok: true}});
    const streamCard = sim.card(streamed.body.cardId)!;
    expect(streamCard.content.chapters.every((c) => c.tracks[0]!.type === "stream")).toBe(true);
    expect(streamCard.content.chapters[0]!.tracks[0]!.trackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/audio\//);
  });

  it("fetches again a file a stopped run left that a power cut cut short", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    const [sha] = await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    // Named as kept, never flushed: after the power cut it holds only part of its bytes.
    const file = path.join(t.dataDir, "archive", "files", `${sha}.mp3`);
    await mkdir(path.dirname(file), {recursive: true});
    await writeFile(file, Buffer.alloc(100));
    expect((await archiveNow(api)).run).toMatchObject({state: "done", downloaded: {files: 1}});
    expect(sim.mediaRequests.map((r) => r.sha)).toEqual([sha]);
    expect(
      createHash("sha256")
        .update(await readFile(file))
        .digest("hex"),
    ).toBe(sha);
  });

  it("says what is wrong with a restore or stream request, and which cards exist", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    // A cover on a host that is gone does not keep the card's audio from being archived.
    await addFamilyCard(sim, "drawn", "Drawn", [{title: "Sketch"}]);
    sim.card("drawn")!.metadata = {cover: {imageL: "http://127.0.0.1:9/gone.png"}};
    const run = (await archiveNow(api)).run;
    expect(run).toMatchObject({state: "done", problems: []});
    expect((await call("GET", `${api}/archive/drawn`)).body).toMatchObject({trackCount: 1, hasCover: false});
    expect(
      t.logs.some((l) =>
        l.includes("Archive: The cover could not be fetched (Could not fetch http://127.0.0.1:9/gone.png"),
      ),
    ).toBe(true);
    // Never over a queue the family made.
    await t.app.streams.replace("bedtime", []);
    expect(await call("POST", `${api}/archive/songs/stream`, {name: "bedtime"})).toEqual({
      status: 409,
      body: expect.objectContaining({
        error: "A stream named 'bedtime' already exists; pick another name, or leave the name out to use 'songs'",
      }),
    });
    expect(await call("POST", `${api}/archive/songs/restore`, {mode: "over"})).toEqual({
      status: 400,
      body: expect.objectContaining({
        error: 'mode must be "new" (a new card) or "replace" (over the card it came from), not "over"',
      }),
    });
    expect((await call("POST", `${api}/archive/songs/restore`, {audio: "copy"})).body.error).toBe(
      'audio must be "upload" (sent to Yoto) or "stream" (streamed from this service), not "copy"',
    );
    expect(await call("GET", `${api}/archive/nope1`)).toEqual({
      status: 404,
      body: expect.objectContaining({error: "No card 'nope1' in the archive"}),
    });
    expect((await call("GET", `${api}/archive/toString`)).status).toBe(404);
    expect((await call("POST", `${api}/archive/songs/stream`, {name: "Not A Name"})).body.error).toMatch(
      /^'Not A Name' is not a valid stream name/,
    );
    expect((await call("GET", `${api}/archive/files/zz`)).body.error).toBe(
      "An archived file is named by its sha256: 64 hex digits",
    );
    // Replace a card no longer at Yoto: said, nothing written.
    sim.removeCard("songs");
    const cards = sim.cardIds.length;
    const replace = await call("POST", `${api}/archive/songs/restore`, {mode: "replace"});
    expect(replace.status).toBe(409);
    expect(replace.body.error).toBe(
      `'Songs' (songs) is not on the linked Yoto account (deleted there, or another account is linked): restore it as a new card instead ("mode": "new")`,
    );
    expect(sim.cardIds.length).toBe(cards);
  });
});
