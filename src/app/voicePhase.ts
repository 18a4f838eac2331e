import path from "node:path";
import type {HaBridge} from "../bridge/haBridge.js";
import {BridgeTopics} from "../bridge/topics.js";
import {type Catalogue, catalogue} from "../playing/catalogue.js";
import {Voice} from "../voice/voice.js";
import type {VoiceDeps} from "../voice/voiceContext.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";
import type {Faces} from "./facesPhase.js";
import type {LateWiring} from "./lateWiring.js";

/** The voice request: what the bridge and the admin API hand to the voice service. */
export const VOICE_REQUEST = "voice";

/** Everything the family can play by its title, and how each kind plays: for voice and the child's shelf. */
export function buildCatalogue(
  app: Base & Cloud & Content & Faces,
  late: Pick<LateWiring, "castTitleOnCard">,
): Catalogue {
  return catalogue({
    players: app.players,
    streams: app.streams,
    feeds: app.feeds,
    stories: app.stories,
    icons: app.icons,
    library: app.library,
    cards: app.cards,
    archive: app.archive,
    announcer: app.announcer,
    castTitle: late.castTitleOnCard,
    bus: app.bus,
    log: app.log.child("playables"),
  });
}

/**
 * Phase 5 of the composition root: voice over the plan, the players and everything playable, and
 * its bridge request (`<base>/bridge/request/voice`, as announced with the others in the docs).
 */
export function buildVoice(
  app: Base & Cloud & Content & Faces & {bridge: HaBridge; catalogue: Catalogue},
  rate?: {perSecond: number; burst: number},
  storyRadioPlays?: (child: string, shelf: readonly string[]) => boolean,
  /** The children's sleep sounds and weeks, built beside the shelves after voice. */
  night: Pick<VoiceDeps, "sleep" | "weeks"> = {},
): Voice {
  const {players, family, gate} = app;
  const topics = new BridgeTopics(app.config.base_topic, app.config.discovery_prefix);
  const {catalogue} = app;
  const voice = new Voice({
    players,
    family: {
      roster: () => family.roster(),
      view: (name) => (family.childName(name) === undefined ? undefined : family.child(name)),
      askForMore: (child, player, by, from) => family.askForMore(child, player, by, from),
    },
    gate,
    listening: app.history,
    choices: (fresh) => catalogue.choices(fresh),
    play: (playerId, choice, admission) => catalogue.play(playerId, choice, admission),
    ownTitle: (playerId, cardId) => catalogue.ownTitle(playerId, cardId),
    timeZone: () => family.timeZone,
    log: app.log.child("voice"),
    areasFile: path.join(app.dataDir, "voice-areas.json"),
    baseTopic: app.config.base_topic,
    ...(rate ? {rate} : {}),
    ...(storyRadioPlays ? {storyRadioPlays} : {}),
    ...night,
    late: {
      publish: (topic, payload, retain) => app.bridge.mqtt.publish(topic, payload, retain),
      topic: (transaction) => `${topics.response(VOICE_REQUEST)}/${transaction}`,
    },
  });
  app.bridge.register({
    name: VOICE_REQUEST,
    components: () => ({}),
    info: () => ({}),
    requests: {[VOICE_REQUEST]: (data, transaction) => voice.answerOverMqtt(data, transaction)},
    // Nothing to show in Home Assistant: the request alone.
    watch: () => () => undefined,
  });
  return voice;
}
