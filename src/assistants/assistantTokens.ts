import {createHash, createHmac, randomBytes, timingSafeEqual} from "node:crypto";

/**
 * The credentials an assistant holds, and how each is checked without a lookup an attacker can
 * time. A made token and an OAuth refresh token are random and kept only as their hash; an OAuth
 * access token is signed with this add-on's own key and names its assistant and when it ends, so
 * it survives a restart without being stored, and means nothing to another household's add-on.
 */

/** Made on the panel: `yss_mcp_<43 characters>`. */
export const MADE_PREFIX = "yss_mcp_";
/** Issued by the token endpoint: `yss_at_<assistant>.<ends>.<signature>`. */
export const ACCESS_PREFIX = "yss_at_";
export const REFRESH_PREFIX = "yss_rt_";
/** An access token lives an hour; Home Assistant refreshes it before then (its oauth2 helper). */
export const ACCESS_TTL_S = 3600;
/** Longer than any credential we issue: anything longer is refused before it is hashed. */
export const MAX_CREDENTIAL = 200;

export const hashOf = (token: string) => createHash("sha256").update(token).digest("base64url");

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function newKey(): string {
  return randomBytes(32).toString("base64url");
}

/** A signature over `payload` with `key`, base64url. */
export function sign(key: string, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

/** Whether `signature` is `payload`'s, compared in constant time. */
export function signedBy(key: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** An access token for an assistant, ending at `endsAt` (seconds since 1970). */
export function accessToken(key: string, assistant: string, endsAt: number): string {
  const payload = `${assistant}.${endsAt}`;
  return `${ACCESS_PREFIX}${payload}.${sign(key, `at:${payload}`)}`;
}

/** The assistant an access token names, if this key signed it and it has not ended at `nowS`. */
export function readAccessToken(
  key: string,
  token: string,
  nowS: number,
): {assistant: string} | {why: "ended" | "unknown"} {
  const parts = token.slice(ACCESS_PREFIX.length).split(".");
  if (parts.length !== 3) return {why: "unknown"};
  const [assistant, ends, signature] = parts as [string, string, string];
  if (!/^[\w-]{1,64}$/.test(assistant) || !/^\d{1,12}$/.test(ends)) return {why: "unknown"};
  if (!signedBy(key, `at:${assistant}.${ends}`, signature)) return {why: "unknown"};
  return Number(ends) > nowS ? {assistant} : {why: "ended"};
}
