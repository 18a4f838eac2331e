/**
 * Makes log lines safe to paste into a public issue. Every pattern here runs in time linear in the
 * line: each starts only where a token can start (a lookbehind refuses the middle of a word), and
 * the character classes a match walks through end where the next part must begin, so no attempt
 * re-reads what another already walked. No pattern is built from user input except the escaped
 * ids the service itself knows.
 */

/** What a download knows about this installation, so its ids become aliases and its login disappears. */
export interface RedactionContext {
  /** Yoto device ids, in the order players are listed: the first is always `player-1`. */
  playerIds: Iterable<string>;
  /** Card ids the service knows (its own cards, what players play). */
  cardIds: Iterable<string>;
  /** Literal strings to hide wherever they appear (the embedded broker's password). */
  secrets?: Iterable<string>;
  /** The home folder of the user running the service: its path often holds their name. */
  homeDir?: string;
}

/** Said in the download's header, so whoever reads it knows what is missing and why. */
export const REDACTED_KINDS =
  "tokens and passwords, your home folder's path, signed URLs and every query string, logins in URLs, e-mail addresses, Wi-Fi names (SSIDs), the MQTT broker login, the Yoto client id; player and card ids become player-N and card-N";

export const MASK = "<redacted>";

// Shorter literal secrets would turn ordinary words into masks (the logger's own rule).
const MIN_SECRET_LENGTH = 4;
const MIN_ID_LENGTH = 3;
// Yoto's ids: letters, digits, '-' and '_' (src/yoto/topics.ts isDeviceId), at most 64 of them.
const ID_CHARS = "[A-Za-z0-9_-]";

/** `eyJ…` JSON Web Tokens: header and payload are base64url of JSON, which always begins `{"`. */
const JWT = /(?<![\w-])eyJ[\w-]*\.[\w.-]*/g;
/** `Authorization: Bearer …`. */
const BEARER = /(?<![\w-])(bearer)(\s+)[^\s'",;]+/gi;
/** `scheme://user:password@host`: the login part. */
const URL_LOGIN = /(?<=:\/\/)[^\s/@'"<>]+@/g;
/**
 * A query string, in a full URL or a path (`/audio/x.mp3?sig=…`, `/callback?code=…&state=…`):
 * a `?` followed by `name=` up to the next space or quote. `?` is not in the name's class, so a
 * line of many `?` is walked once.
 */
const QUERY = /\?[^\s'"<>=&?#]*=[^\s'"<>#]*/g;
/** `name=value` outside a query string; the name decides (`isSecretKey`). */
const KEY_VALUE = /(?<![\w.-])([\w.-]{1,64})=([^\s&'",;)}\]]+)/g;
/** `"name": "value"` in JSON; escaped quotes inside the value are part of it. */
const JSON_STRING = /"([\w.-]{1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** `user 'yoto'` in the broker's own lines: a login's name is half of it. */
const LOGIN_USER = /(?<![\w-])(user(?:name)?\s+')([^'\s]{1,64})'/gi;
const EMAIL = /(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}\.[A-Za-z0-9.-]{1,253}/g;
/** Yoto's cloud topics: `device/<id>/…`, whether or not the service knows the id. */
const DEVICE_TOPIC = new RegExp(`(?<![\\w/])device/(${ID_CHARS}{1,64})(?=/|$|[\\s'",)])`, "g");

const SECRET_WORDS = ["token", "password", "passwd", "secret", "authorization", "apikey", "cookie", "devicecode"];
const SECRET_NAMES = new Set(["code", "sig", "signature", "pass", "pwd", "usercode", "username", "login"]);

/** Names of fields whose value is a secret: `access_token`, `refreshToken`, `client_secret`, `sig`. */
export function isSecretKey(name: string): boolean {
  const plain = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_NAMES.has(plain) || SECRET_WORDS.some((word) => plain.includes(word));
}

/** `ssid`, `networkSsid`, `wifi_ssid`: a Wi-Fi network's name says where the family lives. */
export function isSsidKey(name: string): boolean {
  return name.toLowerCase().includes("ssid");
}

/**
 * One redactor per download: ids get aliases in the order met (known players first, in their
 * order), so the same id is the same alias on every line of it.
 */
export class Redactor {
  readonly #aliases = new Map<string, string>();
  readonly #counts = {player: 0, card: 0};
  readonly #secrets: string[];
  readonly #homeDir?: string;
  /** Every id with an alias, as one pattern; undefined when an id was added since it was built. */
  #known?: RegExp | null;

  constructor(context: RedactionContext) {
    // An id of a character or two would turn every such number or word into an alias, and says nothing.
    for (const id of context.playerIds) if (id.length >= MIN_ID_LENGTH) this.#alias(id, "player");
    for (const id of context.cardIds) if (id.length >= MIN_ID_LENGTH) this.#alias(id, "card");
    this.#secrets = [...(context.secrets ?? [])].filter((s) => s.length >= MIN_SECRET_LENGTH);
    // `/` or `/root` says nothing about anyone; `/home/alice` does.
    const home = context.homeDir?.replace(/\/+$/, "");
    if (home && home.split("/").length > 2) this.#homeDir = home;
  }

  line(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(MASK);
    if (this.#homeDir) out = out.split(`${this.#homeDir}/`).join("~/");
    out = out.replace(URL_LOGIN, `${MASK}@`);
    out = out.replace(QUERY, `?${MASK}`);
    out = out.replace(JWT, MASK);
    out = out.replace(BEARER, (_m, scheme: string, space: string) => `${scheme}${space}${MASK}`);
    out = out.replace(JSON_STRING, (match, key: string, colon: string) => {
      if (isSsidKey(key)) return `"${key}"${colon}"<ssid>"`;
      return isSecretKey(key) ? `"${key}"${colon}"${MASK}"` : match;
    });
    out = out.replace(KEY_VALUE, (match, key: string) => {
      if (isSsidKey(key)) return `${key}=<ssid>`;
      return isSecretKey(key) ? `${key}=${MASK}` : match;
    });
    out = out.replace(LOGIN_USER, (_m, before: string) => `${before}<mqtt-user>'`);
    out = out.replace(EMAIL, "<email>");
    out = out.replace(DEVICE_TOPIC, (_m, id: string) => `device/${this.#alias(id, "player")}`);
    const known = this.#knownIds();
    if (known) out = out.replace(known, (id) => this.#aliases.get(id.toLowerCase()) ?? id);
    return out;
  }

  /**
   * Whole ids only: not inside a longer run of letters and digits, though right after a `%2F` or
   * `%22` of an encoded URL. In any case: a path typed in capitals is the same player. Literal
   * alternatives (longest first) cost a constant per character for a given installation's ids.
   */
  #knownIds(): RegExp | null {
    if (this.#known !== undefined) return this.#known;
    const ids = [...this.#aliases.keys()].sort((a, b) => b.length - a.length);
    this.#known =
      ids.length > 0
        ? new RegExp(
            `(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))(?:${ids.map(escapeRegExp).join("|")})(?![A-Za-z0-9])`,
            "gi",
          )
        : null;
    return this.#known;
  }

  /** Keyed in lower case: ids that differ only in case would be told apart by nobody reading a log. */
  #alias(id: string, kind: "player" | "card"): string {
    const known = this.#aliases.get(id.toLowerCase());
    if (known) return known;
    const alias = `${kind}-${++this.#counts[kind]}`;
    this.#aliases.set(id.toLowerCase(), alias);
    this.#known = undefined;
    return alias;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}
