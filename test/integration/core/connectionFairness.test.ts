import http from "node:http";
import net, {type AddressInfo} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {guardConnections} from "../../../src/core/connectionGuard.js";
import {Logger} from "../../../src/core/logger.js";
import {waitFor} from "../../helpers/players.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A listener guarded as the audio listener is, small enough to fill: 40 connections in all. */
async function guardedServer(closeIdleWhenBusyMs?: number) {
  const lines: string[] = [];
  const server = http.createServer((_req, res) => res.end("audio"));
  guardConnections(
    server,
    {total: 40, perClient: 128, ...(closeIdleWhenBusyMs ? {closeIdleWhenBusyMs} : {})},
    new Logger({level: "debug", sink: (l) => lines.push(l)}),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  cleanups.push(() => server.closeAllConnections());
  return {port: (server.address() as AddressInfo).port, lines};
}

/** `count` idle connections from one loopback address (the whole of 127/8 is this machine). */
async function idleFlood(port: number, from: string, count: number) {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = net.connect({port, host: "127.0.0.1", localAddress: from});
    socket.on("error", () => {});
    await new Promise<void>((r) => socket.once("connect", () => r()));
    sockets.push(socket);
  }
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
  });
  // Give the server a moment to accept, or to close what it refuses.
  await new Promise((r) => setTimeout(r, 150));
  return sockets;
}

const alive = (sockets: net.Socket[]) => sockets.filter((s) => !s.destroyed && s.readyState === "open").length;

function playerRequest(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({host: "127.0.0.1", port, path: "/audio/x.mp3", localAddress: "127.0.0.9", agent: false});
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
  });
}

describe("a few addresses cannot fill a listener", () => {
  it("keeps room for a player while four addresses hold idle connections, each held to its share once busy", async () => {
    const {port, lines} = await guardedServer();
    const floods = [];
    for (const from of ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"])
      floods.push(await idleFlood(port, from, 12));
    // The first got all 12 before the listener was busy; after that each got its share of 8, and
    // past three quarters (30) only addresses holding fewer than 4 get more.
    expect(floods.map(alive)).toEqual([12, 8, 8, 4]);
    expect(
      lines.some((l) =>
        l.includes(
          "Closed a connection from 127.0.0.5: the listener is nearly full and it already has 4 open; the rest is kept for others",
        ),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        l.includes(
          "Closed a connection from 127.0.0.3: the listener is busy and it already has 8 open, its share while others wait",
        ),
      ),
    ).toBe(true);
    // 36 of 40 held: a player still gets in.
    expect(await playerRequest(port)).toBe("audio");
  });

  it("closes idle connections sooner when busy, the busiest address first, and leaves the rest", async () => {
    const {port} = await guardedServer(300);
    const heavy = await idleFlood(port, "127.0.0.2", 16);
    const light = await idleFlood(port, "127.0.0.3", 6);
    expect(alive(heavy)).toBe(16);
    await waitFor(() => alive(heavy) === 0, "the heavy address's idle connections closed", 5000);
    // Below its share, the light address keeps its connections while the listener is not near full.
    expect(alive(light)).toBe(6);
    expect(await playerRequest(port)).toBe("audio");
  });
});
