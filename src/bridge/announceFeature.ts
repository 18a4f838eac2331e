import type {Announcer} from "../announce/announcer.js";
import {type AnnounceRequest, parseAnnounceRequest} from "../announce/request.js";
import {badRequest, errorMessage} from "../core/errors.js";
import type {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import type {Component, ComponentKit} from "./playerComponents.js";

/** What the bridge needs of the announcer. */
export type BridgeAnnouncer = Pick<Announcer, "announce" | "announceMany" | "cancel">;

/** The `set` key, the `set/<attr>` attribute and the notify entity's key. */
export const ANNOUNCE_KEY = "announce";
/** `set/announce_cancel` (any payload) and the button's key: drop what waits, stop what plays. */
export const CANCEL_KEY = "announce_cancel";

/**
 * A notify entity per player: Home Assistant's `notify.send_message` publishes the message text on
 * the command topic (mqtt/notify.py renders `command_template` with the message as `value`, and
 * drops the title), so the text arrives as it was typed. Never retained: a retained announcement
 * would be spoken again whenever the bridge reconnects.
 */
export function announceComponents(k: ComponentKit): Record<string, Component> {
  return {
    [ANNOUNCE_KEY]: k.entity(ANNOUNCE_KEY, "notify", {
      name: "Announce",
      icon: "mdi:bullhorn",
      command_topic: k.set(ANNOUNCE_KEY),
      retain: false,
    }),
    [CANCEL_KEY]: k.entity(CANCEL_KEY, "button", {
      name: "Cancel announcements",
      icon: "mdi:bullhorn-variant-outline",
      command_topic: k.set(CANCEL_KEY),
      payload_press: "PRESS",
      retain: false,
    }),
  };
}

/**
 * One player's announcement from a topic value: plain text is spoken; a JSON object holds the
 * options `parseAnnounceRequest` takes. `players` is refused: the topic already names the player.
 */
export function announcementFrom(value: unknown, playerName: string): AnnounceRequest {
  let raw = value;
  if (typeof value === "string" && value.trim().startsWith("{")) {
    try {
      raw = JSON.parse(value);
    } catch {
      throw badRequest(
        'The announcement starts like JSON but is not: send plain text to speak, or an object such as {"message": "Dinner is ready"}',
        "bad_announcement",
      );
    }
  }
  if (typeof raw === "object" && raw !== null && Object.hasOwn(raw, "players"))
    throw badRequest(
      `'players' does not apply here: this topic announces on '${playerName}'; for several players use the bridge request player/announce`,
      "bad_announcement",
    );
  return parseAnnounceRequest(raw);
}

/**
 * A `set` message that asks for an announcement: `set/announce` with text or an object, or a
 * `set` object with an `announce` key. `rest` is what else that object sets (as a `set` payload,
 * transaction included), for the usual parser; undefined when the message asks for nothing else.
 * Returns undefined when the message is no announcement.
 */
export function takeAnnouncement(
  payload: Buffer,
  attribute: string | undefined,
  playerName: string,
): {request: AnnounceRequest; rest?: Buffer; transaction?: unknown} | undefined {
  const text = payload.toString("utf8");
  if (attribute !== undefined)
    return attribute === ANNOUNCE_KEY ? {request: announcementFrom(text, playerName)} : undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined; // the set parser says what is wrong with it
  }
  if (typeof body !== "object" || body === null || Array.isArray(body) || !Object.hasOwn(body, ANNOUNCE_KEY))
    return undefined;
  const {[ANNOUNCE_KEY]: announce, transaction, ...others} = body as Record<string, unknown>;
  const request = announcementFrom(announce, playerName);
  if (Object.keys(others).length === 0) return {request, transaction};
  return {request, rest: Buffer.from(JSON.stringify({...others, transaction}))};
}

/**
 * Start an announcement without waiting for it (it lasts seconds; other messages go on being
 * handled meanwhile). A failure is a warning with the reason, never an unhandled rejection; anyone
 * on the broker can send a thousand (all but the few the queue holds are refused), so failures go
 * through the flood summary: the first few in full, then a count.
 */
export function startAnnouncement(
  announcer: BridgeAnnouncer,
  log: {info: Logger["info"]; flood: Pick<FloodSummary, "warning">},
  player: {id: string; name: string},
  request: AnnounceRequest,
): void {
  void Promise.resolve()
    .then(() => announcer.announce(player.id, request))
    .then((outcome) => {
      if (outcome.result === "skipped") log.info(`Announcement skipped: ${outcome.detail}`);
    })
    .catch((err: unknown) =>
      log.flood.warning("failed announcements", `Announcement on '${player.name}' failed: ${errorMessage(err)}`),
    );
}

/**
 * `bridge/request/player/announce`: `{"player": "<id or name>", …options}` answers with the
 * outcome once the announcement is over; `{"players": [...], …}` with `{results: [...]}`, one
 * outcome or `{player, error, code}` per player, the shape of the HTTP API's `/api/announce`.
 */
export async function announceRequest(announcer: BridgeAnnouncer, data: Record<string, unknown>): Promise<unknown> {
  const {player, ...options} = data;
  const players = options.players;
  if (player !== undefined && players !== undefined)
    throw badRequest("Give 'player' (one) or 'players' (a list), not both", "bad_announcement");
  const one = typeof player === "string" && player.trim() !== "";
  const list = typeof players === "string" ? [players] : players;
  const many = Array.isArray(list) && list.length > 0 && list.every((p) => typeof p === "string" && p.trim() !== "");
  if (!one && !many)
    throw badRequest(
      `Name the player: {"player": "<id or name>", "message": "…"}, or "players": ["<id or name>", …] for several`,
      "bad_announcement",
    );
  const request = parseAnnounceRequest(options);
  if (one) return announcer.announce(player as string, request);
  return {results: await announcer.announceMany([...new Set(list as string[])], request)};
}
