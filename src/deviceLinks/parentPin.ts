import {randomBytes, scrypt as scryptCallback, timingSafeEqual} from "node:crypto";
import {promisify} from "node:util";
import {AppError, badRequest} from "../core/errors.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";

const scrypt = promisify(scryptCallback) as (pin: string, salt: Buffer, length: number) => Promise<Buffer>;

interface PinRecord {
  salt: string;
  hash: string;
}

/** Tries per tablet page (and in all) in a minute: four digits are 10,000 guesses, never a few minutes' work. */
const TRIES_PER_MINUTE = 5;
const MINUTE_MS = 60_000;

/**
 * The parent PIN (docs/child.md): set on the Family page, asked by a locked child's page before it
 * lets go of its child. Kept as a salted scrypt hash; wrong tries are limited, so a child (or a
 * script) cannot walk the four digits.
 */
export class ParentPin {
  #space?: StoreNamespace<PinRecord>;
  #record?: PinRecord;
  readonly #tries: number[] = [];

  constructor(
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.#space = this.store.namespace<PinRecord>("parent_pin");
    this.#record = await this.#space.get("pin");
  }

  get isSet(): boolean {
    return this.#record !== undefined;
  }

  /** A PIN of 4 to 8 digits, or null to remove it. */
  async set(pin: unknown): Promise<void> {
    const space = this.#store();
    if (pin === null) {
      await space.delete("pin");
      this.#record = undefined;
      return;
    }
    if (typeof pin !== "string" || !/^\d{4,8}$/.test(pin))
      throw badRequest(
        'The parent PIN is 4 to 8 digits, as a string ({"pin": "2580"}), or null to remove it',
        "bad_pin",
      );
    const salt = randomBytes(16);
    const record = {salt: salt.toString("base64"), hash: (await scrypt(pin, salt, 32)).toString("base64")};
    await space.set("pin", record);
    this.#record = record;
  }

  /** Whether `pin` is the parent PIN; a 409 when none is set, a 429 past the tries of a minute. */
  async matches(pin: unknown): Promise<boolean> {
    const record = this.#record;
    if (!record)
      throw new AppError(
        "no_pin",
        "No parent PIN is set: set one on the Family page, or unlock the tablet from a parent's signed-in browser",
        {status: 409},
      );
    const now = this.now();
    while (this.#tries.length && now - (this.#tries[0] as number) >= MINUTE_MS) this.#tries.shift();
    if (this.#tries.length >= TRIES_PER_MINUTE)
      throw new AppError("pin_tries", "Too many wrong PINs: wait a minute and try again", {status: 429});
    if (typeof pin !== "string" || !/^\d{1,8}$/.test(pin)) {
      this.#tries.push(now);
      return false;
    }
    const given = await scrypt(pin, Buffer.from(record.salt, "base64"), 32);
    const ok = timingSafeEqual(given, Buffer.from(record.hash, "base64"));
    if (!ok) this.#tries.push(now);
    return ok;
  }

  #store(): StoreNamespace<PinRecord> {
    if (!this.#space) throw new AppError("not_started", "The parent PIN is not loaded yet", {status: 503});
    return this.#space;
  }
}
