import type {OwnStart} from "../announce/announcerPlayers.js";
import {GatedPlayers} from "../gate/gatedPlayers.js";
import {PlayGate} from "../gate/playGate.js";
import {History} from "../history/history.js";
import {YotoAccount} from "../yoto/account.js";
import {Admissions} from "../yoto/admission.js";
import {YOTO_CLOUD} from "../yoto/endpoints.js";
import {OAuthClient} from "../yoto/oauthClient.js";
import {YotoPlayers} from "../yoto/players.js";
import {YotoRest} from "../yoto/rest.js";
import type {AppOptions} from "./appOptions.js";
import type {Base} from "./basePhase.js";
import type {LateWiring} from "./lateWiring.js";

/** The family's Yoto account, its players' live model, the play gate, and what each of them played. */
export interface Cloud {
  account: YotoAccount;
  rest: YotoRest;
  /** The players as every service holds them: a start passes the gate. */
  players: GatedPlayers;
  /** The one gate every start passes: the family plan, the journal, the player within reach. */
  gate: PlayGate;
  /** What each player played, when and for how long. */
  history: History;
}

/** What the root keeps apart from the phases: never spread into what a builder is handed. */
export interface BelowTheGate {
  /** The players themselves, for the lifecycle alone (started, stopped, their health). */
  playersService: YotoPlayers;
  /** The announcer's own starts (an announcement and the card it puts back, which the plan does not decide). */
  announcerStart: OwnStart;
}

/**
 * Phase 2 of the composition root: Yoto's cloud (or the simulator) and the listening history; and,
 * apart from them, what is below the gate (the players themselves, the announcer's own starts),
 * which the root holds and hands to the announcer alone, so no phase's builder is given it.
 */
export function buildCloud(base: Base, opts: AppOptions, late: LateWiring): {cloud: Cloud; below: BelowTheGate} {
  const {config, store, bus, log} = base;
  const cloud = opts.cloud ?? YOTO_CLOUD;
  const account = new YotoAccount({
    oauth: new OAuthClient(cloud.authUrl, config.yoto_client_id ?? ""),
    store,
    log: log.child("yoto-account"),
    onStatus: (status) => bus.emit("account.changed", status),
    forgetSavedLogin: opts.cloud?.forgetSavedLogin,
  });
  const rest = new YotoRest({apiUrl: cloud.apiUrl, tokens: account, log: log.child("yoto-rest")});
  // The gate is built with the players, before anything that holds them: each is handed the gated players.
  const admissions = new Admissions();
  const playersService = new YotoPlayers({
    account,
    rest,
    mqttUrl: cloud.mqttUrl,
    bus,
    log: log.child("players"),
    admissions,
  });
  playersService.hideFromPickers(late.isRelayCard);
  const gate = new PlayGate({
    admissions,
    refusal: late.plan.refusal,
    held: late.plan.held,
    journal: late.plan.journal,
    cloudConnected: () => playersService.cloud.state === "connected",
    log: log.child("play-gate"),
    now: Date.now,
  });
  const players = new GatedPlayers(playersService, gate);
  const history = new History({
    dataDir: base.dataDir,
    players,
    bus,
    log: log.child("history"),
    retentionDays: config.history_days,
    timeZone: base.zone.zone,
    busyTimeoutMs: opts.store?.busyTimeoutMs,
    sweepMs: opts.history?.sweepMs,
    // An announcement on the relay card is not listening; a cast on it (Music Assistant, a DLNA app,
    // Home Assistant's play_media) is, and counts toward the child's day as any card does.
    ignoreCard: (cardId) => late.isRelayCard(cardId) && late.castNow(cardId) === undefined,
    liveTitle: late.liveTitle,
    castTitle: (cardId) => late.castNow(cardId)?.title,
  });
  const announcerStart: OwnStart = (playerId) => admissions.issue(playerId);
  return {cloud: {account, rest, players, gate, history}, below: {playersService, announcerStart}};
}
