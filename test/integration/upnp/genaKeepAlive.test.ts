import http from "node:http";
import type {Socket} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {type Subscription, Subscriptions} from "../../../src/upnp/gena.js";
import {listenOwned} from "../../helpers/ownedServer.js";
import {waitFor} from "../../helpers/players.js";

/** One NOTIFY as the subscriber's server took it: its SEQ and the connection it came on. */
interface Got {
  seq: number;
  connection: number;
}

type Answer = (req: http.IncomingMessage, res: http.ServerResponse, got: Got) => void;

const owned: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of owned.splice(0).reverse()) await close();
});

/**
 * A control point's callback server on 127.0.0.1 that numbers its connections, notes each NOTIFY
 * with the connection it came on, and answers as `answer` says; `open` is how many connections it
 * holds now.
 */
async function subscriber(answer: Answer) {
  const got: Got[] = [];
  const open = new Set<Socket>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const number = (req.socket as Socket & {number?: number}).number ?? 0;
    req.resume();
    req.on("end", () => {
      const one = {seq: Number(req.headers.seq), connection: number};
      got.push(one);
      answer(req, res, one);
    });
  });
  server.on("connection", (socket: Socket & {number?: number}) => {
    socket.number = ++connections;
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  const origin = await listenOwned(server, owned);
  const url = `${origin}/event`;
  return {server, url, got, connections: () => connections, open: () => open.size};
}

const answered: Answer = (_req, res) => res.end();

function subscriptions(now: () => number = Date.now) {
  const lines: string[] = [];
  const subs = new Subscriptions(new Logger({level: "info", sink: (line) => lines.push(line)}), {now});
  const subscribe = (url: string): Subscription =>
    subs.subscribe({service: "AVTransport", address: "127.0.0.1", callback: `<${url}>`, nt: "upnp:event"}).sub;
  const held = (sub: Subscription) => subs.of("AVTransport").some((s) => s.sid === sub.sid);
  return {subs, lines, subscribe, held};
}

/** Sends `count` events to `sub` and waits until `cp` took as many (or more: one sent again). */
async function events(subs: Subscriptions, sub: Subscription, cp: {got: Got[]}, count: number): Promise<void> {
  const before = cp.got.length;
  for (let i = 0; i < count; i++) void subs.send(sub, Buffer.from(`<e${i}/>`));
  await waitFor(() => cp.got.length >= before + count, `${count} events`);
}

describe("GENA events over kept connections", () => {
  it("sends an answering subscriber's events on one connection", async () => {
    const {subs, subscribe} = subscriptions();
    const cp = await subscriber(answered);
    const sub = subscribe(cp.url);
    await events(subs, sub, cp, 5);
    expect(cp.got).toEqual([0, 1, 2, 3, 4].map((seq) => ({seq, connection: 1})));
    expect(cp.connections()).toBe(1);
  });

  it("reads answers with a body, chunked or closing, and keeps the connection unless the answer asks for close", async () => {
    const {subs, subscribe} = subscriptions();
    const answers: Array<(res: http.ServerResponse) => void> = [
      (res) => res.end("<ok/>"), // a body of a given length: kept
      (res) => res.end(), // kept
      (res) => {
        res.setHeader("Connection", "close");
        res.end();
      },
      (res) => {
        res.write("chunked, ");
        res.end("as Node sends a body of no given length");
      },
      // Node's usual empty answer: the head written first, so an empty chunked body.
      (res) => res.writeHead(200).end(),
      (res) => res.end(),
    ];
    const cp = await subscriber((_req, res, one) => answers[one.seq]?.(res));
    const sub = subscribe(cp.url);
    for (let i = 0; i < answers.length; i++) await events(subs, sub, cp, 1);
    await subs.send(sub, "<e/>");
    expect(cp.got.map((g) => g.connection)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(sub.failures).toBe(0);
  });

  it("opens at most one connection per ten events to a plain Node keep-alive subscriber", async () => {
    const {subs} = subscriptions();
    // A Node server as it comes, answering as most do: `writeHead(200).end()` is an empty chunked answer.
    const cp = await subscriber((_req, res) => res.writeHead(200).end());
    // As Home Assistant subscribes a renderer: AVTransport and RenderingControl, one callback server.
    const both = ["AVTransport", "RenderingControl"].map(
      (service) => subs.subscribe({service, address: "127.0.0.1", callback: `<${cp.url}>`, nt: "upnp:event"}).sub,
    );
    const count = 40;
    for (let i = 0; i < count; i++) for (const sub of both) void subs.send(sub, `<e${i}/>`);
    await waitFor(() => cp.got.length === 2 * count, "every event at the subscriber");
    expect(cp.connections()).toBeLessThanOrEqual((2 * count) / 10);
    expect(both.map((sub) => sub.failures)).toEqual([0, 0]);
  });

  it("gets every event to a subscriber that closes its connections at any moment, once each, in SEQ order", async () => {
    const {subs, subscribe, held, lines} = subscriptions();
    const answeredSeqs: number[] = [];
    const onConnection = new Map<number, number>();
    const cp = await subscriber((req, res, one) => {
      const nth = (onConnection.get(one.connection) ?? 0) + 1;
      onConnection.set(one.connection, nth);
      // Reset as it reads an event on a connection it kept (never a new one's first: that one is refused).
      if (nth > 1 && one.seq % 5 === 2) return void req.socket.destroy();
      answeredSeqs.push(one.seq);
      res.writeHead(200).end(() => {
        // Closed right after its answer went, before the renderer's next event.
        if (one.seq % 7 === 3) req.socket.destroy();
        // Every idle connection closed, as a server does when its keep-alive time is up.
        else if (one.seq % 11 === 5) setImmediate(() => cp.server.closeIdleConnections());
      });
    });
    const sub = subscribe(cp.url);
    const count = 60;
    for (let i = 0; i < count; i++) void subs.send(sub, `<e${i}/>`);
    await waitFor(() => answeredSeqs.length === count, "every event answered");
    expect(answeredSeqs).toEqual(Array.from({length: count}, (_, seq) => seq));
    // Some came twice: reset unanswered, then sent again with the same SEQ.
    expect(cp.got.length).toBeGreaterThan(count);
    expect(cp.got.map((g) => g.seq)).toEqual([...cp.got.map((g) => g.seq)].sort((a, b) => a - b));
    expect(sub.failures).toBe(0);
    expect(held(sub)).toBe(true);
    expect(lines).toEqual([]);
  });

  it("sends a silent subscriber's next event on a new connection, and holds nobody else's", async () => {
    const {subs, subscribe, held} = subscriptions();
    const mute = await subscriber(() => undefined);
    const quick = await subscriber(answered);
    const [a, b] = [subscribe(mute.url), subscribe(quick.url)];
    for (let i = 0; i < 3; i++) {
      void subs.send(a, `<e${i}/>`);
      void subs.send(b, `<e${i}/>`);
    }
    await waitFor(() => quick.got.length === 3, "the answering subscriber's three events");
    // All three came while the silent one's first was still unanswered, on the answering one's one connection.
    expect(mute.got).toEqual([{seq: 0, connection: 1}]);
    expect(quick.got).toEqual([0, 1, 2].map((seq) => ({seq, connection: 1})));
    await waitFor(() => mute.got.length === 3, "the silent subscriber's next two events", 8000);
    // The unanswered one kept nothing waiting behind it: each later event on a connection of its own.
    expect(mute.got).toEqual([
      {seq: 0, connection: 1},
      {seq: 1, connection: 2},
      {seq: 2, connection: 3},
    ]);
    expect(held(a)).toBe(true);
  });

  it("sends the next event once, with its SEQ, when the subscriber closed the kept connection between events", async () => {
    const {subs, subscribe} = subscriptions();
    const cp = await subscriber(answered);
    const sub = subscribe(cp.url);
    await events(subs, sub, cp, 1);
    cp.server.closeIdleConnections();
    await events(subs, sub, cp, 1);
    expect(cp.got).toEqual([
      {seq: 0, connection: 1},
      {seq: 1, connection: 2},
    ]);
  });

  it("sends an event again on a new connection when the kept one is closed under it, before any answer", async () => {
    const {subs, subscribe, lines} = subscriptions();
    // The keep-alive race: the control point closes its idle connection as the next event arrives on it.
    const cp = await subscriber((req, res, one) => {
      if (one.seq === 1 && one.connection === 1) req.socket.destroy();
      else res.end();
    });
    const sub = subscribe(cp.url);
    await events(subs, sub, cp, 1);
    await events(subs, sub, cp, 2);
    await waitFor(() => cp.got.length === 4, "SEQ 1 again, and SEQ 2");
    expect(cp.got).toEqual([
      {seq: 0, connection: 1},
      {seq: 1, connection: 1},
      {seq: 1, connection: 2},
      {seq: 2, connection: 2},
    ]);
    await subs.send(sub, "<e/>");
    expect(sub.failures).toBe(0);
    expect(lines).toEqual([]);
  });

  it("drops a subscriber answering 412 and closes its connection", async () => {
    const {subs, subscribe, held, lines} = subscriptions();
    const cp = await subscriber((_req, res, one) => {
      res.statusCode = one.seq === 0 ? 200 : 412;
      res.end();
    });
    const sub = subscribe(cp.url);
    await events(subs, sub, cp, 2);
    await waitFor(() => !held(sub), "the disowned subscription dropped");
    expect(lines.map((line) => line.replace(/^\[[^\]]*\] /, ""))).toEqual([
      "INFO: Dropped the event subscription of 127.0.0.1 (to AVTransport): its control point answered 412, it has no such subscription",
    ]);
    await waitFor(() => cp.open() === 0, "its connection closed");
    expect(cp.connections()).toBe(1);
  });

  it("closes a subscription's kept connection when it is cancelled or expires", async () => {
    let now = Date.now();
    const {subs, subscribe} = subscriptions(() => now);
    const cp = await subscriber(answered);
    const [cancelled, expiring] = [subscribe(cp.url), subscribe(cp.url)];
    await events(subs, cancelled, cp, 2);
    await events(subs, expiring, cp, 2);
    // One kept connection each, open between events.
    expect(cp.open()).toBe(2);
    subs.unsubscribe(cancelled.sid, "AVTransport", "127.0.0.1");
    await waitFor(() => cp.open() === 1, "the cancelled subscription's connection closed");
    now += 1801_000;
    expect(subs.size).toBe(0);
    await waitFor(() => cp.open() === 0, "the expired subscription's connection closed");
    expect(cp.connections()).toBe(2);
  });
});
