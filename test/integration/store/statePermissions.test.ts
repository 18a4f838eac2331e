import {chmod, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {SIGNING_KEY_FILE, UrlSigner} from "../../../src/links/urlSigner.js";
import {Store} from "../../../src/store/store.js";
import {tempDir} from "../../helpers/tmp.js";

const quiet = new Logger({sink: () => {}});
const modeOf = async (file: string) => ((await stat(file)).mode & 0o777).toString(8);

/** The state database holds the Yoto login: only the service's own user may read it. */
describe("state database file modes", () => {
  it("creates the data folder 0700 and the database and its -wal/-shm 0600", async () => {
    const dataDir = path.join(await tempDir(), "data");
    const store = new Store(dataDir, quiet);
    await store.start();
    try {
      await store.namespace<string>("yoto_account").set("tokens", "secret");
      expect(await modeOf(dataDir)).toBe("700");
      for (const file of ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm"]) {
        expect({file, mode: await modeOf(path.join(dataDir, file))}).toEqual({file, mode: "600"});
      }
    } finally {
      await store.stop();
    }
  });

  it("tightens an existing install's folder, database and leftover -wal/-shm at start, keeping the data", async () => {
    const dataDir = path.join(await tempDir(), "data");
    const first = new Store(dataDir, quiet);
    await first.start();
    await first.namespace<string>("streams").set("bedtime", "kept");
    await first.stop();
    // As earlier versions (and a kill -9, which leaves -wal/-shm behind) left them.
    await chmod(dataDir, 0o755);
    await chmod(path.join(dataDir, "state.sqlite"), 0o644);
    for (const side of ["state.sqlite-wal", "state.sqlite-shm"]) {
      // "a": SQLite may have left them with committed writes in them; never truncate those.
      await writeFile(path.join(dataDir, side), "", {flag: "a"});
      await chmod(path.join(dataDir, side), 0o644);
    }

    const second = new Store(dataDir, quiet);
    await second.start();
    try {
      expect(await modeOf(dataDir)).toBe("700");
      for (const file of ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm"]) {
        expect({file, mode: await modeOf(path.join(dataDir, file))}).toEqual({file, mode: "600"});
      }
      expect(await second.namespace<string>("streams").get("bedtime")).toBe("kept");
    } finally {
      await second.stop();
    }
  });
});

describe("URL signing key file mode", () => {
  it("tightens a key left readable by others, keeping the key", async () => {
    const dataDir = path.join(await tempDir(), "data");
    const first = new UrlSigner(dataDir, quiet);
    await first.start();
    const signed = first.sign("/audio/a.mp3");
    await first.stop();
    const keyFile = path.join(dataDir, SIGNING_KEY_FILE);
    await chmod(keyFile, 0o644);

    const second = new UrlSigner(dataDir, quiet);
    await second.start();
    expect(await modeOf(keyFile)).toBe("600");
    expect(second.sign("/audio/a.mp3")).toBe(signed);
    await second.stop();
  });
});
