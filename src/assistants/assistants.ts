import {randomUUID} from "node:crypto";
import {AppError, badRequest, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {LinkWrites} from "../deviceLinks/linkWrites.js";
import type {AssistantView} from "../shared/api/assistants.js";
import type {StateStore} from "../store/store.js";
import {type AssistantGrants, EVERY_GRANT, grantWords} from "./assistantGrants.js";
import {
  ACCESS_PREFIX,
  ACCESS_TTL_S,
  accessToken,
  hashOf,
  MADE_PREFIX,
  MAX_CREDENTIAL,
  newKey,
  newSecret,
  REFRESH_PREFIX,
  readAccessToken,
  sign,
  signedBy,
} from "./assistantTokens.js";
import {cleanName} from "./clientNames.js";
import "./types.js";

/** An assistant as kept: never a credential, only its hash. */
interface AssistantRecord {
  id: string;
  name: string;
  kind: "token" | "oauth";
  /** The made token's hash, or the OAuth refresh token's. */
  hash: string;
  /** The OAuth client it was issued to: only that client may refresh it. */
  client?: string;
  createdAt: number;
  lastUsedAt?: number;
  /** What it may do; a record kept before grants existed has none, and may do everything, as it did. */
  grants?: AssistantGrants;
}

/** Past this a parent revokes one first: a script making thousands is refused. */
export const MAX_ASSISTANTS = 20;
const MAX_NAME = 60;
const USED_EVERY_MS = 60_000;
const KEY_RECORD = "signing-key";

export type AssistantCheck =
  | {ok: true; id: string; name: string; grants: AssistantGrants}
  | {ok: false; why: "unknown" | "ended" | "revoked"};

/** What the token endpoint hands an approved client (RFC 6749 §5.1). */
export interface IssuedTokens {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

export interface AssistantsDeps {
  store: StateStore;
  bus: EventBus;
  log: Logger;
  now?: () => number;
}

/**
 * The assistants allowed to use the MCP server (docs/assistants.md): a token a parent makes on the
 * panel for any MCP client, or a client a parent approved through OAuth (Home Assistant's MCP
 * integration). Each is listed, and revoked one by one; a revoke is saved before it is answered,
 * and the cap is checked and taken in one step. What an assistant may do is the MCP tools, nothing
 * of the admin API.
 */
export class Assistants implements Service {
  readonly name = "assistants";
  readonly #deps: AssistantsDeps;
  readonly #now: () => number;
  readonly #byId = new Map<string, AssistantRecord>();
  readonly #byHash = new Map<string, AssistantRecord>();
  #making = 0;
  #writes?: LinkWrites<AssistantRecord>;
  #key = "";

  constructor(deps: AssistantsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async start(): Promise<void> {
    const space = this.#deps.store.namespace<AssistantRecord>("assistants");
    this.#writes = new LinkWrites(space);
    for (const [, record] of await this.#deps.store.entries<AssistantRecord>("assistants")) this.#remember(record);
    // The key that signs access tokens: made once, kept, so a restart keeps Home Assistant's token good.
    const keys = this.#deps.store.namespace<string>("assistant_keys");
    const kept = await keys.get(KEY_RECORD);
    if (typeof kept === "string" && kept.length >= 32) this.#key = kept;
    else {
      this.#key = newKey();
      await keys.set(KEY_RECORD, this.#key);
    }
  }

  async stop(): Promise<void> {
    await this.#writes?.settled();
    this.#byId.clear();
    this.#byHash.clear();
  }

  health() {
    return {details: {assistants: this.#byId.size}};
  }

  /** A new assistant with a token of its own, in the answer once and never again. */
  async make(name: unknown, grants: AssistantGrants = EVERY_GRANT): Promise<{assistant: AssistantView; token: string}> {
    const label = nameOf(name);
    if (!label)
      throw badRequest(
        `Name the assistant (for example "Kitchen speaker"), up to ${MAX_NAME} characters: the list of assistants shows it`,
        "bad_assistant_name",
      );
    const token = newSecret(MADE_PREFIX);
    const record = await this.#add({
      id: randomUUID(),
      name: label,
      kind: "token",
      hash: hashOf(token),
      createdAt: this.#now(),
      grants: kept(grants),
    });
    this.#deps.log.info(`An assistant '${label}' was given a token for the MCP server (${grantWords(grants)})`);
    return {assistant: view(record), token};
  }

  /** An OAuth client a parent approved: its refresh token (kept as a hash) and a first access token. */
  async approveClient(
    client: string,
    clientName: string,
    scope: string,
    grants: AssistantGrants = EVERY_GRANT,
  ): Promise<IssuedTokens> {
    const refresh = newSecret(REFRESH_PREFIX);
    const record = await this.#add({
      id: randomUUID(),
      name: nameOf(clientName) || "MCP client",
      kind: "oauth",
      hash: hashOf(refresh),
      client,
      createdAt: this.#now(),
      grants: kept(grants),
    });
    this.#deps.log.info(
      `The assistant '${record.name}' signed in to the MCP server with a parent's approval (${grantWords(grants)})`,
    );
    return {...this.#access(record, scope), refresh_token: refresh};
  }

  /** A new access token for a refresh token, to the client it was issued to; undefined if it opens nothing. */
  refresh(refreshToken: string, client: string, scope: string): IssuedTokens | undefined {
    if (!refreshToken.startsWith(REFRESH_PREFIX) || refreshToken.length > MAX_CREDENTIAL) return undefined;
    const record = this.#byHash.get(hashOf(refreshToken));
    if (record?.kind !== "oauth" || record.client !== client) return undefined;
    return this.#access(record, scope);
  }

  /** The assistant an OAuth refresh token is (its id), if it is one. */
  assistantFor(refreshToken: string): string | undefined {
    if (!refreshToken.startsWith(REFRESH_PREFIX) || refreshToken.length > MAX_CREDENTIAL) return undefined;
    const record = this.#byHash.get(hashOf(refreshToken));
    return record?.kind === "oauth" ? record.id : undefined;
  }

  /** Whether there is no room for one more assistant, counting `more` approved and not yet signed in. */
  full(more = 0): boolean {
    return this.#byId.size + this.#making + more >= MAX_ASSISTANTS;
  }

  /** Whether a bearer credential is an assistant's, and whose; a use is noted (written at most once a minute). */
  check(token: string): AssistantCheck {
    if (token.length < 20 || token.length > MAX_CREDENTIAL) return {ok: false, why: "unknown"};
    let record: AssistantRecord | undefined;
    if (token.startsWith(ACCESS_PREFIX)) {
      const read = readAccessToken(this.#key, token, Math.floor(this.#now() / 1000));
      if ("why" in read) return {ok: false, why: read.why};
      record = this.#byId.get(read.assistant);
      if (!record) return {ok: false, why: "revoked"};
    } else if (token.startsWith(MADE_PREFIX)) {
      record = this.#byHash.get(hashOf(token));
      if (record?.kind !== "token") return {ok: false, why: "unknown"};
    } else return {ok: false, why: "unknown"};
    this.#used(record);
    return {ok: true, id: record.id, name: record.name, grants: record.grants ?? EVERY_GRANT};
  }

  /** A signature with this add-on's own key (an OAuth client's id): another household's add-on makes another. */
  sign(payload: string): string {
    return sign(this.#key, payload);
  }

  signed(payload: string, signature: string): boolean {
    return this.#key !== "" && signedBy(this.#key, payload, signature);
  }

  /** Whether an assistant is allowed still (not revoked). */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Every assistant, newest first; never a credential. */
  list(): AssistantView[] {
    return [...this.#byId.values()].sort((a, b) => b.createdAt - a.createdAt).map(view);
  }

  /** Revoked once the store has it; until then it works and is listed, and a store that cannot take it is said. */
  async revoke(id: string): Promise<AssistantView> {
    const record = this.#byId.get(id);
    if (!record)
      throw notFound(`There is no assistant '${id.slice(0, 60)}' (it may be revoked already)`, "unknown_assistant");
    // Asked twice at once, one removal: the second answer is the first's "it is revoked already".
    const removed = await this.#store().revoke(
      id,
      (why) => `The assistant '${record.name}' was not revoked and can still use the Yotos: ${why}`,
      "assistant_not_revoked",
    );
    if (!removed) return this.revoke(id);
    this.#byId.delete(record.id);
    this.#byHash.delete(record.hash);
    this.#deps.bus.emit("assistant.revoked", {id: record.id});
    this.#deps.bus.emit("assistants.changed", {id: record.id});
    this.#deps.log.info(`The assistant '${record.name}' was revoked: it can no longer use the Yotos`);
    return view(record);
  }

  #access(record: AssistantRecord, scope: string): IssuedTokens {
    const ends = Math.floor(this.#now() / 1000) + ACCESS_TTL_S;
    return {
      access_token: accessToken(this.#key, record.id, ends),
      token_type: "Bearer",
      expires_in: ACCESS_TTL_S,
      scope,
    };
  }

  /** Saved, then known: the cap checked and taken with no wait between, so twenty at once stop at it too. */
  async #add(record: AssistantRecord): Promise<AssistantRecord> {
    if (this.#byId.size + this.#making >= MAX_ASSISTANTS)
      throw new AppError(
        "too_many_assistants",
        `There are ${this.#byId.size} assistants, the most there may be: revoke one on the Assistants page first`,
        {status: 409},
      );
    this.#making++;
    try {
      await this.#store().update(record.id, record);
    } finally {
      this.#making--;
    }
    this.#remember(record);
    this.#deps.bus.emit("assistants.changed", {id: record.id});
    return record;
  }

  #used(record: AssistantRecord): void {
    const now = this.#now();
    if (record.lastUsedAt !== undefined && now - record.lastUsedAt < USED_EVERY_MS) return;
    record.lastUsedAt = now;
    this.#store()
      .update(record.id, record)
      .catch((err) => this.#deps.log.warning(`An assistant's last use was not saved (${String(err)})`));
  }

  #remember(record: AssistantRecord): void {
    this.#byId.set(record.id, record);
    this.#byHash.set(record.hash, record);
  }

  #store(): LinkWrites<AssistantRecord> {
    if (!this.#writes) throw new AppError("not_started", "Assistants are not started yet", {status: 503});
    return this.#writes;
  }
}

function nameOf(raw: unknown): string {
  return typeof raw === "string" ? cleanName(raw, MAX_NAME) : "";
}

/** The grants as kept: a copy, so the caller's object changing later changes nothing here. */
function kept(grants: AssistantGrants): AssistantGrants {
  return {readOnly: grants.readOnly, children: [...grants.children]};
}

function view(record: AssistantRecord): AssistantView {
  const grants = record.grants ?? EVERY_GRANT;
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    created_at: new Date(record.createdAt).toISOString(),
    last_used_at: record.lastUsedAt === undefined ? null : new Date(record.lastUsedAt).toISOString(),
    read_only: grants.readOnly,
    children: [...grants.children],
  };
}
