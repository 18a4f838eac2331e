import type {Logger} from "../core/logger.js";
import type {MissingScope} from "../shared/api/account.js";

/**
 * What stops working without each scope this service asks for (SCOPES), from what the code calls
 * with it. `openid` and `profile` are not here: nothing in this service reads who signed in, so a
 * token without them loses nothing and is not reported. A Map: keys come from Yoto's answer.
 */
const LOST = new Map<string, string>([
  [
    "offline_access",
    "staying linked: Yoto gives no refresh token, so the link ends when the access token expires and you must sign in again",
  ],
  ["family:devices:view", "the list of the family's players: none appears, so nothing that works on a player does"],
  [
    "family:devices:control",
    "the players' live state and commands to them (play, pause, skip, seek, volume, sleep timer, night light), which go through Yoto's MQTT broker",
  ],
  [
    "family:devices:manage",
    "reading and changing player settings (max volume and quiet hours, night light, day and night times, alarms)",
  ],
  [
    "family:library:view",
    "the family's cards and groups: shop and physical cards in the card pickers, the library's groups, and what a shop card that plays holds",
  ],
  [
    "user:content:view",
    "reading Make Your Own cards: their list, what one that plays holds, the nightly archive, and changing one (a change reads the card first)",
  ],
  [
    "user:content:manage",
    "making and changing Make Your Own cards (stream, story, announcement and restored cards), and uploading their audio, icons and covers",
  ],
]);

const DASHBOARD = "https://dashboard.yoto.dev/";

const fixFor = (scope: string) =>
  `Open your app at ${DASHBOARD}, tick ${scope} under its scopes, save, then link again: Yoto grants a newly ticked scope only at a new sign-in`;

/**
 * The scopes a token answer grants: its `scope` field, else the access token's `scope` claim (the
 * JWT is read, not verified: Yoto checks it, this only learns what it says). Undefined when neither
 * says: unknown, which is never reported as missing.
 */
export function grantedScope(answer: {scope?: unknown; access_token: string}): string | undefined {
  if (typeof answer.scope === "string") return answer.scope;
  if (typeof answer.access_token !== "string") return undefined;
  const body = answer.access_token.split(".")[1];
  if (!body) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const scope = typeof claims === "object" && claims !== null ? (claims as {scope?: unknown}).scope : undefined;
    return typeof scope === "string" ? scope : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The asked-for scopes this service needs that `granted` leaves out, each with what stops working
 * and where to tick it; undefined when what was granted is unknown.
 */
export function missingScopes(granted: string | undefined, asked: string): MissingScope[] | undefined {
  if (granted === undefined) return undefined;
  // RFC 6749 separates scopes with spaces; any whitespace is read as one, so a tab is no "all missing".
  const has = new Set(granted.split(/\s+/));
  return asked
    .split(" ")
    .filter((scope) => LOST.has(scope) && !has.has(scope))
    .map((scope) => ({scope, lost: LOST.get(scope) as string, fix: fixFor(scope)}));
}

const listed = (names: string[]) =>
  names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

/** The health error and the log warning: every missing scope, what stops working, and the fix. */
export function missingScopesProblem(missing: MissingScope[]): string {
  const names = missing.map((m) => m.scope);
  const lost =
    missing.length === 1
      ? `so this stops working: ${missing[0]?.lost}`
      : `so these stop working: ${missing.map((m) => `${m.lost} (${m.scope})`).join("; ")}`;
  return `Yoto granted the link without the scope${names.length === 1 ? "" : "s"} ${names.join(", ")}, ${lost}. Open your app at ${DASHBOARD}, tick ${listed(names)} under its scopes, save, then link again`;
}

/** The Health page's short line; the Account page has the details. */
export function missingScopesAttention(missing: MissingScope[]): string {
  const names = missing.map((m) => m.scope);
  return `Yoto granted the link without the scope${names.length === 1 ? "" : "s"} ${names.join(", ")}: some things do not work until ${names.length === 1 ? "it is" : "they are"} ticked for your app at ${DASHBOARD} and the account is linked again; see the Account tab.`;
}

/** Why a link without a refresh token ended, once its access token expired. */
export const NO_REFRESH_TOKEN_ENDED = `The Yoto link ended when its access token expired: Yoto gave no refresh token, as your app at ${DASHBOARD} does not allow offline_access. Tick offline_access under its scopes, save, then link again`;

/**
 * Logs what is missing when it changes, not at every refresh: a warning naming the scopes, and a
 * line when a later token has them all. An unknown grant says nothing.
 */
export class ScopeNotice {
  readonly #log: Logger;
  /** The missing scopes last said, space-separated ("" when none). */
  #said = "";

  constructor(log: Logger) {
    this.#log = log;
  }

  /** True when the missing scopes changed (the account's status did). */
  note(missing: MissingScope[] | undefined): boolean {
    const now = (missing ?? []).map((m) => m.scope).join(" ");
    if (now === this.#said) return false;
    if (missing && missing.length > 0) this.#log.warning(missingScopesProblem(missing));
    else if (missing) this.#log.info("Yoto now grants every scope this service needs");
    this.#said = now;
    return true;
  }
}
