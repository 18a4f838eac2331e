import {createHash, randomBytes, randomUUID} from "node:crypto";
import {AppError, badRequest, notFound} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {DeviceLinkView} from "../shared/api/devices.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {ParentPin} from "./parentPin.js";

/** A device link as kept: never the credential itself, only its hash. */
interface DeviceLinkRecord {
  id: string;
  child: string;
  name: string;
  hash: string;
  createdAt: number;
  lastUsedAt?: number;
}

/** Per child, and in all: past them a parent revokes one first (a script making thousands is refused). */
export const MAX_LINKS_PER_CHILD = 20;
export const MAX_LINKS = 200;
const MAX_NAME = 40;
/** "Last used" is written at most this often per link: a tablet's every tap is no write. */
const USED_EVERY_MS = 60_000;

/** What a credential is: the child whose page it opens, and which link it is. */
export type DeviceCheck =
  | {ok: true; child: string; id: string}
  | {ok: false; why: "unknown" | "no_child"; child?: string};

export interface DeviceLinksDeps {
  store: StateStore;
  /** The child's name as the family plan spells it, if the plan has that child. */
  childNamed(name: string): string | undefined;
  now?: () => number;
  log: Logger;
}

const hashOf = (token: string) => createHash("sha256").update(token).digest("base64url");

/**
 * The children's device links (docs/child.md): a parent makes one for a child's tablet on the
 * Family page, named, listed with when it was last used, revoked one by one. Each carries a
 * credential that opens only that child's page (the HTTP listener's device access decides what
 * that allows); only its hash is kept, so the store holds nothing a tablet could be given again.
 */
export class DeviceLinks implements Service {
  readonly name = "device-links";
  readonly #deps: DeviceLinksDeps;
  readonly #now: () => number;
  #space?: StoreNamespace<DeviceLinkRecord>;
  /** The parent PIN a locked tablet asks for. */
  readonly pin: ParentPin;
  readonly #byHash = new Map<string, DeviceLinkRecord>();
  readonly #byId = new Map<string, DeviceLinkRecord>();

  constructor(deps: DeviceLinksDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.pin = new ParentPin(deps.store, this.#now);
  }

  async start(): Promise<void> {
    this.#space = this.#deps.store.namespace<DeviceLinkRecord>("device_links");
    for (const [, record] of await this.#deps.store.entries<DeviceLinkRecord>("device_links")) this.#remember(record);
    await this.pin.start();
  }

  async stop(): Promise<void> {
    this.#byHash.clear();
    this.#byId.clear();
  }

  health() {
    return {details: {links: this.#byId.size}};
  }

  /** A new link for a child's tablet: the credential is in the answer once, and never again. */
  async create(child: string, name: unknown): Promise<{link: DeviceLinkView; token: string}> {
    const known = this.#deps.childNamed(child);
    if (!known) throw notFound(`There is no child '${child.slice(0, 40)}' in the family plan`, "unknown_child");
    const label =
      typeof name === "string"
        ? name
            .replace(/\p{Cc}+/gu, " ")
            .trim()
            .slice(0, MAX_NAME)
        : "";
    if (!label)
      throw badRequest(
        `Name the tablet (for example "Kitchen tablet"), up to ${MAX_NAME} characters: the list of links shows it`,
        "bad_device_name",
      );
    const own = [...this.#byId.values()].filter((l) => l.child === known);
    if (own.length >= MAX_LINKS_PER_CHILD || this.#byId.size >= MAX_LINKS)
      throw new AppError(
        "too_many_device_links",
        own.length >= MAX_LINKS_PER_CHILD
          ? `${known} has ${own.length} device links, the most there may be: revoke one on the Family page first`
          : `The family has ${this.#byId.size} device links, the most there may be: revoke some on the Family page first`,
        {status: 409},
      );
    const token = randomBytes(32).toString("base64url");
    const record: DeviceLinkRecord = {
      id: randomUUID(),
      child: known,
      name: label,
      hash: hashOf(token),
      createdAt: this.#now(),
    };
    await this.#store().set(record.id, record);
    this.#remember(record);
    this.#deps.log.info(`A device link '${label}' was made for ${known}'s page`);
    return {link: view(record), token};
  }

  /** The links, a child's or all, newest first; never their credentials. */
  list(child?: string): DeviceLinkView[] {
    return [...this.#byId.values()]
      .filter((l) => child === undefined || l.child.toLowerCase() === child.toLowerCase())
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(view);
  }

  /** Revoked at once: the next request with its credential is refused. */
  async revoke(id: string): Promise<DeviceLinkView> {
    const record = this.#byId.get(id);
    if (!record)
      throw notFound(`There is no device link '${id.slice(0, 60)}' (it may be revoked already)`, "unknown_device_link");
    this.#byId.delete(id);
    this.#byHash.delete(record.hash);
    await this.#store().delete(id);
    this.#deps.log.info(`The device link '${record.name}' for ${record.child}'s page was revoked`);
    return view(record);
  }

  /** What a credential opens, if anything; a use is noted as "last used" (written at most once a minute). */
  check(token: string): DeviceCheck {
    if (token.length < 20 || token.length > 100) return {ok: false, why: "unknown"};
    const record = this.#byHash.get(hashOf(token));
    if (!record) return {ok: false, why: "unknown"};
    const child = this.#deps.childNamed(record.child);
    if (!child) return {ok: false, why: "no_child", child: record.child};
    const now = this.#now();
    if (record.lastUsedAt === undefined || now - record.lastUsedAt >= USED_EVERY_MS) {
      record.lastUsedAt = now;
      this.#store()
        .set(record.id, record)
        .catch((err) => this.#deps.log.warning(`A device link's last use was not saved (${String(err)})`));
    }
    return {ok: true, child, id: record.id};
  }

  #remember(record: DeviceLinkRecord): void {
    this.#byId.set(record.id, record);
    this.#byHash.set(record.hash, record);
  }

  #store(): StoreNamespace<DeviceLinkRecord> {
    if (!this.#space) throw new AppError("not_started", "Device links are not started yet", {status: 503});
    return this.#space;
  }
}

function view(record: DeviceLinkRecord): DeviceLinkView {
  return {
    id: record.id,
    child: record.child,
    name: record.name,
    created_at: new Date(record.createdAt).toISOString(),
    last_used_at: record.lastUsedAt === undefined ? null : new Date(record.lastUsedAt).toISOString(),
  };
}
