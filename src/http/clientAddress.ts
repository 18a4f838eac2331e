import {isIP} from "node:net";
import {normalizeAddress} from "../core/address.js";

/**
 * The client's address. `X-Forwarded-For` is believed only when the direct peer is a trusted proxy;
 * then the rightmost address that is not itself a trusted proxy is the client (left entries are
 * whatever the client chose to send).
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: ReadonlySet<string>,
): string {
  const direct = normalizeAddress(peer);
  if (!forwardedFor || !trusted.has(direct)) return direct;
  const chain = forwardedFor
    .split(",")
    .map((s) => normalizeAddress(s.trim()))
    .filter((s) => isIP(s) !== 0);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!trusted.has(chain[i] as string)) return chain[i] as string;
  }
  return chain[0] ?? direct;
}
