import {unbracket} from "../core/ipAddress.js";
import type {Logger} from "../core/logger.js";
import {MAX_PER_ADDRESS, type SsdpAnswer, type SsdpSearch} from "../upnp/ssdpSearch.js";
import {answeringHosts} from "./answerHosts.js";
import type {MediaServer} from "./mediaServer.js";

/** Discovered servers kept at most: more is not a home network. */
export const MAX_DISCOVERED = 32;
/** Of those, the last places only a host whose addresses have none yet may take (one each). */
export const KEPT_FOR_NEW_ADDRESSES = 8;

export interface DiscoveryRound {
  /** Every server known (given and discovered), by id: discovered ones are added here. */
  servers: Map<string, MediaServer>;
  /** Read a discovered server's description; undefined when it is not one (or was refused). */
  connect: (location: string) => Promise<MediaServer | undefined>;
  log: Logger;
  now: number;
}

/**
 * Take what answered a search: known servers are kept for as long as their answer holds, new ones
 * are read. Answers are taken per device (its UDN, see answeringHosts), so a device heard from
 * many addresses is read once and takes one place. Any one address adds at most MAX_PER_ADDRESS
 * servers, counting those it added in earlier rounds, so one device answering for dozens cannot
 * fill the MAX_DISCOVERED places and keep the family's own servers out; what was left out is said
 * once a round, with who sent it.
 */
export async function followAnswers(search: SsdpSearch, round: DiscoveryRound): Promise<void> {
  const {servers, now} = round;
  const leftOut = new Map(search.leftOut);
  let full = 0;
  let reserved = 0;
  const discovered = () => [...servers.values()].filter((s) => s.discovered);
  for (const host of answeringHosts(search.answers)) {
    const expiresAt = now + Math.max(...host.answers.map((a) => a.maxAgeSeconds)) * 1000;
    const locations = new Set(host.answers.map((a) => a.location));
    const known =
      (host.id === undefined ? undefined : servers.get(host.id)) ??
      [...servers.values()].find((s) => locations.has(s.description.url));
    if (known) {
      known.expiresAt = expiresAt;
      continue;
    }
    const mine = discovered();
    const taken = (address: string) => mine.filter((s) => addressOf(s) === address).length;
    const readable = host.answers.filter((a) => taken(a.from) < MAX_PER_ADDRESS);
    const first = host.answers[0] as SsdpAnswer;
    if (readable.length === 0) {
      leftOut.set(first.from, (leftOut.get(first.from) ?? 0) + 1);
      continue;
    }
    if (mine.length >= MAX_DISCOVERED) {
      full++;
      continue;
    }
    // The last places are for hosts not heard from yet: eight devices answering for four each
    // cannot fill every place and keep out a NAS that answers later. Nothing known is ever pushed
    // out for a newcomer (a host with many addresses would push out the family's servers so).
    if (mine.length >= MAX_DISCOVERED - KEPT_FOR_NEW_ADDRESSES && host.answers.some((a) => taken(a.from) > 0)) {
      reserved++;
      continue;
    }
    const server = await connectOnce(readable, round);
    if (!server) continue;
    const same = servers.get(server.id);
    if (same) {
      // Its description names a server already kept (another address of it): still one place.
      if (same.discovered) same.expiresAt = expiresAt;
      continue;
    }
    server.expiresAt = expiresAt;
    servers.set(server.id, server);
    // Where it answered from, not "the home network": a search kept to this machine finds only its own.
    round.log.info(`Found media server '${server.description.name}' at ${addressOf(server)}`);
  }
  for (const [id, server] of servers) if (server.discovered && server.expiresAt < now) servers.delete(id);
  if (leftOut.size > 0) {
    const who = [...leftOut].map(([address, n]) => `${n} from ${address}`);
    round.log.warning(
      `Media server discovery left out ${who.slice(0, 5).join(", ")}${who.length > 5 ? ` and ${who.length - 5} more addresses` : ""}: one address may add at most ${MAX_PER_ADDRESS} media servers (a device answering for more is not a home's servers); give a server in media_servers to keep it whatever answers`,
    );
  }
  if (reserved > 0)
    round.log.warning(
      `Media server discovery left out ${reserved} server(s) from addresses that already have one: the last ${KEPT_FOR_NEW_ADDRESSES} of its ${MAX_DISCOVERED} places are kept for addresses not heard from yet (a NAS that answers later); give a server in media_servers to keep it whatever answers`,
    );
  if (full > 0)
    round.log.warning(
      `Media server discovery left out ${full} server(s): at most ${MAX_DISCOVERED} discovered servers are kept; give yours in media_servers`,
    );
}

/** Addresses of one device tried in turn until one answers as a media server: a few, not all of them. */
const TRIES_PER_HOST = 3;

/** Read one device's description from the first of its answers that gives one. */
async function connectOnce(answers: readonly SsdpAnswer[], round: DiscoveryRound): Promise<MediaServer | undefined> {
  for (const answer of answers.slice(0, TRIES_PER_HOST)) {
    const server = await round.connect(answer.location);
    if (server) return server;
  }
  return undefined;
}

const addressOf = (server: MediaServer) => unbracket(server.access.origin.hostname);
