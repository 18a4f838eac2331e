import dgram from "node:dgram";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {afterAll, describe, expect, it} from "vitest";
import type {ServerView} from "../../../src/mediaServers/mediaServer.js";
import {startApp} from "../../helpers/app.js";
import {until} from "../../helpers/icecast.js";

const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

const description = (udn: string, name: string) =>
  `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>${name}</friendlyName><UDN>${udn}</UDN><serviceList><service><serviceType>urn:schemas-upnp-org:service:ContentDirectory:1</serviceType><controlURL>/ctl</controlURL></service></serviceList></device></root>`;

/** The UDN the description at `/d/<n>.xml` on `host` names (and an honest answer's USN). */
const udnAt = (host: string, n: number | string) => `uuid:${host}-${n}`;

/** Descriptions read, by host: what discovery fetched. */
const reads = new Map<string, number>();

/** An HTTP server on `host` answering `/d/<n>.xml` with a media server description of its own (UDN). */
async function descriptions(host: string, name: (n: string) => string): Promise<string> {
  const server = http.createServer((req, res) => {
    const n = /^\/d\/(\d+)\.xml$/.exec(req.url ?? "")?.[1];
    if (n === undefined) return void res.writeHead(404).end();
    reads.set(host, (reads.get(host) ?? 0) + 1);
    res.writeHead(200, {"Content-Type": "text/xml"}).end(description(udnAt(host, n), name(n)));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** An SSDP answer for the server at `location`, whose USN names `udn`. */
const answer = (location: string, udn: string) =>
  `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: ${location}\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\nUSN: ${udn}::urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n`;

describe("SSDP discovery when one address answers for dozens of servers", () => {
  it("adds at most 4 from that address, round after round, still finds the others, and says what it left out", async () => {
    const flood = await descriptions("127.0.0.1", (n) => `Flood ${n}`);
    const honest = await descriptions("127.0.0.2", () => "Family NAS");
    // Stand-ins for the multicast group: the search reaches a responder on 127.0.0.1, which answers
    // with 40 servers of its own each time (new ones each round), then the family's NAS on
    // 127.0.0.2 answers from its own address.
    const responder = dgram.createSocket("udp4");
    const nas = dgram.createSocket("udp4");
    let searches = 0;
    responder.on("message", (_msg, from) => {
      const round = searches++;
      const nasAnswers = () => nas.send(answer(`${honest}/d/1.xml`, udnAt("127.0.0.2", 1)), from.port, from.address);
      for (let i = 0; i < 40; i++)
        responder.send(
          answer(`${flood}/d/${round * 40 + i}.xml`, udnAt("127.0.0.1", round * 40 + i)),
          from.port,
          from.address,
          i === 39 ? nasAnswers : undefined,
        );
    });
    await new Promise<void>((resolve) => responder.bind(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => nas.bind(0, "127.0.0.2", resolve));
    closers.push(() => {
      responder.close();
      nas.close();
    });
    const t = await startApp(["--media_discovery", "true"], {
      sources: {
        ssdpTarget: {host: "127.0.0.1", port: responder.address().port},
        ssdpWindowMs: 300,
        discoveryEveryMs: 400,
      },
    });
    closers.push(() => t.stop());
    const servers = async () =>
      ((await (await fetch(`${t.adminUrl}/api/sources`)).json()) as {servers: ServerView[]}).servers;
    await until(async () => (await servers()).some((s) => s.name === "Family NAS"), "the family's NAS", 20_000);
    // Three more searches answered, each with 40 new servers from the same address.
    const seen = searches;
    await until(async () => searches >= seen + 3, "three more searches", 20_000);
    await t.app.sources.settled();
    const found = await servers();
    expect(found.filter((s) => s.name.startsWith("Flood")).length).toBe(4);
    expect(found.some((s) => s.name === "Family NAS" && s.discovered)).toBe(true);
    expect(
      t.logs.some((l) =>
        l.includes(
          "Media server discovery left out 36 from 127.0.0.1: one address may add at most 4 media servers (a device answering for more is not a home's servers); give a server in media_servers to keep it whatever answers",
        ),
      ),
    ).toBe(true);
    // The log says where a server answered from, not a home network this search never went to.
    expect(t.logs.filter((l) => l.includes("Found media server 'Family NAS'"))).toEqual([
      expect.stringMatching(/Found media server 'Family NAS' at 127\.0\.0\.2$/),
    ]);
    expect(t.logs.filter((l) => l.includes("Found media server") && l.includes("home network"))).toEqual([]);
    // Later rounds: the address has its 4, so all 40 are left out.
    expect(t.logs.some((l) => l.includes("Media server discovery left out 40 from 127.0.0.1:"))).toBe(true);
  }, 60_000);

  it("keeps the last places for new addresses, so a NAS answering after eight crowded addresses is kept, and pushes nothing out", async () => {
    const crowd = Array.from({length: 8}, (_, i) => `127.0.0.${10 + i}`);
    const locations = await Promise.all(crowd.map((host) => descriptions(host, (n) => `${host} #${n}`)));
    const honest = await descriptions("127.0.0.3", () => "Late NAS");
    const sockets = await Promise.all(
      [...crowd, "127.0.0.3"].map(async (host) => {
        const socket = dgram.createSocket("udp4");
        await new Promise<void>((resolve) => socket.bind(0, host, resolve));
        closers.push(() => {
          socket.close();
        });
        return socket;
      }),
    );
    const nas = sockets.pop()!;
    // The search reaches the first socket; every crowded address answers for four of its own, and
    // from the second search on the NAS answers too.
    let searches = 0;
    sockets[0]!.on("message", (_msg, from) => {
      if (searches++ > 0) nas.send(answer(`${honest}/d/1.xml`, udnAt("127.0.0.3", 1)), from.port, from.address);
      sockets.forEach((socket, a) => {
        for (let i = 0; i < 4; i++)
          socket.send(answer(`${locations[a]}/d/${i}.xml`, udnAt(crowd[a] as string, i)), from.port, from.address);
      });
    });
    const t = await startApp(["--media_discovery", "true"], {
      sources: {
        ssdpTarget: {host: "127.0.0.10", port: sockets[0]!.address().port},
        ssdpWindowMs: 300,
        discoveryEveryMs: 400,
      },
    });
    closers.push(() => t.stop());
    const servers = async () =>
      ((await (await fetch(`${t.adminUrl}/api/sources`)).json()) as {servers: ServerView[]}).servers;
    await until(async () => (await servers()).some((s) => s.name === "Late NAS"), "the late NAS", 20_000);
    const seen = searches;
    await until(async () => searches >= seen + 2, "two more searches", 20_000);
    await t.app.sources.settled();
    const found = (await servers()).filter((s) => s.discovered);
    // Six crowded addresses' four each fill 24 places; the last 8 go one to each new address.
    const perAddress = new Map<string, number>();
    for (const s of found) {
      const host = s.name.split(" #")[0] as string;
      perAddress.set(host, (perAddress.get(host) ?? 0) + 1);
    }
    expect([...perAddress.values()].sort()).toEqual([1, 1, 1, 4, 4, 4, 4, 4, 4]);
    expect(perAddress.get("Late NAS")).toBe(1);
    // Nothing already kept was pushed out for it, round after round.
    expect(t.logs.some((l) => l.includes("dropped"))).toBe(false);
    expect(
      t.logs.some((l) =>
        l.includes(
          "Media server discovery left out 6 server(s) from addresses that already have one: the last 8 of its 32 places are kept for addresses not heard from yet (a NAS that answers later); give a server in media_servers to keep it whatever answers",
        ),
      ),
    ).toBe(true);
  }, 60_000);

  it("takes one device answering from 14 addresses under one UDN as one server, read once, and still keeps a NAS answering later", async () => {
    // One machine on 14 addresses (a NAS on several networks, a host's many IPv6 addresses): each
    // address answers for four servers, every answer naming the machine's one UDN in its USN.
    const machine = Array.from({length: 14}, (_, i) => `127.0.0.${40 + i}`);
    const locations = await Promise.all(machine.map((host) => descriptions(host, (n) => `${host} #${n}`)));
    const honest = await descriptions("127.0.0.4", () => "Later NAS");
    const sockets = await Promise.all(
      [...machine, "127.0.0.4"].map(async (host) => {
        const socket = dgram.createSocket("udp4");
        await new Promise<void>((resolve) => socket.bind(0, host, resolve));
        closers.push(() => {
          socket.close();
        });
        return socket;
      }),
    );
    const nas = sockets.pop()!;
    let searches = 0;
    sockets[0]!.on("message", (_msg, from) => {
      if (searches++ > 0) nas.send(answer(`${honest}/d/1.xml`, udnAt("127.0.0.4", 1)), from.port, from.address);
      sockets.forEach((socket, a) => {
        for (let i = 0; i < 4; i++)
          socket.send(answer(`${locations[a]}/d/${i}.xml`, "uuid:one-machine"), from.port, from.address);
      });
    });
    const t = await startApp(["--media_discovery", "true"], {
      sources: {
        ssdpTarget: {host: "127.0.0.40", port: sockets[0]!.address().port},
        ssdpWindowMs: 300,
        discoveryEveryMs: 400,
      },
    });
    closers.push(() => t.stop());
    const servers = async () =>
      ((await (await fetch(`${t.adminUrl}/api/sources`)).json()) as {servers: ServerView[]}).servers;
    await until(async () => (await servers()).some((s) => s.name === "Later NAS"), "the NAS answering later", 20_000);
    const seen = searches;
    await until(async () => searches >= seen + 2, "two more searches", 20_000);
    await t.app.sources.settled();
    const found = (await servers()).filter((s) => s.discovered);
    // The machine takes one place, whatever its addresses; the NAS takes its own.
    expect(found.map((s) => s.name).sort()).toEqual(["127.0.0.40 #0", "Later NAS"]);
    // Its description was read once, not once per address and round.
    expect(machine.reduce((n, host) => n + (reads.get(host) ?? 0), 0)).toBe(1);
    expect(t.logs.some((l) => l.includes("Media server discovery left out"))).toBe(false);
  }, 60_000);
});
