import type {FetchPolicy} from "../core/fetchPolicy.js";
import {HttpRequestError, httpRequest} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";
import {cleanName, knownClient} from "./clientNames.js";
import {type OAuthClient, redirectProblem} from "./oauthClients.js";

/**
 * OAuth clients named by a Client ID Metadata Document (MCP 2025-11-25 authorization; the IETF
 * draft "OAuth Client ID Metadata Document"): the client_id is an https address, and the JSON there
 * names the client and the addresses its answers may go to. MCP clients that ship one need no
 * registration. The document is fetched as anything a stranger names is: through the fetch policy
 * (nothing inside the home network unless `fetch_allow` lists it), no redirect followed, 5 KB and 5
 * seconds at most, kept a few minutes so a client's authorize and token requests read it once.
 */

export interface ClientDocumentsDeps {
  fetchPolicy: Pick<FetchPolicy, "checkLiteral" | "lookupFor">;
  /** Why a document could not be read, at debug level (a parent's log, never the answer). */
  log?: Pick<Logger, "debug">;
  now?: () => number;
  /** Certificates to trust instead of the system's (a test's own CA). */
  ca?: string | Buffer;
}

/** Why a document names no client, in words for the page or the error answer. */
export class ClientDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientDocumentError";
  }
}

const MAX_ID = 500;
const MAX_BYTES = 5 * 1024;
const TIMEOUT_MS = 5000;
/** Kept this long (a document's max-age may shorten it, never lengthen it). */
const KEEP_MS = 5 * 60_000;
const MAX_KEPT = 50;
/** A document that could not be read is not asked again for this long. */
const FAILED_KEEP_MS = 30_000;
/** Documents read at once, for everyone. */
const MAX_READING = 4;
const MAX_REDIRECTS = 5;

/**
 * Whether a client_id is a document's address: https, a path beyond "/", no fragment, no
 * credentials, no dot segments (the draft's rules), and short.
 */
export function isDocumentId(clientId: unknown): clientId is string {
  if (typeof clientId !== "string" || clientId.length > MAX_ID || !clientId.startsWith("https://")) return false;
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return false;
  }
  return (
    url.pathname.length > 1 &&
    !url.hash &&
    !url.username &&
    !url.password &&
    !/\/\.{1,2}(\/|$)/.test(clientId.slice(url.origin.length))
  );
}

export class ClientDocuments {
  readonly #deps: ClientDocumentsDeps;
  readonly #now: () => number;
  readonly #kept = new Map<string, {at: number; keepMs: number; client: Promise<OAuthClient>}>();
  #reading = 0;

  constructor(deps: ClientDocumentsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * The client a document names; a ClientDocumentError says why not. One fetch for calls at once; a
   * failure is kept a little too, and only so many are read at once: anyone may name any address,
   * and this add-on must not become their way to flood it.
   */
  client(clientId: string): Promise<OAuthClient> {
    const now = this.#now();
    const kept = this.#kept.get(clientId);
    if (kept && now - kept.at < kept.keepMs) return kept.client;
    if (this.#reading >= MAX_READING)
      return Promise.reject(
        new ClientDocumentError("too many client documents are being read at once: try again in a moment"),
      );
    const entry = {at: now, keepMs: KEEP_MS, client: Promise.resolve<OAuthClient>({name: "", redirectUris: []})};
    this.#reading++;
    entry.client = this.#read(clientId, (ms) => {
      entry.keepMs = ms;
    }).finally(() => this.#reading--);
    entry.client.catch(() => {
      entry.keepMs = FAILED_KEEP_MS;
    });
    this.#kept.delete(clientId);
    this.#kept.set(clientId, entry);
    if (this.#kept.size > MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value as string);
    return entry.client;
  }

  async #read(clientId: string, keepFor: (ms: number) => void): Promise<OAuthClient> {
    const url = new URL(clientId);
    let text: string;
    try {
      this.#deps.fetchPolicy.checkLiteral(url);
      const res = await httpRequest(url, {
        headers: {Accept: "application/json"},
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_BYTES,
        lookup: this.#deps.fetchPolicy.lookupFor(url),
        ...(this.#deps.ca ? {ca: this.#deps.ca} : {}),
      });
      if (res.status >= 300 && res.status < 400)
        throw new ClientDocumentError(`it answered ${res.status}, a redirect, which is not followed`);
      if (!res.ok) throw new ClientDocumentError(`it answered ${res.status}`);
      const maxAge = /max-age=(\d{1,9})/.exec(String(res.headers["cache-control"] ?? ""));
      if (maxAge) keepFor(Math.min(KEEP_MS, Number(maxAge[1]) * 1000));
      text = res.text();
    } catch (err) {
      if (err instanceof ClientDocumentError) throw err;
      // How the network looks from here (which addresses are refused, which ports answer) is no
      // stranger's to learn: the parent's log has it.
      this.#deps.log?.debug(
        `The client metadata document ${clientId.slice(0, 200)} could not be read: ${err instanceof HttpRequestError ? err.reason : (err as Error).message}`,
      );
      throw new ClientDocumentError(
        "it could not be read from here (a document inside the home network is read only when fetch_allow lists its host)",
      );
    }
    return documentClient(clientId, text);
  }
}

/** The client a document's text names, checked as the draft asks; a ClientDocumentError says what is wrong. */
export function documentClient(clientId: string, text: string): OAuthClient {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ClientDocumentError("it is not JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new ClientDocumentError("it is not a JSON object");
  const fields = doc as Record<string, unknown>;
  const own = (key: string) => (Object.hasOwn(fields, key) ? fields[key] : undefined);
  if (own("client_id") !== clientId) throw new ClientDocumentError("its client_id is not the address it was read from");
  if (own("client_secret") !== undefined || own("client_secret_expires_at") !== undefined)
    throw new ClientDocumentError("it holds a client_secret, which a document may not");
  const method = own("token_endpoint_auth_method");
  if (method !== undefined && method !== "none")
    throw new ClientDocumentError(
      `its token_endpoint_auth_method is '${String(method).slice(0, 40)}': this add-on takes public clients ("none") only`,
    );
  const uris = own("redirect_uris");
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_REDIRECTS)
    throw new ClientDocumentError(`its redirect_uris must list 1 to ${MAX_REDIRECTS} addresses`);
  for (const uri of uris)
    if (redirectProblem(uri))
      throw new ClientDocumentError("its redirect_uris may only be http or https addresses without a #fragment");
  const rawName = own("client_name");
  const name = typeof rawName === "string" ? cleanName(rawName) : "";
  // A name the family trusts on sight ("Home Assistant") only with that client's own redirects, as at registration.
  const known = knownClient(name);
  if (known && !(uris as string[]).every((uri) => known.takes(new URL(uri))))
    throw new ClientDocumentError(
      `'${known.name}' is taken only by ${known.name} itself, whose answers go to ${known.redirects}`,
    );
  return {name: name || new URL(clientId).host, redirectUris: uris as string[]};
}
