import {randomBytes} from "node:crypto";
import {AppError, badRequest, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {AccountStatus, LinkState} from "../shared/api/account.js";
import type {StoreNamespace} from "../store/namespace.js";
import {
  grantedScope,
  missingScopes,
  missingScopesProblem,
  NO_REFRESH_TOKEN_ENDED,
  ScopeNotice,
} from "./grantedScopes.js";
import {
  DEFAULT_REDIRECT_URI,
  DEFAULT_SCOPE,
  type OAuthClient,
  OAuthError,
  parsePasted,
  pkcePair,
  scopeRefusal,
  type TokenResponse,
} from "./oauthClient.js";
import {SavedLogin, type StoredTokens} from "./savedLogin.js";

export type {StoredTokens} from "./savedLogin.js";
export type {AccountStatus, LinkState};

// Refresh this long before expiry (at most a fifth of the lifetime), so a token never dies mid-request.
const REFRESH_MARGIN_MS = 60_000;
const PENDING_LINK_TTL_MS = 15 * 60_000;
export const NEEDS_RELINK_MESSAGE =
  "The Yoto account needs re-linking: open the panel's Account page and link it again";

export interface AccountOptions {
  oauth: OAuthClient;
  store: {namespace<T>(name: string): StoreNamespace<T>};
  log: Logger;
  redirectUri?: string;
  scope?: string;
  onStatus?: (status: AccountStatus) => void;
  /** Drop any saved login at start: the demo's simulated cloud forgets its logins when it stops. */
  forgetSavedLogin?: boolean;
  /** How often to retry saving a renewed login that could not be saved (tests shorten it). */
  unsavedRetryMs?: number;
}

/**
 * The family's Yoto account link. Refresh tokens rotate, so each new pair is saved before the new
 * access token is used; concurrent callers share one refresh; a revoked link becomes
 * "needs re-linking" instead of a crash loop.
 */
export class YotoAccount implements Service {
  readonly name = "yoto-account";
  readonly #opts: AccountOptions;
  readonly #saved: SavedLogin;
  readonly #scopes: ScopeNotice;
  #tokens?: StoredTokens;
  #state: LinkState = "unlinked";
  #reason?: string;
  #refreshing?: Promise<string>;
  #pending?: {verifier: string; state: string; expiresAt: number};
  #device?: AccountStatus["deviceCode"] & {stop: () => void};

  constructor(opts: AccountOptions) {
    this.#opts = opts;
    this.#scopes = new ScopeNotice(opts.log);
    this.#saved = new SavedLogin({
      store: opts.store,
      retryMs: opts.unsavedRetryMs,
      onSaved: (tokens) => {
        if (this.#tokens !== tokens) return;
        this.#opts.log.info("The renewed Yoto login is saved now");
        this.#setState("linked");
      },
    });
  }

  async start(): Promise<void> {
    this.#tokens = await this.#saved.open();
    const foreign = this.#tokens && this.#foreign(this.#tokens);
    // The demo drops every saved login and links itself again: "link the account again" would be
    // advice nobody needs to follow (its simulator has a new address on every start).
    if (foreign && !this.#opts.forgetSavedLogin) this.#opts.log.warning(foreign);
    if ((this.#opts.forgetSavedLogin || foreign) && this.#tokens) {
      await this.#saved.forget();
      this.#tokens = undefined;
    }
    this.#scopes.note(this.#missing());
    this.#setState(this.#tokens ? "linked" : "unlinked");
    if (this.#tokens?.refreshToken) this.#opts.log.addSecret(this.#tokens.refreshToken);
  }

  async stop(): Promise<void> {
    this.#device?.stop();
    await this.#refreshing?.catch(() => undefined);
    // Last chance to keep a renewed login across the restart this stop is probably part of.
    if (!(await this.#saved.close())) {
      this.#opts.log.error(
        "Stopping with a renewed Yoto login that could not be saved: after the restart the account may need linking again",
      );
    }
  }

  status(): AccountStatus {
    const missing = this.#missing();
    return {
      state: this.#state,
      ...(this.#tokens
        ? {linkedAt: this.#tokens.linkedAt, expiresAt: new Date(this.#tokens.expiresAt).toISOString()}
        : {}),
      ...(this.#reason ? {reason: this.#reason} : {}),
      ...(this.#saved.unsavedSince ? {unsavedSince: this.#saved.unsavedSince} : {}),
      ...(this.#device
        ? {
            deviceCode: {
              userCode: this.#device.userCode,
              verificationUri: this.#device.verificationUri,
              verificationUriComplete: this.#device.verificationUriComplete,
              expiresAt: this.#device.expiresAt,
            },
          }
        : {}),
      ...(missing && missing.length > 0 ? {missingScopes: missing} : {}),
    };
  }

  health() {
    const status = this.status();
    // A link without a scope it needs half-works: degraded until a token has them all.
    const problems = [
      status.unsavedSince ? status.reason : undefined,
      status.missingScopes ? missingScopesProblem(status.missingScopes) : undefined,
    ].filter((p): p is string => Boolean(p));
    return {
      ...(problems.length > 0 ? {degraded: true, error: problems.join(". ")} : {}),
      details: status as unknown as Record<string, unknown>,
    };
  }

  /** Step 1 of linking: the URL to open. Yoto then redirects to the registered callback URL. */
  beginLink(): {authorizeUrl: string; redirectUri: string} {
    const {verifier, challenge} = pkcePair();
    const state = randomBytes(12).toString("hex");
    this.#pending = {verifier, state, expiresAt: Date.now() + PENDING_LINK_TTL_MS};
    const redirectUri = this.#opts.redirectUri ?? DEFAULT_REDIRECT_URI;
    return {
      authorizeUrl: this.#opts.oauth.authorizeUrl({
        redirectUri,
        challenge,
        state,
        scope: this.#scope(),
      }),
      redirectUri,
    };
  }

  /**
   * Step 2: the URL the browser landed on (usually an error page at 127.0.0.1:8787, which is fine)
   * or just its `code`, pasted back by the user.
   */
  async completeLink(pasted: string): Promise<AccountStatus> {
    const pending = this.#pending;
    if (!pending || pending.expiresAt < Date.now()) {
      throw badRequest("Start linking again: the link request expired or was never started", "link_not_started");
    }
    const {code, state, error, description} = parsePasted(pasted.trim());
    // Yoto sent the browser back with an error instead of a code: one for a scope says which.
    const refusedScope = error ? scopeRefusal(error, description ?? "", this.#scope()) : undefined;
    if (refusedScope) throw badRequest(refusedScope, "scope_refused");
    if (!code)
      throw badRequest(
        "Paste the whole address the browser ended on (it contains 'code=…'), or just the code",
        "missing_code",
      );
    if (state !== undefined && state !== pending.state) {
      throw badRequest(
        "That address belongs to another link attempt: start linking again and paste the new one",
        "state_mismatch",
      );
    }
    try {
      const tokens = await this.#opts.oauth.exchangeCode(
        code,
        pending.verifier,
        this.#opts.redirectUri ?? DEFAULT_REDIRECT_URI,
      );
      this.#pending = undefined;
      await this.#save(tokens, new Date().toISOString());
      this.#opts.log.info("Yoto account linked");
      return this.status();
    } catch (err) {
      if (err instanceof OAuthError)
        throw badRequest(
          scopeRefusal(err.error, err.description, this.#scope()) ??
            `Yoto refused the code (${err.description}): start linking again`,
          "link_refused",
        );
      throw err;
    }
  }

  /** The legacy device-code flow, for client ids that still allow it; polls in the background. */
  async beginDeviceLink(): Promise<AccountStatus> {
    this.#device?.stop();
    const start = await this.#opts.oauth.startDeviceCode(this.#scope()).catch((err: unknown) => {
      const refused = err instanceof OAuthError ? scopeRefusal(err.error, err.description, this.#scope()) : undefined;
      throw refused ? badRequest(refused, "scope_refused") : err;
    });
    let interval = (start.interval ?? 5) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const expiresAt = Date.now() + start.expires_in * 1000;
    const stop = () => clearTimeout(timer);
    this.#device = {
      userCode: start.user_code,
      verificationUri: start.verification_uri,
      verificationUriComplete: start.verification_uri_complete,
      expiresAt: new Date(expiresAt).toISOString(),
      stop,
    };
    this.#setState("linking");
    const poll = async () => {
      try {
        await this.#save(await this.#opts.oauth.pollDeviceCode(start.device_code), new Date().toISOString());
        this.#device = undefined;
        this.#opts.log.info("Yoto account linked (device code)");
        this.#setState("linked");
      } catch (err) {
        const code = err instanceof OAuthError ? err.error : "";
        if (code === "authorization_pending" || code === "slow_down") {
          if (code === "slow_down") interval += 5000;
          timer = setTimeout(() => void poll(), interval);
          return;
        }
        this.#device = undefined;
        this.#setState(
          this.#tokens ? "linked" : "unlinked",
          (err instanceof OAuthError ? scopeRefusal(err.error, err.description, this.#scope()) : undefined) ??
            `Device linking ended: ${err instanceof OAuthError ? err.error : errorMessage(err)}`,
        );
      }
    };
    timer = setTimeout(() => void poll(), interval);
    return this.status();
  }

  async unlink(): Promise<void> {
    // Forgotten in memory only once forgotten on disk: else a restart would bring the link back.
    await this.#saved.forget();
    this.#tokens = undefined;
    this.#scopes.note(undefined);
    this.#setState("unlinked");
  }

  /** A live access token, refreshed first when close to expiry. Concurrent callers share one refresh. */
  async accessToken(): Promise<string> {
    const tokens = this.#tokens;
    if (!tokens)
      throw new AppError(
        this.#state === "needs_relink" ? "needs_relink" : "not_linked",
        this.#state === "needs_relink"
          ? NEEDS_RELINK_MESSAGE
          : "No Yoto account is linked yet: link one on the panel's Account page",
        {status: 409},
      );
    const lifetime = tokens.expiresAt - (tokens.obtainedAt ?? tokens.expiresAt - 3_600_000);
    if (tokens.expiresAt - Date.now() > Math.min(REFRESH_MARGIN_MS, lifetime / 5)) return tokens.accessToken;
    // Without a refresh token (no offline_access) the token is used to its last second: nothing renews it.
    if (!tokens.refreshToken && tokens.expiresAt > Date.now()) return tokens.accessToken;
    this.#refreshing ??= this.#refresh(tokens).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** After a 401 the token is known bad whatever its expiry says: the next caller refreshes. */
  invalidate(accessToken: string): void {
    if (this.#tokens?.accessToken === accessToken) this.#tokens = {...this.#tokens, expiresAt: 0};
  }

  async #refresh(tokens: StoredTokens): Promise<string> {
    if (!tokens.refreshToken) return this.#relinkNeeded(NO_REFRESH_TOKEN_ENDED, NO_REFRESH_TOKEN_ENDED);
    let next: TokenResponse;
    try {
      next = await this.#opts.oauth.refresh(tokens.refreshToken);
    } catch (err) {
      if (err instanceof OAuthError && (err.error === "invalid_grant" || err.status === 401 || err.status === 403))
        return this.#relinkNeeded(`Yoto refused the saved login (${err.error})`, NEEDS_RELINK_MESSAGE);
      throw err;
    }
    const fresh = this.#tokensFrom(next, tokens.linkedAt, tokens);
    try {
      await this.#saved.save(fresh);
    } catch (err) {
      // Yoto has rotated: the saved refresh token is spent (or soon is, and replaying it later would
      // revoke the whole login). The new one exists only here, so it is kept and used, and shown as
      // unsaved until a retry saves it.
      this.#keepUnsaved(fresh, err);
      return fresh.accessToken;
    }
    this.#use(fresh);
    return fresh.accessToken;
  }

  /** The login is gone for good: forgotten, shown as "needs re-linking" with `reason`, never retried. */
  async #relinkNeeded(reason: string, logged: string): Promise<never> {
    this.#tokens = undefined;
    this.#saved.abandon();
    // Not saving this is harmless (the next start is refused the same way) and must not hide it.
    await this.#saved.forget().catch(() => undefined);
    this.#scopes.note(undefined);
    this.#setState("needs_relink", reason);
    this.#opts.log.error(logged);
    throw new AppError("needs_relink", NEEDS_RELINK_MESSAGE, {status: 409});
  }

  /** Persist first, then publish in memory: a crash after this line keeps the rotated refresh token. */
  async #save(response: TokenResponse, linkedAt: string): Promise<void> {
    const tokens = this.#tokensFrom(response, linkedAt);
    await this.#saved.save(tokens);
    this.#use(tokens);
  }

  /**
   * Why a saved login must not be used here, or undefined. A login belongs to the login address and
   * client id that issued it; one saved before logins said so cannot be told apart from the demo's.
   */
  #foreign(tokens: StoredTokens): string | undefined {
    const {authUrl, clientId} = this.#opts.oauth;
    if (!tokens.issuer)
      return "The saved Yoto login was saved by an older version, which did not note who issued it: it is not used; link the account again";
    if (tokens.issuer !== authUrl || tokens.clientId !== clientId)
      return `The saved Yoto login was issued by ${tokens.issuer} to client '${tokens.clientId ?? ""}', not by ${authUrl} to '${clientId}' as configured now: it is not used or sent anywhere; link the account again`;
    return undefined;
  }

  /**
   * A token answer as kept. Without offline_access Yoto gives no refresh token: the link then lasts
   * as long as the access token and says why (missingScopes). A refresh that does not say its scopes
   * keeps the grant's (RFC 6749 §5.1: left out, the scope is the one asked for, here the grant's).
   */
  #tokensFrom(response: TokenResponse, linkedAt: string, previous?: StoredTokens): StoredTokens {
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? previous?.refreshToken,
      expiresAt: Date.now() + response.expires_in * 1000,
      obtainedAt: Date.now(),
      scope: grantedScope(response) ?? previous?.scope,
      linkedAt,
      issuer: this.#opts.oauth.authUrl,
      clientId: this.#opts.oauth.clientId,
    };
  }

  /** Saved tokens become the ones in use. */
  #use(tokens: StoredTokens): void {
    this.#secrets(tokens);
    this.#tokens = tokens;
    const scopesChanged = this.#scopes.note(this.#missing());
    // "linked" again also clears the reason an unsaved login gave; new missing scopes are news too.
    if (this.#state !== "linked" || this.#reason || scopesChanged) this.#setState("linked");
  }

  #keepUnsaved(tokens: StoredTokens, err: unknown): void {
    this.#secrets(tokens);
    this.#tokens = tokens;
    this.#scopes.note(this.#missing());
    this.#saved.keepTrying(tokens);
    const reason = `Yoto renewed the login but it could not be saved (${errorMessage(err)}). The new login is kept in memory and saved as soon as that works; a restart before then may need the account linked again`;
    this.#opts.log.error(reason);
    this.#setState("linked", reason);
  }

  #secrets(tokens: StoredTokens): void {
    this.#opts.log.addSecret(tokens.accessToken);
    if (tokens.refreshToken) this.#opts.log.addSecret(tokens.refreshToken);
  }

  #scope(): string {
    return this.#opts.scope ?? DEFAULT_SCOPE;
  }

  /** The scopes the login in use lacks, or undefined (no login, or Yoto did not say what it granted). */
  #missing() {
    return this.#tokens ? missingScopes(this.#tokens.scope, this.#scope()) : undefined;
  }

  #setState(state: LinkState, reason?: string): void {
    this.#state = state;
    this.#reason = reason;
    this.#opts.onStatus?.(this.status());
  }
}
