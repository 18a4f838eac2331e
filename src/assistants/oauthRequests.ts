import {createHash, randomBytes, randomInt, timingSafeEqual} from "node:crypto";
import {AppError} from "../core/errors.js";
import type {AssistantRequestView} from "../shared/api/assistants.js";
import {type AssistantGrants, EVERY_GRANT} from "./assistantGrants.js";
import {OAuthCodes, type Redeemed} from "./oauthCodes.js";

/**
 * OAuth authorization requests waiting for a parent (RFC 6749 §4.1 with PKCE, RFC 7636). A client's
 * browser opens the authorize page; a parent approves or denies it on the panel's Assistants page;
 * the page then sends that browser back with a code (oauthCodes.ts). They live minutes, in memory:
 * a restart asks the browser to start again, and loses nothing granted.
 *
 * Registration is open, so two requests may both say "Home Assistant". A parent tells them apart by
 * the machine each came from and a pairing code the waiting page shows too; and the answer goes
 * only to the browser that started the request, which holds a secret (a cookie) no other has.
 */

export interface AuthorizationAsked {
  client: string;
  clientName: string;
  redirectUri: string;
  state?: string;
  challenge: string;
  scope: string;
}

interface Pending extends AuthorizationAsked {
  id: string;
  askedAt: number;
  status: "waiting" | "approved" | "denied";
  /** Once approved: the code the browser takes back, shown once. */
  code?: string;
  /** The address the browser asked from, as the panel shows it. */
  from: string;
  /** That address as the per-machine cap counts it (an IPv6 /64 is one machine). */
  bucket: string;
  pairing: string;
  /** The hash of the secret the asking browser holds in its cookie. */
  secret: string;
}

/** A new request: its id for the waiting page's address, the browser's secret, the pairing code. */
export interface Asked {
  id: string;
  secret: string;
  pairing: string;
  /** That address had one waiting already (worth no new line in the log). */
  again: boolean;
}

export type RequestState =
  | {status: "gone"}
  | {status: "not_yours"}
  | {status: "waiting"; pairing: string}
  | {status: "approved"; code: string; asked: AuthorizationAsked}
  | {status: "denied"; asked: AuthorizationAsked};

/** How long a request waits for a parent. */
export const REQUEST_TTL_MS = 10 * 60_000;
export {CODE_TTL_MS} from "./oauthCodes.js";
/** Waiting at once, from every machine together: past it a new request is refused, none dropped. */
export const MAX_WAITING = 20;
/**
 * Waiting at once from one address: past it, that address's own oldest is dropped. A flood from
 * one machine then replaces its own requests, never the one a parent's browser is waiting on.
 */
export const MAX_WAITING_FROM_ONE = 3;
/** Four of these read aloud or copied by eye without a mix-up: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G. */
const PAIRING_LETTERS = "ACDEFHJKMNPRTUVWXY3479";

export const WAITING_FULL =
  "Too many sign-in requests are waiting: ask a parent to answer them on the Assistants page, or try again in 10 minutes";

const hash = (secret: string) => createHash("sha256").update(secret).digest("base64url");

export class OAuthRequests {
  readonly #now: () => number;
  readonly #changed: () => void;
  readonly #pending = new Map<string, Pending>();
  readonly #codes: OAuthCodes;

  /** `changed`: a request came or was answered (the Assistants page reads again). */
  constructor(changed: () => void = () => undefined, now: () => number = Date.now) {
    this.#now = now;
    this.#changed = changed;
    this.#codes = new OAuthCodes(now);
  }

  /**
   * A new request from the browser at `from`, waiting for a parent. Refused (429) when as many as
   * may be are waiting already: an older request is never pushed out for a newer one, so a flood
   * from many machines cannot end the request a parent is about to approve.
   */
  ask(asked: AuthorizationAsked, from = "", bucket = from): Asked {
    this.#prune();
    const waiting = [...this.#pending.values()].filter((p) => p.status === "waiting");
    const own = waiting.filter((p) => p.bucket === bucket);
    if (own.length >= MAX_WAITING_FROM_ONE) this.#pending.delete((own[0] as Pending).id);
    else if (waiting.length >= MAX_WAITING)
      throw new AppError("too_many_requests_waiting", WAITING_FULL, {status: 429});
    const id = randomBytes(24).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    const pairing = this.#newPairing();
    this.#pending.set(id, {
      ...asked,
      id,
      askedAt: this.#now(),
      status: "waiting",
      from,
      bucket,
      pairing,
      secret: hash(secret),
    });
    this.#changed();
    return {id, secret, pairing, again: own.length > 0};
  }

  /**
   * Where a request stands, for the page that waits on it, asked with the secret of the browser
   * that started it. The answer (code or no) goes once, to that browser alone, and only when
   * `take`: a HEAD, a link preview or anyone without the secret spends nothing.
   */
  state(id: string, secret: string, take = true): RequestState {
    this.#prune();
    const pending = this.#pending.get(id);
    if (!pending) return {status: "gone"};
    const given = Buffer.from(hash(secret));
    const kept = Buffer.from(pending.secret);
    if (!secret || given.length !== kept.length || !timingSafeEqual(given, kept)) return {status: "not_yours"};
    if (take && pending.status === "approved" && pending.code) {
      this.#pending.delete(id);
      return {status: "approved", code: pending.code, asked: pending};
    }
    if (take && pending.status === "denied") {
      // The no goes back to the client once (RFC 6749 §4.1.2.1): the request is done.
      this.#pending.delete(id);
      return {status: "denied", asked: pending};
    }
    return {status: "waiting", pairing: pending.pairing};
  }

  /** A parent's answer, with what the assistant may do; false when there is no such request waiting. */
  answer(id: string, approve: boolean, grants: AssistantGrants = EVERY_GRANT): boolean {
    this.#prune();
    const pending = this.#pending.get(id);
    if (pending?.status !== "waiting") return false;
    if (approve) {
      const {client, clientName, redirectUri, state, challenge, scope} = pending;
      pending.code = this.#codes.issue({
        client,
        clientName,
        redirectUri,
        ...(state !== undefined ? {state} : {}),
        challenge,
        scope,
        grants,
      });
    }
    pending.status = approve ? "approved" : "denied";
    this.#changed();
    return true;
  }

  /** Whether there is a request with this id (waiting or answered, not yet taken). */
  has(id: string): boolean {
    this.#prune();
    return this.#pending.has(id);
  }

  /** Whether a request is waiting for a parent's answer. */
  isWaiting(id: string): boolean {
    this.#prune();
    return this.#pending.get(id)?.status === "waiting";
  }

  /** Approved codes not yet traded: each becomes an assistant when its client signs in. */
  outstanding(): number {
    return this.#codes.outstanding();
  }

  /** A code traded at the token endpoint (oauthCodes.ts says how it is held and spent). */
  redeem(code: string, client: string, redirectUri: string, verifier: string): Redeemed {
    return this.#codes.redeem(code, client, redirectUri, verifier);
  }

  /** The requests a parent may answer, oldest first. */
  waiting(): AssistantRequestView[] {
    this.#prune();
    return [...this.#pending.values()]
      .filter((p) => p.status === "waiting")
      .map((p) => ({
        id: p.id,
        client: p.clientName,
        redirect_host: hostOf(p.redirectUri),
        from: p.from,
        pairing: p.pairing,
        asked_at: new Date(p.askedAt).toISOString(),
      }));
  }

  clear(): void {
    this.#pending.clear();
    this.#codes.clear();
  }

  /** A pairing code no other waiting request shows. */
  #newPairing(): string {
    const taken = new Set([...this.#pending.values()].map((p) => p.pairing));
    for (;;) {
      let code = "";
      for (let i = 0; i < 4; i++) code += PAIRING_LETTERS[randomInt(PAIRING_LETTERS.length)];
      if (!taken.has(code)) return code;
    }
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, p] of this.#pending) if (now - p.askedAt > REQUEST_TTL_MS) this.#pending.delete(id);
  }
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host || uri.slice(0, 60);
  } catch {
    return uri.slice(0, 60);
  }
}
