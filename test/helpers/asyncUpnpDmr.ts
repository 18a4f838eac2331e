import {DmrLikeDevice} from "./dmrDevice.js";
import {rawRequest} from "./http.js";
import {AVT, RCS, type SoapAnswer, unescapeXml} from "./upnpHttp.js";

/**
 * A renderer as async_upnp_client's DmrDevice reaches it (StevenLooman/async_upnp_client, what Home
 * Assistant's dlna_dmr and Music Assistant's DLNA provider both use), byte for byte:
 * - an action is `client.py` `UpnpAction.create_request`: `<?xml version="1.0"?>`, the envelope with
 *   `s:encodingStyle` before `xmlns:s`, the arguments in the service description's order, each
 *   escaped as `xml.sax.saxutils.escape` does (`&`, `<`, `>`) and joined by a newline; headers
 *   `SOAPAction` (quoted), `Host` and `Content-Type: text/xml; charset="utf-8"`;
 * - `profiles/dlna.py`: `can_stop`/`can_play` read the evented CurrentTransportActions (lower-cased;
 *   an empty list allows everything), `async_stop`/`async_play` send nothing when it does not offer
 *   them, `async_wait_for_can_play` checks, sleeps 0.25 s, checks again, then polls
 *   GetCurrentTransportActions, until it may play or the time is up.
 * Events come through the subscription DmrLikeDevice keeps (`TIMEOUT: Second-1800`).
 */
export class AsyncUpnpDmr {
  /** Arguments are given as text and escaped here (Music Assistant's helper reads this). */
  readonly escapes = true;
  /** Every action sent, in order, with the transport state the control point knew once it was answered, and when (performance.now()). */
  readonly sent: Array<{action: string; status: number; stateAfter: string | undefined; at: number}> = [];
  /** A polled CurrentTransportActions (the state variable async_upnp_client updates), newer than the events before it. */
  #polled?: {value: string; at: number};

  private constructor(readonly events: DmrLikeDevice) {}

  static async open(base: string): Promise<AsyncUpnpDmr> {
    return new AsyncUpnpDmr(await DmrLikeDevice.open(base));
  }

  get base(): string {
    return this.events.base;
  }

  get state(): Record<string, string> {
    return this.events.state;
  }

  /** `transport_state`: the last TransportState an event brought. */
  get transportState(): string | undefined {
    return this.events.state.TransportState;
  }

  /** `_can_transport_action(action)`: in the CurrentTransportActions known now, or none known. */
  can(action: string): boolean {
    const lastEvent = this.events.events.filter((e) => e.variable === "CurrentTransportActions").at(-1);
    const known =
      this.#polled && (!lastEvent || lastEvent.at <= this.#polled.at) ? this.#polled.value : (lastEvent?.value ?? "");
    const actions = new Set(
      known
        .split(",")
        .map((a) => a.trim().toLowerCase())
        .filter(Boolean),
    );
    return actions.size === 0 || actions.has(action.toLowerCase());
  }

  /** `async_wait_for_can_play(max_wait_time)`. */
  async waitForCanPlay(maxSeconds: number): Promise<void> {
    const end = performance.now() + maxSeconds * 1000;
    while (performance.now() <= end) {
      if (this.can("play")) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (this.can("play")) return;
      const answer = await this.call("GetCurrentTransportActions", {InstanceID: "0"});
      const actions = /<Actions>([^<]*)<\/Actions>/.exec(answer.body)?.[1];
      if (actions !== undefined) this.#polled = {value: unescapeXml(actions), at: Date.now()};
    }
  }

  /** `async_stop`: nothing sent when Stop is not offered now. */
  async stop(): Promise<void> {
    if (this.can("stop")) await this.call("Stop", {InstanceID: "0"});
  }

  /** `async_play`: nothing sent when Play is not offered now. */
  async play(): Promise<void> {
    if (this.can("play")) await this.call("Play", {InstanceID: "0", Speed: "1"});
  }

  /** `async_pause`: nothing sent when Pause is not offered now. */
  async pause(): Promise<void> {
    if (this.can("pause")) await this.call("Pause", {InstanceID: "0"});
  }

  /** `async_next`. */
  async next(): Promise<void> {
    if (this.can("next")) await this.call("Next", {InstanceID: "0"});
  }

  /** `async_set_transport_uri` with metadata already made. */
  async setTransportUri(url: string, metadata: string): Promise<void> {
    await this.call("SetAVTransportURI", {InstanceID: "0", CurrentURI: url, CurrentURIMetaData: metadata});
  }

  /**
   * `UpnpAction.async_call`: `args` in the description's order (InstanceID first), as plain text.
   * Also what Music Assistant's player helper calls (its AvTransport).
   */
  async call(
    action: string,
    args: Record<string, string> = {},
    service: "AVTransport" | "RenderingControl" = "AVTransport",
  ): Promise<SoapAnswer> {
    const type = service === "AVTransport" ? AVT : RCS;
    const url = new URL(`${this.base}/${service}/control`);
    const soapArgs = Object.entries({InstanceID: "0", ...args})
      .map(([name, value]) => `<${name}>${saxEscape(value)}</${name}>`)
      .join("\n");
    const body =
      '<?xml version="1.0"?>' +
      '<s:Envelope s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">' +
      `<s:Body><u:${action} xmlns:u="${type}">${soapArgs}</u:${action}></s:Body></s:Envelope>`;
    const res = await rawRequest(url.href, {
      method: "POST",
      headers: {SOAPAction: `"${type}#${action}"`, Host: url.host, "Content-Type": 'text/xml; charset="utf-8"'},
      body,
    });
    const text = res.body.toString();
    const code = /<errorCode>(\d+)<\/errorCode>/.exec(text)?.[1];
    const error = /<errorDescription>([^<]*)<\/errorDescription>/.exec(text)?.[1];
    this.sent.push({action, status: res.status, stateAfter: this.transportState, at: performance.now()});
    return {
      status: res.status,
      body: text,
      ...(code ? {code: Number(code)} : {}),
      ...(error !== undefined ? {error: unescapeXml(error)} : {}),
    };
  }
}

/** `xml.sax.saxutils.escape`: `&` first, then `<` and `>`; quotes stay. */
const saxEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Home Assistant's `dlna_dmr` `async_play_media` for a URL (homeassistant/components/dlna_dmr/
 * media_player.py, `media_type` "music", no extra): DIDL-Lite from async_upnp_client's
 * `construct_play_media_metadata` (a HEAD with `GetContentFeatures.dlna.org: 1` for the type and
 * DLNA features, the class MEDIA_UPNP_CLASS_MAP gives music, the title "Home Assistant", written
 * by python-didl-lite's `to_xml_string`), then Stop if offered, SetAVTransportURI, and — only if
 * the transport it was told of is not PLAYING — `async_wait_for_can_play()` (5 s) and Play.
 */
export async function homeAssistantPlayMedia(
  dmr: AsyncUpnpDmr,
  url: string,
): Promise<"played" | "left as it was playing"> {
  const head = await rawRequest(url, {method: "HEAD", headers: {"GetContentFeatures.dlna.org": "1"}});
  const type = head.status >= 200 && head.status < 300 ? String(head.headers["content-type"] ?? "") : "";
  const features = String(head.headers["contentfeatures.dlna.org"] ?? "*");
  const mime = type || "application/octet-stream";
  const didl =
    '<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" xmlns:sec="http://www.sec.co.kr/">' +
    '<item id="0" parentID="-1" restricted="false"><dc:title>Home Assistant</dc:title>' +
    "<upnp:class>object.item.audioItem.musicTrack</upnp:class>" +
    `<res protocolInfo="http-get:*:${saxEscape(mime)}:${saxEscape(features)}">${saxEscape(url)}</res></item></DIDL-Lite>`;
  await dmr.stop();
  await dmr.setTransportUri(url, didl);
  if (dmr.transportState === "PLAYING") return "left as it was playing";
  await dmr.waitForCanPlay(5);
  await dmr.play();
  return "played";
}
