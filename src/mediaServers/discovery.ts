import {unbracket} from "../core/ipAddress.js";
import type {Logger} from "../core/logger.js";
import {MAX_PER_ADDRESS, type SsdpSearch} from "../upnp/ssdpSearch.js";
import type {MediaServer} from "./mediaServer.js";

/** Discovered servers kept at most: more is not a home network. */
export const MAX_DISCOVERED = 32;

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
 * are read. Any one address adds at most MAX_PER_ADDRESS servers, counting those it added in
 * earlier rounds, so one device answering for dozens cannot fill the MAX_DISCOVERED places and
 * keep the family's own servers out; what was left out is said once a round, with who sent it.
 */
export async function followAnswers(search: SsdpSearch, round: DiscoveryRound): Promise<void> {
  const {servers, now} = round;
  const leftOut = new Map(search.leftOut);
  let full = 0;
  const discovered = () => [...servers.values()].filter((s) => s.discovered);
  for (const answer of search.answers) {
    const known = [...servers.values()].find((s) => s.description.url === answer.location);
    if (known) {
      known.expiresAt = now + answer.maxAgeSeconds * 1000;
      continue;
    }
    const mine = discovered();
    if (mine.filter((s) => unbracket(s.access.origin.hostname) === answer.from).length >= MAX_PER_ADDRESS) {
      leftOut.set(answer.from, (leftOut.get(answer.from) ?? 0) + 1);
      continue;
    }
    const room = mine.length < MAX_DISCOVERED ? () => {} : roomFor(servers, mine, answer.from, round.log);
    if (!room) {
      full++;
      continue;
    }
    const server = await round.connect(answer.location);
    if (server && !servers.has(server.id)) {
      room();
      server.expiresAt = now + answer.maxAgeSeconds * 1000;
      servers.set(server.id, server);
      round.log.info(`Found media server '${server.description.name}' on the home network`);
    }
  }
  for (const [id, server] of servers) if (server.discovered && server.expiresAt < now) servers.delete(id);
  if (leftOut.size > 0) {
    const who = [...leftOut].map(([address, n]) => `${n} from ${address}`);
    round.log.warning(
      `Media server discovery left out ${who.slice(0, 5).join(", ")}${who.length > 5 ? ` and ${who.length - 5} more addresses` : ""}: one address may add at most ${MAX_PER_ADDRESS} media servers (a device answering for more is not a home's servers); give a server in media_servers to keep it whatever answers`,
    );
  }
  if (full > 0)
    round.log.warning(
      `Media server discovery left out ${full} server(s): at most ${MAX_DISCOVERED} discovered servers are kept; give yours in media_servers`,
    );
}

/**
 * With every place taken, a new address still gets one while another holds at least two more than
 * it would: the most crowded address gives up its newest server (once the newcomer proves to be a
 * media server). So eight devices answering for four each cannot keep out a NAS that answers later;
 * places even out, and never swing back and forth.
 */
function roomFor(servers: Map<string, MediaServer>, mine: MediaServer[], from: string, log: Logger) {
  const byAddress = new Map<string, MediaServer[]>();
  for (const server of mine) {
    const address = unbracket(server.access.origin.hostname);
    byAddress.set(address, [...(byAddress.get(address) ?? []), server]);
  }
  const newcomer = byAddress.get(from)?.length ?? 0;
  const [crowded, theirs] = [...byAddress].reduce((most, next) => (next[1].length > most[1].length ? next : most));
  const dropped = theirs.at(-1);
  if (!dropped || theirs.length < newcomer + 2) return undefined;
  return () => {
    servers.delete(dropped.id);
    log.info(
      `Media server discovery dropped '${dropped.description.name}' from ${crowded} (which had ${theirs.length}) to make room for a server from ${from}`,
    );
  };
}
