import type {AddressInfo} from "node:net";
import net from "node:net";
import Router from "@koa/router";
import Koa from "koa";
import {afterEach, describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {eventRoutes} from "../../../src/http/routes/events.js";
import {waitFor} from "../../helpers/players.js";

let server: import("node:http").Server | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(bus: EventBus): Promise<number> {
  const app = new Koa();
  // As the admin app: a stream cut off is not an error to print.
  app.silent = true;
  const router = new Router();
  eventRoutes(router, bus, {pagePlayers: () => []});
  app.use(router.routes());
  const listening = app.listen(0, "127.0.0.1");
  server = listening;
  await new Promise<void>((resolve) => listening.once("listening", () => resolve()));
  return (listening.address() as AddressInfo).port;
}

/** A client of the events that reads (or, `stalled`, never reads a byte: a frozen tab, a stalled proxy). */
async function client(port: number, stalled: boolean) {
  const socket = net.connect(port, "127.0.0.1");
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  let bytes = 0;
  let closed = false;
  socket.once("close", () => {
    closed = true;
  });
  if (stalled) socket.pause();
  socket.on("data", (chunk: Buffer) => (bytes += chunk.length));
  socket.on("error", () => {});
  return {bytes: () => bytes, closed: () => closed, resume: () => socket.resume()};
}

const line = (seq: number) => ({
  seq,
  at: new Date().toISOString(),
  level: "debug" as const,
  namespace: "test",
  message: "x".repeat(1000),
});

describe("/api/events and a client that stops reading", () => {
  it("drops the client once its unread backlog is large, instead of buffering every log line in memory", async () => {
    const bus = new EventBus(new Logger({level: "error", sink: () => {}}));
    const port = await serve(bus);
    const stalled = await client(port, true);
    await waitFor(() => bus.listenerCount("log.written") === 1, "the client subscribed");

    // 40 MB of log lines at debug level: far more than the kernel's socket buffers hold.
    const before = process.memoryUsage().arrayBuffers;
    for (let seq = 1; seq <= 40_000; seq++) bus.emit("log.written", line(seq));
    await waitFor(() => bus.listenerCount("log.written") === 0, "the stalled client dropped");
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(20_000_000);
    // Reading again, it gets what was on the wire when it was cut off, then the end.
    stalled.resume();
    await waitFor(stalled.closed, "the stalled connection closed");
    expect(stalled.bytes()).toBeLessThan(10_000_000);
  });

  it("keeps a client that reads through the same 40 MB, sent as a busy service writes it", async () => {
    const bus = new EventBus(new Logger({level: "error", sink: () => {}}));
    const port = await serve(bus);
    const reader = await client(port, false);
    await waitFor(() => bus.listenerCount("log.written") === 1, "the client subscribed");
    for (let seq = 1; seq <= 40_000; seq++) {
      bus.emit("log.written", line(seq));
      if (seq % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await waitFor(() => reader.bytes() > 40_000_000, "every line read", 20_000);
    expect(reader.closed()).toBe(false);
    expect(bus.listenerCount("log.written")).toBe(1);
  });

  it("leaves nothing on the bus after clients come and go, cut off or not", async () => {
    const bus = new EventBus(new Logger({level: "error", sink: () => {}}));
    const port = await serve(bus);
    const clients = await Promise.all(Array.from({length: 50}, (_, i) => client(port, i % 2 === 0)));
    await waitFor(() => bus.listenerCount("log.written") === 50, "every client subscribed");
    for (let seq = 1; seq <= 3000; seq++) bus.emit("log.written", line(seq));
    // Every reader has had some of it before the connections go (under load the last one may lag).
    await waitFor(() => clients.every((c, i) => i % 2 === 0 || c.bytes() > 0), "the readers reading");
    for (const socket of sockets.splice(0)) socket.destroy();
    await waitFor(() => bus.listenerCount("log.written") === 0, "every subscription dropped");
    expect(bus.listenerCount("player.changed")).toBe(0);
    // The readers had their lines; the stalled ones never read a byte.
    expect(clients.map((c) => c.bytes() > 0)).toEqual(clients.map((_, i) => i % 2 === 1));
  });
});
