/**
 * SSDP's HTTP-over-UDP messages (UPnP Device Architecture 1.1, section 1), shared by the search for
 * media servers and the renderers' own announcements and answers: the well-known group and port,
 * and one parser and one formatter for the start line and headers.
 */

export const SSDP_GROUP = "239.255.255.250";
export const SSDP_PORT = 1900;

/**
 * How far SSDP reaches: the home network's multicast group (a real install), or this machine only
 * (the demo, benchmarks and tests send nothing off it).
 */
export type SsdpScope = "network" | "machine";

/** Real SSDP messages are a few hundred bytes; anything past this is not one and is not read. */
export const SSDP_MAX_BYTES = 4096;

export interface SsdpMessage {
  /** "M-SEARCH * HTTP/1.1", "NOTIFY * HTTP/1.1", "HTTP/1.1 200 OK". */
  startLine: string;
  /** Header names lower-cased; a repeated header keeps its first value. */
  headers: Map<string, string>;
}

/**
 * The start line and headers of one datagram, or undefined for one over SSDP_MAX_BYTES or without
 * a start line. Linear in the text: one split, one scan per line; lines without a colon are skipped
 * (a sender's stray line must not hide the headers after it).
 */
export function parseSsdpMessage(text: string): SsdpMessage | undefined {
  if (text.length > SSDP_MAX_BYTES) return undefined;
  const lines = text.split(/\r?\n/);
  const startLine = (lines[0] ?? "").trim();
  if (!startLine) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return {startLine, headers};
}

/** One message: the start line, `NAME: value` lines in the order given, and the blank line that ends it. */
export function formatSsdpMessage(
  startLine: string,
  headers: ReadonlyArray<readonly [string, string | number]>,
): string {
  return `${[startLine, ...headers.map(([name, value]) => `${name}: ${value}`)].join("\r\n")}\r\n\r\n`;
}
