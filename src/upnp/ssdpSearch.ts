import dgram from "node:dgram";
import {formatSsdpMessage, parseSsdpMessage, SSDP_GROUP, SSDP_PORT, type SsdpScope} from "./ssdpMessage.js";

export type {SsdpScope} from "./ssdpMessage.js";

export interface SsdpTarget {
  host: string;
  port: number;
}

/**
 * The home network's SSDP group, or a unicast search of this machine's own SSDP port: the demo,
 * benchmarks and tests send nothing off the machine (a media server running here still answers).
 */
export function ssdpTargetFor(scope: SsdpScope): SsdpTarget {
  return scope === "network" ? {host: SSDP_GROUP, port: SSDP_PORT} : {host: "127.0.0.1", port: SSDP_PORT};
}

const SEARCH_TARGET = "urn:schemas-upnp-org:device:MediaServer:1";

/** Distinct servers (description addresses) one answering address may offer in a search. */
export const MAX_PER_ADDRESS = 4;
/** Answers kept from one search, whoever sent them. */
const MAX_ANSWERS = 64;

/** One answer to an M-SEARCH: where the server's description is, and how long the answer holds. */
export interface SsdpAnswer {
  location: string;
  usn: string;
  maxAgeSeconds: number;
  /** The address that answered (the LOCATION's host). */
  from: string;
}

/** What a search collected, and how many distinct answers each address sent past what was kept. */
export interface SsdpSearch {
  answers: SsdpAnswer[];
  leftOut: Map<string, number>;
}

/**
 * Ask `target` (the home network's group, or this machine) which media servers there are (SSDP
 * M-SEARCH), and collect the answers for `waitMs`. The socket lives for this one search, so
 * nothing is left listening between searches.
 */
export function searchMediaServers(waitMs: number, signal: AbortSignal, target: SsdpTarget): Promise<SsdpSearch> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({type: "udp4", reuseAddr: true});
    const answers = new Map<string, SsdpAnswer>();
    const admission = new AnswerAdmission();
    const leftOut = new Map<string, number>();
    // Devices send each answer two or three times: what was left out is counted once (bounded).
    const dropped = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const finish = (err?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      socket.close();
      if (err) reject(err);
      else resolve({answers: [...answers.values()], leftOut});
    };
    const onAbort = () => finish();
    signal.addEventListener("abort", onAbort, {once: true});
    socket.on("error", (err) => finish(err));
    socket.on("message", (msg, from) => {
      const answer = parseSsdpAnswer(msg.toString("utf8"), from.address);
      if (!answer || answers.has(answer.location) || dropped.has(answer.location)) return;
      const admitted = admission.admit(answer, answers.size);
      if (admitted !== "kept") {
        if (dropped.size >= 1024) return;
        dropped.add(answer.location);
        // A device heard from enough addresses already is no server left out: it is one kept.
        if (admitted === "left out") leftOut.set(answer.from, (leftOut.get(answer.from) ?? 0) + 1);
        return;
      }
      answers.set(answer.location, answer);
    });
    socket.bind(0, () => {
      const request = formatSsdpMessage("M-SEARCH * HTTP/1.1", [
        ["HOST", `${SSDP_GROUP}:${SSDP_PORT}`],
        ["MAN", '"ssdp:discover"'],
        ["MX", 2],
        ["ST", SEARCH_TARGET],
      ]);
      socket.send(request, target.port, target.host, (err) => {
        if (err) finish(err);
        else timer = setTimeout(() => finish(), waitMs);
      });
    });
  });
}

/**
 * Which answers a search keeps: a bounded number, and a few from each address and from each device.
 * One device answering for dozens of servers must not crowd out the others (a NAS running several
 * servers stays well within), nor one device answering from many addresses (a machine's 14
 * addresses, a host's many IPv6 ones): its answers name one UDN in their USN, and count as one.
 */
export class AnswerAdmission {
  readonly #perAddress = new Map<string, number>();
  readonly #perDevice = new Map<string, number>();

  /**
   * Whether `answer` is kept (`kept` answers are so far; it is counted when it is), left out (too
   * many answers, or from its address), or the same device heard from enough addresses already.
   */
  admit(answer: SsdpAnswer, kept: number): "kept" | "left out" | "same device" {
    const device = /^uuid:[^:\s]{1,200}/i.exec(answer.usn.trim())?.[0].toLowerCase();
    const fromAddress = this.#perAddress.get(answer.from) ?? 0;
    const fromDevice = device === undefined ? 0 : (this.#perDevice.get(device) ?? 0);
    if (fromDevice >= MAX_PER_ADDRESS) return "same device";
    if (kept >= MAX_ANSWERS || fromAddress >= MAX_PER_ADDRESS) return "left out";
    this.#perAddress.set(answer.from, fromAddress + 1);
    if (device !== undefined && this.#perDevice.size < MAX_ANSWERS) this.#perDevice.set(device, fromDevice + 1);
    return "kept";
  }
}

/**
 * An HTTP-over-UDP answer's LOCATION, USN and max-age; undefined for anything else. The LOCATION
 * must be on the address that answered: anyone on the network can answer an M-SEARCH, and an
 * answer pointing elsewhere (this machine's own admin API, a router's page) would have the
 * service fetch it.
 */
export function parseSsdpAnswer(text: string, from: string): SsdpAnswer | undefined {
  const message = parseSsdpMessage(text);
  if (!message || !/^HTTP\/1\.1 200/i.test(message.startLine)) return undefined;
  const {headers} = message;
  const location = headers.get("location");
  if (!location || !/^https?:\/\//i.test(location)) return undefined;
  try {
    if (new URL(location).hostname.replace(/^\[|\]$/g, "") !== from) return undefined;
  } catch {
    return undefined;
  }
  const maxAge = Number(/max-age\s*=\s*(\d+)/i.exec(headers.get("cache-control") ?? "")?.[1] ?? 1800);
  return {location, usn: headers.get("usn") ?? location, maxAgeSeconds: Math.min(maxAge, 86_400), from};
}
