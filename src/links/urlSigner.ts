import {createHmac, randomBytes, timingSafeEqual} from "node:crypto";
import {mkdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {makePrivate, PRIVATE_FILE_MODE} from "../store/privateFiles.js";

export const SIGNING_KEY_FILE = "url-signing.key";
const SIGNATURE_LENGTH = 32; // base64url characters: 192 bits, plenty against guessing
const VERIFIED_KEPT = 1024;

/**
 * Signs public audio paths with an HMAC so only URLs this service handed out are served. The key is
 * made once, on first start, and kept in the data folder: links on cards stay valid across restarts.
 */
export class UrlSigner implements Service {
  readonly name = "url-signer";
  readonly critical = true;
  readonly #file: string;
  readonly #log: Logger;
  #key?: Buffer;
  /** Path and signature pairs that matched, oldest first. */
  readonly #verified = new Set<string>();

  constructor(dataDir: string, log: Logger) {
    this.#file = path.join(dataDir, SIGNING_KEY_FILE);
    this.#log = log;
  }

  async start(): Promise<void> {
    await mkdir(path.dirname(this.#file), {recursive: true});
    const fresh = randomBytes(32).toString("hex");
    try {
      // "wx": of two processes starting at once, exactly one creates the key.
      await writeFile(this.#file, fresh, {flag: "wx", mode: 0o600});
      this.#log.info(`Created the URL signing key in '${this.#file}'`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    // Keys made by earlier versions, or copied in by hand, may be readable by others: anyone
    // holding the key can sign links to every file.
    await makePrivate(this.#file, PRIVATE_FILE_MODE, this.#log);
    const stored = (await readFile(this.#file, "utf8")).trim();
    if (!/^[0-9a-f]{64}$/.test(stored)) {
      throw new Error(
        `URL signing key '${this.#file}' is damaged: delete it to make a new one (old card links stop working)`,
      );
    }
    this.#key = Buffer.from(stored, "hex");
  }

  async stop(): Promise<void> {
    this.#key = undefined;
    this.#verified.clear();
  }

  /** `/audio/abc.mp3` → `/audio/abc.mp3?sig=…`, good for as long as the key is kept (cards hold these). */
  sign(pathname: string): string {
    return `${pathname}?sig=${this.#signature(pathname)}`;
  }

  /**
   * `/audio/abc.mp3` → `/audio/abc.mp3?sig=<expiry>.<hmac>`, good until `expiresAt` (Unix seconds):
   * for links handed to whoever asks on the home network (the UPnP library), which should not work
   * for ever wherever they end up. The expiry is inside the signed text, so it cannot be moved.
   */
  signUntil(pathname: string, expiresAt: number): string {
    return `${pathname}?sig=${expiresAt}.${this.#signature(`${pathname}\0${expiresAt}`)}`;
  }

  verify(pathname: string, signature: string | undefined): boolean {
    if (!signature) return false;
    const dot = signature.indexOf(".");
    let signed = pathname;
    let mac = signature;
    if (dot !== -1) {
      const expiry = signature.slice(0, dot);
      if (!/^\d{1,12}$/.test(expiry) || Number(expiry) * 1000 <= Date.now()) return false;
      signed = `${pathname}\0${expiry}`;
      mac = signature.slice(dot + 1);
    }
    // Byte length, not characters: timingSafeEqual throws on unequal byte lengths ("é" is two bytes).
    if (Buffer.byteLength(mac) !== SIGNATURE_LENGTH) return false;
    // A player seeking asks for the same URL dozens of times: an HMAC each was a few % of the CPU
    // of a range request (bench/streamServing.ts). Only matches are remembered (after the expiry is
    // checked above), so a guess is always computed and compared in constant time.
    const key = `${pathname}\0${signature}`;
    if (this.#verified.has(key)) return true;
    if (!timingSafeEqual(Buffer.from(this.#signature(signed)), Buffer.from(mac))) return false;
    if (this.#verified.size >= VERIFIED_KEPT) this.#verified.delete(this.#verified.keys().next().value as string);
    this.#verified.add(key);
    return true;
  }

  #signature(pathname: string): string {
    if (!this.#key) throw new Error("UrlSigner: used before start()");
    return createHmac("sha256", this.#key).update(pathname).digest("base64url").slice(0, SIGNATURE_LENGTH);
  }
}
