import type {RadioNowPlaying, RadioState, RadioStateChanged, RadioView} from "../shared/api/streams.js";

export type {RadioNowPlaying, RadioState, RadioStateChanged, RadioView};

/** The station a stream plays, stored with the stream. */
export interface RadioStation {
  url: string;
}

/** The station's times and limits; tests shorten them. */
export interface RadioTimings {
  /** How long the upstream stays open after the last listener left. */
  lingerMs: number;
  /** Until the station's headers (and a station file's body) arrive. */
  connectTimeoutMs: number;
  /** No audio for this long while playing: the connection is dropped and made again. */
  stallMs: number;
  /** No audio for this long: listeners get silence meanwhile. */
  silenceAfterMs: number;
  /** Failing for this long: the station is "down", says so, and players hear the message. */
  downAfterMs: number;
  /** Between spoken messages while down. */
  downMessageEveryMs: number;
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** Unsent bytes a listener may fall behind by before it is let go. */
  listenerBufferBytes: number;
}

export const DEFAULT_TIMINGS: RadioTimings = {
  lingerMs: 10_000,
  connectTimeoutMs: 10_000,
  stallMs: 10_000,
  silenceAfterMs: 1000,
  downAfterMs: 30_000,
  downMessageEveryMs: 30_000,
  firstBackoffMs: 1000,
  maxBackoffMs: 30_000,
  listenerBufferBytes: 512 * 1024,
};
