import type {MaStreams, MaTrack} from "./musicAssistantStreams.js";

/**
 * A renderer's AVTransport as Music Assistant reaches it through async_upnp_client: an action by
 * name with its arguments (their XML already escaped), answered with the HTTP status and body.
 */
export interface AvTransport {
  call(action: string, args?: Record<string, string>): Promise<{status: number; body: string; error?: string}>;
  /** The transport escapes arguments itself (AsyncUpnpDmr, as async_upnp_client does); else they are sent escaped. */
  escapes?: boolean;
  /** `can_stop`/`can_play` from what it was told (AsyncUpnpDmr); play_media needs them. */
  can?(action: string): boolean;
  /** `async_wait_for_can_play(max_wait_time)`. */
  waitForCanPlay?(maxSeconds: number): Promise<void>;
}

/**
 * Music Assistant's DLNA player provider driving a renderer, in its order of calls
 * (music-assistant/server `providers/dlna/player.py`, `DLNAPlayer.play_media`):
 * Stop if the transport offers it, SetAVTransportURI with Music Assistant's own DIDL-Lite (so no
 * probe of the URL), wait up to 10 s for Play to be offered (GetCurrentTransportActions every
 * 0.25 s, async_upnp_client `async_wait_for_can_play`), Play, then polls. With flow mode off, the
 * next item is enqueued (`enqueue_next_media` → SetNextAVTransportURI) once the player plays and
 * the item is more than 2 s in (`controllers/player_queues.py`: `corrected_elapsed_time > 2`), and
 * again each time the track the renderer reports (`CurrentTrackURI`, its 4th path part being the
 * queue item, `playback_tracker.py`) moves on. Music Assistant polls every 30 s and works out the
 * time in between; this polls GetTransportInfo and GetPositionInfo every second (async_upnp_client's
 * `async_update` for a device it is not subscribed to), so the tests need not wait that long.
 */
export class MusicAssistantDlna {
  /** Items enqueued with SetNextAVTransportURI, in order. */
  readonly enqueued: number[] = [];
  /** Every action sent, in order (the tests check the order is Music Assistant's). */
  readonly calls: string[] = [];
  /** What the last polls said: the transport's state and the track's URI (`current_track_uri`). */
  readonly polled: {state?: string; trackUri?: string} = {};
  #ticker?: NodeJS.Timeout;
  #elapsed = 0;

  constructor(
    readonly dmr: AvTransport,
    readonly streams: MaStreams,
    readonly flow: boolean,
  ) {}

  /** `play_media` for the queue's first item, then the queue's own enqueueing while it plays. */
  async play(): Promise<void> {
    const actions = await this.#call("GetCurrentTransportActions");
    const offered = /<Actions>([^<]*)<\/Actions>/.exec(actions.body)?.[1] ?? "";
    if (offered === "" || offered.split(",").includes("Stop")) await this.#call("Stop");
    const url = this.streams.url(this.flow ? "flow" : "single", 0);
    await this.#call("SetAVTransportURI", {CurrentURI: url, CurrentURIMetaData: this.didl(0, url)});
    for (let waited = 0; waited < 10_000; waited += 250) {
      const now = await this.#call("GetCurrentTransportActions");
      const can = /<Actions>([^<]*)<\/Actions>/.exec(now.body)?.[1] ?? "";
      if (can === "" || can.split(",").includes("Play")) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const played = await this.#call("Play", {Speed: "1"});
    if (played.status !== 200) throw new Error(`Play was refused: ${played.error ?? played.body}`);
    // A renderer gone (the test over) is what Music Assistant meets too: it logs and polls on.
    if (!this.flow) this.#ticker = setInterval(() => void this.#tick().catch(() => undefined), 1000);
  }

  stop(): void {
    clearInterval(this.#ticker);
  }

  /** The queue item the renderer says it plays (`CurrentTrackURI`'s 4th path part), if one of ours. */
  current(): number | undefined {
    const uri = this.polled.trackUri ?? "";
    if (!uri.startsWith(this.streams.origin)) return undefined;
    const parts = new URL(uri).pathname.split("/").filter(Boolean);
    const item = Number(parts[3]);
    return Number.isInteger(item) ? item : undefined;
  }

  /**
   * `helpers/upnp.py: create_didl_metadata` (`helpers/didl_lite.py` before), a track with a duration (flow mode sends the first
   * item's too, from 2025): every non-ASCII character as `&#…;`, and Sonos' `desc` at the end.
   */
  didl(item: number, url: string): string {
    const t = this.streams.tracks[item] as MaTrack;
    const ext = url.split(".").pop()?.split("?")[0] ?? "";
    const mime = ext === "mp3" ? "audio/mpeg" : `audio/${ext}`;
    // `str(datetime.timedelta(seconds=duration)) + ".000"` of the item's whole seconds: "0:00:12.000".
    const seconds = t.duration ?? t.seconds;
    const duration = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.000`;
    const id = `${item}`;
    return (
      '<DIDL-Lite xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:r="urn:schemas-rinconnetworks-com:metadata-1-0/">' +
      `<item id="${id}" restricted="true" parentID="${this.streams.queue}">` +
      `<dc:title>${escapeMetadata(t.name)}</dc:title><dc:creator>${escapeMetadata(t.artist)}</dc:creator>` +
      `<upnp:album>${escapeMetadata(t.album)}</upnp:album><upnp:artist>${escapeMetadata(t.artist)}</upnp:artist>` +
      `<dc:queueItemId>${id}</dc:queueItemId><dc:description>Music Assistant</dc:description>` +
      `<upnp:albumArtURI>${escapeMetadata(`${this.streams.origin}/imageproxy?size=512&fmt=jpeg`)}</upnp:albumArtURI>` +
      "<upnp:class>object.item.audioItem.musicTrack</upnp:class>" +
      `<res duration="${duration}" protocolInfo="http-get:*:${mime}:DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01500000000000000000000000000000">${escapeMetadata(url)}</res>` +
      '<desc id="cdudn" nameSpace="urn:schemas-rinconnetworks-com:metadata-1-0/">RINCON_AssociatedZPUDN</desc>' +
      "</item></DIDL-Lite>"
    );
  }

  async #tick(): Promise<void> {
    const info = await this.#call("GetTransportInfo");
    this.polled.state = /<CurrentTransportState>([^<]*)<\/CurrentTransportState>/.exec(info.body)?.[1];
    const position = await this.#call("GetPositionInfo");
    const rel = /<RelTime>(\d+):(\d+):(\d+)<\/RelTime>/.exec(position.body);
    this.#elapsed = rel ? Number(rel[1]) * 3600 + Number(rel[2]) * 60 + Number(rel[3]) : 0;
    this.polled.trackUri = unescapeText(/<TrackURI>([^<]*)<\/TrackURI>/.exec(position.body)?.[1] ?? "");
    const current = this.current();
    if (current === undefined || this.polled.state !== "PLAYING" || this.#elapsed <= 2) return;
    const next = current + 1;
    if (next >= this.streams.tracks.length || this.enqueued.includes(next)) return;
    this.enqueued.push(next);
    const url = this.streams.url("single", next);
    await this.#call("SetNextAVTransportURI", {NextURI: url, NextURIMetaData: this.didl(next, url)});
  }

  /**
   * `DLNAPlayer.play_media` for queue item `item` (player.py), which is also what Music
   * Assistant's skip, seek and previous send (`player_queues.py` plays an item with the player's
   * play_media): Stop if it is offered, SetAVTransportURI with its DIDL-Lite,
   * `async_wait_for_can_play(10)`, Play if it is offered, then polls at +1 s and +2 s
   * (`async_update`: GetTransportInfo, and GetPositionInfo once PLAYING or PAUSED_PLAYBACK).
   */
  async playMedia(item: number): Promise<void> {
    const {can, waitForCanPlay} = this.dmr;
    if (!can || !waitForCanPlay) throw new Error("play_media reads what the renderer offers: give it an AsyncUpnpDmr");
    if (can.call(this.dmr, "stop")) await this.#call("Stop");
    // In flow mode a skip is a new flow stream from that item (controllers/streams.py).
    const url = this.streams.url(this.flow ? "flow" : "single", item);
    await this.#call("SetAVTransportURI", {CurrentURI: url, CurrentURIMetaData: this.didl(item, url)});
    await waitForCanPlay.call(this.dmr, 10);
    if (can.call(this.dmr, "play")) {
      const played = await this.#call("Play", {Speed: "1"});
      if (played.status !== 200) throw new Error(`Play was refused: ${played.error ?? played.body}`);
    }
    for (const seconds of [1, 2]) {
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      await this.#tick();
    }
  }

  async #call(action: string, args: Record<string, string> = {}) {
    this.calls.push(action);
    if (this.dmr.escapes) return this.dmr.call(action, args);
    return this.dmr.call(action, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, xml(v)])));
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

const unescapeText = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

/** `escape_metadata`: &, < and > escaped, and every character past ASCII as a numeric reference. */
function escapeMetadata(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[^ -~\t\n\r]/gu, (c) => `&#${c.codePointAt(0)};`);
}

/** One more escaping, as a SOAP argument carries XML. */
const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
