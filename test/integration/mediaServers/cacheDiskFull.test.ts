import {createHash} from "node:crypto";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {fakeDlna} from "../../helpers/fakeDlna.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {call} from "../../helpers/http.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping media server disk-full tests: ${cannotMountReason}`);

let t: TestApp | undefined;
let disk: SmallDisk | undefined;
let nas: Awaited<ReturnType<typeof fakeDlna>> | undefined;
afterEach(async () => {
  await t?.stop();
  await nas?.close();
  await disk?.unmount();
  t = disk = nas = undefined;
});

describe.skipIf(!canMountDisks)("adding a media server when the data folder's disk is full", () => {
  it("answers 507 and keeps nothing of it: not listed, not browsable, and taken once space is freed", async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    disk = await mountSmallDisk(dataDir, 2048);
    nas = await fakeDlna(() => "");
    const url = `${nas.url}/desc.xml`;
    const start = () => startApp([], {dataDir, mediaDir: path.join(root, "media")});
    t = await start();
    const api = `${t.adminUrl}/api`;

    const filled = await fillDisk(dataDir);
    const refused = await call("POST", `${api}/sources`, {url});
    expect(refused).toMatchObject({
      status: 507,
      body: {error: `The disk holding '${dataDir}' is full: free some space and retry`, code: "disk_full"},
    });
    // Nothing acknowledged-but-unsaved: the server is not there now, as it would not be after a restart.
    expect((await call("GET", `${api}/sources`)).body.servers).toEqual([]);
    // The id the server would have had (from its UDN), as the add's answer shows once it is taken.
    const id = createHash("sha256").update(`uuid:fake-${nas.url}`).digest("base64url").slice(0, 10);
    const browse = await call("GET", `${api}/sources/${id}/browse`);
    expect(browse).toMatchObject({
      status: 404,
      body: {error: `There is no media server '${id}': GET /api/sources lists them`},
    });

    await filled.free();
    const added = await call("POST", `${api}/sources`, {url});
    expect(added.status, added.body.error).toBe(201);
    expect(added.body.id).toBe(id);
    await t.stop();
    t = await start();
    expect((await call("GET", `${t.adminUrl}/api/sources`)).body.servers.map((s: {url: string}) => s.url)).toEqual([
      url,
    ]);
  }, 30_000);
});
