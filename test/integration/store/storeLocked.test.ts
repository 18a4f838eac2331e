import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {holdDatabaseLock} from "../../helpers/databaseLock.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

// A short retry budget keeps the test quick; the service's own is 5 s.
const BUDGET_MS = 1000;

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const put = (url: string, body: unknown) =>
  fetch(url, {method: "PUT", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});

async function startLockable(): Promise<{t: TestApp; restart(): Promise<TestApp>; file: string}> {
  const root = await tempDir();
  const dirs = {dataDir: path.join(root, "data"), mediaDir: path.join(root, "media")};
  const first = await startApp([], {...dirs, store: {busyTimeoutMs: BUDGET_MS}});
  return {
    t: first,
    file: first.app.store.file,
    restart: async () => {
      await first.stop();
      return startApp([], {...dirs, store: {busyTimeoutMs: BUDGET_MS}});
    },
  };
}

describe("state store locked by another program", () => {
  it("answers 503 naming the lock when it is held past the retry budget, and acknowledges nothing it lost", async () => {
    const stack = await startLockable();
    t = stack.t;
    const lock = await holdDatabaseLock(stack.file);
    const started = Date.now();
    const res = await put(`${t.adminUrl}/api/streams/bedtime`, {items: []});
    const waited = Date.now() - started;
    expect(res.status).toBe(503);
    expect(await jsonOf(res)).toEqual({
      error: `The state database '${stack.file}' is locked by another program (SQLITE_BUSY) and stayed locked for 1 s: close whatever has it open (a backup, an sqlite3 shell, a second copy of this service) and retry`,
      code: "store_busy",
    });
    // Retried for the budget, not failed at once; and not waited on for ever: answered while the
    // other program still holds the lock (it lets go only below).
    expect(waited).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
    expect(health).toMatchObject({status: "degraded", services: {store: {state: "running", degraded: true}}});
    expect((await fetch(`${t.adminUrl}/api/streams/bedtime`)).status).toBe(404);

    await lock.release();
    t = await stack.restart();
    expect((await fetch(`${t.adminUrl}/api/streams/bedtime`)).status).toBe(404);
  }, 20_000);

  it("waits out a lock shorter than the budget: the write succeeds and survives a restart", async () => {
    const stack = await startLockable();
    t = stack.t;
    const lock = await holdDatabaseLock(stack.file, BUDGET_MS / 3);
    const started = Date.now();
    const res = await put(`${t.adminUrl}/api/streams/bedtime`, {items: []});
    const waited = Date.now() - started;
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({success: true});
    // It really was locked when asked: the answer came only once the other program let go.
    expect(waited).toBeGreaterThanOrEqual(BUDGET_MS / 3 - 100);
    await lock.released;
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/health`))).status).toBe("ok");

    t = await stack.restart();
    expect(await jsonOf(await fetch(`${t.adminUrl}/api/streams/bedtime`))).toMatchObject({name: "bedtime"});
  }, 20_000);
});
