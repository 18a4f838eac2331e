import {describe, expect, it} from "vitest";
import {AppError} from "../../../src/core/errors.js";
import {LinkWrites} from "../../../src/deviceLinks/linkWrites.js";
import type {StoreNamespace} from "../../../src/store/namespace.js";

/**
 * A namespace whose writes finish when the test says: the order of writes is what LinkWrites
 * promises, so each write is held until released (or failed) by hand.
 */
function heldNamespace() {
  const saved = new Map<string, unknown>();
  const log: string[] = [];
  const held: Array<{what: string; release: () => void; fail: (err: Error) => void}> = [];
  const hold = (what: string, done: () => void) =>
    new Promise<void>((resolve, reject) => {
      log.push(`${what} asked`);
      held.push({
        what,
        release: () => {
          done();
          log.push(`${what} done`);
          resolve();
        },
        fail: (err) => {
          log.push(`${what} failed`);
          reject(err);
        },
      });
    });
  const space = {
    set: (key: string, value: unknown) => hold(`set ${key}=${JSON.stringify(value)}`, () => saved.set(key, value)),
    delete: (key: string) => hold(`delete ${key}`, () => saved.delete(key)),
  } as unknown as StoreNamespace<{lastUsed: number}>;
  /** The oldest write still held, once it was asked for. */
  const next = async () => {
    while (held.length === 0) await new Promise((r) => setImmediate(r));
    return held.shift() as (typeof held)[number];
  };
  return {space, saved, log, next};
}

const failure = (why: string) => `The link was not revoked: ${why}`;

describe("a device link's writes", () => {
  it("drops a 'last used' update still waiting when a revoke is asked, so a revoked link never comes back", async () => {
    const ns = heldNamespace();
    const writes = new LinkWrites(ns.space);
    const first = writes.update("tablet", {lastUsed: 1});
    // The first update is being written when the second is asked and the revoke comes.
    const writing = await ns.next();
    const late = writes.update("tablet", {lastUsed: 2});
    const revoked = writes.revoke("tablet", failure, "revoke_failed");
    writing.release();
    await first;
    await late;
    (await ns.next()).release();
    await expect(revoked).resolves.toBe(true);
    expect(ns.log).toEqual([
      'set tablet={"lastUsed":1} asked',
      'set tablet={"lastUsed":1} done',
      "delete tablet asked",
      "delete tablet done",
    ]);
    expect(ns.saved.has("tablet")).toBe(false);
    // Asked after the revoke, too: the link is gone, and stays gone.
    await writes.update("tablet", {lastUsed: 3});
    await writes.settled();
    expect(ns.saved.has("tablet")).toBe(false);
  });

  it("revokes once however often it is asked at once: the first says revoked, the others revoked already", async () => {
    const ns = heldNamespace();
    const writes = new LinkWrites(ns.space);
    const asked = [1, 2, 3].map(() => writes.revoke("tablet", failure, "revoke_failed"));
    (await ns.next()).release();
    expect(await Promise.all(asked)).toEqual([true, false, false]);
    expect(ns.log.filter((l) => l.startsWith("delete"))).toEqual(["delete tablet asked", "delete tablet done"]);
  });

  it("says a store that refused the revoke in the caller's words with the store's status, and keeps the link's updates", async () => {
    const ns = heldNamespace();
    const writes = new LinkWrites(ns.space);
    const revoked = writes.revoke("tablet", failure, "revoke_failed");
    (await ns.next()).fail(new AppError("disk_full", "the disk is full", {status: 507}));
    const err = await revoked.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({code: "disk_full", status: 507, message: "The link was not revoked: the disk is full"});
    // Not removed, so it is still a link: its next "last used" is written.
    const update = writes.update("tablet", {lastUsed: 4});
    (await ns.next()).release();
    await update;
    expect(ns.saved.get("tablet")).toEqual({lastUsed: 4});
  });

  it("names an error that is not the store's own with the code it was given, as a 500", async () => {
    const ns = heldNamespace();
    const writes = new LinkWrites(ns.space);
    const revoked = writes.revoke("tablet", failure, "revoke_failed");
    (await ns.next()).fail(new Error("SQLITE_IOERR"));
    await expect(revoked).rejects.toMatchObject({
      code: "revoke_failed",
      status: 500,
      message: "The link was not revoked: Error: SQLITE_IOERR",
    });
  });
});
