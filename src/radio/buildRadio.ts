import path from "node:path";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {requireFfmpeg} from "../core/ffmpeg.js";
import type {Logger} from "../core/logger.js";
import type {Speech} from "../speech/speech.js";
import type {Streams} from "../streams/streams.js";
import {DownMessage} from "./downMessage.js";
import {guardOwnListeners, type OwnPorts} from "./ownListeners.js";
import {Radio, type RadioOptions} from "./radio.js";
import {DEFAULT_TIMINGS, type RadioTimings} from "./types.js";

export interface RadioDeps {
  dataDir: string;
  streams: Streams;
  /** A station's song on the cards that stream it. */
  cards: RadioOptions["cards"];
  fetchPolicy: FetchPolicy;
  speech: Speech;
  bus: EventBus;
  log: Logger;
  ffmpegPath?: string;
  timings?: Partial<RadioTimings>;
  /** This service's own audio addresses (the public URL, the audio listener's). */
  ownOrigins: () => Array<string | undefined>;
  /** This service's own listeners' ports: no station fetch reaches them on any address of this machine. */
  ownPorts: OwnPorts;
}

/** Internet radio for the composition root (docs/radio.md, "Internet radio"). */
export function buildRadio(deps: RadioDeps): Radio {
  const log = deps.log.child("radio");
  // Read at each connect: ffmpeg installed while the service runs is found without a restart.
  const ffmpegPath = () => deps.ffmpegPath ?? requireFfmpeg().path;
  return new Radio({
    streams: deps.streams,
    cards: deps.cards,
    // Stations are chosen by the family or a rule: like feeds, they stay out of the home network
    // unless it is listed in fetch_allow, and never reach this service itself, listed or not.
    policy: guardOwnListeners(deps.fetchPolicy, deps.ownPorts),
    ffmpegPath,
    downMessage: new DownMessage({workDir: path.join(deps.dataDir, "radio"), speech: deps.speech, ffmpegPath, log}),
    timings: {...DEFAULT_TIMINGS, ...deps.timings},
    ownOrigins: () => deps.ownOrigins().filter((o): o is string => typeof o === "string"),
    bus: deps.bus,
    log,
  });
}
