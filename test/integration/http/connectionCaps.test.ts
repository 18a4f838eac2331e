import net from "node:net";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {connectionBudget, openFileLimits} from "../../../src/core/connectionGuard.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {tempDir} from "../../helpers/tmp.js";

const PER_CLIENT = 6;
let t: TestApp;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  const root = await tempDir();
  t = await startApp([], {dataDir: path.join(root, "data"), connectionsPerClient: PER_CLIENT});
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await t?.stop();
});

/** An idle TCP connection from `localAddress`; resolves once connected. */
function openIdle(url: string, localAddress: string): Promise<net.Socket> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({host: hostname, port: Number(port), localAddress}, () => resolve(socket));
    socket.once("error", reject);
    sockets.push(socket);
  });
}

/** Whether the server closes the connection within `ms` (it does at once when over the cap). */
function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A plain GET sent from `localAddress` over a fresh connection: the status line's code. */
function statusFrom(url: string, pathname: string, localAddress: string): Promise<number> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({host: hostname, port: Number(port), localAddress}, () => {
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
    });
    socket.once("close", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.once("error", reject);
  });
}

describe("connections held open", () => {
  for (const listener of ["admin", "audio"] as const) {
    it(`closes one address's connections past its cap on the ${listener} listener, and still answers others`, async () => {
      const url = listener === "admin" ? t.adminUrl : t.audioUrl;
      const hog = await Promise.all(Array.from({length: PER_CLIENT}, () => openIdle(url, "127.0.0.1")));
      const extra = await openIdle(url, "127.0.0.1");
      expect(await closedWithin(extra, 2000)).toBe(true);
      // The ones under the cap stay open.
      expect(hog.some((s) => s.destroyed)).toBe(false);
      // Another address still gets answers (127.0.0.0/8 is all loopback on Linux).
      const pathname = listener === "admin" ? "/api/health" : "/nothing";
      expect(await statusFrom(url, pathname, "127.0.0.2")).toBe(listener === "admin" ? 200 : 404);
      // Once the hog lets go, its address gets in again.
      for (const s of hog) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect(await statusFrom(url, pathname, "127.0.0.1")).toBe(listener === "admin" ? 200 : 404);
    });
  }

  it("caps the embedded MQTT broker's connections per address too", async () => {
    const url = t.app.broker.summary().url;
    const hog = await Promise.all(
      Array.from({length: PER_CLIENT}, () => openIdle(url.replace("mqtt:", "http:"), "127.0.0.3")),
    );
    const extra = await openIdle(url.replace("mqtt:", "http:"), "127.0.0.3");
    expect(await closedWithin(extra, 2000)).toBe(true);
    expect(hog.some((s) => s.destroyed)).toBe(false);
    for (const s of hog) s.destroy();
  });
});

describe("open-file budget", () => {
  it("reads this process's limits and splits them so the listeners together stay under the soft limit", () => {
    const limits = openFileLimits();
    expect(limits?.soft).toBeGreaterThan(0);
    for (const soft of [1024, 4096, limits?.soft ?? 1024]) {
      const b = connectionBudget(soft);
      expect(b.audio + b.admin + b.broker).toBeLessThan(soft);
      expect(b.audio).toBeGreaterThan(b.admin);
    }
    expect(connectionBudget(1024)).toEqual({audio: 460, admin: 153, broker: 115});
  });

  it("reads 'unlimited' and a missing file", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "limits");
    const {writeFile} = await import("node:fs/promises");
    await writeFile(
      file,
      "Limit                     Soft Limit           Hard Limit           Units\nMax open files            unlimited            unlimited            files\n",
    );
    expect(openFileLimits(file)).toEqual({soft: Number.POSITIVE_INFINITY, hard: Number.POSITIVE_INFINITY});
    expect(openFileLimits(path.join(dir, "absent"))).toBeUndefined();
    expect(connectionBudget(Number.POSITIVE_INFINITY).audio).toBeGreaterThan(100_000);
  });
});
