import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {Store} from "../../../src/store/store.js";
import {tempDir} from "../../helpers/tmp.js";

const quiet = new Logger({sink: () => {}});

describe("Store", () => {
  it("keeps values across restarts in <data_dir>/state.sqlite, one namespace per concern", async () => {
    const dir = await tempDir();
    const first = new Store(dir, quiet);
    await first.start();
    await first.namespace<{refresh: string}>("tokens").set("account", {refresh: "r1"});
    await first.namespace<number>("library").set("account", 42);
    await first.stop();

    const second = new Store(dir, quiet);
    await second.start();
    expect(second.file).toBe(path.join(dir, "state.sqlite"));
    expect(await second.namespace<{refresh: string}>("tokens").get("account")).toEqual({refresh: "r1"});
    expect(await second.namespace<number>("library").get("account")).toBe(42);
    expect(await second.entries("tokens")).toEqual([["account", {refresh: "r1"}]]);
    await second.stop();
  });

  it("saves many entries in batches that read back like single writes, and overwrites what was there", async () => {
    const dir = await tempDir();
    const store = new Store(dir, quiet);
    await store.start();
    const lib = store.namespace<{n: number; title?: string}>("library");
    await lib.set("item7", {n: -1});
    // More than one statement's worth, with text that needs quoting and a key that looks like SQL.
    const many = Array.from({length: 1234}, (_, n) => [`item${n}`, {n, title: `It's "${n}"`}] as const);
    await lib.setMany([...many, ["x'); DROP TABLE library; --", {n: 9999}]]);
    await store.stop();

    const again = new Store(dir, quiet);
    await again.start();
    const back = again.namespace<{n: number; title?: string}>("library");
    expect(await back.get("item7")).toEqual({n: 7, title: `It's "7"`});
    expect(await back.get("item1233")).toEqual({n: 1233, title: `It's "1233"`});
    expect(await back.get("x'); DROP TABLE library; --")).toEqual({n: 9999});
    expect(await again.entries("library")).toHaveLength(1235);
    await again.stop();
  });

  it("lists thousands of entries of one namespace without the others", async () => {
    const dir = await tempDir();
    const store = new Store(dir, quiet);
    await store.start();
    const lib = store.namespace<{n: number}>("library");
    await Promise.all(Array.from({length: 2500}, (_, n) => lib.set(`item${n}`, {n})));
    await store.namespace("streams").set("bedtime", {items: []});
    const entries = await store.entries<{n: number}>("library");
    expect(entries).toHaveLength(2500);
    expect(new Set(entries.map(([, v]) => v.n)).size).toBe(2500);
    await store.stop();
  });

  it("names the file and SQLite's reason when the database cannot be opened", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "state.sqlite"), "not a database, but a file of something else entirely");
    const store = new Store(dir, quiet);
    await expect(store.start()).rejects.toThrow(
      `Could not open the state database '${path.join(dir, "state.sqlite")}' (SQLITE_NOTADB: file is not a database)`,
    );
    await store.stop();
  });

  it("refuses use before start and names that are not table-safe", async () => {
    const store = new Store(await tempDir(), quiet);
    expect(() => store.namespace("tokens")).toThrow("Store: namespace('tokens') called before start()");
    await store.start();
    expect(() => store.namespace("drop table;")).toThrow("Store: invalid namespace 'drop table;'");
    await store.stop();
  });
});
