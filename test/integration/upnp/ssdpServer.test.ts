import dgram from "node:dgram";
import {afterEach, describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {SSDP_GROUP} from "../../../src/upnp/ssdpMessage.js";
import {
  ANNOUNCE_SPACING_MS,
  type SsdpDevice,
  SsdpServer,
  type SsdpServerOptions,
} from "../../../src/upnp/ssdpServer.js";
import {waitFor} from "../../helpers/players.js";
import {freePort} from "../../helpers/ports.js";

const RENDERER = "urn:schemas-upnp-org:device:MediaRenderer:1";
const SERVICES = [
  "urn:schemas-upnp-org:service:AVTransport:1",
  "urn:schemas-upnp-org:service:RenderingControl:1",
  "urn:schemas-upnp-org:service:ConnectionManager:1",
];
const device = (id: string): SsdpDevice => ({
  udn: `uuid:0000000${id}-0000-4000-8000-000000000000`,
  deviceType: RENDERER,
  serviceTypes: SERVICES,
  descriptionPath: `/upnp/${id}/description.xml`,
});
const BEDROOM = device("1");
const KITCHEN = device("2");
const LOOPBACK = [{address: "127.0.0.1", netmask: "255.0.0.0"}];

interface Datagram {
  at: number;
  text: string;
  from: dgram.RemoteInfo;
  headers: Record<string, string>;
}

function headersOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).toUpperCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

const owned: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of owned.splice(0).reverse()) await close();
  vi.restoreAllMocks();
});

/**
 * When each datagram to the group on `port` left (from any socket of this process): a receiver
 * on a busy machine may take one late, and the next on time, so spacing is read where it is sent.
 */
function groupSends(port: number): number[] {
  const sentAt: number[] = [];
  const send = dgram.Socket.prototype.send;
  vi.spyOn(dgram.Socket.prototype, "send").mockImplementation(function (this: dgram.Socket, ...args: unknown[]) {
    if (args[1] === port && args[2] === SSDP_GROUP) sentAt.push(performance.now());
    return Reflect.apply(send, this, args);
  });
  return sentAt;
}

/** A UDP socket of the test's own on loopback that keeps what it receives. */
async function udp(bindTo?: {port: number; address: string}): Promise<{socket: dgram.Socket; got: Datagram[]}> {
  const socket = dgram.createSocket({type: "udp4", reuseAddr: true});
  const got: Datagram[] = [];
  socket.on("message", (msg, from) =>
    got.push({at: Date.now(), text: msg.toString(), from, headers: headersOf(msg.toString())}),
  );
  await new Promise<void>((resolve) => socket.bind(bindTo?.port ?? 0, bindTo?.address ?? "127.0.0.1", resolve));
  owned.push(() => socket.close());
  return {socket, got};
}

/** A listener on the group on lo only, as a control point on this machine would be. */
async function groupListener(port: number) {
  const listener = await udp({port, address: SSDP_GROUP});
  listener.socket.addMembership(SSDP_GROUP, "127.0.0.1");
  return listener;
}

function send(socket: dgram.Socket, text: string, port: number, host = "127.0.0.1"): Promise<void> {
  if (host === SSDP_GROUP) socket.setMulticastInterface("127.0.0.1");
  return new Promise((resolve, reject) => socket.send(text, port, host, (err) => (err ? reject(err) : resolve())));
}

const search = (st: string, host: string, extra: string[] = []) =>
  ["M-SEARCH * HTTP/1.1", `HOST: ${host}`, 'MAN: "ssdp:discover"', ...extra, `ST: ${st}`, "", ""].join("\r\n");

async function server(opts: Partial<SsdpServerOptions> = {}) {
  const lines: string[] = [];
  const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
  const ssdp = new SsdpServer({
    port: 0,
    scope: "machine",
    httpPort: () => 8098,
    devices: () => [BEDROOM, KITCHEN],
    log,
    product: "YotoSmartStream/9.9",
    ...opts,
  });
  await ssdp.start();
  owned.push(() => ssdp.stop());
  return {ssdp, lines};
}

describe("the renderers' SSDP", () => {
  it("answers each search target unicast to the searcher with UDA 1.1's headers", async () => {
    const {ssdp} = await server({configId: () => 7});
    const {socket, got} = await udp();
    const host = `127.0.0.1:${ssdp.port}`;
    const cases: Array<[string, Array<[string, string]>]> = [
      ["upnp:rootdevice", [BEDROOM, KITCHEN].map((d) => ["upnp:rootdevice", `${d.udn}::upnp:rootdevice`])],
      [KITCHEN.udn, [[KITCHEN.udn, KITCHEN.udn]]],
      [RENDERER, [BEDROOM, KITCHEN].map((d) => [RENDERER, `${d.udn}::${RENDERER}`])],
      ...SERVICES.map((s): [string, Array<[string, string]>] => [
        s,
        [BEDROOM, KITCHEN].map((d) => [s, `${d.udn}::${s}`]),
      ]),
    ];
    for (const [st, expected] of cases) {
      got.length = 0;
      await send(socket, search(st, host), ssdp.port);
      await waitFor(() => got.length >= expected.length, `answers to ${st}`);
      expect(got.map((g) => [g.headers.ST, g.headers.USN]).sort()).toEqual([...expected].sort());
    }
    const answer = got[0] as Datagram;
    expect(answer.text.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true);
    expect(answer.from).toMatchObject({address: "127.0.0.1", port: ssdp.port});
    expect(answer.headers).toMatchObject({
      "CACHE-CONTROL": "max-age=1800",
      EXT: "",
      LOCATION: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8098\/upnp\/[12]\/description\.xml$/),
      SERVER: expect.stringMatching(/^\S+\/\S+ UPnP\/1\.1 YotoSmartStream\/9\.9$/),
      "BOOTID.UPNP.ORG": expect.stringMatching(/^\d+$/),
      "CONFIGID.UPNP.ORG": "7",
    });
    expect(new Date(answer.headers.DATE as string).getTime()).toBeGreaterThan(0);
    expect(ssdp.stats()).toEqual({searches: cases.length, answered: cases.length, refused: 0});
  });

  it("answers ssdp:all with every target of every renderer, each LOCATION its own description", async () => {
    const {ssdp} = await server();
    const {socket, got} = await udp();
    await send(socket, search("ssdp:all", `127.0.0.1:${ssdp.port}`), ssdp.port);
    await waitFor(() => got.length >= 12, "twelve answers");
    const pairs = got.map((g) => [g.headers.USN, g.headers.LOCATION]);
    for (const d of [BEDROOM, KITCHEN]) {
      const location = `http://127.0.0.1:8098${d.descriptionPath}`;
      expect(pairs.filter(([usn]) => usn?.startsWith(d.udn)).sort()).toEqual(
        [d.udn, `${d.udn}::upnp:rootdevice`, `${d.udn}::${RENDERER}`, ...SERVICES.map((s) => `${d.udn}::${s}`)]
          .map((usn) => [usn, location])
          .sort(),
      );
    }
  });

  it("answers a search sent to the group on lo, and ignores what is no search", async () => {
    const {ssdp} = await server({devices: () => [BEDROOM]});
    const {socket, got} = await udp();
    const group = `${SSDP_GROUP}:1900`;
    const ignored = [
      // No MAN, a MAN other than ssdp:discover, no ST, not a search, an MX that is no number.
      ["M-SEARCH * HTTP/1.1", `HOST: ${group}`, "MX: 1", "ST: ssdp:all", "", ""].join("\r\n"),
      search("ssdp:all", group, ["MX: 1"]).replace('"ssdp:discover"', '"ssdp:other"'),
      ["M-SEARCH * HTTP/1.1", `HOST: ${group}`, 'MAN: "ssdp:discover"', "MX: 1", "", ""].join("\r\n"),
      `NOTIFY * HTTP/1.1\r\nHOST: ${group}\r\nNT: ssdp:all\r\nNTS: ssdp:alive\r\n\r\n`,
      search("ssdp:all", group, ["MX: soon"]),
      search("urn:schemas-upnp-org:device:MediaServer:1", group, ["MX: 1"]),
      `${search("ssdp:all", group, ["MX: 1"]).trimEnd()}\r\nX-PAD: ${"a".repeat(5000)}\r\n\r\n`,
      "\u0000\u0001garbage",
    ];
    for (const text of ignored) await send(socket, text, ssdp.port, SSDP_GROUP);
    await send(socket, search("upnp:rootdevice", group, ["MX: 1"]), ssdp.port, SSDP_GROUP);
    await waitFor(() => got.length >= 1, "the answer to the group search");
    expect(got.map((g) => [g.headers.ST, g.from.port])).toEqual([["upnp:rootdevice", ssdp.port]]);
    // The MediaServer search was a search (counted), just not for us.
    expect(ssdp.stats()).toEqual({searches: 2, answered: 1, refused: 0});
  });

  it("limits answers per sender and overall, and sums a flood up in the log", async () => {
    const {ssdp, lines} = await server({
      devices: () => [BEDROOM],
      perSender: {burst: 3, perSecond: 0.001},
      allSenders: {burst: 30, perSecond: 0.001},
      floodWindowMs: 200,
    });
    const flooder = await udp();
    const host = `127.0.0.1:${ssdp.port}`;
    for (let i = 0; i < 40; i++) await send(flooder.socket, search("upnp:rootdevice", host), ssdp.port);
    await waitFor(() => ssdp.stats().searches === 40, "forty searches");
    expect(ssdp.stats()).toEqual({searches: 40, answered: 3, refused: 37});
    await waitFor(
      () => lines.some((l) => l.includes("… and 32 more like it in the last 0.2 s (ssdp-sender)")),
      "summary",
    );
    expect(lines.filter((l) => l.includes("Too many UPnP searches (SSDP) from 127.0.0.1: not answered"))).toHaveLength(
      5,
    );
    // Other addresses still get theirs until all senders together spend the overall budget (6 answers an ssdp:all).
    const others = await Promise.all([2, 3, 4, 5, 6, 7].map((n) => udp({port: 0, address: `127.0.0.${n}`})));
    for (const other of others) await send(other.socket, search("ssdp:all", host), ssdp.port);
    await waitFor(() => ssdp.stats().searches === 46, "six more searches");
    expect(ssdp.stats()).toMatchObject({answered: 7, refused: 39});
    await waitFor(() => others.reduce((n, o) => n + o.got.length, 0) === 24, "four senders' answers");
    expect(flooder.got).toHaveLength(3);
    expect(lines.some((l) => l.includes("Too many UPnP searches (SSDP) from everyone together"))).toBe(true);
  });

  it("in machine scope sends nothing to the group: a listener on lo sees searches, never a NOTIFY", async () => {
    const port = await freePort();
    const listener = await groupListener(port);
    // Given loopback as its only interface, anything it did send to the group would reach the listener.
    const {ssdp} = await server({port, interfaces: () => LOOPBACK});
    ssdp.alive(BEDROOM);
    ssdp.byebye(KITCHEN);
    const searcher = await udp();
    const marker = (n: number) => search("upnp:rootdevice", `${SSDP_GROUP}:1900`, ["MX: 1", `X-MARK: ${n}`]);
    await send(searcher.socket, marker(1), port, SSDP_GROUP);
    await waitFor(() => searcher.got.length >= 2, "answers from the group search");
    await ssdp.stop();
    await send(searcher.socket, marker(2), port, SSDP_GROUP);
    await waitFor(() => listener.got.some((g) => g.headers["X-MARK"] === "2"), "the second marker");
    expect(listener.got.map((g) => g.text.split("\r\n")[0])).toEqual(["M-SEARCH * HTTP/1.1", "M-SEARCH * HTTP/1.1"]);
  });

  it("in network scope announces alive at start, byebye for a renderer that goes and for all at stop, each set three times", async () => {
    const port = await freePort();
    const listener = await groupListener(port);
    const sentAt = groupSends(port);
    const {ssdp} = await server({port, scope: "network", interfaces: () => LOOPBACK, devices: () => [BEDROOM]});
    const notifies = (nts: string) => listener.got.filter((g) => g.headers.NTS === nts);
    const oneSet = [
      ["upnp:rootdevice", `${BEDROOM.udn}::upnp:rootdevice`],
      [BEDROOM.udn, BEDROOM.udn],
      ...[RENDERER, ...SERVICES].map((t) => [t, `${BEDROOM.udn}::${t}`]),
    ].map((pair) => [...pair, "http://127.0.0.1:8098/upnp/1/description.xml"]);
    await waitFor(() => notifies("ssdp:alive").length === 18, "three sets of six alive");
    expect(notifies("ssdp:alive").map((g) => [g.headers.NT, g.headers.USN, g.headers.LOCATION])).toEqual([
      ...oneSet,
      ...oneSet,
      ...oneSet,
    ]);
    // Spaced, not a burst: each set sent a good while after the one before it.
    expect(sentAt).toHaveLength(18);
    expect((sentAt[6] as number) - (sentAt[5] as number)).toBeGreaterThanOrEqual(ANNOUNCE_SPACING_MS - 30);
    expect((sentAt[12] as number) - (sentAt[11] as number)).toBeGreaterThanOrEqual(ANNOUNCE_SPACING_MS - 30);
    expect(notifies("ssdp:alive")[0]?.headers).toMatchObject({
      HOST: `${SSDP_GROUP}:${port}`,
      "CACHE-CONTROL": "max-age=1800",
      SERVER: expect.stringMatching(/^Linux\/\S+ UPnP\/1\.1 YotoSmartStream\/9\.9$/),
    });
    ssdp.byebye(KITCHEN);
    await waitFor(() => notifies("ssdp:byebye").length === 18, "byebye for the kitchen, three times");
    expect(notifies("ssdp:byebye").every((g) => g.headers.USN?.startsWith(KITCHEN.udn) && !g.headers.LOCATION)).toBe(
      true,
    );
    // A unicast search from this machine is answered with the loopback address.
    const searcher = await udp();
    await send(searcher.socket, search(BEDROOM.udn, `127.0.0.1:${port}`), port);
    await waitFor(() => searcher.got.length === 1, "the unicast answer");
    expect(searcher.got[0]?.headers.LOCATION).toBe("http://127.0.0.1:8098/upnp/1/description.xml");
    // Stopping says goodbye (three times), all sent before it is done.
    await ssdp.stop();
    expect(sentAt).toHaveLength(54);
    await waitFor(() => notifies("ssdp:byebye").length === 36, "byebye at stop");
    expect(
      notifies("ssdp:byebye")
        .slice(18)
        .every((g) => g.headers.USN?.startsWith(BEDROOM.udn)),
    ).toBe(true);
  });

  it("sends no alive repeat after a byebye for the same renderer", async () => {
    const port = await freePort();
    const listener = await groupListener(port);
    const {ssdp} = await server({port, scope: "network", interfaces: () => LOOPBACK, devices: () => [BEDROOM]});
    const of = (nts: string, udn: string) =>
      listener.got.filter((g) => g.headers.NTS === nts && g.headers.USN?.startsWith(udn));
    await waitFor(() => of("ssdp:alive", BEDROOM.udn).length === 18, "the bedroom's start");
    // The kitchen comes and goes at once: its alive's later rounds must not bring it back.
    ssdp.alive(KITCHEN);
    ssdp.byebye(KITCHEN);
    await waitFor(() => of("ssdp:byebye", KITCHEN.udn).length === 18, "three sets of byebye");
    const lastByebye = listener.got.lastIndexOf(of("ssdp:byebye", KITCHEN.udn).at(-1) as Datagram);
    const firstByebye = listener.got.indexOf(of("ssdp:byebye", KITCHEN.udn)[0] as Datagram);
    expect(of("ssdp:alive", KITCHEN.udn).length).toBeLessThanOrEqual(6);
    expect(listener.got.slice(firstByebye, lastByebye + 1).some((g) => g.headers.NTS === "ssdp:alive")).toBe(false);
    // Stopped while the bedroom's next alive would be on its way: nothing after the goodbye.
    ssdp.alive(BEDROOM);
    await ssdp.stop();
    const count = listener.got.length;
    await waitFor(() => of("ssdp:byebye", BEDROOM.udn).length === 18, "the bedroom's goodbye");
    // A marker of the test's own through the group: whatever the server still had queued came before it.
    const marker = await udp();
    await send(
      marker.socket,
      search("upnp:rootdevice", `${SSDP_GROUP}:1900`, ["MX: 1", "X-MARK: end"]),
      port,
      SSDP_GROUP,
    );
    await waitFor(() => listener.got.some((g) => g.headers["X-MARK"] === "end"), "the marker");
    expect(listener.got.slice(count).filter((g) => g.headers.NTS === "ssdp:alive")).toEqual([]);
    const lastAlive = listener.got.findLastIndex((g) => g.headers.NTS === "ssdp:alive");
    const firstBye = listener.got.findIndex(
      (g) => g.headers.NTS === "ssdp:byebye" && g.headers.USN?.startsWith(BEDROOM.udn),
    );
    expect(lastAlive).toBeLessThan(firstBye);
  });

  it("in network scope answers only senders upnp_allow lets in (no UDNs for others, no reflection)", async () => {
    const port = await freePort();
    // 127.0.0.2 stands for a public address here: the only one refused.
    const {ssdp, lines} = await server({
      port,
      scope: "network",
      interfaces: () => LOOPBACK,
      devices: () => [BEDROOM],
      allows: (address) => address !== "127.0.0.2",
    });
    const outside = await udp({port: 0, address: "127.0.0.2"});
    const inside = await udp();
    await send(outside.socket, search(BEDROOM.udn, `127.0.0.1:${port}`), port);
    await waitFor(
      () => lines.some((l) => l.includes("A UPnP search (SSDP) from 127.0.0.2, outside the home network")),
      "the refusal logged",
    );
    await send(inside.socket, search(BEDROOM.udn, `127.0.0.1:${port}`), port);
    await waitFor(() => inside.got.length === 1, "the answer to the home network's search");
    expect(outside.got).toEqual([]);
    expect(ssdp.stats()).toMatchObject({searches: 1, answered: 1});
    expect(lines.find((l) => l.includes("outside the home network"))).toContain(
      "A UPnP search (SSDP) from 127.0.0.2, outside the home network (and upnp_allow): not answered",
    );
  });
});
