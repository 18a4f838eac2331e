/**
 * Reading a JWT's claims without checking its signature: only to tell tokens apart (whose account)
 * and to plan a refresh before one expires. Anything that decides access must verify the token.
 */

/** A JWT's claims, read without checking its signature; {} for anything else. */
export function tokenClaims(token: string): Record<string, unknown> {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The `exp` of a JWT access token in epoch ms, or undefined for anything that is not one. */
export function tokenExpiry(token: string): number | undefined {
  const {exp} = tokenClaims(token);
  return typeof exp === "number" ? exp * 1000 : undefined;
}
