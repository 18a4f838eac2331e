import type {SsdpAnswer} from "../upnp/ssdpSearch.js";
import {serverIdOf} from "./description.js";

/** One device as a search heard it: every answer naming the same UDN, from whichever addresses. */
export interface AnsweringHost {
  /** The server id its UDN gives (as its description's would); undefined when its USN names none. */
  id: string | undefined;
  /** Its answers in the order they came, so the first address heard is the one read first. */
  answers: SsdpAnswer[];
}

/**
 * Group a search's answers by the device that sent them. A device answers from each of its
 * addresses (a NAS on several networks, a host's many IPv6 addresses) with the same UDN in its
 * USN (`uuid:…::urn:…:MediaServer:1`): that is one server, to be read once and to take one
 * discovery place, not one per address. An answer whose USN names no UDN is a host of its own.
 */
export function answeringHosts(answers: readonly SsdpAnswer[]): AnsweringHost[] {
  const hosts = new Map<string, AnsweringHost>();
  for (const answer of answers) {
    const udn = udnOf(answer.usn);
    const key = udn ? `udn ${udn.toLowerCase()}` : `location ${answer.location}`;
    const host = hosts.get(key);
    if (host) host.answers.push(answer);
    else hosts.set(key, {id: udn ? serverIdOf(udn) : undefined, answers: [answer]});
  }
  return [...hosts.values()];
}

/** The UDN a USN starts with (`uuid:<id>`, before any `::<type>`); undefined when it names none. */
export function udnOf(usn: string): string | undefined {
  const udn = usn.trim().split("::")[0] ?? "";
  return /^uuid:\S{1,200}$/i.test(udn) ? udn : undefined;
}
