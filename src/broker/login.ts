import {createHash, randomBytes, timingSafeEqual} from "node:crypto";
import {mkdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import type {Logger} from "../core/logger.js";

export const BROKER_LOGIN_FILE = "mqtt-broker-login.json";
export const GENERATED_USERNAME = "yoto";

export interface BrokerLogin {
  username: string;
  password: string;
}

/** The embedded broker's login for clients, and where it came from (the panel shows both). */
export interface ClientLogin extends BrokerLogin {
  source: "options" | "generated";
}

/**
 * The login MQTT clients (Home Assistant's MQTT integration, the user's tools) need for the
 * embedded broker. There is no anonymous access: without `embedded_broker_username`/`_password`
 * a login is made on first start and kept in the data folder (mode 0600, like the URL signing
 * key), so it stays the same across restarts and Home Assistant keeps connecting.
 */
export async function clientLogin(
  options: {username?: string; password?: string},
  dataDir: string,
  log: Logger,
): Promise<ClientLogin> {
  const {username, password} = options;
  if (username && password) return {username, password, source: "options"};
  if (username || password) {
    const [set, missing] = username
      ? ["embedded_broker_username", "embedded_broker_password"]
      : ["embedded_broker_password", "embedded_broker_username"];
    throw new Error(
      `${set} is set but ${missing} is not: set both, or neither to use the login the add-on makes for the embedded MQTT broker`,
    );
  }
  const stored = await storedLogin(dataDir, log);
  log.addSecret(stored.password);
  return {...stored, source: "generated"};
}

async function storedLogin(dataDir: string, log: Logger): Promise<BrokerLogin> {
  const file = path.join(dataDir, BROKER_LOGIN_FILE);
  await mkdir(dataDir, {recursive: true});
  const fresh: BrokerLogin = {username: GENERATED_USERNAME, password: randomBytes(18).toString("base64url")};
  try {
    // "wx": of two processes starting at once, exactly one makes the login.
    await writeFile(file, `${JSON.stringify(fresh)}\n`, {flag: "wx", mode: 0o600});
    log.info(
      `Made a login for the embedded MQTT broker, user '${fresh.username}' (the password is in the panel and in '${file}'): give it to every MQTT client, Home Assistant's MQTT integration included`,
    );
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const damaged = new Error(
    `The embedded MQTT broker's login file '${file}' is damaged: delete it to make a new login (then give it to Home Assistant's MQTT integration again)`,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw damaged;
  }
  const {username, password} = (parsed ?? {}) as Partial<Record<keyof BrokerLogin, unknown>>;
  if (typeof username !== "string" || !/^[\w.-]{1,64}$/.test(username)) throw damaged;
  if (typeof password !== "string" || !/^[\w-]{16,128}$/.test(password)) throw damaged;
  return {username, password};
}

/** A login made for one run of the service's own client; never written anywhere. */
export function serviceLogin(): BrokerLogin {
  return {username: "yoto-smart-stream", password: randomBytes(24).toString("base64url")};
}

/** Same username and password, compared in constant time (hashes, so lengths never leak). */
export function matchesLogin(login: BrokerLogin, username: string | undefined, password: Buffer | undefined): boolean {
  if (username !== login.username || !password) return false;
  const digest = (value: Buffer | string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(password), digest(login.password));
}
