// Home Assistant's side of discovery, run inside a network namespace (`ip netns exec`): the SSDP
// search its `ssdp` integration makes through async_upnp_client (the same packet: ST ssdp:all,
// MX 4, no space after each colon), each MediaRenderer's description fetched as `dlna_dmr` does,
// and the MAC lookup `dlna_dmr` makes of the address an answer came from (async_upnp_client calls
// it `_host`): getmac's lookup on Linux, which first sends an empty UDP datagram to port 55555 of
// that address to fill the neighbour table, then reads /proc/net/arp. Writes one JSON line.
// Arguments: the address to search from, how many renderers to wait for, how long at most (ms).

import dgram from "node:dgram";
import {readFile} from "node:fs/promises";

const [from, wanted, withinMs] = [process.argv[2] as string, Number(process.argv[3]), Number(process.argv[4])];
const RENDERER = "urn:schemas-upnp-org:device:MediaRenderer:1";
const SEARCH = 'M-SEARCH * HTTP/1.1\r\nHOST:239.255.255.250:1900\r\nMAN:"ssdp:discover"\r\nMX:4\r\nST:ssdp:all\r\n\r\n';

interface Answer {
  host: string;
  location: string;
  usn: string;
}

function headers(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** Search until `wanted` renderers (by USN) answered, or the time is up. */
async function search(): Promise<Answer[]> {
  const socket = dgram.createSocket({type: "udp4"});
  await new Promise<void>((resolve) => socket.bind(0, from, resolve));
  socket.setMulticastInterface(from);
  const found = new Map<string, Answer>();
  let allFound!: () => void;
  const all = new Promise<void>((resolve) => {
    allFound = resolve;
  });
  socket.on("message", (msg, rinfo) => {
    const text = msg.toString("utf8");
    if (!text.startsWith("HTTP/1.1 200 OK")) return;
    const h = headers(text);
    if (h.st !== RENDERER || !h.usn || !h.location) return;
    found.set(h.usn, {host: rinfo.address, location: h.location, usn: h.usn});
    if (found.size >= wanted) allFound();
  });
  // A search goes out again each second (UDP may lose it) until every renderer has answered.
  const deadline = Date.now() + withinMs;
  while (found.size < wanted && Date.now() < deadline) {
    socket.send(SEARCH, 1900, "239.255.255.250");
    let resend: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => (resend = setTimeout(resolve, 1000)))]);
    clearTimeout(resend);
  }
  socket.close();
  return [...found.values()];
}

/** getmac.get_mac_address(ip=…) as it goes on Linux without arping: a datagram, then the ARP file. */
async function macOf(ip: string): Promise<string | null> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.send(Buffer.alloc(0), 55555, ip, () => resolve()));
  socket.close();
  const table = await readFile("/proc/net/arp", "utf8");
  for (const line of table.split("\n").slice(1)) {
    const [address, , flags, mac] = line.trim().split(/\s+/);
    // Flags 0x0: an entry still being resolved, with no address yet.
    if (address === ip && flags !== "0x0" && mac) return mac;
  }
  return null;
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? null;

const answers = await search();
const renderers = [];
for (const a of answers) {
  const description = await (await fetch(a.location)).text();
  renderers.push({
    ...a,
    udn: tag(description, "UDN"),
    friendlyName: tag(description, "friendlyName"),
    serialNumber: tag(description, "serialNumber"),
    // Anything a control point could take for a hardware address (none reads one from a description).
    macLike: /([0-9a-f]{2}[:-]){5}[0-9a-f]{2}/i.test(description),
  });
}
const neighbours: Record<string, string | null> = {};
for (const host of new Set(answers.map((a) => a.host))) neighbours[host] = await macOf(host);
process.stdout.write(`${JSON.stringify({renderers, neighbours})}\n`);
