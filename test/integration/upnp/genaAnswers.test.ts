import net from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {type Subscription, Subscriptions} from "../../../src/upnp/gena.js";
import {waitFor} from "../../helpers/players.js";

/** One NOTIFY as the subscriber read it off the wire: its SEQ and the connection it came on. */
interface Got {
  seq: number;
  connection: number;
}

/** Writes the answer to one NOTIFY, as bytes (in pieces when it is a list). */
type Answer = (got: Got) => string | string[];

const owned: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of owned.splice(0).reverse()) await close();
});

/**
 * A control point's callback server on plain TCP, so that each answer's bytes are exactly the ones
 * given: it reads each request's head and Content-Length body off the connection in turn, notes
 * it and writes `answer`'s bytes (each piece in a turn of the loop of its own, as a slow network
 * delivers them).
 */
async function rawSubscriber(answer: Answer) {
  const got: Got[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    let writing = Promise.resolve();
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffered.toString("latin1", 0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        const one = {seq: Number(/\r\nSEQ: *(\d+)/i.exec(head)?.[1]), connection};
        got.push(one);
        const bytes = answer(one);
        writing = writing.then(() => writePieces(socket, typeof bytes === "string" ? [bytes] : bytes));
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  owned.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const {port} = server.address() as net.AddressInfo;
  return {url: `http://127.0.0.1:${port}/event`, got, connections: () => connections};
}

async function writePieces(socket: net.Socket, pieces: string[]): Promise<void> {
  for (const piece of pieces) {
    if (socket.destroyed) return;
    socket.write(piece, "latin1");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function subscriptions() {
  const lines: string[] = [];
  const subs = new Subscriptions(new Logger({level: "info", sink: (line) => lines.push(line)}));
  const subscribe = (url: string): Subscription =>
    subs.subscribe({service: "AVTransport", address: "127.0.0.1", callback: `<${url}>`, nt: "upnp:event"}).sub;
  return {subs, lines, subscribe};
}

/** Sends `count` events (each goes once the one before it was answered) and waits until the subscriber read them all. */
async function events(subs: Subscriptions, sub: Subscription, cp: {got: Got[]}, count: number): Promise<void> {
  for (let i = 0; i < count; i++) void subs.send(sub, Buffer.from(`<e${i}/>`));
  await waitFor(() => cp.got.length >= count, `${count} events`);
}

/**
 * What Home Assistant's and Music Assistant's event server answers: async_upnp_client's
 * AiohttpNotifyServer._handle_request (async_upnp_client/aiohttp.py) returns
 * `aiohttp.web.Response(status=200)`, which aiohttp (aiohttp/web_response.py, Response._start and
 * _prepare_headers) writes with Content-Length 0, Date and Server, no Content-Type for an empty
 * body and no Connection header on an HTTP/1.1 connection it keeps.
 */
const AIOHTTP_200 =
  "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: Sun, 29 Nov 2026 01:00:00 GMT\r\nServer: Python/3.12 aiohttp/3.9.5\r\n\r\n";

/** Node's `res.writeHead(200).end()`: no length given, so an empty chunked body. */
const NODE_200 =
  "HTTP/1.1 200 OK\r\nDate: Sun, 29 Nov 2026 01:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";

describe("GENA answers read off the wire", () => {
  it("sends every event on one connection to an aiohttp event server (Home Assistant, Music Assistant)", async () => {
    const {subs, subscribe, lines} = subscriptions();
    const cp = await rawSubscriber(() => AIOHTTP_200);
    const sub = subscribe(cp.url);
    await events(subs, sub, cp, 20);
    expect(cp.got.map((g) => g.seq)).toEqual(Array.from({length: 20}, (_, i) => i));
    expect(cp.connections()).toBe(1);
    expect(sub.failures).toBe(0);
    expect(lines).toEqual([]);
  });

  it("reads chunked answers however they are split, with extensions and a trailer, and keeps the connection", async () => {
    const {subs, subscribe} = subscriptions();
    const answers: Array<string | string[]> = [
      NODE_200,
      // Byte by byte.
      [...NODE_200],
      // Two chunks, one with an extension, then a trailer field.
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;note=x\r\nhello\r\nA\r\n, answered\r\n0\r\nX-Done: yes\r\n\r\n",
      [
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r",
        "\n1",
        "4\r\n",
        "twenty bytes of body",
        "\r\n0\r",
        "\n\r\n",
      ],
      // No Content-Length, no body: 204 ends at its head.
      "HTTP/1.1 204 No Content\r\n\r\n",
      NODE_200,
    ];
    const cp = await rawSubscriber((got) => answers[got.seq] ?? NODE_200);
    const sub = subscribe(cp.url);
    await events(subs, sub, cp, answers.length);
    expect(cp.got.map((g) => g.connection)).toEqual(Array(answers.length).fill(1));
    expect(sub.failures).toBe(0);
  });

  it("takes an answer whose end it cannot follow as an answer, and sends the next event on a new connection", async () => {
    const {subs, subscribe, lines} = subscriptions();
    const answers = [
      // More bytes than the length says: out of step.
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokay",
      // HTTP/1.0: closed after the answer.
      "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
      // A body that ends at close.
      "HTTP/1.1 200 OK\r\n\r\nall of it",
      // A chunk size that is no hex number.
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      // A coding after chunked: ends at close (RFC 9112 6.1).
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
      // Close asked for.
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      AIOHTTP_200,
    ];
    const cp = await rawSubscriber((got) => answers[got.seq] ?? AIOHTTP_200);
    const sub = subscribe(cp.url);
    await events(subs, sub, cp, answers.length);
    expect(cp.got).toEqual(answers.map((_, seq) => ({seq, connection: seq + 1})));
    expect(sub.failures).toBe(0);
    expect(lines).toEqual([]);
  });
});
