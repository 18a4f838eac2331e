import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {call} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

if (!canMountDisks) console.warn(`Skipping announcement disk-full tests: ${cannotMountReason}`);

const MINI = DEMO_PLAYERS[1]!.deviceId;
let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
let disk: SmallDisk | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  await disk?.unmount();
  sim = t = disk = undefined;
});

describe.skipIf(!canMountDisks)("announcements when the data folder's disk is full", () => {
  it.skipIf(!SPEECH.path)(
    "answers the disk-full error (not 'not audio'), leaves the player alone, and works once space is freed",
    async () => {
      sim = await startSimulator();
      const root = await tempDir();
      const dataDir = path.join(root, "data");
      disk = await mountSmallDisk(dataDir, 4096);
      t = await startApp(["--yoto_client_id", CLIENT_ID], {
        dataDir,
        mediaDir: path.join(root, "media"),
        cloud: sim.endpoints,
        linkToOwnAudioListener: true,
      });
      await linkAccount(t.app.account);
      await waitFor(() => t!.app.players.list().length === 2, "both players");
      const url = `${t.adminUrl}/api/players/${MINI}/announce`;

      const filled = await fillDisk(dataDir);
      expect(await call("POST", url, {message: "Dinner is ready"})).toMatchObject({
        status: 507,
        body: {error: `The disk holding '${path.join(dataDir, "announcements")}' is full: free some space and retry`},
      });
      expect(sim.player(MINI).fetches).toEqual([]);

      await filled.free();
      expect(await call("POST", url, {message: "Dinner is ready"})).toMatchObject({
        status: 200,
        body: {result: "played"},
      });
    },
  );
});
