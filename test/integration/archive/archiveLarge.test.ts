import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {readdir, stat, statfs} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {pipeline} from "node:stream/promises";
import {afterEach, describe, expect, it} from "vitest";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack, filesOnDisk} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";

let stack: ArchiveStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const LARGE = 500 * 1024 * 1024;
// The file, plus room for the rest of the test run.
const FREE_NEEDED = LARGE + 200 * 1024 * 1024;
const tmpFree = await statfs(os.tmpdir()).then((s) => s.bavail * s.bsize);
const tooSmall = tmpFree < FREE_NEEDED;
if (tooSmall)
  console.warn(
    `Skipping the 500 MB archive test: ${os.tmpdir()} has ${Math.round(tmpFree / 1024 / 1024)} MB free, it needs ${FREE_NEEDED / 1024 / 1024} MB`,
  );

describe("the family archive with big cards", () => {
  it("archives a card of 100 tracks whole", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    // One tone, 100 distinct files (each tagged differently): one ffmpeg run, 100 shas.
    const shas = await addFamilyCard(
      sim,
      "hundred",
      "A hundred songs",
      Array.from({length: 100}, (_, i) => ({title: `Song ${i + 1}`, frequency: 440, variant: `song-${i + 1}`})),
    );
    expect(new Set(shas).size).toBe(100);
    const {status, run} = await archiveNow(api);
    expect(status).toBe(200);
    expect(run).toMatchObject({state: "done", cards: {done: 1, total: 1}, downloaded: {files: 100}, problems: []});
    const detail = (await call("GET", `${api}/archive/hundred`)).body;
    expect(detail.chapters).toHaveLength(100);
    expect(detail.chapters[99].title).toBe("Song 100");
    expect(await filesOnDisk(t.dataDir)).toEqual(shas.map((sha) => `${sha}.mp3`).sort());
    expect(sim.mediaRequests.filter((r) => r.status === 200)).toHaveLength(100);
  }, 60_000);

  it.skipIf(tooSmall)(
    "archives a 500 MB track with the service's memory bounded",
    async () => {
      stack = await archiveStack();
      const {sim, t, api} = stack;
      const sha = await sim.addLargeMedia(LARGE, {format: "mp3"});
      await addFamilyCard(sim, "huge1", "The whole audiobook", [{title: "All of it", sha}]);
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 50);
      let result: Awaited<ReturnType<typeof archiveNow>>;
      try {
        result = await archiveNow(api);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(result.status).toBe(200);
      expect(result.run).toMatchObject({state: "done", downloaded: {files: 1, bytes: LARGE}, problems: []});
      // The simulator serving it and the service fetching it both run in this process.
      const growthMb = (peak - baseline) / 1024 / 1024;
      expect(growthMb, `rss grew ${growthMb.toFixed(0)} MB`).toBeLessThan(150);
      const dir = path.join(t.dataDir, "archive", "files");
      const [name] = await readdir(dir);
      expect(name?.startsWith(`${sha}.`)).toBe(true);
      const file = path.join(dir, name as string);
      expect((await stat(file)).size).toBe(LARGE);
      const hash = createHash("sha256");
      await pipeline(createReadStream(file), hash);
      expect(hash.digest("hex")).toBe(sha);
    },
    180_000,
  );
});
