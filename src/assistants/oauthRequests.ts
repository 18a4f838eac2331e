import {createHash, randomBytes, timingSafeEqual} from "node:crypto";
import type {AssistantRequestView} from "../shared/api/assistants.js";

/**
 * OAuth authorization requests waiting for a parent (RFC 6749 §4.1 with PKCE, RFC 7636), and the
 * codes of those approved. A client's browser opens the authorize page; a parent approves or denies
 * it on the panel's Assistants page; the page then sends the browser back with a code, which the
 * client trades once, with its PKCE verifier, for tokens. Both live minutes, in memory: a restart
 * asks the browser to start again, and loses nothing granted.
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
  /** The address the browser asked from. */
  from: string;
}

interface Granted extends AuthorizationAsked {
  at: number;
}

/** How long a request waits for a parent, and a code for its client. */
export const REQUEST_TTL_MS = 10 * 60_000;
export const CODE_TTL_MS = 5 * 60_000;
/** Waiting at once: past it, the oldest is dropped (its page says to start again). */
export const MAX_WAITING = 20;
/**
 * Waiting at once from one address: past it, that address's own oldest is dropped. A flood from
 * one machine then replaces its own requests, never the one a parent's browser is waiting on.
 */
export const MAX_WAITING_FROM_ONE = 3;

const codeHash = (code: string) => createHash("sha256").update(code).digest("base64url");

export class OAuthRequests {
  readonly #now: () => number;
  readonly #changed: () => void;
  readonly #pending = new Map<string, Pending>();
  readonly #codes = new Map<string, Granted>();

  /** `changed`: a request came or was answered (the Assistants page reads again). */
  constructor(changed: () => void = () => undefined, now: () => number = Date.now) {
    this.#now = now;
    this.#changed = changed;
  }

  /**
   * A new request from the browser at `from`, waiting for a parent; its id is what the browser's
   * page holds. `again`: that address had one waiting already (worth no new line in the log).
   */
  ask(asked: AuthorizationAsked, from = ""): {id: string; again: boolean} {
    this.#prune();
    const waiting = [...this.#pending.values()].filter((p) => p.status === "waiting");
    const own = waiting.filter((p) => p.from === from);
    if (own.length >= MAX_WAITING_FROM_ONE) this.#pending.delete((own[0] as Pending).id);
    else if (waiting.length >= MAX_WAITING) this.#pending.delete((waiting[0] as Pending).id);
    const id = randomBytes(24).toString("base64url");
    this.#pending.set(id, {...asked, id, askedAt: this.#now(), status: "waiting", from});
    this.#changed();
    return {id, again: own.length > 0};
  }

  /** Where a request stands, for the page that waits on it. */
  state(
    id: string,
  ):
    | {status: "waiting" | "gone"}
    | {status: "approved"; code: string; asked: AuthorizationAsked}
    | {status: "denied"; asked: AuthorizationAsked} {
    this.#prune();
    const pending = this.#pending.get(id);
    if (!pending) return {status: "gone"};
    if (pending.status === "approved" && pending.code) {
      // The code goes to the browser once: the request is done.
      this.#pending.delete(id);
      return {status: "approved", code: pending.code, asked: pending};
    }
    if (pending.status === "denied") {
      // The no goes back to the client once (RFC 6749 §4.1.2.1): the request is done.
      this.#pending.delete(id);
      return {status: "denied", asked: pending};
    }
    return {status: "waiting"};
  }

  /** A parent's answer; false when there is no such request waiting. */
  answer(id: string, approve: boolean): boolean {
    this.#prune();
    const pending = this.#pending.get(id);
    if (pending?.status !== "waiting") return false;
    if (!approve) {
      pending.status = "denied";
      this.#changed();
      return true;
    }
    const code = randomBytes(32).toString("base64url");
    pending.status = "approved";
    pending.code = code;
    const {id: _id, askedAt: _at, status: _s, code: _c, from: _f, ...asked} = pending;
    this.#codes.set(codeHash(code), {...asked, at: this.#now()});
    this.#changed();
    return true;
  }

  /**
   * The grant a code is, taken once: for the client it was issued to, at the same redirect, with the
   * verifier whose S256 hash the request carried. Anything else is undefined, and the code is spent.
   */
  redeem(code: string, client: string, redirectUri: string, verifier: string): AuthorizationAsked | undefined {
    this.#prune();
    const key = codeHash(code);
    const granted = this.#codes.get(key);
    if (!granted) return undefined;
    this.#codes.delete(key);
    if (granted.client !== client || granted.redirectUri !== redirectUri) return undefined;
    const expected = Buffer.from(granted.challenge);
    const given = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
    return expected.length === given.length && timingSafeEqual(expected, given) ? granted : undefined;
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
        asked_at: new Date(p.askedAt).toISOString(),
      }));
  }

  clear(): void {
    this.#pending.clear();
    this.#codes.clear();
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, p] of this.#pending) if (now - p.askedAt > REQUEST_TTL_MS) this.#pending.delete(id);
    for (const [key, c] of this.#codes) if (now - c.at > CODE_TTL_MS) this.#codes.delete(key);
  }
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host || uri.slice(0, 60);
  } catch {
    return uri.slice(0, 60);
  }
}
