import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {call} from "../../helpers/http.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping cards disk-full tests: ${cannotMountReason}`);

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
let disk: SmallDisk | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  await disk?.unmount();
  sim = t = disk = undefined;
});

/** Card ids on the simulated Yoto account, as Yoto's own app would list them. */
async function cardsAtYoto(): Promise<string[]> {
  const res = await fetch(`${sim!.url}/content/mine`, {
    headers: {Authorization: `Bearer ${await t!.app.account.accessToken()}`},
  });
  return ((await res.json()) as {cards: Array<{cardId: string}>}).cards.map((c) => c.cardId).sort();
}

describe.skipIf(!canMountDisks)("cards when the data folder's disk is full", () => {
  it("takes back a card it could not remember, keeps one it could not forget, and finishes once space is freed", async () => {
    sim = await startSimulator();
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    const mediaDir = path.join(root, "media");
    disk = await mountSmallDisk(dataDir, 2048);
    await makeTone(path.join(mediaDir, "one.mp3"), {seconds: 1});
    const start = () =>
      startApp(["--yoto_client_id", CLIENT_ID], {
        dataDir,
        mediaDir,
        cloud: sim!.endpoints,
        linkToOwnAudioListener: true,
      });
    t = await start();
    await linkAccount(t.app.account);
    await t.app.streams.replace("songs", ["one.mp3"]);
    const api = `${t.adminUrl}/api`;
    const kept = await call("POST", `${api}/cards`, {from: "stream", stream: "songs", title: "Kept"});
    expect(kept.status).toBe(201);
    const keptId = kept.body.card.cardId as string;

    const filled = await fillDisk(dataDir);
    const diskFull = {error: `The disk holding '${dataDir}' is full: free some space and retry`, code: "disk_full"};
    const made = await call("POST", `${api}/cards`, {from: "stream", stream: "songs", title: "Refused"});
    expect(made).toMatchObject({status: 507, body: diskFull});
    // Not left behind on the account as a card nothing here knows about.
    expect(await cardsAtYoto()).toEqual([keptId]);

    const removal = await call("DELETE", `${api}/cards/${keptId}`);
    expect(removal).toMatchObject({status: 507, body: diskFull});
    // Gone from Yoto, still listed here (as it is on disk) until forgetting it is saved.
    expect(await cardsAtYoto()).toEqual([]);
    expect((await call("GET", `${api}/cards`)).body.cards.map((c: {cardId: string}) => c.cardId)).toEqual([keptId]);

    await filled.free();
    expect((await call("DELETE", `${api}/cards/${keptId}`)).status).toBe(204);
    await t.stop();
    t = await start();
    expect((await call("GET", `${t.adminUrl}/api/cards`)).body.cards).toEqual([]);
  }, 30_000);
});
