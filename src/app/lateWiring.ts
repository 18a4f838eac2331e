import {nowPlaying} from "../playing/nowPlaying.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {App} from "./app.js";
import type {AppOptions} from "./appOptions.js";
import {ownListeners} from "./ownListeners.js";

export type LateWiring = ReturnType<typeof lateWiring>;

/** A late-wiring closure called before the app was built: the service it reaches is not there yet. */
export class CalledTooEarly extends Error {}

/**
 * Late wiring: the closures over services built further down, stated in one place. Cards are
 * made of stories (a registered card source), stories wait for the rules a move started before
 * serving a scene (a rule on `button` may change its queue), and rules make cards and play
 * stories: Cards → Stories → Rules → Cards. History skips the announcer's relay card, which is
 * built after it; the bridge hands every MQTT message to the rules' triggers; links point at the
 * audio listener, whose port is known once it listens; quiet hours and the
 * health report are built after the services that ask for them.
 */
export function lateWiring(app: App, opts: AppOptions) {
  const publicUrl = () => app.config.public_url ?? (opts.linkToOwnAudioListener ? app.audio.url : undefined);
  return guardedUntilBuilt({
    publicUrl,
    audioUrl: () => app.audio?.url,
    // This service's own listeners, which neither a station nor a media server's link may lead to.
    ownOrigins: () => [publicUrl(), app.audio?.url],
    // Port 0 (a test's "any free port") is no port until the listener has one.
    ownPorts: () => ({audio: app.audio?.port || undefined, admin: app.admin?.port || undefined}),
    // The listeners nothing fetched may reach (the audio listener serves what the service plays itself).
    neverFetched: () => ({
      admin: app.admin?.port || undefined,
      UPnP: app.config.upnp ? app.upnp?.port || undefined : undefined,
      MQTT: app.broker?.summary().port,
    }),
    ownListeners: () => ownListeners(app, publicUrl()),
    health: () => app.health(),
    // Learnt from the Supervisor once the app started: Home Assistant's own addresses.
    homeAssistantPages: () => app.homeAssistantPages,
    // The renderers are built after the admin API that shows how they are seen.
    upnpStatus: (host: string) => app.upnp.status(host),
    castTitleOnCard: (cardId: string) => app.upnp.castTitleOnCard(cardId),
    castNow: (cardId: string) => app.upnp.castNowOnCard(cardId),
    // What a player plays now in the words of what plays (a cast, a station's song), for the admin
    // API and the panel: the renderers and the stations are built after the admin API.
    nowPlaying: (player: PlayerState) =>
      nowPlaying(player, {
        cast: (cardId) => app.upnp.castNowOnCard(cardId),
        song: (cardId) => app.radio.songOnCard(cardId),
      }),
    isRelayCard: (cardId: string) => app.announcer.isRelayCard(cardId),
    // A child's sleep sound, built beside the shelves after the plan that asks of it.
    sleep: {
      owns: (playerId: string, cardId: string | null | undefined) => app.sleep.owns(playerId, cardId),
      nightSeconds: (playerId: string, from: number) => app.sleep.nightSeconds(playerId, from),
    },
    // What the play gate asks of the plan: why a player may not start now, why it is held, the journal.
    plan: {
      // The sentence says the plan's actual reason (Mia's bedtime, her day's listening), once.
      refusal: (playerId: string) => app.quietHours.refusal(playerId, app.family.held(playerId)),
      held: (playerId: string) => app.family.held(playerId),
      journal: (playerId: string, text: string) => app.family.refused(playerId, text),
    },
    quiet: {
      period: (playerId: string) => app.quietHours.period(playerId),
      refusal: (playerId: string) => app.quietHours.refusal(playerId, app.family.held(playerId)),
      reason: (playerId: string) => app.family.held(playerId).reason,
      lift: (playerId: string) => app.quietHours.lift(playerId),
      remuteIfLifted: (playerId: string) => app.quietHours.remuteIfLifted(playerId),
    },
    // A card that streams a station: the history takes the song the station says it plays.
    // A relay card playing a renderer's queue: the title of the track it plays (not "Announcement").
    liveTitle: (cardId: string) => app.radio.songOnCard(cardId) ?? app.upnp.castTitleOnCard(cardId),
    settleRules: (emit: () => void) => app.rules.runsStartedBy(emit),
    // A story imported into rules_dir is loaded before the import answers.
    reloadRules: () => app.rules.reload(),
    deliverMqtt: (topic: string, payload: Buffer) => app.rules.dispatcher.deliverMqtt(topic, payload.toString("utf8")),
  });
}

/**
 * Each closure (nested ones too) throws, naming itself, when it is called before `built()`: a
 * service that calls one while the app is still being built would otherwise fail later with
 * "cannot read properties of undefined", far from the cause.
 */
export function guardedUntilBuilt<T extends Record<string, unknown>>(closures: T): T & {built(): void} {
  let built = false;
  const guard = (value: unknown, name: string): unknown => {
    if (typeof value === "function")
      return (...args: unknown[]) => {
        if (!built)
          throw new CalledTooEarly(
            `The late wiring '${name}' was called while the app was being built: the service it reaches is built later. Call it from start() or later, or build that service first`,
          );
        return (value as (...a: unknown[]) => unknown)(...args);
      };
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, guard(inner, `${name}.${key}`)]));
    return value;
  };
  const guarded = Object.fromEntries(Object.entries(closures).map(([key, value]) => [key, guard(value, key)]));
  return Object.assign(guarded as T, {
    built: () => {
      built = true;
    },
  });
}
