import {createHash, randomBytes, timingSafeEqual} from "node:crypto";
import type {AssistantGrants} from "./assistantGrants.js";
import type {AuthorizationAsked} from "./oauthRequests.js";

/**
 * The codes of approved requests (RFC 6749 §4.1.2), each traded once, by the client it was issued
 * to, at the same redirect, with the PKCE verifier whose S256 hash the request carried. Kept as the
 * code's hash, in memory, for 5 minutes.
 *
 * A code is spent only once its tokens are saved: a trade holds it (so two at once cannot both
 * win), and the token endpoint then says `done` (saved) or `failed` (the store could not take it:
 * the code stays good for another try). A code presented again after its trade is a replay: it was
 * seen by someone else, so the assistant it made is revoked (RFC 6749 §4.1.2, "SHOULD revoke").
 */

/** What an approved code stands for: the request, and what the parent let the assistant do. */
export interface Granted extends AuthorizationAsked {
  grants: AssistantGrants;
}

interface Kept extends Granted {
  at: number;
  /** A trade of it is saving its tokens now. */
  held: boolean;
}

export type Redeemed =
  | {ok: true; granted: Granted; done(assistant: string): void; failed(): void}
  /** `replayOf`: the code was traded already, for this assistant, which is to be revoked. */
  | {ok: false; replayOf?: string};

export const CODE_TTL_MS = 5 * 60_000;

const codeHash = (code: string) => createHash("sha256").update(code).digest("base64url");

export class OAuthCodes {
  readonly #now: () => number;
  readonly #codes = new Map<string, Kept>();
  /** Codes traded within their lifetime, and the assistant each made: a second trade is a replay. */
  readonly #spent = new Map<string, {at: number; assistant: string}>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A new code for an approved request. */
  issue(granted: Granted): string {
    const code = randomBytes(32).toString("base64url");
    this.#codes.set(codeHash(code), {...granted, at: this.#now(), held: false});
    return code;
  }

  /** Codes approved and not yet traded (a trade being saved counts). */
  outstanding(): number {
    this.#prune();
    return this.#codes.size;
  }

  redeem(code: string, client: string, redirectUri: string, verifier: string): Redeemed {
    this.#prune();
    const key = codeHash(code);
    const spent = this.#spent.get(key);
    if (spent) {
      // Revoked once: a third try finds nothing more to revoke.
      this.#spent.delete(key);
      return {ok: false, replayOf: spent.assistant};
    }
    const kept = this.#codes.get(key);
    if (!kept || kept.held) return {ok: false};
    const expected = Buffer.from(kept.challenge);
    const given = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
    const right =
      kept.client === client &&
      kept.redirectUri === redirectUri &&
      expected.length === given.length &&
      timingSafeEqual(expected, given);
    if (!right) {
      // A code tried with the wrong verifier, client or redirect is spent: a guess is tried once.
      this.#codes.delete(key);
      return {ok: false};
    }
    kept.held = true;
    const {at: _at, held: _held, ...granted} = kept;
    return {
      ok: true,
      granted,
      done: (assistant) => {
        this.#codes.delete(key);
        this.#spent.set(key, {at: kept.at, assistant});
      },
      failed: () => {
        kept.held = false;
      },
    };
  }

  clear(): void {
    this.#codes.clear();
    this.#spent.clear();
  }

  #prune(): void {
    const now = this.#now();
    // A held code is being saved: it ends when its trade says how that went.
    for (const [key, c] of this.#codes) if (!c.held && now - c.at > CODE_TTL_MS) this.#codes.delete(key);
    for (const [key, s] of this.#spent) if (now - s.at > CODE_TTL_MS) this.#spent.delete(key);
  }
}
