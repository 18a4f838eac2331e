import {badRequest} from "../core/errors.js";
import {cleanName, knownClient} from "./clientNames.js";

/**
 * OAuth clients registered by RFC 7591 dynamic client registration. Registration is open (Home
 * Assistant's MCP flow registers itself), so nothing is stored for it: the client id is the
 * client's name and redirect addresses, signed with this add-on's key. A flood of registrations
 * costs nothing but the answers, and an id means nothing to another household's add-on.
 * A client is a public one (PKCE, no secret): `token_endpoint_auth_method` "none".
 */

export interface OAuthClient {
  name: string;
  redirectUris: string[];
}

/** The one scope: using the Yotos through the MCP tools. */
export const SCOPE = "yoto";
const MAX_REDIRECTS = 5;
const MAX_URI = 500;
/**
 * The only schemes a redirect may use. Any other is a program the parent's browser would start
 * (ms-msdt:, a custom app's scheme) or a page it would show (view-source:, javascript:), not an
 * answer sent to a client.
 */
const SCHEMES = new Set(["http:", "https:"]);

export interface Signer {
  sign(payload: string): string;
  signed(payload: string, signature: string): boolean;
}

/** RFC 7591 §3.2.1: the registration's answer, with the client id it is now. */
export function registerClient(body: Record<string, unknown>, signer: Signer): Record<string, unknown> {
  const uris = body.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_REDIRECTS)
    throw invalid("redirect_uris", `must list 1 to ${MAX_REDIRECTS} addresses the answer may go to`);
  const redirectUris = uris.map((uri) => redirectOf(uri));
  const grants = body.grant_types;
  if (grants !== undefined && (!Array.isArray(grants) || !grants.includes("authorization_code")))
    throw invalid("grant_types", 'must include "authorization_code" (and may include "refresh_token")');
  const responses = body.response_types;
  if (responses !== undefined && (!Array.isArray(responses) || responses.some((r) => r !== "code")))
    throw invalid("response_types", 'may only be ["code"]');
  const scope = body.scope;
  if (
    scope !== undefined &&
    scope !== null &&
    (typeof scope !== "string" || scope.split(" ").some((s) => s && s !== SCOPE))
  )
    throw invalid("scope", `may only be "${SCOPE}"`);
  const name = typeof body.client_name === "string" ? cleanName(body.client_name) : "";
  // A name the family trusts on sight is taken only with that client's own return addresses: a
  // stranger on the network calling itself "Home Assistant" must not look like it on the panel.
  const known = knownClient(name);
  if (known && !redirectUris.every((uri) => known.takes(new URL(uri))))
    throw invalid(
      "client_name",
      `'${known.name}' is taken only by ${known.name} itself, whose answers go to ${known.redirects}: register under another name`,
    );
  const client: OAuthClient = {name: name || "MCP client", redirectUris};
  const payload = Buffer.from(JSON.stringify({n: client.name, r: redirectUris})).toString("base64url");
  return {
    client_id: `${payload}.${signer.sign(`client:${payload}`)}`,
    client_id_issued_at: Math.floor(Date.now() / 1000),
    client_name: client.name,
    redirect_uris: redirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    scope: SCOPE,
  };
}

/** The client a client id is, if this add-on registered it. */
export function clientOf(clientId: unknown, signer: Signer): OAuthClient | undefined {
  if (typeof clientId !== "string" || clientId.length > 4000) return undefined;
  const [payload, signature, extra] = clientId.split(".");
  if (!payload || !signature || extra !== undefined || !signer.signed(`client:${payload}`, signature)) return undefined;
  try {
    const read = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {n?: unknown; r?: unknown};
    if (typeof read.n !== "string" || !Array.isArray(read.r) || !read.r.every((r) => typeof r === "string"))
      return undefined;
    // Cleaned again as read: an id signed before names were cleaned of format characters still shows clean.
    return {name: cleanName(read.n) || "MCP client", redirectUris: read.r as string[]};
  } catch {
    return undefined;
  }
}

function redirectOf(raw: unknown): string {
  const problem = redirectProblem(raw);
  if (problem) throw invalid("redirect_uris", problem);
  return raw as string;
}

/**
 * What keeps an address from taking an OAuth answer, in words ("… is not an address"), or undefined
 * when it may: at most 500 characters, http or https, no #fragment. For registrations and metadata
 * documents alike.
 */
export function redirectProblem(raw: unknown): string | undefined {
  if (typeof raw !== "string" || raw.length > MAX_URI) return `must be addresses of at most ${MAX_URI} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `'${raw.slice(0, 80)}' is not an address`;
  }
  if (!SCHEMES.has(url.protocol))
    return `'${raw.slice(0, 80)}' cannot take an answer: only an http or https address can (not ${url.protocol.slice(0, 30)})`;
  if (url.hash) return `'${raw.slice(0, 80)}' cannot take an answer: an address with a #fragment cannot`;
  return undefined;
}

/** RFC 7591 §3.2.2's error, as the admin API's 400: `invalid_client_metadata` with what to fix. */
function invalid(field: string, what: string) {
  return badRequest(`The registration's ${field} ${what}`, "invalid_client_metadata");
}
