import {badRequest, errorMessage} from "../core/errors.js";
import type {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import {ownEntry} from "../core/ownKeys.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {PlayRequest} from "../gate/types.js";
import {parseCommand} from "../yoto/commands.js";
import {
  announceRequest,
  type BridgeAnnouncer,
  CANCEL_KEY,
  startAnnouncement,
  takeAnnouncement,
} from "./announceFeature.js";
import type {BridgeFeature} from "./features.js";
import {parseSet} from "./setPayload.js";
import type {BridgeTopics} from "./topics.js";

/** How a start sent over MQTT is asked at the play gate. */
const ASKED: PlayRequest = {route: "bridge"};

export interface BridgeRequestsOptions {
  /** Every start a request or a set topic sends passes the play gate, as MQTT's. */
  players: GatedPlayers;
  features: readonly BridgeFeature[];
  publish: (topic: string, payload: object) => void;
  topics: BridgeTopics;
  log: Logger;
  /** The card id behind an option of a player's "Play a card" select. */
  cardForOption?: (option: string) => string | undefined;
  /** Announcements: `set {"announce": …}`, `set/announce` (the notify entity) and `player/announce`. */
  announcer?: BridgeAnnouncer;
  /** Refusals are anyone's to cause: a flood of them is written as its first few and a count. */
  flood: FloodSummary;
}

type Handler = (data: Record<string, unknown>, transaction?: unknown) => Promise<unknown>;

/**
 * Commands arriving over MQTT: `<base>/<id>/set[/<attr>]` and the `bridge/request/<path>` RPC.
 * Answers go to `bridge/response/<path>` as `{status, data, error?, transaction?}`; a bad payload
 * gets an error answer and a warning, never a crash and never a half-applied change.
 */
export class BridgeRequests {
  readonly #opts: BridgeRequestsOptions;

  constructor(opts: BridgeRequestsOptions) {
    this.#opts = opts;
  }

  /** A `set` message: validated whole, then sent command by command; an announcement is started last. */
  async set(player: string, attribute: string | undefined, payload: Buffer): Promise<void> {
    let transaction: unknown;
    try {
      const {announcer} = this.#opts;
      const target = this.#opts.players.get(player);
      if (announcer && attribute === CANCEL_KEY) {
        // The announcer says in the log what it cancelled.
        announcer.cancel(target.id);
        return;
      }
      const announcing = announcer ? takeAnnouncement(payload, attribute, target.name) : undefined;
      const parsed =
        announcing && !announcing.rest
          ? {commands: [], transaction: announcing.transaction}
          : parseSet(announcing?.rest ?? payload, attribute, {player: target, cardForOption: this.#opts.cardForOption});
      transaction = parsed.transaction;
      for (const command of parsed.commands) await this.#opts.players.command(target.id, command, ASKED);
      if (announcer && announcing)
        startAnnouncement(
          announcer,
          {info: (text) => this.#opts.log.info(text), flood: this.#opts.flood},
          target,
          announcing.request,
        );
      if (transaction !== undefined) this.#answer("player/set", {status: "ok", data: {player}, transaction});
    } catch (err) {
      // A refused payload still gets its transaction echoed when one can be read from it.
      if (transaction === undefined && attribute === undefined) transaction = peekTransaction(payload);
      const topic = this.#opts.topics.player(player, "set") + (attribute ? `/${attribute}` : "");
      this.#opts.flood.warning("refused set messages", `Ignored '${topic}': ${errorMessage(err)}`);
      this.#answer("player/set", {status: "error", data: {player}, error: errorMessage(err), ...txn(transaction)});
    }
  }

  async handle(path: string, payload: Buffer, republish: () => void): Promise<void> {
    let transaction: unknown;
    try {
      const data = parseData(payload);
      transaction = data.transaction;
      delete data.transaction;
      const handlers = this.#handlers(republish);
      const handler = ownEntry(handlers, path);
      if (!handler)
        throw badRequest(
          `Unknown request '${path}': use one of ${Object.keys(handlers).join(", ")}`,
          "unknown_request",
        );
      const result = await handler(data, transaction);
      this.#answer(path, {status: "ok", data: result ?? {}, ...txn(transaction)});
    } catch (err) {
      this.#opts.flood.warning("failed bridge requests", `Bridge request '${path}' failed: ${errorMessage(err)}`);
      this.#answer(path, {status: "error", data: {}, error: errorMessage(err), ...txn(transaction)});
    }
  }

  #handlers(republish: () => void): Record<string, Handler> {
    const {players, announcer} = this.#opts;
    const handlers: Record<string, Handler> = {
      health_check: async () => ({healthy: players.cloud.state === "connected", cloud: players.cloud.state}),
      restart: async () => {
        players.cloud.reconnect();
        republish();
        return {};
      },
      "player/command": async ({player, ...command}) => {
        if (typeof player !== "string") throw badRequest(`Name the player: {"player": "<id or name>", "command": …}`);
        return {player, sent: await players.command(player, parseCommand(command), ASKED)};
      },
      ...(announcer
        ? {
            "player/announce": (data: Record<string, unknown>) => announceRequest(announcer, data),
            "player/announce_cancel": async ({player}: Record<string, unknown>) => {
              if (typeof player !== "string" || !player.trim())
                throw badRequest(`Name the player: {"player": "<id or name>"}`, "bad_announcement");
              return announcer.cancel(player);
            },
          }
        : {}),
    };
    for (const f of this.#opts.features) Object.assign(handlers, f.requests ?? {});
    return handlers;
  }

  #answer(path: string, body: object): void {
    this.#opts.publish(this.#opts.topics.response(path), body);
  }
}

function parseData(payload: Buffer): Record<string, unknown> {
  const text = payload.toString("utf8").trim();
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw badRequest('The request payload is not JSON: send an object such as {"transaction": 1}', "invalid_payload");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw badRequest("The request payload must be a JSON object", "invalid_payload");
  return {...(data as Record<string, unknown>)};
}

function peekTransaction(payload: Buffer): unknown {
  try {
    return (JSON.parse(payload.toString("utf8")) as {transaction?: unknown} | null)?.transaction;
  } catch {
    return undefined;
  }
}

function txn(transaction: unknown): {transaction?: unknown} {
  return transaction === undefined ? {} : {transaction};
}
