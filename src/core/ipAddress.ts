import {isIP} from "node:net";

/**
 * IPv6 addresses that carry an IPv4 one, read from the address's bits rather than from how it is
 * written: the same address has many spellings (`::ffff:127.0.0.1`, `0:0:0:0:0:ffff:7f00:1`,
 * `::ffff:7f00:0001`), and a check on the text misses the ones it did not think of.
 */

/** The eight 16-bit groups of an IPv6 address (zone id dropped); undefined for anything else. */
export function ipv6Groups(address: string): number[] | undefined {
  const ip = address.split("%")[0] as string;
  if (isIP(ip) !== 6) return undefined;
  const [head = "", tail] = ip.split("::");
  const part = (text: string): number[] => {
    if (text === "") return [];
    const out: number[] = [];
    for (const piece of text.split(":")) {
      if (piece.includes(".")) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split(".").map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(Number.parseInt(piece, 16));
    }
    return out;
  };
  const front = part(head);
  if (tail === undefined) return front;
  const back = part(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * The IPv4 address inside an IPv6 one that stands for it, or undefined:
 * - mapped `::ffff:0:0/96` (how a dual-stack socket writes an IPv4 peer),
 * - translated `::ffff:0:0:0/96` (SIIT),
 * - the old compatible form `::a.b.c.d` (not `::1` or `::`, which are IPv6's own),
 * - NAT64's well-known prefix `64:ff9b::/96`,
 * - 6to4 `2002::/16`, whose next 32 bits are the IPv4 address of the site's gateway.
 */
export function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  let high: number | undefined;
  let low: number | undefined;
  if (zero(0, 5) && g[5] === 0xffff) [high, low] = [g[6], g[7]];
  else if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) [high, low] = [g[6], g[7]];
  else if (zero(0, 6) && g[6] !== 0) [high, low] = [g[6], g[7]];
  else if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) [high, low] = [g[6], g[7]];
  else if (g[0] === 0x2002) [high, low] = [g[1], g[2]];
  if (high === undefined || low === undefined) return undefined;
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** An address as fetches are judged: the IPv4 address an IPv6 form carries, else itself (unbracketed, lower case). */
export function unmapped(address: string): string {
  const ip = unbracket(address.toLowerCase());
  return embeddedIpv4(ip) ?? ip;
}

export function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/**
 * One host's address in one spelling, for "is this the same host" checks: an IPv4 peer's mapped
 * form (`::ffff:0:0/96`, how a dual-stack socket writes it) is its IPv4 address, and any other IPv6
 * address is its eight groups. Unlike `unmapped`, 6to4, NAT64 and the compatible forms stay IPv6:
 * they carry an IPv4 address but are other hosts (a gateway, a translator).
 */
export function hostIdentity(address: string): string {
  const ip = unbracket(address.toLowerCase());
  const g = ipv6Groups(ip);
  if (!g) return ip;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const [high = 0, low = 0] = g.slice(6);
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  return g.map((x) => x.toString(16)).join(":");
}
