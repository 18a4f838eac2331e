import {randomBytes, scrypt as scryptCallback, timingSafeEqual} from "node:crypto";
import {promisify} from "node:util";
import {AppError, badRequest} from "../core/errors.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {type PinTrier, PinTries} from "./pinTries.js";

const scrypt = promisify(scryptCallback) as (pin: string, salt: Buffer, length: number) => Promise<Buffer>;

interface PinRecord {
  salt: string;
  hash: string;
}

/**
 * The parent PIN (docs/child.md): set on the Family page, asked by a locked child's page before it
 * lets go of its child. Kept as a salted scrypt hash; tries are limited per tablet, per address and
 * in all, and counted before they are checked (pinTries.ts), so a child (or a script) cannot walk
 * the four digits, not with a burst of guesses and not across a restart.
 */
export class ParentPin {
  #space?: StoreNamespace<PinRecord>;
  #record?: PinRecord;
  readonly #tries: PinTries;

  constructor(
    private readonly store: StateStore,
    now: () => number = Date.now,
  ) {
    this.#tries = new PinTries(store, now);
  }

  async start(): Promise<void> {
    this.#space = this.store.namespace<PinRecord>("parent_pin");
    this.#record = await this.#space.get("pin");
    await this.#tries.start();
  }

  get isSet(): boolean {
    return this.#record !== undefined;
  }

  /** A PIN of 4 to 8 digits; anything else, a missing or null one too, is a 400 and never a removal. */
  async set(pin: unknown): Promise<void> {
    const space = this.#store();
    if (typeof pin !== "string" || !/^\d{4,8}$/.test(pin))
      throw badRequest(
        `The parent PIN is 4 to 8 digits, as a string ({"pin": "2580"}); ${pin === undefined ? "the body had no 'pin'" : `not ${String(JSON.stringify(pin)).slice(0, 20)}`}. To remove the PIN, send DELETE /api/devices/pin`,
        "bad_pin",
      );
    const salt = randomBytes(16);
    const record = {salt: salt.toString("base64"), hash: (await scrypt(pin, salt, 32)).toString("base64")};
    await space.set("pin", record);
    this.#record = record;
  }

  /** No PIN from now on: a locked tablet is then unlocked only from a parent's signed-in browser. */
  async remove(): Promise<void> {
    await this.#store().delete("pin");
    this.#record = undefined;
  }

  /**
   * Whether `pin` is the parent PIN, tried by `who`: a 409 when none is set, a 429 past the tries
   * (pinTries.ts). The try is counted, and saved, before the PIN is looked at.
   */
  async matches(pin: unknown, who: PinTrier): Promise<boolean> {
    const record = this.#record;
    if (!record)
      throw new AppError(
        "no_pin",
        "No parent PIN is set: set one on the Family page, or unlock the tablet from a parent's signed-in browser",
        {status: 409},
      );
    await this.#tries.take(who);
    if (typeof pin !== "string" || !/^\d{1,8}$/.test(pin)) return false;
    const given = await scrypt(pin, Buffer.from(record.salt, "base64"), 32);
    return timingSafeEqual(given, Buffer.from(record.hash, "base64"));
  }

  #store(): StoreNamespace<PinRecord> {
    if (!this.#space) throw new AppError("not_started", "The parent PIN is not loaded yet", {status: 503});
    return this.#space;
  }
}
