import {formatSsdpMessage, parseSsdpMessage, SSDP_GROUP} from "./ssdpMessage.js";

/** One renderer as SSDP shows it: what it is, and where its description is on the upnp listener. */
export interface SsdpDevice {
  /** "uuid:…" */
  udn: string;
  /** "urn:schemas-upnp-org:device:MediaRenderer:1" */
  deviceType: string;
  /** "urn:schemas-upnp-org:service:AVTransport:1", … */
  serviceTypes: string[];
  /** Path on the upnp listener, e.g. "/upnp/<playerId>/description.xml". */
  descriptionPath: string;
}

/** One search target a device answers or announces, and the unique service name that goes with it. */
export interface SsdpTarget {
  st: string;
  usn: string;
}

/** What every message of one boot carries (UDA 1.1: SERVER, CACHE-CONTROL, BOOTID, CONFIGID). */
export interface SsdpStamp {
  server: string;
  maxAgeSeconds: number;
  bootId: number;
  configId: number;
}

/** An M-SEARCH worth answering: what it looks for, how long the searcher waits, and whether it was multicast. */
export interface SsdpSearch {
  st: string;
  /** Seconds the searcher waits (MX, 1–5 as UDA 1.1 caps it); 0 for a unicast search, answered at once. */
  mx: number;
  multicast: boolean;
}

const ROOT_DEVICE = "upnp:rootdevice";
const SEARCH_LINE = /^M-SEARCH \* HTTP\/1\.1$/i;
const URN = /^(urn:[^:]+:(?:device|service):[^:]+):(\d{1,4})$/;

/**
 * Every target a root device with no embedded devices has (UDA 1.1, 1.2.2): the root device, its
 * UDN, its type and each service type; ssdp:alive and ssdp:byebye go out once for each.
 */
export function targetsOf(device: SsdpDevice): SsdpTarget[] {
  return [
    {st: ROOT_DEVICE, usn: `${device.udn}::${ROOT_DEVICE}`},
    {st: device.udn, usn: device.udn},
    ...[device.deviceType, ...device.serviceTypes].map((type) => ({st: type, usn: `${device.udn}::${type}`})),
  ];
}

/**
 * The answers `st` earns from `devices`. A type is answered by a device of that version or later
 * (UDA 1.1: a later version is backward compatible), with the version searched for in ST and USN.
 */
export function answersFor(st: string, devices: readonly SsdpDevice[]): Array<SsdpTarget & {device: SsdpDevice}> {
  const out: Array<SsdpTarget & {device: SsdpDevice}> = [];
  const wanted = URN.exec(st);
  for (const device of devices) {
    if (st === "ssdp:all") {
      for (const target of targetsOf(device)) out.push({...target, device});
      continue;
    }
    if (st === ROOT_DEVICE || st === device.udn) {
      const target = targetsOf(device).find((t) => t.st === st);
      if (target) out.push({...target, device});
      continue;
    }
    if (!wanted) continue;
    for (const type of [device.deviceType, ...device.serviceTypes]) {
      const ours = URN.exec(type);
      if (ours && ours[1] === wanted[1] && Number(ours[2]) >= Number(wanted[2]))
        out.push({st, usn: `${device.udn}::${st}`, device});
    }
  }
  return out;
}

/**
 * An M-SEARCH from a datagram, or undefined for anything else: other SSDP traffic (NOTIFYs, answers),
 * a search without `MAN: "ssdp:discover"` or ST, a multicast one whose MX is not a number (UDA 1.1
 * says to ignore those), or a datagram too large to be a search.
 */
export function parseSearch(text: string): SsdpSearch | undefined {
  const message = parseSsdpMessage(text);
  if (!message || !SEARCH_LINE.test(message.startLine)) return undefined;
  const {headers} = message;
  const st = headers.get("st");
  if (headers.get("man") !== '"ssdp:discover"' || !st) return undefined;
  const host = headers.get("host") ?? "";
  const mx = headers.get("mx");
  // A unicast search names the device's own address in HOST and carries no MX (UDA 1.1, 1.3.2).
  const multicast = host === SSDP_GROUP || host.startsWith(`${SSDP_GROUP}:`);
  if (!multicast || mx === undefined) return {st, mx: 0, multicast: false};
  if (!/^\d{1,3}$/.test(mx) || Number(mx) < 1) return undefined;
  return {st, mx: Math.min(Number(mx), 5), multicast: true};
}

/** The unicast answer to a search for `target`. */
export function searchAnswer(target: SsdpTarget, location: string, stamp: SsdpStamp, now = new Date()): string {
  return formatSsdpMessage("HTTP/1.1 200 OK", [
    ["CACHE-CONTROL", `max-age=${stamp.maxAgeSeconds}`],
    ["DATE", now.toUTCString()],
    ["EXT", ""],
    ["LOCATION", location],
    ["SERVER", stamp.server],
    ["ST", target.st],
    ["USN", target.usn],
    ["BOOTID.UPNP.ORG", stamp.bootId],
    ["CONFIGID.UPNP.ORG", stamp.configId],
  ]);
}

/** ssdp:alive (with the description's LOCATION) or ssdp:byebye for `target`, sent to the group on `port`. */
export function notifyMessage(
  kind: "alive" | "byebye",
  target: SsdpTarget,
  port: number,
  stamp: SsdpStamp,
  location?: string,
): string {
  const alive: Array<[string, string | number]> =
    kind === "alive"
      ? [
          ["CACHE-CONTROL", `max-age=${stamp.maxAgeSeconds}`],
          ["LOCATION", location ?? ""],
        ]
      : [];
  return formatSsdpMessage("NOTIFY * HTTP/1.1", [
    ["HOST", `${SSDP_GROUP}:${port}`],
    ...alive,
    ["NT", target.st],
    ["NTS", `ssdp:${kind}`],
    ...(kind === "alive" ? ([["SERVER", stamp.server]] as Array<[string, string]>) : []),
    ["USN", target.usn],
    ["BOOTID.UPNP.ORG", stamp.bootId],
    ["CONFIGID.UPNP.ORG", stamp.configId],
  ]);
}
