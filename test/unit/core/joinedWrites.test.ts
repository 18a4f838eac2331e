import type {AddressInfo} from "node:net";
import net from "node:net";
import {Duplex, PassThrough, type Writable} from "node:stream";
import {afterEach, describe, expect, it} from "vitest";
import WebSocket, {createWebSocketStream, WebSocketServer} from "ws";
import {joinCorkedWrites} from "../../../src/core/joinedWrites.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Three pieces written inside one cork, as mqtt-packet writes a PUBACK (header, length, packet id). */
function writePuback(stream: Writable): void {
  stream.cork();
  stream.write(Buffer.from([0x40]));
  stream.write(Buffer.from([0x02]));
  stream.write(Buffer.from([0x12, 0x34]));
  process.nextTick(() => stream.uncork());
}

/** A WebSocket server on loopback that records each message (frame) it receives. */
async function frameServer() {
  const server = new WebSocketServer({host: "127.0.0.1", port: 0});
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const frames: Buffer[] = [];
  server.on("connection", (ws) => ws.on("message", (data) => frames.push(data as Buffer)));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {url, frames};
}

async function clientStream(url: string): Promise<Duplex> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const stream = createWebSocketStream(ws);
  // Destroyed at the end of the test, before the server says goodbye.
  stream.on("error", () => {});
  cleanups.push(() => stream.destroy());
  return stream;
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe("joinCorkedWrites", () => {
  it("sends a corked packet over a WebSocket as one frame, where it was one frame per piece", async () => {
    const {url, frames} = await frameServer();
    const plain = await clientStream(url);
    writePuback(plain);
    await until(() => frames.length >= 3);
    expect(frames.map((f) => f.toString("hex"))).toEqual(["40", "02", "1234"]);

    frames.length = 0;
    const joined = await clientStream(url);
    joinCorkedWrites(joined);
    writePuback(joined);
    await until(() => frames.length >= 1);
    writePuback(joined);
    await until(() => frames.length >= 2);
    // The same bytes, in order; each corked batch in one frame.
    expect(frames.map((f) => f.toString("hex"))).toEqual(["40021234", "40021234"]);
  });

  it("writes a corked batch to a socket behind a duplex in one write, bytes unchanged", async () => {
    const received: Buffer[] = [];
    const server = net.createServer((socket) => socket.on("data", (d) => received.push(d)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const socket = net.connect((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    cleanups.push(() => socket.destroy());
    const writes: number[] = [];
    const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
    socket.write = ((chunk: Buffer) => {
      writes.push(chunk.length);
      return write(chunk);
    }) as typeof socket.write;
    // As the broker wraps each client's socket (packetSizeGuard.ts).
    const connection = Duplex.from({readable: new PassThrough(), writable: socket});
    // The socket's close at the end of the test ends it early.
    connection.on("error", () => {});
    joinCorkedWrites(connection);
    writePuback(connection);
    await until(() => Buffer.concat(received).length >= 4);
    expect(writes).toEqual([4]);
    expect(Buffer.concat(received).toString("hex")).toBe("40021234");
  });

  it("leaves a stream that joins writes itself as it is", () => {
    const socket = new net.Socket();
    const own = (socket as unknown as {_writev: unknown})._writev;
    joinCorkedWrites(socket);
    expect((socket as unknown as {_writev: unknown})._writev).toBe(own);
  });
});
