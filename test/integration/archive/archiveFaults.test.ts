import {createHash} from "node:crypto";
import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {
  type ArchiveStack,
  addFamilyCard,
  archiveNow,
  archiveStack,
  filesOnDisk,
  toneBytes,
} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";

let stack: ArchiveStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** Each file's bytes hash to the sha it is named by. */
async function expectShaNamed(dataDir: string): Promise<void> {
  for (const name of await filesOnDisk(dataDir)) {
    const sha = name.split(".")[0] as string;
    const bytes = await readFile(path.join(dataDir, "archive", "files", name));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha);
  }
}

const listed = async (api: string) =>
  ((await call("GET", `${api}/archive`)).body.cards as Array<{cardId: string}>).map((c) => c.cardId).sort();

describe("the family archive on a bad day at Yoto", () => {
  it("reads a card again when its signed links expire in the middle of a run, and archives every track", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    const shas = await addFamilyCard(
      sim,
      "long1",
      "Long story",
      Array.from({length: 7}, (_, i) => ({title: `Part ${i + 1}`, frequency: 440})),
    );
    // Links expire as the first track starts: every link issued so far is refused from now on.
    sim.mediaEvents.once("request", () => sim.expireSignedLinks());
    const {status, run} = await archiveNow(api);
    expect(status).toBe(200);
    expect(run).toMatchObject({state: "done", cards: {done: 1, total: 1}, downloaded: {files: 7}, problems: []});
    expect(await filesOnDisk(t.dataDir)).toEqual(shas.map((sha) => `${sha}.mp3`).sort());
    await expectShaNamed(t.dataDir);
    const refused = sim.mediaRequests.filter((r) => r.status === 403);
    expect(refused.length).toBeGreaterThan(0);
    // Each refused track was fetched again afterwards with a fresh link, and served whole.
    for (const r of refused) {
      const later = sim.mediaRequests.filter((x) => x.sha === r.sha && x.at >= r.at && x.status === 200);
      expect(later.length, `a fetch of ${r.sha} after its 403`).toBe(1);
    }
    expect(new Set(sim.mediaRequests.filter((r) => r.status === 200).map((r) => r.sha))).toEqual(new Set(shas));
    expect(await listed(api)).toEqual(["long1"]);
  });

  it("does not archive half a card the family edits while its links expire, and takes the new version next time", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    const shas = await addFamilyCard(
      sim,
      "edit1",
      "Edited",
      Array.from({length: 6}, (_, i) => ({title: `Part ${i + 1}`, frequency: 440})),
    );
    // As the first track starts, the family cuts the card to its first two parts, and the links expire.
    sim.mediaEvents.once("request", () => {
      void addFamilyCard(sim, "edit1", "Edited", [
        {title: "Part 1", sha: shas[0]},
        {title: "Part 2", sha: shas[1]},
      ]);
      sim.expireSignedLinks();
    });
    const first = await archiveNow(api);
    expect(first.run.state).toBe("partial");
    expect(first.run.problems).toHaveLength(1);
    expect(first.run.problems[0]).toMatchObject({cardId: "edit1", title: "Edited"});
    expect(first.run.problems[0].message).toMatch(
      /^Chapter 'Part [3-6]' track 'Part [3-6]': Yoto no longer lists this file on the card$/,
    );
    expect(await listed(api)).toEqual([]);
    const next = await archiveNow(api);
    expect(next.run).toMatchObject({state: "done", problems: []});
    expect((await call("GET", `${api}/archive/edit1`)).body.chapters).toHaveLength(2);
  });

  it("waits out Yoto's 429 as it asks, and ends done", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}, {title: "Lullaby"}]);
    // At the card the archive fetches: the card catalog (titles, pickers) also lists /content/mine and could take one.
    sim.rateLimitNext(2, 1, "/content/songs");
    const started = Date.now();
    const {status, run} = await archiveNow(api);
    expect(status).toBe(200);
    expect(run).toMatchObject({state: "done", downloaded: {files: 2}, problems: []});
    // Two refusals, each with Retry-After: 1.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(t.logs.filter((l) => l.includes("failed (HTTP 429); retrying in 1000 ms"))).toHaveLength(2);
    expect(await listed(api)).toEqual(["songs"]);

    // Refused past the retries: the run stops and says Yoto is busy (ours: 503, try again).
    await new Promise((r) => setTimeout(r, 5));
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}, {title: "Lullaby"}, {title: "Shush"}]);
    sim.rateLimitNext(10, 0, "/content/mine");
    const busy = await archiveNow(api);
    expect(busy.status).toBe(503);
    expect(busy.run).toMatchObject({
      state: "failed",
      errorStatus: 503,
      error: "Yoto answered 429 to GET /content/mine: Too Many Requests",
    });
    sim.rateLimitNext(0);
  });

  it("stops when Yoto keeps failing past the retries, says what Yoto answered, and the next run carries on without fetching again", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    const [first] = await addFamilyCard(sim, "aaa1", "First", [{title: "One"}]);
    const second = await addFamilyCard(sim, "bbb2", "Second", [{title: "Two"}, {title: "Three"}]);
    // The first card's track is held back while Yoto's API starts failing, then released.
    sim.mediaEvents.on("request", ({sha}: {sha: string}) => {
      if (sha !== first) return;
      sim.mediaBytesPerSecond = 100;
      void call("POST", `${sim.url}/sim/faults`, {fail5xx: 20}).then(() => {
        sim.mediaBytesPerSecond = undefined;
      });
    });
    const failed = await archiveNow(api);
    sim.mediaEvents.removeAllListeners("request");
    expect(failed.status).toBe(502);
    expect(failed.run).toMatchObject({
      state: "failed",
      errorStatus: 502,
      error: "Yoto answered 503 to GET /content/bbb2: Service Unavailable",
      cards: {done: 1, total: 2},
      downloaded: {files: 1},
    });
    expect(await listed(api)).toEqual(["aaa1"]);

    expect((await call("POST", `${sim.url}/sim/faults`, {fail5xx: 0})).body.failNext).toBe(0);
    const fetchedBefore = sim.mediaRequests.length;
    const next = await archiveNow(api);
    expect(next.status).toBe(200);
    expect(next.run).toMatchObject({state: "done", cards: {done: 2, total: 2}, downloaded: {files: 2}, problems: []});
    // Only the second card's tracks: the first was committed before the failure.
    expect(
      sim.mediaRequests
        .slice(fetchedBefore)
        .map((r) => r.sha)
        .sort(),
    ).toEqual([...second].sort());
    expect(await listed(api)).toEqual(["aaa1", "bbb2"]);
  });

  it("retries a track the CDN answers 503 for, and ends done", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    const [sha] = await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    sim.failMediaNext(1);
    const {status, run} = await archiveNow(api);
    expect(status).toBe(200);
    expect(run).toMatchObject({state: "done", downloaded: {files: 1}, problems: []});
    expect(sim.mediaRequests.map((r) => [r.sha, r.status])).toEqual([
      [sha, 503],
      [sha, 200],
    ]);
    expect(await filesOnDisk(t.dataDir)).toEqual([`${sha}.mp3`]);
  });

  it("keeps nothing of a track whose bytes do not match its sha, and says which track", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    const [bad] = await addFamilyCard(sim, "bad11", "Scratched", [{title: "Crackle", frequency: 440, variant: "x1"}]);
    const [good] = await addFamilyCard(sim, "good1", "Fine", [{title: "Clear"}]);
    sim.corruptMedia(bad as string);
    const served = Buffer.from(await toneBytes(1, 440, "x1"));
    served[0] = (served[0] as number) ^ 0xff;
    const got = createHash("sha256").update(served).digest("hex");
    const {status, run} = await archiveNow(api);
    expect(status).toBe(200);
    expect(run.state).toBe("partial");
    expect(run.problems).toEqual([
      {
        cardId: "bad11",
        title: "Scratched",
        message: `Chapter 'Crackle' track 'Crackle': the bytes Yoto sent do not match the sha256 it names them by (expected ${bad!.slice(0, 12)}…, got ${got.slice(0, 12)}…), so they were not archived`,
      },
    ]);
    expect(await listed(api)).toEqual(["good1"]);
    expect(await filesOnDisk(t.dataDir)).toEqual([`${good}.mp3`]);
    expect(await readdir(path.join(t.dataDir, "archive", ".incoming"))).toEqual([]);
  });

  it("says why Yoto refused a restore, and leaves no new card there", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    const [sha] = await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    expect((await archiveNow(api)).run.state).toBe("done");
    const cards = sim.cardIds.length;
    const filename = `Songs-${sha!.slice(0, 8)}.mp3`;

    sim.refuseUploads = "put";
    const put = await call("POST", `${api}/archive/songs/restore`, {mode: "new", audio: "upload"});
    expect(put.status).toBe(403);
    expect(put.body.error).toBe(`Yoto's storage refused the upload of '${filename}' (403 AccessDenied)`);
    expect(sim.cardIds.length).toBe(cards);

    sim.refuseUploads = "transcode";
    const transcode = await call("POST", `${api}/archive/songs/restore`, {mode: "new", audio: "upload"});
    expect(transcode.status).toBe(422);
    expect(transcode.body.error).toBe(
      `Yoto could not convert '${filename}': Yoto gave up on the file (it could not be read as audio)`,
    );
    expect(sim.cardIds.length).toBe(cards);

    // The account is full: Yoto's own words, in ours.
    sim.refuseUploads = undefined;
    sim.cardLimit = cards;
    const full = await call("POST", `${api}/archive/songs/restore`, {mode: "new", audio: "upload"});
    expect(full.status).toBe(403);
    expect(full.body.error).toBe(
      `Yoto answered 403 to POST /content: This account has reached its limit of ${cards} Make Your Own cards`,
    );
    expect(sim.cardIds.length).toBe(cards);
    // Over the card it came from is no new card: a full account takes it.
    const replace = await call("POST", `${api}/archive/songs/restore`, {mode: "replace", audio: "upload"});
    expect(replace.status).toBe(200);
    expect(replace.body).toMatchObject({cardId: "songs", mode: "replace", check: {ok: true}});
    expect(sim.cardIds.length).toBe(cards);
  });
});
