import http from "node:http";
import type {AddressInfo} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {INITIAL_RESEND_MS, type Subscription, Subscriptions} from "../../../src/upnp/gena.js";
import {ANSWER_WAIT_MS} from "../../../src/upnp/genaNotify.js";
import {listenOwned} from "../../helpers/ownedServer.js";
import {waitFor} from "../../helpers/players.js";

/** One NOTIFY as a callback saw it. */
interface Got {
  seq: number;
  at: number;
}

type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const owned: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of owned.splice(0).reverse()) await close();
});

/** A control point's callback on 127.0.0.1 that notes each NOTIFY's SEQ and answers as `answer` says. */
async function callback(answer: Answer): Promise<{url: string; got: Got[]; closed: () => number}> {
  const got: Got[] = [];
  let closed = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      got.push({seq: Number(req.headers.seq), at: Date.now()});
      answer(req, res);
    });
  });
  // Per connection: an answering subscriber's events share one (kept alive).
  server.on("connection", (socket) => socket.once("close", () => closed++));
  const origin = await listenOwned(server, owned);
  return {url: `${origin}/event`, got, closed: () => closed};
}

/** Takes the event and never answers (npm's upnp-device-client does so). */
const silent: Answer = () => undefined;

/** A port on 127.0.0.1 nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function subscriptions() {
  const lines: string[] = [];
  const subs = new Subscriptions(new Logger({level: "info", sink: (line) => lines.push(line)}));
  const subscribe = (url: string): Subscription =>
    subs.subscribe({service: "AVTransport", address: "127.0.0.1", callback: `<${url}>`, nt: "upnp:event"}).sub;
  const held = (sub: Subscription) => subs.of("AVTransport").some((s) => s.sid === sub.sid);
  return {subs, lines, subscribe, held};
}

describe("GENA event delivery", () => {
  it("keeps a subscriber that never answers, holds its next event 2 s at most, in SEQ order", async () => {
    const {subs, subscribe, held} = subscriptions();
    const cp = await callback(silent);
    const sub = subscribe(cp.url);
    for (let i = 0; i < 4; i++) void subs.send(sub, `<e${i}/>`);
    await waitFor(() => cp.got.length === 4, "four events", 8000);
    expect(cp.got.map((g) => g.seq)).toEqual([0, 1, 2, 3]);
    const [first, second, third, fourth] = cp.got as [Got, Got, Got, Got];
    // The first unanswered one holds the next one ANSWER_WAIT_MS…
    expect(second.at - first.at).toBeGreaterThanOrEqual(ANSWER_WAIT_MS - 50);
    // …and once it is known to be silent, the rest go as they are written: the next two together
    // came sooner than that one wait (each waiting its own, they would take two of them).
    expect(fourth.at - second.at).toBeLessThan(second.at - first.at);
    expect(third.at).toBeLessThanOrEqual(fourth.at);
    // Each wait timed out (the renderer closed the connection); still never dropped: it lives until it expires.
    await waitFor(() => cp.closed() === 4, "the renderer to stop waiting for four answers", 5000);
    expect(sub.silent).toBe(true);
    expect(held(sub)).toBe(true);
    void subs.send(sub, "<e4/>");
    await waitFor(() => cp.got.length === 5, "a fifth event");
    expect(held(sub)).toBe(true);
  });

  it("keeps SEQ order when answers come late and unevenly", async () => {
    const {subs, subscribe} = subscriptions();
    let n = 0;
    const cp = await callback((_req, res) => setTimeout(() => res.end(), [150, 5, 80, 0, 300][n++ % 5]));
    const sub = subscribe(cp.url);
    const writes = Array.from({length: 10}, (_, i) => subs.send(sub, `<e${i}/>`));
    await Promise.all(writes);
    await waitFor(() => cp.got.length === 10, "ten events");
    expect(cp.got.map((g) => g.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("drops a subscription whose callback is refused three times in a row, and at once on 412", async () => {
    const {subs, subscribe, held, lines} = subscriptions();
    const port = await closedPort();
    const refused = subscribe(`http://127.0.0.1:${port}/event`);
    await subs.send(refused, "<e0/>");
    await subs.send(refused, "<e1/>");
    await waitFor(() => refused.failures === 2, "two refusals");
    expect(held(refused)).toBe(true);
    await subs.send(refused, "<e2/>");
    await waitFor(() => !held(refused), "the subscription dropped");
    expect(lines.find((l) => l.includes("Dropped the event subscription"))).toMatch(
      /Dropped the event subscription of 127\.0\.0\.1 \(to AVTransport\): its callback was refused 3 times in a row \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
    );
    // Its initial event taken, a later one disowned: dropped at once.
    const disowning = await callback((req, res) => {
      res.statusCode = req.headers.seq === "0" ? 200 : 412;
      res.end();
    });
    const disowned = subscribe(disowning.url);
    await subs.send(disowned, "<e0/>");
    await subs.send(disowned, "<e1/>");
    await waitFor(() => !held(disowned), "the disowned subscription dropped");
    expect(disowning.got.map((g) => g.seq)).toEqual([0, 1]);
    expect(lines).toContainEqual(
      expect.stringContaining(
        "Dropped the event subscription of 127.0.0.1 (to AVTransport): its control point answered 412, it has no such subscription",
      ),
    );
  });

  it("sends the initial event again to a control point that has not read its SID yet, and drops one that still disowns it", async () => {
    const {subs, subscribe, held} = subscriptions();
    // GUPnP on a busy machine: the first NOTIFY comes before it has read the SUBSCRIBE answer.
    let reading = 2;
    const late = await callback((_req, res) => {
      res.statusCode = reading-- > 0 ? 412 : 200;
      res.end();
    });
    const sub = subscribe(late.url);
    void subs.send(sub, "<e0/>");
    void subs.send(sub, "<e1/>");
    await waitFor(() => late.got.length === 4, "the initial event three times, then the next");
    expect(late.got.map((g) => g.seq)).toEqual([0, 0, 0, 1]);
    expect(held(sub)).toBe(true);
    // One that never knows the SID: dropped once the last resend is refused too, nothing after it sent.
    const never = await callback((_req, res) => {
      res.statusCode = 412;
      res.end();
    });
    const gone = subscribe(never.url);
    void subs.send(gone, "<e0/>");
    void subs.send(gone, "<e1/>");
    await waitFor(() => !held(gone), "the disowned subscription dropped");
    expect(never.got.map((g) => g.seq)).toEqual(Array(1 + INITIAL_RESEND_MS.length).fill(0));
  });

  it("forgets a refusal once the callback answers again", async () => {
    const {subs, subscribe, held} = subscriptions();
    let refuse = true;
    const cp = await callback((_req, res) => {
      res.statusCode = refuse ? 500 : 200;
      res.end();
    });
    const sub = subscribe(cp.url);
    await subs.send(sub, "<e0/>");
    await subs.send(sub, "<e1/>");
    await waitFor(() => sub.failures === 2, "two refusals");
    refuse = false;
    await subs.send(sub, "<e2/>");
    await waitFor(() => sub.failures === 0, "an answer");
    refuse = true;
    await subs.send(sub, "<e3/>");
    await subs.send(sub, "<e4/>");
    await waitFor(() => cp.got.length === 5, "five events");
    await waitFor(() => sub.failures === 2, "two more refusals");
    expect(held(sub)).toBe(true);
  });
});
