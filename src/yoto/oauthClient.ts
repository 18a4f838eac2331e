import {createHash, randomBytes} from "node:crypto";
import {AppError, errorMessage} from "../core/errors.js";
import {type HttpAnswer, httpRequest} from "../core/httpRequest.js";

export const YOTO_AUDIENCE = "https://api.yotoplay.com";
export const DEFAULT_REDIRECT_URI = "http://127.0.0.1:8787/callback";
/**
 * What this service asks Yoto for. Since June 2026 an app gets only the scopes ticked in its
 * settings at dashboard.yoto.dev, so the family's app must allow every one (README and DOCS list
 * them; a sign-in refused for one names it).
 */
export const SCOPES = [
  // Who signed in, and a refresh token: the link lasts without signing in again.
  "openid",
  "profile",
  "offline_access",
  // The players, their live state and commands over MQTT, and their settings (max volume, night
  // light, alarms: read-merge-write of the player's config).
  "family:devices:view",
  "family:devices:control",
  "family:devices:manage",
  // The family's cards, shop cards included, and their library groups ("Play a card", groups).
  "family:library:view",
  // Make Your Own cards read, made, changed and archived; icons and covers uploaded.
  "user:content:view",
  "user:content:manage",
] as const;
export const DEFAULT_SCOPE = SCOPES.join(" ");

/**
 * A sign-in Yoto refused for a scope the app does not allow (`invalid_scope`, or `access_denied`
 * naming scopes), as what to tick: the scopes the answer names that this service asked for, or
 * every one it asked for when the answer names none. Undefined for any other refusal.
 */
export function scopeRefusal(error: string, description: string, requested: string): string | undefined {
  if (error !== "invalid_scope" && !/\bscope/i.test(description)) return undefined;
  const asked = requested.split(" ").filter(Boolean);
  const named = new Set(description.split(/[\s,;'"]+/));
  const missing = asked.filter((scope) => named.has(scope));
  const which =
    missing.length === 0
      ? `every scope this service asks for (${asked.join(", ")})`
      : missing.length === 1
        ? `the scope ${missing[0]}`
        : `the scopes ${missing.join(", ")}`;
  return `Yoto refused the sign-in: your app at https://dashboard.yoto.dev/ does not allow ${which}. Open the app there, tick ${missing.length === 1 ? "it" : "them"} under its scopes, save, then start linking again`;
}

/**
 * What a person pasted back after signing in: the address the browser landed on (its `code` and
 * `state`, or Yoto's `error`), its query alone, or just the code.
 */
export function parsePasted(text: string): {code?: string; state?: string; error?: string; description?: string} {
  if (/^https?:\/\//.test(text) || text.includes("code=") || text.includes("error=")) {
    const url = new URL(text.startsWith("http") ? text : `http://x/?${text.replace(/^\?/, "")}`);
    const param = (name: string) => url.searchParams.get(name) ?? undefined;
    return {code: param("code"), state: param("state"), error: param("error"), description: param("error_description")};
  }
  return {code: text || undefined};
}

/** What Yoto's token endpoint answers; `refresh_token` usually rotates (reference §1.4). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
  token_type?: string;
}

/** An OAuth error answer (`invalid_grant`, `authorization_pending`, …), kept for callers to branch on. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
  }
}

export function pkcePair(): {verifier: string; challenge: string} {
  const verifier = randomBytes(32).toString("base64url");
  return {verifier, challenge: createHash("sha256").update(verifier).digest("base64url")};
}

/** Form posts to the authorization server; the base URL is the only thing that differs in tests. */
export class OAuthClient {
  constructor(
    readonly authUrl: string,
    readonly clientId: string,
    readonly timeoutMs = 15_000,
  ) {}

  authorizeUrl(opts: {redirectUri: string; challenge: string; state: string; scope: string}): string {
    const url = new URL("/authorize", this.authUrl);
    const params = {
      client_id: this.clientId,
      response_type: "code",
      redirect_uri: opts.redirectUri,
      scope: opts.scope,
      audience: YOTO_AUDIENCE,
      code_challenge: opts.challenge,
      code_challenge_method: "S256",
      state: opts.state,
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  exchangeCode(code: string, verifier: string, redirectUri: string): Promise<TokenResponse> {
    return this.#post("/oauth/token", {
      grant_type: "authorization_code",
      client_id: this.clientId,
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    });
  }

  refresh(refreshToken: string): Promise<TokenResponse> {
    return this.#post("/oauth/token", {
      grant_type: "refresh_token",
      client_id: this.clientId,
      refresh_token: refreshToken,
      audience: YOTO_AUDIENCE,
    });
  }

  startDeviceCode(scope: string): Promise<{
    device_code: string;
    user_code: string;
    verification_uri: string;
    verification_uri_complete?: string;
    expires_in: number;
    interval?: number;
  }> {
    return this.#post("/oauth/device/code", {client_id: this.clientId, scope, audience: YOTO_AUDIENCE});
  }

  pollDeviceCode(deviceCode: string): Promise<TokenResponse> {
    return this.#post("/oauth/token", {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: deviceCode,
      client_id: this.clientId,
      audience: YOTO_AUDIENCE,
    });
  }

  async #post<T>(path: string, form: Record<string, string>): Promise<T> {
    let res: HttpAnswer;
    try {
      res = await httpRequest(new URL(path, this.authUrl), {
        method: "POST",
        headers: {"Content-Type": "application/x-www-form-urlencoded"},
        body: new URLSearchParams(form).toString(),
        timeoutMs: this.timeoutMs,
      });
    } catch (err) {
      throw new AppError(
        "yoto_unreachable",
        `Yoto's login service at ${this.authUrl} could not be reached (${errorMessage(err)}): check this machine's internet connection, then try again`,
        {status: 503, cause: err, expose: true},
      );
    }
    const text = res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Some gateways answer HTML on errors: reported below with the status.
    }
    if (!res.ok || typeof body.error === "string") {
      throw new OAuthError(
        String(body.error ?? `http_${res.status}`),
        String(body.error_description ?? text.slice(0, 200)),
        res.status,
      );
    }
    return body as T;
  }
}
