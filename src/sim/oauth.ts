import {createHash, randomBytes} from "node:crypto";
import type Router from "@koa/router";
import type {Context} from "koa";
import {type AccessClaims, JwtIssuer} from "./jwt.js";

export const AUDIENCE = "https://api.yotoplay.com";
const SUBJECT = "auth0|sim-family-user";
const CODE_TTL_MS = 10 * 60_000;

export interface OAuthOptions {
  /** Access token lifetime; tests shorten it to force refreshes and broker disconnects. */
  tokenTtlSeconds: number;
  deviceCodeTtlSeconds: number;
  deviceCodeIntervalSeconds: number;
  /**
   * Auth0's rotation "reuse interval": a used refresh token still works this long, so a client
   * that died before saving the rotated one can recover; reuse after it revokes the whole family.
   */
  refreshReuseSeconds: number;
  /** Base URL of the simulator, for verification_uri. */
  baseUrl: () => string;
  /**
   * The scopes ticked for the client at dashboard.yoto.dev (default: any). Yoto made scopes
   * mandatory in June 2026: asking for one the app does not allow ends the sign-in with an error.
   */
  allowedScopes?: readonly string[];
  /** The scopes tokens carry (default: every one asked for); see SimOAuth.grantOnly. */
  grantedScopes?: readonly string[];
  /** Whether token answers say what they grant: the `scope` field, the JWT's `scope` claim (default both). */
  tellScopes?: {answer?: boolean; token?: boolean};
}

interface DeviceCode {
  clientId: string;
  scope: string;
  userCode: string;
  expiresAt: number;
  interval: number;
  lastPollAt: number;
  decision: "pending" | "approved" | "denied";
}

type Grant = {clientId: string; scope: string; family: string; usedAt?: number};

/**
 * Yoto's Auth0 tenant as far as clients can tell: PKCE authorization codes (the login page
 * approves at once), the legacy device-code flow, and refresh tokens that rotate on every use.
 */
export class SimOAuth {
  readonly issuer = new JwtIssuer();
  readonly #opts: OAuthOptions;
  readonly #codes = new Map<
    string,
    Omit<Grant, "family"> & {redirectUri: string; challenge: string; expiresAt: number}
  >();
  readonly #deviceCodes = new Map<string, DeviceCode>();
  readonly #refreshTokens = new Map<string, Grant>();
  /** Ids of access tokens issued so far, and those expired early by fault injection. */
  readonly #issued: string[] = [];
  readonly #revoked = new Set<string>();
  /** Counters tests read to prove e.g. that concurrent refreshes were coalesced. */
  readonly stats = {refreshes: 0, tokensIssued: 0, reuseDetected: 0};
  /** Test hook: runs after a refresh rotated the token, before the answer leaves (to kill a client there). */
  onRefresh?: () => void;
  /**
   * Since June 2026 Yoto may grant fewer scopes than asked, leaving out those not ticked for the
   * app, with no error. Every token is cut to this list as it is issued, refreshed ones too: set it
   * between tokens to see a scope ticked later reach the next one (undefined: all asked for).
   */
  grantOnly?: readonly string[];
  readonly tellScopes: {answer: boolean; token: boolean};

  constructor(opts: OAuthOptions) {
    this.#opts = opts;
    this.grantOnly = opts.grantedScopes;
    this.tellScopes = {answer: opts.tellScopes?.answer ?? true, token: opts.tellScopes?.token ?? true};
  }

  routes(router: Router): void {
    router.get("/authorize", (ctx) => this.#authorize(ctx));
    router.post("/oauth/token", (ctx) => this.#token(ctx));
    router.post("/oauth/device/code", (ctx) => this.#deviceCode(ctx));
    // Stands in for the person typing the user code at /activate.
    router.get("/activate", (ctx) => this.#activate(ctx));
  }

  /** The claims of a live access token, or undefined (unknown, tampered, expired or revoked). */
  check(token: string | undefined): AccessClaims | undefined {
    const claims = token ? this.issuer.verify(token) : undefined;
    if (!claims || claims.exp * 1000 <= Date.now() || this.#revoked.has(claims.jti)) return undefined;
    return claims;
  }

  /** Every access token issued so far stops working; new ones (after a refresh) work. */
  expireAllTokens(): void {
    for (const jti of this.#issued.splice(0)) this.#revoked.add(jti);
  }

  revokeRefreshTokens(): void {
    this.#refreshTokens.clear();
  }

  approveDeviceCode(userCode: string, approve = true): boolean {
    for (const code of this.#deviceCodes.values()) {
      if (code.userCode === userCode) {
        code.decision = approve ? "approved" : "denied";
        return true;
      }
    }
    return false;
  }

  #authorize(ctx: Context): void {
    const q = ctx.query as Record<string, string | undefined>;
    const missing = ["client_id", "redirect_uri", "code_challenge"].filter((k) => !q[k]);
    if (missing.length > 0 || q.response_type !== "code" || q.code_challenge_method !== "S256") {
      ctx.status = 400;
      ctx.body = {
        error: "invalid_request",
        error_description: `missing or invalid: ${missing.join(", ") || "response_type/code_challenge_method"}`,
      };
      return;
    }
    const target = new URL(q.redirect_uri as string);
    const refused = this.#refusedScopes(q.scope);
    if (refused.length > 0) {
      // As an authorization server answers at this step (RFC 6749 §4.1.2.1): back to the client.
      target.searchParams.set("error", "invalid_scope");
      target.searchParams.set("error_description", `The client is not allowed the scopes: ${refused.join(" ")}`);
      if (q.state) target.searchParams.set("state", q.state);
      ctx.redirect(target.toString());
      return;
    }
    const code = randomBytes(16).toString("hex");
    this.#codes.set(code, {
      clientId: q.client_id as string,
      scope: q.scope ?? "offline_access",
      redirectUri: q.redirect_uri as string,
      challenge: q.code_challenge as string,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    target.searchParams.set("code", code);
    if (q.state) target.searchParams.set("state", q.state);
    ctx.redirect(target.toString());
  }

  async #token(ctx: Context): Promise<void> {
    const form = new URLSearchParams(await readText(ctx));
    const grant = form.get("grant_type");
    if (grant === "authorization_code") return this.#exchangeCode(ctx, form);
    if (grant === "refresh_token") return this.#refresh(ctx, form);
    if (grant === "urn:ietf:params:oauth:grant-type:device_code") return this.#pollDevice(ctx, form);
    fail(ctx, 400, "unsupported_grant_type", `grant_type '${grant}' is not supported`);
  }

  #exchangeCode(ctx: Context, form: URLSearchParams): void {
    const code = this.#codes.get(form.get("code") ?? "");
    this.#codes.delete(form.get("code") ?? "");
    const verifier = form.get("code_verifier") ?? "";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    if (!code || code.expiresAt < Date.now()) {
      fail(ctx, 403, "invalid_grant", "Invalid authorization code");
      return;
    }
    if (code.clientId !== form.get("client_id") || code.redirectUri !== form.get("redirect_uri")) {
      fail(ctx, 403, "invalid_grant", "client_id or redirect_uri does not match the authorization request");
      return;
    }
    if (challenge !== code.challenge) {
      fail(ctx, 403, "invalid_grant", "Failed to verify code verifier");
      return;
    }
    this.#issue(ctx, {clientId: code.clientId, scope: code.scope});
  }

  #refresh(ctx: Context, form: URLSearchParams): void {
    const token = form.get("refresh_token") ?? "";
    const grant = this.#refreshTokens.get(token);
    if (!grant || grant.clientId !== form.get("client_id")) {
      fail(ctx, 403, "invalid_grant", "Unknown or invalid refresh token.");
      return;
    }
    const reuseMs = this.#opts.refreshReuseSeconds * 1000;
    if (grant.usedAt !== undefined && Date.now() - grant.usedAt > reuseMs) {
      // Reuse detection: a rotated token replayed late looks stolen, so the whole family dies.
      this.stats.reuseDetected++;
      for (const [key, other] of this.#refreshTokens)
        if (other.family === grant.family) this.#refreshTokens.delete(key);
      fail(ctx, 403, "invalid_grant", "Unknown or invalid refresh token.");
      return;
    }
    grant.usedAt ??= Date.now();
    this.stats.refreshes++;
    this.#issue(ctx, {clientId: grant.clientId, scope: grant.scope, family: grant.family});
    this.onRefresh?.();
  }

  #deviceCode(ctx: Context): Promise<void> {
    return readText(ctx).then((text) => {
      const form = new URLSearchParams(text);
      const clientId = form.get("client_id");
      if (!clientId) {
        fail(ctx, 400, "invalid_request", "client_id is required");
        return;
      }
      const refused = this.#refusedScopes(form.get("scope") ?? undefined);
      if (refused.length > 0) {
        fail(ctx, 403, "access_denied", `Client has not been granted scopes: ${refused.join(" ")}`);
        return;
      }
      const deviceCode = randomBytes(20).toString("hex");
      const userCode = `${randomLetters(4)}-${randomLetters(4)}`;
      const interval = this.#opts.deviceCodeIntervalSeconds;
      this.#deviceCodes.set(deviceCode, {
        clientId,
        scope: form.get("scope") ?? "offline_access",
        userCode,
        expiresAt: Date.now() + this.#opts.deviceCodeTtlSeconds * 1000,
        interval,
        lastPollAt: 0,
        decision: "pending",
      });
      const verification = `${this.#opts.baseUrl()}/activate`;
      ctx.body = {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: verification,
        verification_uri_complete: `${verification}?user_code=${userCode}`,
        expires_in: this.#opts.deviceCodeTtlSeconds,
        interval,
      };
    });
  }

  #pollDevice(ctx: Context, form: URLSearchParams): void {
    const code = this.#deviceCodes.get(form.get("device_code") ?? "");
    if (!code || code.clientId !== form.get("client_id")) {
      fail(ctx, 403, "invalid_grant", "Invalid device code");
      return;
    }
    const now = Date.now();
    if (code.expiresAt < now) {
      fail(ctx, 403, "expired_token", "The device code has expired");
      return;
    }
    if (code.decision === "denied") {
      fail(ctx, 403, "access_denied", "The user denied access");
      return;
    }
    if (code.decision === "pending") {
      const tooSoon = now - code.lastPollAt < code.interval * 1000;
      code.lastPollAt = now;
      if (tooSoon) {
        fail(ctx, 403, "slow_down", "You are polling faster than the specified interval");
        return;
      }
      fail(ctx, 403, "authorization_pending", "User has yet to authorize device code.");
      return;
    }
    this.#deviceCodes.delete(form.get("device_code") ?? "");
    this.#issue(ctx, {clientId: code.clientId, scope: code.scope});
  }

  #activate(ctx: Context): void {
    const userCode = String(ctx.query.user_code ?? "");
    const found = this.approveDeviceCode(userCode, ctx.query.deny === undefined);
    ctx.status = found ? 200 : 404;
    ctx.body = found ? {status: "ok"} : {error: "unknown user_code"};
  }

  /** The asked-for scopes the client's registration does not allow. */
  #refusedScopes(scope: string | undefined): string[] {
    const allowed = this.#opts.allowedScopes;
    if (!allowed) return [];
    return (scope ?? "").split(" ").filter((s) => s && !allowed.includes(s));
  }

  #issue(ctx: Context, issued: Omit<Grant, "family"> & {family?: string}): void {
    const grant: Grant = {
      clientId: issued.clientId,
      scope: issued.scope,
      family: issued.family ?? randomBytes(8).toString("hex"),
    };
    const now = Math.floor(Date.now() / 1000);
    const ttl = this.#opts.tokenTtlSeconds;
    // The grant keeps what was asked for; each token carries what is granted now.
    const granted = grant.scope.split(" ").filter((s) => s && (!this.grantOnly || this.grantOnly.includes(s)));
    const scope = granted.join(" ");
    // As Auth0: a refresh token only with offline_access.
    const refreshToken = granted.includes("offline_access") ? `v1.${randomBytes(24).toString("base64url")}` : undefined;
    if (refreshToken) this.#refreshTokens.set(refreshToken, grant);
    this.stats.tokensIssued++;
    const accessToken = this.issuer.sign({
      sub: SUBJECT,
      aud: AUDIENCE,
      ...(this.tellScopes.token ? {scope} : {}),
      azp: grant.clientId,
      iat: now,
      exp: now + ttl,
    });
    this.#issued.push(this.issuer.verify(accessToken)?.jti ?? "");
    ctx.body = {
      access_token: accessToken,
      ...(refreshToken ? {refresh_token: refreshToken} : {}),
      token_type: "Bearer",
      expires_in: ttl,
      ...(this.tellScopes.answer ? {scope} : {}),
    };
  }
}

function fail(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.body = {error, error_description: description};
}

function randomLetters(n: number): string {
  const alphabet = "BCDFGHJKLMNPQRSTVWXZ";
  return Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");
}

export async function readText(ctx: Context, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) ctx.throw(413, "body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
