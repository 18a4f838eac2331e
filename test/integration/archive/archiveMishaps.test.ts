import {readdir, rename, rm, writeFile} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";

let stack: ArchiveStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const cardsDir = (dataDir: string) => path.join(dataDir, "archive", "cards");

/** A POST whose JSON body is sent chunked (no Content-Length), as some clients do. */
function chunkedPost(url: string, body: string): Promise<{status: number; body: {error?: string}}> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {method: "POST", headers: {"Content-Type": "application/json"}}, (res) => {
      let text = "";
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("end", () => resolve({status: res.statusCode ?? 0, body: JSON.parse(text)}));
    });
    req.on("error", reject);
    req.write(body.slice(0, 3));
    req.end(body.slice(3));
  });
}

describe("the family archive when things go wrong", () => {
  it("answers 409 for a card whose archived file went missing, and keeps running", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    const [sha] = await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}, {title: "Lullaby"}]);
    await archiveNow(api);
    await rm(path.join(t.dataDir, "archive", "files", `${sha}.mp3`));
    const res = await call("POST", `${api}/archive/songs/stream`, {});
    expect(res.status).toBe(409);
    expect(res.body.error).toBe(
      `The archived copy of 'Songs' is missing 1 file(s) (${sha}.mp3) in '${path.join(t.dataDir, "archive")}'; archive it again while it is still on Yoto, or restore those files from a backup`,
    );
    expect((await call("GET", `${api}/archive`)).status).toBe(200);
  });

  it("answers 503 when ffmpeg cannot run, rather than a stream whose every track fails after the answer", async () => {
    stack = await archiveStack([], {app: {ffmpegPath: "/nonexistent/ffmpeg"}});
    const {sim, t, api} = stack;
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    await archiveNow(api);
    expect(await call("POST", `${api}/archive/songs/stream`, {})).toEqual({
      status: 503,
      body: expect.objectContaining({
        error:
          "ffmpeg cannot be run ('/nonexistent/ffmpeg'), and it makes archived audio playable: install it, set FFMPEG_PATH, or set audio_normalize to false",
      }),
    });
    expect(t.app.streams.has("songs")).toBe(false);
  });

  it("keeps the files of a record it cannot read, and says so instead of removing them", async () => {
    stack = await archiveStack();
    const {sim, t, api, root} = stack;
    await addFamilyCard(sim, "gone1", "Gone", [{title: "Only copy"}]);
    await archiveNow(api);
    sim.removeCard("gone1");
    await archiveNow(api);
    await t.stop();
    const record = path.join(cardsDir(t.dataDir), "gone1.json");
    await writeFile(record, "{ not json");
    const again = await archiveStack([], {root, sim});
    stack = {...again, stop: () => again.stop().then(() => sim.stop())};
    expect((await archiveNow(stack.api)).run.state).toBe("done");
    expect(await readdir(cardsDir(t.dataDir))).toEqual(["gone1.json.unreadable"]);
    const files = await readdir(path.join(t.dataDir, "archive", "files"));
    expect(files).toHaveLength(1);
    expect(
      stack.t.logs.some(
        (l) =>
          l.includes("Archive: 1 card record(s) in") &&
          l.includes("are set aside as unreadable, so no file is removed"),
      ),
    ).toBe(true);
    // Put back by hand, the card is whole again.
    await rename(`${record}.unreadable`, record);
  });

  it("refuses to replace a card that changed at Yoto since it was archived, unless forced", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    const [owl] = await addFamilyCard(sim, "rep01", "Grandma 🦉🦉", [{title: "Owl"}]);
    await archiveNow(api);
    await new Promise((r) => setTimeout(r, 5));
    await addFamilyCard(sim, "rep01", "Grandma 🦉🦉", [{title: "Owl", sha: owl}, {title: "New recording"}]);
    const refused = await call("POST", `${api}/archive/rep01/restore`, {mode: "replace"});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(
      /^'Grandma 🦉🦉' changed at Yoto \(.+\) after it was archived \(.+\): replacing it would lose that change\. Archive it first, restore it as a new card, or send "force": true$/,
    );
    expect(sim.card("rep01")!.content.chapters).toHaveLength(2);
    const forced = await call("POST", `${api}/archive/rep01/restore`, {mode: "replace", force: true});
    expect(forced.body).toMatchObject({cardId: "rep01", check: {ok: true}});
    expect(sim.card("rep01")!.content.chapters).toHaveLength(1);
  });

  it("restores a card whose title has an emoji at the 60th character", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    await addFamilyCard(sim, "emoji", `${"a".repeat(59)}🦉 and more`, [{title: "Hoot"}]);
    await archiveNow(api);
    const res = await call("POST", `${api}/archive/emoji/restore`, {});
    expect(res.status).toBe(200);
    expect(res.body.check.ok).toBe(true);
  });

  it("makes one card when the same restore is sent twice at once", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    await addFamilyCard(sim, "twice", "Twice", [{title: "One"}, {title: "Two"}]);
    await archiveNow(api);
    const before = sim.cardIds.length;
    const [a, b] = await Promise.all([
      call("POST", `${api}/archive/twice/restore`, {}),
      call("POST", `${api}/archive/twice/restore`, {}),
    ]);
    expect(a.body.cardId).toBe(b.body.cardId);
    expect(sim.cardIds.length).toBe(before + 1);
  });

  it("stops at once when the service stops, even while Yoto asks it to wait a minute", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    sim.rateLimitNext(10, 60);
    expect((await call("POST", `${api}/archive/run`)).status).toBe(202);
    const refusals = sim as unknown as {rateLimit: {next: number}};
    await waitFor(() => refusals.rateLimit.next < 10, "Yoto's first 'wait a minute'");
    // Stopped while it waits out Yoto's minute: a stop that waited for it would outlast the test.
    await t.stop();
  });

  it("keeps what a partial run fetched for a card with a problem, for the next run", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    const shas = await addFamilyCard(sim, "tapes", "Tapes", [{title: "A"}, {title: "B"}, {title: "C"}]);
    sim.corruptMedia(shas[2]!);
    expect((await archiveNow(api)).run.state).toBe("partial");
    const fetched = sim.mediaRequests.length;
    sim.repairMedia(shas[2]!);
    const second = await archiveNow(api);
    expect(second.run).toMatchObject({state: "done", downloaded: {files: 1}});
    expect(sim.mediaRequests.slice(fetched).map((r) => r.sha)).toEqual([shas[2]]);
  });

  it("reads chunked bodies and refuses a field it does not know", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    await archiveNow(api);
    const before = sim.cardIds.length;
    expect(await chunkedPost(`${api}/archive/songs/restore`, '{"mdoe": "replace"}')).toEqual({
      status: 400,
      body: expect.objectContaining({error: "Unknown field 'mdoe' (this request takes 'mode', 'audio', 'force')"}),
    });
    expect((await chunkedPost(`${api}/archive/songs/stream`, '{"name": "Not A Name!"}')).status).toBe(400);
    expect(sim.cardIds.length).toBe(before);
  });
});
