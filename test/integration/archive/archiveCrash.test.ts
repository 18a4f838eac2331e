import type {ChildProcess} from "node:child_process";
import {existsSync, readdirSync} from "node:fs";
import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, startSimulator} from "../../helpers/cloud.js";
import {addFamilyCard, archiveNow} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {startServiceChild} from "../../helpers/serviceChild.js";
import {tempDir} from "../../helpers/tmp.js";

let sim: YotoSimulator | undefined;
let child: ChildProcess | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  child?.kill("SIGKILL");
  await t?.stop();
  await sim?.stop();
  child = t = sim = undefined;
});

/** The service in its own process, linked to the simulator; resolves with its admin URL. */
function startChild(dataDir: string, mediaDir: string): Promise<string> {
  const started = startServiceChild(sim!, dataDir, mediaDir);
  child = started.proc;
  return started.ready;
}

/** Every file under `dir`, relative to it. */
async function allFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, {recursive: true, withFileTypes: true}))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe("an archive run cut short by kill -9", () => {
  it("carries on at the next start: every card archived, nothing half-downloaded, a file kept for a card since cut removed", async () => {
    sim = await startSimulator();
    const root = await tempDir("yss-archive-crash-");
    const dataDir = path.join(root, "data");
    const mediaDir = path.join(root, "media");
    const archiveDir = path.join(dataDir, "archive");
    const shas: string[][] = [];
    for (const [i, id] of ["crashA", "crashB", "crashC"].entries())
      shas.push(
        await addFamilyCard(sim, id, `Story ${i + 1}`, [
          // The second card's short tracks are kept before the kill, its card not committed.
          ...(id === "crashB" ? [{title: "crashB short", seconds: 1, frequency: 440, variant: "crashB-0"}] : []),
          {title: `${id} one`, seconds: id === "crashB" ? 1 : 30, frequency: 440, variant: `${id}-1`},
          {title: `${id} two`, seconds: 30, frequency: 440, variant: `${id}-2`},
        ]),
      );
    const [first, [keptB, shortB, longB] = []] = shas;
    const keptPath = (sha: string) => path.join(archiveDir, "files", `${sha}.mp3`);
    // 240 KB a track at 200 KB/s: the run takes seconds, long enough to be killed in the middle.
    sim.mediaBytesPerSecond = 200_000;
    const admin = await startChild(dataDir, mediaDir);
    expect((await call("POST", `${admin}/api/archive/run`)).status).toBe(202);
    const cardsDir = path.join(archiveDir, "cards");
    const records = () => (existsSync(cardsDir) ? readdirSync(cardsDir).filter((n) => n.endsWith(".json")) : []);
    const incoming = path.join(archiveDir, ".incoming");
    const parts = () => (existsSync(incoming) ? readdirSync(incoming).filter((n) => n.endsWith(".part")) : []);
    // Killed with the first card committed and the next one half-downloaded.
    await waitFor(
      () =>
        records().length === 1 &&
        existsSync(keptPath(shortB!)) &&
        existsSync(keptPath(keptB!)) &&
        parts().length > 0 &&
        sim!.mediaRequests.some((r) => r.sha === longB && r.bytes > 0 && r.bytes < 200_000),
      "the run in the middle of the second card",
      20_000,
    );
    child!.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    child = undefined;
    expect(records()).toEqual(["crashA.json"]);
    expect((await allFiles(archiveDir)).some((f) => f.endsWith(".part"))).toBe(true);
    // While the service was down, the family cut the second card's short track: its file is now no card's.
    await addFamilyCard(sim, "crashB", "Story 2", [
      {title: "crashB short", sha: keptB!},
      {title: "crashB two", sha: longB!},
    ]);

    sim.mediaBytesPerSecond = undefined;
    t = await startApp(["--yoto_client_id", CLIENT_ID, "--archive_nightly", "off"], {
      dataDir,
      mediaDir,
      cloud: sim.endpoints,
      linkToOwnAudioListener: true,
    });
    const api = `${t.adminUrl}/api`;
    const fetchedBefore = sim.mediaRequests.length;
    const {status, run} = await archiveNow(api);
    expect(status).toBe(200);
    expect(run).toMatchObject({state: "done", cards: {done: 3, total: 3}, problems: []});
    // The card committed before the kill is not fetched again.
    const refetched = sim.mediaRequests.slice(fetchedBefore).map((r) => r.sha);
    // Neither the card committed before the kill, nor a track kept for the next card.
    for (const sha of [...first!, keptB!]) expect(refetched).not.toContain(sha);
    expect(refetched.sort()).toEqual([longB!, ...shas[2]!].sort());
    const overview = (await call("GET", `${api}/archive`)).body;
    expect(overview.cards.map((c: {cardId: string}) => c.cardId).sort()).toEqual(["crashA", "crashB", "crashC"]);

    const onDisk = await allFiles(archiveDir);
    expect(onDisk.filter((f) => f.endsWith(".part"))).toEqual([]);
    expect(await readdir(path.join(archiveDir, ".incoming"))).toEqual([]);
    const referenced = new Set<string>();
    for (const name of records()) {
      const record = JSON.parse(await readFile(path.join(cardsDir, name), "utf8")) as {
        files: Record<string, {sha: string; ext: string}>;
      };
      for (const file of Object.values(record.files)) referenced.add(path.join("files", `${file.sha}.${file.ext}`));
    }
    const stored = onDisk.filter((f) => f.startsWith(`files${path.sep}`)).sort();
    expect(stored).toEqual([...referenced].sort());
    expect(stored).toHaveLength(6);
    expect(stored.map((f) => path.basename(f).split(".")[0]).sort()).toEqual(
      shas
        .flat()
        .filter((sha) => sha !== shortB)
        .sort(),
    );
    expect(existsSync(keptPath(shortB!))).toBe(false);
  }, 60_000);
});
