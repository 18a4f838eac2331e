import {createHash, randomBytes, randomUUID} from "node:crypto";
import {AppError, badRequest, errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {DeviceLinkView} from "../shared/api/devices.js";
import type {StateStore} from "../store/store.js";
import {LinkWrites} from "./linkWrites.js";
import {ParentPin} from "./parentPin.js";
import "./types.js";

/** A device link as kept: never the credential itself, only its hash. */
interface DeviceLinkRecord {
  id: string;
  /** The child's name when the link was made, for the words. */
  child: string;
  /** The child's id (family plan): the link opens that child's page and no other of the same name. */
  childId?: string;
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
  | {ok: false; why: "unknown" | "no_child" | "no_plan"; child?: string};

export interface DeviceLinksDeps {
  store: StateStore;
  /** The child named so in the family plan, with its id, if the plan has that child. */
  child(name: string): {name: string; id: string} | undefined;
  /** The name of the child with this id, if that child is still in the plan. */
  childWithId(id: string): string | undefined;
  /**
   * Whether the family plan has loaded its children. A plan that failed to start knows no child:
   * its links are refused then, and none is removed for it.
   */
  childrenLoaded(): boolean;
  bus: EventBus;
  now?: () => number;
  log: Logger;
}

const hashOf = (token: string) => createHash("sha256").update(token).digest("base64url");

/**
 * The children's device links (docs/child.md): a parent makes one for a child's tablet on the
 * Family page, named, listed with when it was last used, revoked one by one. Each carries a
 * credential that opens only that child's page (the HTTP listener's device access decides what
 * that allows); only its hash is kept, so the store holds nothing a tablet could be given again.
 * A link belongs to its child's id, not its name; a revoke is saved before it is answered; a cap is
 * checked and taken in one step.
 */
export class DeviceLinks implements Service {
  readonly name = "device-links";
  readonly #deps: DeviceLinksDeps;
  readonly #now: () => number;
  /** The parent PIN a locked tablet asks for. */
  readonly pin: ParentPin;
  readonly #byHash = new Map<string, DeviceLinkRecord>();
  readonly #byId = new Map<string, DeviceLinkRecord>();
  /** Links being saved, by child id: counted against the caps from the moment they are asked for. */
  readonly #making = new Map<string, number>();
  #writes?: LinkWrites<DeviceLinkRecord>;
  /** Links of a child who left, being removed. */
  readonly #leaving = new Set<string>();
  /** Credentials (hashes) of links whose child left since the start, and that child's name: said so. */
  readonly #childLeft = new Map<string, string>();

  constructor(deps: DeviceLinksDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.pin = new ParentPin(deps.store, this.#now);
  }

  async start(): Promise<void> {
    const space = this.#deps.store.namespace<DeviceLinkRecord>("device_links");
    this.#writes = new LinkWrites(space);
    const loaded = this.#deps.childrenLoaded();
    if (!loaded)
      this.#deps.log.warning(
        "The family plan did not load its children: every device link is refused until it does (none is removed)",
      );
    for (const [, saved] of await this.#deps.store.entries<DeviceLinkRecord>("device_links")) {
      if (!loaded) {
        this.#remember(saved);
        continue;
      }
      // Saved before links knew their child's id: the child of that name now is the one it was for.
      const record = saved.childId ? saved : {...saved, childId: this.#deps.child(saved.child)?.id};
      if (!record.childId || !this.#deps.childWithId(record.childId)) {
        // Its child left the plan (while the service was running or before): gone for good.
        await space.delete(record.id);
        continue;
      }
      if (record !== saved) await space.set(record.id, record);
      this.#remember(record);
    }
    this.#deps.bus.on(this, "family.changed", () => this.#childrenGone());
    await this.pin.start();
  }

  async stop(): Promise<void> {
    this.#deps.bus.off(this);
    await this.#writes?.settled();
    this.#childLeft.clear();
    this.#byHash.clear();
    this.#byId.clear();
  }

  health() {
    return {details: {links: this.#byId.size}};
  }

  /** A new link for a child's tablet: the credential is in the answer once, and never again. */
  async create(child: string, name: unknown): Promise<{link: DeviceLinkView; token: string}> {
    const known = this.#deps.child(child);
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
    // Checked and taken with no wait between: sixty made at once stop at the cap as one by one do.
    const own = this.#linksOf(known.id) + (this.#making.get(known.id) ?? 0);
    const all = this.#byId.size + [...this.#making.values()].reduce((a, b) => a + b, 0);
    if (own >= MAX_LINKS_PER_CHILD || all >= MAX_LINKS)
      throw new AppError(
        "too_many_device_links",
        own >= MAX_LINKS_PER_CHILD
          ? `${known.name} has ${own} device links, the most there may be: revoke one on the Family page first`
          : `The family has ${all} device links, the most there may be: revoke some on the Family page first`,
        {status: 409},
      );
    this.#making.set(known.id, (this.#making.get(known.id) ?? 0) + 1);
    const token = randomBytes(32).toString("base64url");
    const record: DeviceLinkRecord = {
      id: randomUUID(),
      child: known.name,
      childId: known.id,
      name: label,
      hash: hashOf(token),
      createdAt: this.#now(),
    };
    try {
      await this.#linkWrites().update(record.id, record);
      // Its child removed while it was saved: no credential for a child who is gone.
      if (!this.#deps.childWithId(known.id)) {
        await this.#linkWrites().remove(record.id);
        throw notFound(`There is no child '${known.name}' in the family plan (removed just now)`, "unknown_child");
      }
      this.#remember(record);
    } finally {
      const left = (this.#making.get(known.id) ?? 1) - 1;
      if (left > 0) this.#making.set(known.id, left);
      else this.#making.delete(known.id);
    }
    this.#deps.log.info(`A device link '${label}' was made for ${known.name}'s page`);
    return {link: view(record), token};
  }

  /** The links of the children in the plan, a child's or all, newest first; never their credentials. */
  list(child?: string): DeviceLinkView[] {
    const only = child === undefined ? undefined : this.#deps.child(child)?.id;
    if (child !== undefined && !only) return [];
    return [...this.#byId.values()]
      .filter((l) => (only === undefined ? this.#childOf(l) !== undefined : l.childId === only))
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(view);
  }

  /**
   * Revoked once the store has it: until then the link works and is listed, and if the store cannot
   * take it the answer says why (it is never gone from memory and alive on disk). Its open live
   * events close at once.
   */
  async revoke(id: string): Promise<DeviceLinkView> {
    const record = this.#byId.get(id);
    if (!record)
      throw notFound(`There is no device link '${id.slice(0, 60)}' (it may be revoked already)`, "unknown_device_link");
    // Asked twice at once, one removal: the second answer is the first's "it is revoked already".
    // Asked twice at once, one removal: the second answer is the first's "it is revoked already".
    const removed = await this.#linkWrites().revoke(
      id,
      (why) => `The device link '${record.name}' was not revoked and still opens ${record.child}'s page: ${why}`,
      "device_link_not_revoked",
    );
    if (!removed) return this.revoke(id);
    this.#forget(record);
    this.#deps.bus.emit("device.revoked", {id: record.id, child: record.child});
    this.#deps.log.info(`The device link '${record.name}' for ${record.child}'s page was revoked`);
    return view(record);
  }

  /** What a credential opens, if anything; a use is noted as "last used" (written at most once a minute). */
  check(token: string): DeviceCheck {
    if (token.length < 20 || token.length > 100) return {ok: false, why: "unknown"};
    const hash = hashOf(token);
    const record = this.#byHash.get(hash);
    const left = this.#childLeft.get(hash);
    if (left !== undefined) return {ok: false, why: "no_child", child: left};
    if (!record) return {ok: false, why: "unknown"};
    if (!this.#deps.childrenLoaded()) return {ok: false, why: "no_plan"};
    const child = this.#childOf(record);
    if (!child) return {ok: false, why: "no_child", child: record.child};
    const now = this.#now();
    if (record.lastUsedAt === undefined || now - record.lastUsedAt >= USED_EVERY_MS) {
      record.lastUsedAt = now;
      this.#linkWrites()
        .update(record.id, record)
        .catch((err) => this.#deps.log.warning(`A device link's last use was not saved (${String(err)})`));
    }
    return {ok: true, child, id: record.id};
  }

  #childOf(record: DeviceLinkRecord): string | undefined {
    return record.childId === undefined ? undefined : this.#deps.childWithId(record.childId);
  }

  #linksOf(childId: string): number {
    let n = 0;
    for (const l of this.#byId.values()) if (l.childId === childId) n++;
    return n;
  }

  /**
   * A child left the plan: its links are refused already (their child's id is gone, and ids are
   * never reused), so what they hold open closes now; they are removed from the store, or on the
   * next start if the store cannot take it now.
   */
  async #childrenGone(): Promise<void> {
    for (const record of [...this.#byId.values()]) {
      if (this.#childOf(record) !== undefined || this.#leaving.has(record.id)) continue;
      this.#leaving.add(record.id);
      if (this.#childLeft.size >= MAX_LINKS) this.#childLeft.delete(this.#childLeft.keys().next().value as string);
      this.#childLeft.set(record.hash, record.child);
      this.#deps.bus.emit("device.revoked", {id: record.id, child: record.child});
      try {
        await this.#linkWrites().remove(record.id);
        this.#forget(record);
      } catch (err) {
        this.#deps.log.warning(
          `The device links of ${record.child}, who left the family plan, open nothing; removing them from the store failed (${errorMessage(err)}) and is done on the next start`,
        );
      } finally {
        this.#leaving.delete(record.id);
      }
    }
  }

  #remember(record: DeviceLinkRecord): void {
    this.#byId.set(record.id, record);
    this.#byHash.set(record.hash, record);
  }

  #forget(record: DeviceLinkRecord): void {
    if (!this.#byId.has(record.id)) return;
    this.#byId.delete(record.id);
    this.#byHash.delete(record.hash);
  }

  #linkWrites(): LinkWrites<DeviceLinkRecord> {
    if (!this.#writes) throw new AppError("not_started", "Device links are not started yet", {status: 503});
    return this.#writes;
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
