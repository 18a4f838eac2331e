import {didYouMean} from "../core/closest.js";
import {errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {AccountStatus} from "./account.js";
import {AckTracker} from "./acks.js";
import {type Admission, Admissions, type QuietCommand, startsSound} from "./admission.js";
import {CardCatalog, type CatalogCard} from "./cardCatalog.js";
import {CardContents} from "./cardContents.js";
import {CardGroups, pickFromGroup} from "./cardGroups.js";
import {CloudMqtt, type CloudMqttOptions} from "./cloudMqtt.js";
import type {PlayerCommand} from "./commands.js";
import {toWire, type WireCommand} from "./commandWire.js";
import {usableDevice} from "./deviceList.js";
import {InboundMessages} from "./inboundMessages.js";
import {changedKeys} from "./playerChanges.js";
import {PlayerConfigs} from "./playerConfigs.js";
import {applyEvents, applyPresence, applyStatus, newPlayer, type PlayerState} from "./playerModel.js";
import type {TokenSource, YotoRest} from "./rest.js";
import type {InboundKind} from "./topics.js";

export interface PlayersOptions {
  account: TokenSource & {status(): AccountStatus};
  rest: YotoRest;
  mqttUrl: string;
  bus: EventBus;
  log: Logger;
  /** How often the device list is re-read so players added to the account appear. */
  deviceRefreshMs?: number;
  commandTimeoutMs?: number;
  mqtt?: Pick<CloudMqttOptions, "heartbeatMs" | "backoff" | "primeTimeoutMs">;
  /** Where the starts the play gate lets through are issued: the gate holds the same one. */
  admissions?: Admissions;
}

/**
 * Every player on the linked account as a live, normalised model: the device list from REST,
 * state from the cloud broker merged message by message, `player.*` events on the bus for
 * everything that changes, and commands that resolve on the player's ack.
 */
export class YotoPlayers implements Service {
  readonly name = "yoto-players";
  readonly cloud: CloudMqtt;
  readonly stats = {
    messages: 0,
    duplicates: 0,
    malformed: 0,
    notUtf8: 0,
    stalePresence: 0,
    commands: 0,
    failedCommands: 0,
  };
  readonly #opts: PlayersOptions;
  readonly #players = new Map<string, PlayerState>();
  readonly #acks = new AckTracker();
  readonly #cards: CardContents;
  readonly #catalog: CardCatalog;
  /** The family library's groups ("Bedtime"), for play_group and the group pickers. */
  readonly groups: CardGroups;
  readonly #warned = new Set<string>();
  readonly #inbound: InboundMessages;
  readonly #configs: PlayerConfigs;
  #refreshTimer?: NodeJS.Timeout;
  #started = false;
  /** What the play gate issues; only what it issued starts sound here. */
  readonly admissions: Admissions;

  constructor(opts: PlayersOptions) {
    this.#opts = opts;
    this.admissions = opts.admissions ?? new Admissions();
    this.#catalog = new CardCatalog({source: opts.rest, log: opts.log.child("cards")});
    this.#cards = new CardContents(opts.rest);
    this.#inbound = new InboundMessages({stats: this.stats, warnOnce: (key, message) => this.#warnOnce(key, message)});
    this.groups = new CardGroups({read: () => opts.rest.cardGroups(), log: opts.log.child("card-groups")});
    this.#configs = new PlayerConfigs({
      rest: opts.rest,
      current: (id) => this.#players.get(id),
      commit: (previous, next) => this.#commit(previous, next),
      warnOnce: (key, message) => this.#warnOnce(key, message),
      forgetWarning: (key) => this.#warned.delete(key),
    });
    this.cloud = new CloudMqtt({
      ...opts.mqtt,
      url: opts.mqttUrl,
      tokens: opts.account,
      log: opts.log.child("cloud-mqtt"),
      onMessage: (deviceId, kind, payload) => this.#handle(deviceId, kind, payload),
      onState: (state) => opts.bus.emit("cloud.stateChanged", {state}),
    });
  }

  #hidden: (cardId: string) => boolean = () => false;

  async start(): Promise<void> {
    this.#started = true;
    this.#opts.bus.on(this, "account.changed", (status) => this.#onAccount(status));
    this.#refreshTimer = setInterval(() => void this.#refreshQuietly(), this.#opts.deviceRefreshMs ?? 10 * 60_000);
    if (this.#opts.account.status().state === "linked") await this.#connect();
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#opts.bus.off(this);
    clearInterval(this.#refreshTimer);
    this.#acks.rejectAll("the service is stopping");
    await this.cloud.stop();
    await this.#opts.rest.close();
  }

  health() {
    const details = {players: this.#players.size, cloud: this.cloud.state, ...this.stats};
    // Linked but not connected: commands cannot reach the players, whatever else runs.
    const linked = this.#opts.account.status().state === "linked";
    if (linked && this.cloud.state !== "connected")
      return {degraded: true, error: `Not connected to Yoto's cloud (${this.cloud.state})`, details};
    return {details};
  }

  list(): PlayerState[] {
    return [...this.#players.values()];
  }

  /** By device id, or by name ignoring case (rules and people say "Bedroom Mini"). */
  get(idOrName: string): PlayerState {
    const found =
      this.#players.get(idOrName) ??
      [...this.#players.values()].find((p) => p.name.toLowerCase() === idOrName.toLowerCase());
    if (!found) {
      const players = [...this.#players.values()];
      const known = players.map((p) => `'${p.name}' (${p.id})`).join(", ");
      // A name typed by hand ("Bedrom Mini") is most often one letter off a known one: say which.
      const meant = didYouMean(
        idOrName,
        players.map((p) => p.name),
      );
      throw notFound(
        `No player '${idOrName}'${meant}${known ? `: known players are ${known}` : ": no players are known yet"}`,
      );
    }
    return found;
  }

  /**
   * Re-read the account's devices: add new players, rename changed ones, drop removed ones; then
   * each player's settings, and the last known state of players that are offline or silent.
   */
  async refreshDevices(): Promise<void> {
    await this.#readDeviceList();
    await this.#configs.readAll(this.list());
  }

  async #readDeviceList(): Promise<void> {
    const devices = await this.#opts.rest.devices();
    const seen = new Set<string>();
    for (const listed of Array.isArray(devices) ? devices : []) {
      const usable = usableDevice(listed);
      if ("skipped" in usable) {
        this.#warnOnce(`device-list/${usable.skipped}`, usable.skipped);
        continue;
      }
      const {device} = usable;
      seen.add(device.deviceId);
      const current = this.#players.get(device.deviceId);
      if (!current) {
        const player = newPlayer(device);
        this.#players.set(player.id, player);
        this.#opts.bus.emit("player.added", {player});
      } else if (
        current.name !== device.name ||
        current.type !== device.deviceType ||
        current.family !== device.deviceFamily
      ) {
        this.#commit(current, {...current, name: device.name, type: device.deviceType, family: device.deviceFamily});
      }
    }
    for (const [id, player] of this.#players) if (!seen.has(id)) this.#remove(player);
    this.cloud.setDevices(this.#players.keys());
  }

  /**
   * The cards the family can play, for "play a card" pickers: their own (MYO) and their library's,
   * once each, by title; `madeByFamily` tells which. Re-read when older than a little while
   * (`fresh`: 2 s, for a picker opened now; otherwise the list as last read, read again in the
   * background when older than 30 s, for a voice request that must not wait on Yoto).
   */
  async familyCards(fresh = true): Promise<CatalogCard[]> {
    const cards = fresh ? await this.#catalog.list(true) : await this.#catalog.quick();
    return cards.filter((card) => !this.#hidden(card.cardId));
  }

  /** Cards the service plays itself (announcement relays) stay out of the pickers: they play silence. */
  hideFromPickers(hidden: (cardId: string) => boolean): void {
    this.#hidden = hidden;
  }

  /**
   * Send a command; resolves with what was sent once the player acks, or throws a readable error.
   * A card to play may be named by its title as well as its id. A command that starts sound needs
   * the play gate's admission for this player: without one it does not compile, and if one is
   * forged it is refused here.
   */
  async command(idOrName: string, command: QuietCommand): Promise<WireCommand | null>;
  async command(idOrName: string, command: PlayerCommand, admission: Admission): Promise<WireCommand | null>;
  async command(idOrName: string, command: PlayerCommand, admission?: Admission): Promise<WireCommand | null> {
    const player = this.get(idOrName);
    if (startsSound(command)) this.admissions.check(admission, player.id, command);
    if (command.command === "settings") {
      const payload = await this.#configs.update(player, command.settings);
      return {topic: "config", payload};
    }
    if (command.command === "play_group") {
      const group = await this.groups.find(command.group);
      command = {
        command: "play_card",
        cardId: pickFromGroup(group, command.pick ?? "random", player.playback.lastCardId),
      };
    }
    if (command.command === "play_card") command = {...command, cardId: await this.#catalog.resolve(command.cardId)};
    const wire = await toWire(player, command, (cardId) => this.#cards.get(cardId));
    // Nothing to send: Play on a player that already plays.
    if (!wire) return null;
    const body = typeof wire.payload === "string" ? wire.payload : JSON.stringify(wire.payload);
    const label = `'${command.command}' on '${player.name}'`;
    const acked = this.#acks.expect(player.id, wire.topic, body, label, this.#opts.commandTimeoutMs ?? 8000);
    this.stats.commands++;
    try {
      await Promise.all([this.cloud.publish(player.id, wire.topic, body), acked]);
      // The player does not report its new light colour by itself: ask, so the light reflects it.
      if (command.command === "ambient") void this.cloud.publish(player.id, "status/request").catch(() => undefined);
      return wire;
    } catch (err) {
      this.stats.failedCommands++;
      acked.catch(() => undefined);
      throw err;
    }
  }

  /** Title, artwork and track count of a card, for display (shop cards too); undefined when Yoto cannot read it. */
  cardSummary(cardId: string): Promise<{title?: string; image?: string; tracks?: number} | undefined> {
    return this.#cards.summary(cardId);
  }

  async #connect(): Promise<void> {
    await this.#refreshQuietly();
    this.cloud.start();
    this.cloud.resume();
  }

  async #onAccount(status: AccountStatus): Promise<void> {
    if (!this.#started) return;
    if (status.state === "linked") return this.#connect();
    if (status.state === "unlinked") {
      await this.cloud.stop();
      for (const player of [...this.#players.values()]) this.#remove(player);
    }
  }

  /** On a timer and on (re)linking: never throws, and does not hold up the cloud connection for the shadows. */
  async #refreshQuietly(): Promise<void> {
    if (this.#opts.account.status().state !== "linked") return;
    try {
      await this.#readDeviceList();
    } catch (err) {
      this.#opts.log.warning(`Could not read the player list from Yoto (${errorMessage(err)}); will try again`);
      return;
    }
    void this.#configs.readAll(this.list());
  }

  #handle(deviceId: string, kind: InboundKind, raw: Buffer): void {
    const current = this.#players.get(deviceId);
    if (!current) return;
    const payload = this.#inbound.read(current, kind, raw);
    if (!payload) return;
    if (kind === "response") {
      this.#acks.handle(deviceId, payload);
      return;
    }
    const next =
      kind === "events" || kind === "legacyEvents"
        ? applyEvents(current, payload)
        : kind === "presence"
          ? applyPresence(current, payload)
          : applyStatus(current, payload);
    this.#commit(current, next);
    if (kind === "events" || kind === "legacyEvents") this.#askStatusOnCardChange(current, next);
  }

  /**
   * What holds the card slot (`cardInserted`) comes only with status, which players send by
   * themselves about every 5 minutes: ask for it when the card changes or streaming starts or
   * stops, as yoto_api does (reference §5.2), so the card insertion sensor follows at once.
   */
  #askStatusOnCardChange(previous: PlayerState, player: PlayerState): void {
    const before = previous.playback;
    const after = player.playback;
    // Streaming unknown before: the first events after connecting, which the connection's own status request follows.
    const flipped = before.streaming !== undefined && before.streaming !== after.streaming;
    if (before.cardId === after.cardId && !flipped) return;
    void this.cloud.publish(player.id, "status/request").catch(() => undefined);
  }

  #commit(previous: PlayerState, player: PlayerState): void {
    this.#players.set(player.id, player);
    const changed = changedKeys(previous, player);
    if (changed.length) this.#opts.bus.emit("player.changed", {player, previous, changed});
  }

  #remove(player: PlayerState): void {
    this.#players.delete(player.id);
    this.#inbound.forget(player.id);
    this.#opts.bus.emit("player.removed", {id: player.id, name: player.name});
  }

  /** The first time as a warning, then at debug level: the same problem tends to repeat. */
  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) this.#opts.log.debug(message);
    else {
      this.#warned.add(key);
      this.#opts.log.warning(message);
    }
  }
}
