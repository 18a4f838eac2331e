/**
 * A parent's approval and the sign-in it leads to (#98): an approval takes what the assistant may
 * do, is refused at the cap of assistants before the request is used up, and a code is spent only
 * once its tokens are saved, so a store that cannot take them leaves it good for another try.
 * Home Assistant's MCP flow (test/helpers/haMcpFlow.ts) against the real app.
 */
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {holdDatabaseLock} from "../../helpers/databaseLock.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {browserReturns, exchange, type HaFlowAt, haFlowToAuthorizePage} from "../../helpers/haMcpFlow.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {canMountDisks, cannotMountReason, mountSmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping the OAuth sign-in's disk-full test: ${cannotMountReason}`);

const startLinked = linkedBridge();
let running: TestApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const NOT_SAVED =
  'oauth_failed: 503: {"error":"temporarily_unavailable","error_description":"The add-on could not save the sign-in: its storage is full or failing. Try again once a parent has made room"}';
const AT_CAP = {
  error: "There are 20 assistants, the most there may be: revoke one on the Assistants page first",
  code: "too_many_assistants",
};

async function errorOf(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => "no error",
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
}

const listed = async (admin: string) => (await call("GET", `${admin}/api/assistants`)).body;
const requestIds = async (admin: string) => ((await listed(admin)).requests as Array<{id: string}>).map((r) => r.id);

/** HA's flow to its waiting page; the one request waiting (the newest) is this flow's. */
async function waitingFlow(admin: string): Promise<{flow: HaFlowAt; id: string}> {
  const before = await requestIds(admin);
  const flow = await haFlowToAuthorizePage(admin);
  const id = (await requestIds(admin)).find((r) => !before.includes(r)) as string;
  return {flow, id};
}

const approve = (admin: string, id: string, grants?: unknown) =>
  call("POST", `${admin}/api/assistants/requests/${id}/approve`, grants);

/** Approved, and the browser took the code back. */
async function approvedCode(admin: string): Promise<{flow: HaFlowAt; code: string}> {
  const {flow, id} = await waitingFlow(admin);
  expect((await approve(admin, id)).status).toBe(200);
  return {flow, code: (await browserReturns(flow)).searchParams.get("code") as string};
}

describe("a sign-in's tokens the store cannot take", () => {
  it("in a locked store: 503 naming no path, nothing issued, and the same code signs in once the store is free", async () => {
    running = await startApp([], {store: {busyTimeoutMs: 1000}});
    const admin = running.adminUrl;
    const {flow, code} = await approvedCode(admin);
    const lock = await holdDatabaseLock(running.app.store.file);
    let refused: string;
    try {
      refused = await errorOf(exchange(flow, code));
    } finally {
      await lock.release();
    }
    expect(refused).toBe(NOT_SAVED);
    expect(refused).not.toContain(running.dataDir);
    expect((await listed(admin)).assistants).toEqual([]);
    expect(running.logs.some((l) => l.includes("The assistant 'Home Assistant' could not sign in: "))).toBe(true);
    expect((await exchange(flow, code)).access_token).toMatch(/^yss_at_/);
    expect((await listed(admin)).assistants).toHaveLength(1);
  });

  it.skipIf(!canMountDisks)(
    "on a full disk: 503 naming no path, and the same code signs in once there is room",
    async () => {
      const disk = await mountSmallDisk(path.join(await tempDir("yss-oauth-disk-"), "data"), 2048);
      try {
        running = await startApp([], {dataDir: disk.dir, mediaDir: path.join(disk.dir, "..", "media")});
        const admin = running.adminUrl;
        const {flow, code} = await approvedCode(admin);
        const filled = await fillDisk(disk.dir);
        let refused: string;
        try {
          refused = await errorOf(exchange(flow, code));
        } finally {
          await filled.free();
        }
        expect(refused).toBe(NOT_SAVED);
        expect(refused).not.toContain(disk.dir);
        expect((await exchange(flow, code)).access_token).toMatch(/^yss_at_/);
        await running.stop();
      } finally {
        await disk.unmount();
      }
    },
    120_000,
  );
});

describe("approving a request", () => {
  it("at the cap of 20 assistants is refused before the request is used: it stays waiting, and is approved once one is revoked", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const made: string[] = [];
    for (let i = 0; i < 19; i++)
      made.push(
        ((await call("POST", `${admin}/api/assistants`, {name: `Speaker ${i}`})).body.assistant as {id: string}).id,
      );
    // The 20th place is taken by an approval whose client has not signed in yet.
    const first = await waitingFlow(admin);
    expect((await approve(admin, first.id)).status).toBe(200);
    const second = await waitingFlow(admin);
    expect(await approve(admin, second.id)).toEqual({status: 409, body: AT_CAP});
    expect(await requestIds(admin)).toEqual([second.id]);
    // The first signs in: the 20th assistant.
    const firstCode = (await browserReturns(first.flow)).searchParams.get("code") as string;
    expect((await exchange(first.flow, firstCode)).access_token).toMatch(/^yss_at_/);
    expect(await approve(admin, second.id)).toEqual({status: 409, body: AT_CAP});
    expect(await requestIds(admin)).toEqual([second.id]);

    expect((await call("DELETE", `${admin}/api/assistants/${made[0]}`)).status).toBe(200);
    expect(await approve(admin, second.id)).toEqual({status: 200, body: {answered: "approve"}});
    const code = (await browserReturns(second.flow)).searchParams.get("code") as string;
    expect((await exchange(second.flow, code)).access_token).toMatch(/^yss_at_/);
    expect((await listed(admin)).assistants).toHaveLength(20);
  });

  it("gives the assistant what the parent chose (read-only, some children), kept with it", async () => {
    const {t} = await startLinked();
    const admin = t.adminUrl;
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    for (const [child, player] of [
      ["Mia", "Bedroom Mini"],
      ["Ben", "Living Room"],
    ])
      expect((await call("PUT", `${admin}/api/children/${child}`, {players: [player]})).status).toBe(200);
    const {flow, id} = await waitingFlow(admin);
    expect(await approve(admin, id, {children: ["Lea"]})).toEqual({
      status: 400,
      body: {error: "There is no child 'Lea' in the family plan: the children are Ben, Mia", code: "unknown_child"},
    });
    expect(await approve(admin, id, ["Mia"])).toEqual({
      status: 400,
      body: {
        error:
          'Send what the assistant may do as JSON ({"read_only": true, "children": ["Mia"]}), or nothing for everything',
        code: "bad_assistant_grants",
      },
    });
    expect(await requestIds(admin)).toEqual([id]);
    expect((await approve(admin, id, {read_only: true, children: ["mia"]})).status).toBe(200);
    const code = (await browserReturns(flow)).searchParams.get("code") as string;
    await exchange(flow, code);
    const saved = await t.app.store.entries<{name: string; grants?: unknown}>("assistants");
    expect(saved.map(([, record]) => [record.name, record.grants])).toEqual([
      ["Home Assistant", {readOnly: true, children: ["Mia"]}],
    ]);
  });

  it("with no body gives everything", async () => {
    running = await startApp();
    const admin = running.adminUrl;
    const {flow, code} = await approvedCode(admin);
    await exchange(flow, code);
    const saved = await running.app.store.entries<{grants?: unknown}>("assistants");
    expect(saved.map(([, record]) => record.grants)).toEqual([{readOnly: false, children: []}]);
  });
});
