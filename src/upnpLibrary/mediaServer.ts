import type {Context} from "koa";
import {errorMessage} from "../core/errors.js";
import type {EventBus, EventName} from "../core/events.js";
import type {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import {answerControl, getOrHead} from "../upnp/control.js";
import {scpdOf} from "../upnp/descriptions.js";
import {propertySet, Subscriptions} from "../upnp/gena.js";
import {genaRequest} from "../upnp/genaHttp.js";
import type {OwnPorts} from "../upnp/genaSubscribers.js";
import type {HostedDevice} from "../upnp/hostedDevice.js";
import {UpnpError} from "../upnp/soap.js";
import type {SsdpDevice} from "../upnp/ssdpAnswers.js";
import {ContentDirectory} from "./contentDirectory.js";
import {serverDescription} from "./description.js";
import {ICON_SIZES, type IconSize, libraryIcon} from "./icon.js";
import {LIBRARY_SERVICE_KEYS, LIBRARY_SERVICES, type LibraryServiceKey, MEDIA_SERVER_TYPE} from "./libraryTables.js";
import {sourceProtocolInfo} from "./profiles.js";
import type {LibrarySection} from "./tree.js";
import {UpdateIds} from "./updateIds.js";

export const LIBRARY_PATH = "/upnp/library";
const ROUTE = /^\/upnp\/library\/(?:(description)\.xml|([A-Za-z]{1,32})\.xml|([A-Za-z]{1,32})\/(control|event))$/;
const ICON_ROUTE = /^\/upnp\/library\/icon-(\d{2,3})\.png$/;
/** The library's own icons (not the renderers' speaker), as its description lists them. */
export const LIBRARY_ICONS = ICON_SIZES.map((size) => ({url: `${LIBRARY_PATH}/icon-${size}.png`, size}));

export interface MediaServerOptions {
  name: () => string;
  version: string;
  sections: () => readonly LibrarySection[];
  /** The audio types items are served as (ConnectionManager's Source). */
  sourceTypes: readonly string[];
  flood: FloodSummary;
  log: Logger;
  /** Content events move SystemUpdateID on (and name their section in ContainerUpdateIDs). */
  bus?: EventBus;
  /** This service's own listeners, which no event CALLBACK may name. */
  ownPorts?: OwnPorts;
}

/** What changes which section's content (by the sections' ids); a change elsewhere still moves SystemUpdateID. */
const CHANGES: ReadonlyArray<readonly [EventName, string]> = [
  ["stream.changed", "streams"],
  ["stream.deleted", "streams"],
  ["archive.changed", "cards"],
  ["feed.followed", "podcasts"],
  ["feed.refreshed", "podcasts"],
  ["library.changed", "library"],
  ["history.changed", "recent"],
];

/**
 * The family's library as one UPnP MediaServer:1 (ContentDirectory and ConnectionManager) on the
 * renderers' listener, for Home Assistant's DLNA media browser, Kodi, VLC and any other control point.
 * SystemUpdateID counts changes to the content; ContainerUpdateIDs says which sections changed.
 */
export class MediaServer implements HostedDevice {
  readonly subs: Subscriptions;
  readonly directory: ContentDirectory;
  readonly #o: MediaServerOptions;
  readonly updates: UpdateIds;
  #udn = "";

  constructor(opts: MediaServerOptions) {
    this.#o = opts;
    this.subs = new Subscriptions(opts.log, opts.ownPorts ? {ownPorts: opts.ownPorts} : {});
    this.updates = new UpdateIds(this.subs);
    this.directory = new ContentDirectory({
      sections: opts.sections,
      title: opts.name,
      systemUpdateId: () => this.updates.system,
      updateIdOf: (id) => this.updates.of(id),
    });
  }

  get udn(): string {
    return this.#udn;
  }

  start(udn: string): void {
    this.#udn = udn;
    for (const [event, sectionId] of CHANGES)
      this.#o.bus?.on(this, event, () =>
        this.changed(this.#o.sections().some((s) => s.id === sectionId) ? sectionId : undefined),
      );
  }

  stop(): void {
    this.#o.bus?.off(this);
    this.updates.stop();
    this.subs.clear();
  }

  subscribers(): number {
    return this.subs.size;
  }

  ssdpDevice(): SsdpDevice {
    return {
      udn: this.#udn,
      deviceType: MEDIA_SERVER_TYPE,
      serviceTypes: LIBRARY_SERVICE_KEYS.map((k) => LIBRARY_SERVICES[k].type),
      descriptionPath: `${LIBRARY_PATH}/description.xml`,
    };
  }

  /** Content changed (in one section, or anywhere): SystemUpdateID moves on and subscribers hear it soon. */
  changed(sectionId?: string): void {
    this.updates.changed(sectionId);
  }

  #variables(key: LibraryServiceKey): Record<string, string> {
    if (key === "ContentDirectory") return {SystemUpdateID: String(this.updates.system), ContainerUpdateIDs: ""};
    return {SourceProtocolInfo: this.#source(), SinkProtocolInfo: "", CurrentConnectionIDs: "0"};
  }

  #source(): string {
    return sourceProtocolInfo(this.#o.sourceTypes);
  }

  async handle(ctx: Context, address: string): Promise<boolean> {
    if (!ctx.path.startsWith(`${LIBRARY_PATH}/`) || !this.#udn) return false;
    const icon = ICON_ROUTE.exec(ctx.path);
    const size = Number(icon?.[1]) as IconSize;
    if (icon && ICON_SIZES.includes(size)) {
      if (!getOrHead(ctx)) return true;
      ctx.type = "image/png";
      ctx.body = libraryIcon(size);
      return true;
    }
    const m = ROUTE.exec(ctx.path);
    if (!m) {
      ctx.status = 404;
      ctx.body = "No such document of the library's media server\n";
      return true;
    }
    const [, description, scpd, service, kind] = m;
    const key = (scpd ?? service) as LibraryServiceKey | undefined;
    if (key !== undefined && !LIBRARY_SERVICE_KEYS.includes(key)) {
      ctx.status = 404;
      ctx.body = `The library has no service ${key}: it has ${LIBRARY_SERVICE_KEYS.join(", ")}\n`;
      return true;
    }
    if (description || scpd) {
      if (!getOrHead(ctx)) return true;
      ctx.type = 'text/xml; charset="utf-8"';
      ctx.body = description
        ? serverDescription({udn: this.#udn, name: this.#o.name(), version: this.#o.version, icons: LIBRARY_ICONS})
        : scpdOf(LIBRARY_SERVICES[key as LibraryServiceKey]);
      return true;
    }
    if (kind === "control") await this.#control(ctx, key as LibraryServiceKey);
    else
      genaRequest(ctx, this.subs, key as LibraryServiceKey, address, {
        // As a renderer's: the initial event follows the answer, once the subscriber knows its SID.
        initialEvent: (sub) => void this.subs.send(sub, propertySet(this.#variables(key as LibraryServiceKey))),
      });
    return true;
  }

  async #control(ctx: Context, key: LibraryServiceKey): Promise<void> {
    await answerControl(
      ctx,
      LIBRARY_SERVICES[key],
      async (call) => (key === "ContentDirectory" ? this.directory.run(call.action, call.args) : this.#cm(call)),
      (upnp, cause) => {
        if (!(cause instanceof UpnpError)) this.#o.log.warning(`The library could not answer: ${errorMessage(cause)}`);
        this.#o.flood.warning(
          "refused UPnP library actions",
          `The library refused a ${key} action (error ${upnp.code}): ${upnp.message}`,
        );
      },
    );
  }

  #cm(call: {action: string; args: Record<string, string>}): Record<string, string | number> {
    if (call.action === "GetProtocolInfo") return {Source: this.#source(), Sink: ""};
    if (call.action === "GetCurrentConnectionIDs") return {ConnectionIDs: "0"};
    if (call.args.ConnectionID !== "0")
      throw new UpnpError(706, `There is no connection ${String(call.args.ConnectionID).slice(0, 12)}: only 0`);
    return {
      RcsID: -1,
      AVTransportID: -1,
      ProtocolInfo: "",
      PeerConnectionManager: "",
      PeerConnectionID: -1,
      Direction: "Output",
      Status: "OK",
    };
  }
}
