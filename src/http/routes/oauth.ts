import type Router from "@koa/router";
import type {Context} from "koa";
import type {AssistantGrants} from "../../assistants/assistantGrants.js";
import type {IssuedTokens} from "../../assistants/assistants.js";
import type {ClientDocuments} from "../../assistants/clientDocuments.js";
import {MCP_PATH} from "../../assistants/mcpEndpoint.js";
import {findClient} from "../../assistants/oauthClientDirectory.js";
import {registerClient, SCOPE, type Signer} from "../../assistants/oauthClients.js";
import type {OAuthRequests} from "../../assistants/oauthRequests.js";
import {AppError, errorMessage} from "../../core/errors.js";
import type {Logger} from "../../core/logger.js";
import {JSON_BODY_LIMIT, readBytes} from "../body.js";
import {ownOrigin} from "../ownOrigin.js";
import {openRoute} from "../routeAccess.js";
import {authorize} from "./oauthAuthorize.js";

export interface OAuthRouteDeps {
  assistants: Signer & {
    approveClient(client: string, clientName: string, scope: string, grants?: AssistantGrants): Promise<IssuedTokens>;
    refresh(refreshToken: string, client: string, scope: string): IssuedTokens | undefined;
    /** The assistant a refresh token is, to revoke it should its code be replayed. */
    assistantFor(refreshToken: string): string | undefined;
    revoke(id: string): Promise<unknown>;
  };
  oauthRequests: OAuthRequests;
  log: Logger;
  /** Reads a client's metadata document when its client_id is one's address (none: such ids are unknown). */
  clientDocuments?: Pick<ClientDocuments, "client">;
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
      // A client may name itself by the address of its metadata document instead of registering.
      client_id_metadata_document_supported: true,
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
  const found = await findClient(clientId, deps.assistants, deps.clientDocuments);
  if ("why" in found)
    return oauthError(
      ctx,
      401,
      "invalid_client",
      found.why || "This client is not registered with this add-on: register it again (RFC 7591)",
    );
  const {client} = found;
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
  const redeemed = deps.oauthRequests.redeem(
    text(body.code),
    clientId,
    text(body.redirect_uri),
    text(body.code_verifier),
  );
  if (!redeemed.ok) {
    if (redeemed.replayOf) await replayed(deps, client.name, redeemed.replayOf);
    return oauthError(ctx, 400, "invalid_grant", CODE_OPENS_NOTHING);
  }
  let tokens: IssuedTokens;
  try {
    // The name a parent approved, not the one a metadata document says now: it may have changed since.
    tokens = await deps.assistants.approveClient(
      clientId,
      redeemed.granted.clientName,
      redeemed.granted.scope,
      redeemed.granted.grants,
    );
  } catch (err) {
    // Not saved, so not spent: the client may trade the same code again within its 5 minutes.
    redeemed.failed();
    if (err instanceof AppError && err.status < 500) return oauthError(ctx, 400, "access_denied", errorMessage(err));
    // The log (a parent's) says why; the answer (anyone's) names no folder or file.
    deps.log.warning(`The assistant '${client.name}' could not sign in: ${errorMessage(err)}`);
    return oauthError(ctx, 503, "temporarily_unavailable", NOT_SAVED);
  }
  redeemed.done(deps.assistants.assistantFor(tokens.refresh_token ?? "") ?? "");
  ctx.set("Cache-Control", "no-store");
  ctx.body = tokens;
}

const CODE_OPENS_NOTHING =
  "That code opens nothing: it was used, its 5 minutes passed, or the redirect_uri or code_verifier differ from the request's";
export const NOT_SAVED =
  "The add-on could not save the sign-in: its storage is full or failing. Try again once a parent has made room";

/**
 * A code traded a second time was seen by someone besides its client (RFC 6749 §4.1.2): the
 * assistant the first trade made is revoked, whoever holds its tokens now.
 */
async function replayed(deps: OAuthRouteDeps, name: string, assistant: string): Promise<void> {
  deps.log.warning(
    `A sign-in code of the assistant '${name}' was used a second time: the assistant it signed in is revoked, since someone else may hold its tokens`,
  );
  if (!assistant) return;
  await deps.assistants.revoke(assistant).catch((err) => {
    // Revoked already (by a parent) is what was wanted.
    if (!(err instanceof AppError && err.status === 404))
      deps.log.warning(`The assistant '${name}' was not revoked: ${errorMessage(err)}`);
  });
}
