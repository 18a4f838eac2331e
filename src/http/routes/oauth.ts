import type Router from "@koa/router";
import type {Context} from "koa";
import type {IssuedTokens} from "../../assistants/assistants.js";
import {authorizePage} from "../../assistants/authorizePage.js";
import {MCP_PATH} from "../../assistants/mcpEndpoint.js";
import {clientOf, registerClient, SCOPE, type Signer} from "../../assistants/oauthClients.js";
import type {OAuthRequests} from "../../assistants/oauthRequests.js";
import {normalizeAddress} from "../../core/address.js";
import {AppError, errorMessage} from "../../core/errors.js";
import type {Logger} from "../../core/logger.js";
import {JSON_BODY_LIMIT, readBytes} from "../body.js";
import {bucketKey} from "../middleware/rateLimit.js";
import {ownOrigin} from "../ownOrigin.js";
import {openRoute} from "../routeAccess.js";

export interface OAuthRouteDeps {
  assistants: Signer & {
    approveClient(client: string, clientName: string, scope: string): Promise<IssuedTokens>;
    refresh(refreshToken: string, client: string, scope: string): IssuedTokens | undefined;
  };
  oauthRequests: OAuthRequests;
  log: Logger;
}

/** An OAuth error answer (RFC 6749 §5.2, RFC 7591 §3.2.2): `error` and what to do, never cached. */
function oauthError(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set("Cache-Control", "no-store");
  ctx.body = {error, error_description: description};
}

/** A body anyone may send is whole within this long: a byte a minute holds no connection for good. */
export const BODY_DEADLINE_MS = 30_000;

/** The form (or JSON) body of a token or registration request, bounded. */
async function fields(ctx: Context): Promise<Record<string, unknown>> {
  const text = (await readBytes(ctx, JSON_BODY_LIMIT, {deadlineMs: BODY_DEADLINE_MS})).toString("utf8");
  if (ctx.is("application/json")) {
    const parsed = JSON.parse(text || "{}") as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new SyntaxError("not an object");
    return parsed as Record<string, unknown>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * OAuth for assistants (docs/assistants.md), as Home Assistant's MCP integration walks it: the
 * protected resource's metadata (RFC 9728), the authorization server's (RFC 8414), dynamic client
 * registration (RFC 7591), the authorize page a parent's approval on the panel answers, and the
 * token endpoint (authorization code with PKCE S256, refresh). Open to anyone: what they hand out
 * opens only the MCP tools, and only once a parent said yes.
 */
export function oauthRoutes(router: Router, deps: OAuthRouteDeps): void {
  const resource = (ctx: Context) => ({
    resource: `${ownOrigin(ctx)}${MCP_PATH}`,
    authorization_servers: [ownOrigin(ctx)],
    scopes_supported: [SCOPE],
    bearer_methods_supported: ["header"],
    resource_name: "Yoto Smart Stream",
  });
  // The paths written out: the device-access table reads every opened route from its declaration.
  openRoute(
    router,
    "public",
    "GET",
    ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"],
    (ctx) => {
      ctx.body = resource(ctx);
    },
  );

  openRoute(router, "public", "GET", "/.well-known/oauth-authorization-server", (ctx) => {
    ctx.body = {
      issuer: ownOrigin(ctx),
      authorization_endpoint: `${ownOrigin(ctx)}/oauth/authorize`,
      token_endpoint: `${ownOrigin(ctx)}/oauth/token`,
      registration_endpoint: `${ownOrigin(ctx)}/oauth/register`,
      scopes_supported: [SCOPE],
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["none"],
      code_challenge_methods_supported: ["S256"],
    };
  });

  openRoute(router, "public", "POST", "/oauth/register", async (ctx) => {
    let body: Record<string, unknown>;
    try {
      body = await fields(ctx);
    } catch (err) {
      if (err instanceof AppError && err.status === 413) throw err;
      return oauthError(ctx, 400, "invalid_client_metadata", "Send the client's metadata as a JSON object (RFC 7591)");
    }
    try {
      ctx.body = registerClient(body, deps.assistants);
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
    } catch (err) {
      oauthError(ctx, 400, "invalid_client_metadata", errorMessage(err));
    }
  });

  openRoute(router, "public", "GET", "/oauth/authorize", (ctx) => authorize(ctx, deps));

  openRoute(router, "public", "POST", "/oauth/token", (ctx) => token(ctx, deps));
}

/** A public client may also name itself in HTTP Basic with an empty secret. */
function basicClient(header: string): string {
  const match = /^Basic\s+([A-Za-z0-9+/=]{1,6000})$/i.exec(header.trim());
  if (!match) return "";
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  try {
    return decodeURIComponent(decoded.split(":")[0] ?? "");
  } catch {
    // Not percent-encoded as RFC 6749 §2.3.1 asks: no client this add-on registered.
    return "";
  }
}

/**
 * `GET /oauth/authorize`: a client's request is checked (its client, its redirect, PKCE S256), then
 * waits for a parent on the panel; the page reloads itself until then, and sends the browser back
 * with a code, or with `access_denied`.
 */
function authorize(ctx: Context, deps: OAuthRouteDeps) {
  ctx.set("Cache-Control", "no-store");
  const q = ctx.query;
  const request = text(q.request);
  if (request) {
    const state = deps.oauthRequests.state(request);
    if (state.status === "approved") {
      const back = new URL(state.asked.redirectUri);
      back.searchParams.set("code", state.code);
      if (state.asked.state !== undefined) back.searchParams.set("state", state.asked.state);
      back.searchParams.set("iss", ownOrigin(ctx));
      return ctx.redirect(back.toString());
    }
    if (state.status === "denied") {
      // RFC 6749 §4.1.2.1: the client learns the parent's no at its redirect, not from a page it never sees.
      const back = new URL(state.asked.redirectUri);
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "A parent said no on the Yoto panel");
      if (state.asked.state !== undefined) back.searchParams.set("state", state.asked.state);
      back.searchParams.set("iss", ownOrigin(ctx));
      return ctx.redirect(back.toString());
    }
    if (state.status === "waiting") return page(ctx, 200, "waiting");
    return page(ctx, 410, "gone");
  }
  const client = clientOf(q.client_id, deps.assistants);
  if (!client) return page(ctx, 400, "unknown_client");
  const given = text(q.redirect_uri);
  const redirectUri = given || (client.redirectUris.length === 1 ? client.redirectUris[0] : "");
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) return page(ctx, 400, "bad_redirect");
  const state = typeof q.state === "string" ? q.state.slice(0, 500) : undefined;
  const back = (error: string, description: string) => {
    const url = new URL(redirectUri);
    url.searchParams.set("error", error);
    url.searchParams.set("error_description", description);
    if (state !== undefined) url.searchParams.set("state", state);
    ctx.redirect(url.toString());
  };
  if (text(q.response_type) !== "code") return back("unsupported_response_type", "Only response_type=code is given");
  const challenge = text(q.code_challenge);
  if (!/^[A-Za-z0-9_-]{43,128}$/.test(challenge) || text(q.code_challenge_method) !== "S256")
    return back("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256");
  const scope = text(q.scope);
  if (scope.split(" ").some((s) => s && s !== SCOPE)) return back("invalid_scope", `The one scope is "${SCOPE}"`);
  const {id, again} = deps.oauthRequests.ask(
    {
      client: text(q.client_id),
      clientName: client.name,
      redirectUri,
      ...(state !== undefined ? {state} : {}),
      challenge,
      scope: SCOPE,
    },
    bucketKey(normalizeAddress(ctx.req.socket.remoteAddress)),
  );
  // One line per browser waiting: a page asked again from the same address is no news.
  const line = `'${client.name}' asks to use the Yotos through MCP: a parent approves it on the Assistants page`;
  if (again) deps.log.debug(line);
  else deps.log.info(line);
  ctx.redirect(`/oauth/authorize?request=${id}`);
}

function page(ctx: Context, status: number, kind: Parameters<typeof authorizePage>[0]): void {
  ctx.status = status;
  ctx.type = "html";
  ctx.body = authorizePage(kind);
}

/** `POST /oauth/token`: an approved code (with its PKCE verifier) or a refresh token, for the client it was issued to. */
async function token(ctx: Context, deps: OAuthRouteDeps) {
  ctx.state.audit = "summarised";
  let body: Record<string, unknown>;
  try {
    body = await fields(ctx);
  } catch (err) {
    if (err instanceof AppError && err.status === 413) throw err;
    return oauthError(
      ctx,
      400,
      "invalid_request",
      "Send the token request as a form (application/x-www-form-urlencoded)",
    );
  }
  const clientId = text(body.client_id) || basicClient(ctx.get("Authorization"));
  const client = clientOf(clientId, deps.assistants);
  if (!client)
    return oauthError(
      ctx,
      401,
      "invalid_client",
      "This client is not registered with this add-on: register it again (RFC 7591)",
    );
  const grant = text(body.grant_type);
  if (grant === "refresh_token") {
    const tokens = deps.assistants.refresh(text(body.refresh_token), clientId, SCOPE);
    if (!tokens)
      return oauthError(
        ctx,
        400,
        "invalid_grant",
        "That refresh token opens nothing: its assistant was revoked on the Yoto panel, or it is not this client's",
      );
    ctx.set("Cache-Control", "no-store");
    ctx.body = tokens;
    return;
  }
  if (grant !== "authorization_code")
    return oauthError(
      ctx,
      400,
      "unsupported_grant_type",
      "This server gives tokens for authorization_code (with PKCE) and refresh_token",
    );
  const granted = deps.oauthRequests.redeem(
    text(body.code),
    clientId,
    text(body.redirect_uri),
    text(body.code_verifier),
  );
  if (!granted)
    return oauthError(
      ctx,
      400,
      "invalid_grant",
      "That code opens nothing: it was used, its 5 minutes passed, or the redirect_uri or code_verifier differ from the request's",
    );
  try {
    const tokens = await deps.assistants.approveClient(clientId, client.name, granted.scope);
    ctx.set("Cache-Control", "no-store");
    ctx.body = tokens;
  } catch (err) {
    const status = err instanceof AppError ? err.status : 500;
    oauthError(
      ctx,
      status >= 500 ? 503 : 400,
      status >= 500 ? "temporarily_unavailable" : "access_denied",
      errorMessage(err),
    );
  }
}
