import type {ServerResponse} from "node:http";
import {AppError} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {isStreamPath} from "../links/audioPaths.js";
import type {Streams} from "../streams/streams.js";
import type {DownMessage} from "./downMessage.js";
import {type StationPolicy, shownUrl} from "./policyGet.js";
import {Station} from "./station.js";
import {checkStationUrl, resolveStation} from "./stationUrl.js";
import type {RadioNowPlaying, RadioStateChanged, RadioTimings, RadioView} from "./types.js";

declare module "../core/events.js" {
  interface EventMap {
    "radio.songChanged": RadioNowPlaying;
    "radio.stateChanged": RadioStateChanged;
  }
}

export interface RadioOptions {
  streams: Streams;
  /** What each card plays: a card of a station stream shows the station's song. */
  cards?: {find(cardId: string): {source: {type: string; stream?: string}} | undefined};
  policy: StationPolicy;
  ffmpegPath: () => string;
  downMessage: DownMessage;
  timings: RadioTimings;
  /** This service's own audio addresses: a station there would be a stream listening to itself. */
  ownOrigins: () => string[];
  bus: EventBus;
  log: Logger;
}

/**
 * Streams that are internet radio stations (docs/radio.md, "Internet radio"): each station stream gets
 * one Station while anyone listens, which holds the one upstream connection all its players share.
 */
export class Radio implements Service {
  readonly name = "radio";
  readonly #opts: RadioOptions;
  readonly #stations = new Map<string, Station>();

  constructor(opts: RadioOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    const {bus, streams} = this.#opts;
    bus.on(this, "stream.deleted", ({name}) => this.#forget(name));
    // Another station (or none) for the stream: its listeners are let go and reconnect to the new one.
    bus.on(this, "stream.changed", ({name}) => {
      const station = this.#stations.get(name);
      if (station && (!streams.has(name) || streams.get(name).radio?.url !== station.url)) this.#forget(name);
    });
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    for (const name of [...this.#stations.keys()]) this.#forget(name);
    // A message still being spoken is waited for briefly (it writes into the data folder), never
    // for as long as a slow text-to-speech could take.
    await Promise.race([this.#opts.downMessage.settled(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }

  health() {
    const views = [...this.#stations.entries()].map(([name, s]) => ({name, ...s.status()}));
    const down = views.filter((v) => v.state === "down");
    return {
      ...(down.length > 0
        ? {
            degraded: true,
            error: `Not answering: ${down.map((d) => `${d.name} (${d.error ?? "no audio"})`).join("; ")}`,
          }
        : {}),
      details: {
        stations: this.#opts.streams.list().filter((s) => s.radio).length,
        listening: views.filter((v) => v.listeners > 0).length,
        listeners: views.reduce((sum, v) => sum + v.listeners, 0),
        down: down.map((d) => d.name),
      },
    };
  }

  /**
   * Make `stream` play the station at `url` (made when it does not exist), after checking the
   * address answers as a station: a web page, a loop of station files or a refused host is a 400.
   */
  async setStation(stream: string, url: string) {
    // Refused before anything is fetched when the stream's owner (a feed) would take it back.
    this.#opts.streams.judge(stream, {kind: "radio"});
    const checked = checkStationUrl(url);
    // An address this service is known by (its public URL) is refused before anything is fetched.
    this.#refuseOwn(checked);
    const controller = new AbortController();
    try {
      const station = await resolveStation(checked, {
        policy: this.#opts.policy,
        signal: controller.signal,
        timeoutMs: this.#opts.timings.connectTimeoutMs,
      });
      if (station.kind === "icy") station.res.destroy();
      for (const address of [checked, station.url]) this.#refuseOwn(address);
    } catch (err) {
      throw asBadStation(err, checked);
    } finally {
      controller.abort();
    }
    return this.#opts.streams.setRadio(stream, {url: checked});
  }

  #refuseOwn(address: string): void {
    const url = new URL(address);
    const own = this.#opts.ownOrigins().some((o) => {
      try {
        return new URL(o).origin === url.origin;
      } catch {
        return false;
      }
    });
    if (!own) return;
    if (isStreamPath(url.pathname))
      throw new AppError(
        "station_is_own_stream",
        `${shownUrl(address)} is one of this service's own streams: a station stream cannot play a stream (give it the station's own address, or queue the stream's items instead)`,
        {status: 400},
      );
    throw new AppError(
      "station_is_own_listener",
      `${shownUrl(address)} is this service's own address: a station stream cannot play this service (give it the radio station's own address)`,
      {status: 400},
    );
  }

  /** A station stream as the API shows it: how its station is, idle while nobody listens. */
  view(stream: string): RadioView | null {
    const radio = this.#opts.streams.has(stream) ? this.#opts.streams.get(stream).radio : undefined;
    if (!radio) return null;
    const station = this.#stations.get(stream);
    if (station?.url === radio.url) return station.status();
    return {url: shownUrl(radio.url), state: "idle", now_playing: null, error: null, listeners: 0, since: null};
  }

  /**
   * The song a card plays now when it streams a station (ICY StreamTitle), for the listening
   * history, the Players view and Home Assistant's media player; undefined for any other card.
   */
  songOnCard(cardId: string): string | undefined {
    const source = this.#opts.cards?.find(cardId)?.source;
    return source?.type === "stream" && source.stream !== undefined ? this.nowPlaying(source.stream) : undefined;
  }

  nowPlaying(stream: string): string | undefined {
    return this.#stations.get(stream)?.nowPlaying;
  }

  /** A player asks for a station stream's MP3: it joins the station's listeners. */
  listen(stream: string, res: ServerResponse): void {
    const radio = this.#opts.streams.get(stream).radio;
    if (!radio) throw new AppError("not_radio", `Stream '${stream}' is not a radio station`, {status: 409});
    let station = this.#stations.get(stream);
    if (station?.url !== radio.url) {
      this.#forget(stream);
      station = this.#station(stream, radio.url);
      this.#stations.set(stream, station);
    }
    station.add(res);
  }

  #station(stream: string, url: string): Station {
    const {bus} = this.#opts;
    return new Station(url, {
      policy: this.#opts.policy,
      ffmpegPath: this.#opts.ffmpegPath,
      timings: this.#opts.timings,
      log: this.#opts.log,
      downMessage: () => this.#opts.downMessage.get(),
      changed: (state, error) => bus.emit("radio.stateChanged", {stream, state, error}),
      titled: (title) => bus.emit("radio.songChanged", {stream, title}),
    });
  }

  #forget(stream: string): void {
    this.#stations.get(stream)?.close();
    this.#stations.delete(stream);
  }
}

/** Why a station was refused, as a 400 the family can act on (a refused host keeps its own words). */
function asBadStation(err: unknown, url: string): AppError {
  if (err instanceof AppError && err.status < 500) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new AppError("station_not_answering", `The station at ${shownUrl(url)} could not be played: ${why}`, {
    status: 400,
  });
}
