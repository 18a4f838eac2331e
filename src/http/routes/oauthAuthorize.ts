import type {Context} from "koa";
import {authorizePage, type PageDetail, type PageKind} from "../../assistants/authorizePage.js";
import type {ClientDocuments} from "../../assistants/clientDocuments.js";
import {cleanName} from "../../assistants/clientNames.js";
import {findClient} from "../../assistants/oauthClientDirectory.js";
import {SCOPE, type Signer} from "../../assistants/oauthClients.js";
import {type OAuthRequests, REQUEST_TTL_MS} from "../../assistants/oauthRequests.js";
import {normalizeAddress} from "../../core/address.js";
import {AppError} from "../../core/errors.js";
import type {Logger} from "../../core/logger.js";
import {ownOrigin} from "../ownOrigin.js";

export interface AuthorizeDeps {
  assistants: Signer;
  oauthRequests: OAuthRequests;
  log: Logger;
  /** Reads a client's metadata document when its client_id is one's address (none: such ids are unknown). */
  clientDocuments?: Pick<ClientDocuments, "client">;
}

/**
 * The OAuth `state` a client sends is handed back whole (Home Assistant's is a signed JWT of about
 * 415 characters, which its callback checks): longer than this is refused, never cut.
 */
export const MAX_STATE = 4096;

/**
 * The cookie that binds a waiting page to the browser that started it: a secret per request, so a
 * second sign-in in the same browser keeps its own. HttpOnly (no page script reads it), SameSite=Lax
 * (sent on the page's own reloads and on the top-level visit from the assistant), Path=/oauth.
 */
const cookieOf = (id: string) => `yss_oauth_${id}`;
/** A request's id as OAuthRequests makes it: 24 random bytes, base64url. */
const REQUEST_ID = /^[A-Za-z0-9_-]{32}$/;

const text = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * `GET /oauth/authorize`: a client's request is checked (its client, its redirect, PKCE S256, the
 * scope), then waits for a parent on the panel; the page reloads itself until then, and sends the
 * browser that started it back with a code, or with `access_denied`. A HEAD runs the checks and
 * the page, but starts no request and takes no answer.
 */
export async function authorize(ctx: Context, deps: AuthorizeDeps) {
  ctx.set("Cache-Control", "no-store");
  const take = ctx.method === "GET";
  const q = ctx.query;
  const request = text(q.request);
  if (request) return poll(ctx, deps, request, take);
  const found = await findClient(q.client_id, deps.assistants, deps.clientDocuments);
  if ("why" in found)
    return found.why ? page(ctx, 400, "bad_request", {why: found.why}) : page(ctx, 400, "unknown_client");
  const {client} = found;
  const given = text(q.redirect_uri);
  const redirectUri = given || (client.redirectUris.length === 1 ? client.redirectUris[0] : "");
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) return page(ctx, 400, "bad_redirect");
  // Before a parent's answer nothing goes back to the redirect: a stranger registers any address,
  // and a refusal sent there would take the parent's browser to it.
  const wrong = wrongIn(q);
  if (wrong) return page(ctx, 400, "bad_request", {why: wrong});
  if (!take) return page(ctx, 200, "waiting");
  const state = typeof q.state === "string" ? q.state : undefined;
  const address = normalizeAddress(ctx.req.socket.remoteAddress);
  let asked: ReturnType<OAuthRequests["ask"]>;
  try {
    asked = deps.oauthRequests.ask(
      {
        client: text(q.client_id),
        clientName: client.name,
        redirectUri,
        ...(state !== undefined ? {state} : {}),
        challenge: text(q.code_challenge),
        scope: SCOPE,
      },
      address,
      // The whole address, not its /64: on a home network every device shares one IPv6 prefix.
      address,
    );
  } catch (err) {
    if (err instanceof AppError && err.status === 429) return page(ctx, 429, "full");
    throw err;
  }
  ctx.cookies.set(cookieOf(asked.id), asked.secret, {
    httpOnly: true,
    sameSite: "lax",
    path: "/oauth",
    secure: ctx.secure,
    maxAge: REQUEST_TTL_MS,
    overwrite: true,
  });
  // One line per browser waiting: a page asked again from the same address is no news.
  const line = `'${cleanName(client.name)}' asks to use the Yotos through MCP from ${address}, pairing code ${asked.pairing}: a parent approves it on the Assistants page`;
  if (asked.again) deps.log.debug(line);
  else deps.log.info(line);
  ctx.redirect(`/oauth/authorize?request=${asked.id}`);
}

/** What is wrong with an authorization request past its client and redirect, in a sentence; "" if nothing. */
function wrongIn(q: Context["query"]): string {
  const type = text(q.response_type);
  if (type !== "code")
    return `This add-on answers only response_type=code (an authorization code with PKCE), not '${type.slice(0, 40)}'.`;
  if (!/^[A-Za-z0-9_-]{43,128}$/.test(text(q.code_challenge)) || text(q.code_challenge_method) !== "S256")
    return "PKCE is required: the request must send a code_challenge with code_challenge_method=S256.";
  const scope = text(q.scope);
  if (scope.split(" ").some((s) => s && s !== SCOPE))
    return `The one scope is "${SCOPE}", not '${scope.slice(0, 60)}'.`;
  if (q.state !== undefined && (typeof q.state !== "string" || q.state.length > MAX_STATE))
    return `The state must be one text of at most ${MAX_STATE} characters.`;
  return "";
}

/** The waiting page's reload: the answer, to the browser holding the request's cookie alone. */
function poll(ctx: Context, deps: AuthorizeDeps, id: string, take: boolean) {
  // Only an id this add-on could have made is looked for in the cookies: the cookie reader keeps a
  // pattern for every name it is asked for, so a stranger's long made-up ids would be kept for good.
  if (!REQUEST_ID.test(id) || !deps.oauthRequests.has(id)) return page(ctx, 410, "gone");
  const state = deps.oauthRequests.state(id, ctx.cookies.get(cookieOf(id)) ?? "", take);
  if (state.status === "gone") return page(ctx, 410, "gone");
  if (state.status === "not_yours") return page(ctx, 403, "not_yours");
  if (state.status === "waiting") return page(ctx, 200, "waiting", {pairing: state.pairing});
  // Answered: the cookie has done its work.
  ctx.cookies.set(cookieOf(id), null, {httpOnly: true, sameSite: "lax", path: "/oauth", overwrite: true});
  const back = new URL(state.asked.redirectUri);
  if (state.status === "approved") back.searchParams.set("code", state.code);
  else {
    // RFC 6749 §4.1.2.1: the client learns the parent's no at its redirect (the parent saw that address).
    back.searchParams.set("error", "access_denied");
    back.searchParams.set("error_description", "A parent said no on the Yoto panel");
  }
  if (state.asked.state !== undefined) back.searchParams.set("state", state.asked.state);
  back.searchParams.set("iss", ownOrigin(ctx));
  ctx.redirect(back.toString());
}

function page(ctx: Context, status: number, kind: PageKind, detail?: PageDetail): void {
  ctx.status = status;
  ctx.type = "html";
  ctx.body = authorizePage(kind, detail);
}
