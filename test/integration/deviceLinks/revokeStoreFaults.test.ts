import path from "node:path";
import {describe, expect, it} from "vitest";
import type {DeviceLinkView} from "../../../src/shared/api/devices.js";
import {holdDatabaseLock} from "../../helpers/databaseLock.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {canMountDisks, cannotMountReason, mountSmallDisk} from "../../helpers/smallDisk.js";
import {type TabletFamily, tabletFamily} from "../../helpers/tabletFamily.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping the device links' disk-full test: ${cannotMountReason}`);

const family = tabletFamily();

const REVOKED = {
  error: "This device link was revoked, or is not one: a parent makes a new link on the Family page",
  code: "device_link_revoked",
};

const names = async (f: TabletFamily) =>
  ((await f.send("GET", "/api/devices")).body.links as DeviceLinkView[]).map((l) => l.name);

/** The tablet's page still opens with the link, and the list shows it: a failed revoke changed nothing. */
async function stillWorks(f: TabletFamily, token: string) {
  expect((await f.send("GET", "/api/children/Mia/shelf", {device: token})).status).toBe(200);
  expect(await names(f)).toEqual(["Kitchen tablet"]);
}

describe("a revoke the store cannot take", () => {
  it.skipIf(!canMountDisks)(
    "on a full disk is answered 507 saying the link still works, which it does, before and after a restart; once saved it never comes back",
    async () => {
      const disk = await mountSmallDisk(path.join(await tempDir("yss-revoke-disk-"), "data"), 2048);
      try {
        const f = await family({dataDir: disk.dir});
        await f.addChild("Mia");
        const kitchen = await f.link("Mia", "Kitchen tablet");
        const filled = await fillDisk(disk.dir);
        try {
          expect(await f.send("DELETE", `/api/devices/${kitchen.link.id}`)).toMatchObject({
            status: 507,
            body: {
              error: `The device link 'Kitchen tablet' was not revoked and still opens Mia's page: The disk holding '${disk.dir}' is full: free some space and retry`,
              code: "disk_full",
            },
          });
          await stillWorks(f, kitchen.token);
          await f.restart();
          await stillWorks(f, kitchen.token);
        } finally {
          await filled.free();
        }
        expect((await f.send("DELETE", `/api/devices/${kitchen.link.id}`)).status).toBe(200);
        expect((await f.send("GET", "/api/children/Mia/shelf", {device: kitchen.token})).body).toEqual(REVOKED);
        await f.restart();
        expect((await f.send("GET", "/api/children/Mia/shelf", {device: kitchen.token})).body).toEqual(REVOKED);
        expect(await names(f)).toEqual([]);
        await f.t.stop();
      } finally {
        await disk.unmount();
      }
    },
    120_000,
  );

  it("in a store another program has locked is answered 503 saying the link still works, which it does; once saved it never comes back", async () => {
    const f = await family({app: {store: {busyTimeoutMs: 1000}}});
    await f.addChild("Mia");
    const kitchen = await f.link("Mia", "Kitchen tablet");
    const lock = await holdDatabaseLock(f.t.app.store.file);
    try {
      expect(await f.send("DELETE", `/api/devices/${kitchen.link.id}`)).toMatchObject({
        status: 503,
        body: {
          error: `The device link 'Kitchen tablet' was not revoked and still opens Mia's page: The state database '${f.t.app.store.file}' is locked by another program (SQLITE_BUSY) and stayed locked for 1 s: close whatever has it open (a backup, an sqlite3 shell, a second copy of this service) and retry`,
          code: "store_busy",
        },
      });
      await stillWorks(f, kitchen.token);
    } finally {
      await lock.release();
    }
    await f.restart();
    await stillWorks(f, kitchen.token);
    expect((await f.send("DELETE", `/api/devices/${kitchen.link.id}`)).status).toBe(200);
    await f.restart();
    expect((await f.send("GET", "/api/children/Mia/shelf", {device: kitchen.token})).body).toEqual(REVOKED);
  }, 120_000);
});
