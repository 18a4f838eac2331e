import {rawRequest} from "./http.js";
import {actionBody, unescapeXml} from "./upnpHttp.js";

/**
 * A control point as async_upnp_client's DmsDevice is (Home Assistant's dlna_dms media browser):
 * it reads the description for the services' control URLs and the icons, polls GetProtocolInfo,
 * GetSystemUpdateID, GetSearchCapabilities and GetSortCapabilities once (async_update), and then
 * calls Browse and Search with every argument, in the SCPD's order, as async_browse_metadata,
 * async_browse_direct_children and async_search_directory do (Filter "*" and SortCriteria "" unless
 * given; Home Assistant gives its own, below).
 */

/** dlna_dms's Filter for a folder's children (DLNA_BROWSE_FILTER). */
export const HA_BROWSE_FILTER = ["id", "upnp:class", "dc:title", "res", "@childCount", "upnp:albumArtURI"];
/** dlna_dms's Filter when it resolves one object to play (DLNA_RESOLVE_FILTER). */
export const HA_RESOLVE_FILTER = ["id", "upnp:class", "dc:title", "res"];
/** dlna_dms's wanted sort (DLNA_SORT_CRITERIA): it sends those GetSortCapabilities lists. */
export const HA_SORT_CRITERIA = ["+upnp:class", "+upnp:originalTrackNumber", "+dc:title"];

const CD = "urn:schemas-upnp-org:service:ContentDirectory:1";
const CM = "urn:schemas-upnp-org:service:ConnectionManager:1";

export interface DidlObject {
  tag: "container" | "item";
  id: string;
  parentId: string;
  title: string;
  upnpClass: string;
  childCount?: string;
  albumArtUri?: string;
  res?: string;
  protocolInfo?: string;
}

export interface DmsBrowseResult {
  result: DidlObject[];
  numberReturned: number;
  totalMatches: number;
  updateId: number;
}

export interface DeviceIcon {
  mimetype: string;
  width: number;
  height: number;
  depth: number;
  url: string;
}

const element = (xml: string, name: string) =>
  new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`).exec(xml)?.[1] as string | undefined;

/** DIDL-Lite as didl_lite.from_xml_string reads what dlna_dms uses of it. */
export function didlObjects(didl: string): DidlObject[] {
  return [...didl.matchAll(/<(container|item) ([^>]*)>(.*?)<\/\1>/gs)].map(([, tag, attrs = "", body = ""]) => {
    const attr = (text: string, name: string) => {
      const m = new RegExp(`\\b${name}="([^"]*)"`).exec(text);
      return m ? unescapeXml(m[1] as string) : undefined;
    };
    const text = (name: string) => {
      const raw = element(body, name);
      return raw === undefined ? undefined : unescapeXml(raw);
    };
    const res = /<res ([^>]*)>([^<]*)<\/res>/.exec(body);
    const art = text("upnp:albumArtURI");
    return {
      tag: tag as DidlObject["tag"],
      id: attr(attrs, "id") as string,
      parentId: attr(attrs, "parentID") as string,
      title: text("dc:title") as string,
      upnpClass: text("upnp:class") as string,
      ...(attr(attrs, "childCount") !== undefined ? {childCount: attr(attrs, "childCount")} : {}),
      ...(art !== undefined ? {albumArtUri: art} : {}),
      ...(res ? {res: unescapeXml(res[2] as string), protocolInfo: attr(res[1] as string, "protocolInfo")} : {}),
    };
  });
}

export class DmsLikeDevice {
  sourceProtocolInfo: string[] = [];
  searchCapabilities: string[] = [];
  sortCapabilities: string[] = [];
  systemUpdateId = 0;

  private constructor(
    readonly descriptionUrl: string,
    readonly icons: DeviceIcon[],
    private readonly control: Record<"CD" | "CM", string>,
  ) {}

  /** Reads the description (as UpnpFactory does) and makes the first async_update's calls. */
  static async open(descriptionUrl: string): Promise<DmsLikeDevice> {
    const res = await rawRequest(descriptionUrl);
    if (res.status !== 200) throw new Error(`the description answered ${res.status}`);
    const xml = res.body.toString();
    const url = (path: string) => new URL(path, descriptionUrl).href;
    const controlOf = (type: string) => {
      const service = [...xml.matchAll(/<service>(.*?)<\/service>/gs)].find((m) => m[1]?.includes(type))?.[1] ?? "";
      return url(element(service, "controlURL") ?? "");
    };
    const icons = [...xml.matchAll(/<icon>(.*?)<\/icon>/gs)].map(([, icon = ""]) => ({
      mimetype: element(icon, "mimetype") ?? "",
      width: Number(element(icon, "width")),
      height: Number(element(icon, "height")),
      depth: Number(element(icon, "depth")),
      url: url(element(icon, "url") ?? ""),
    }));
    const device = new DmsLikeDevice(descriptionUrl, icons, {CD: controlOf(CD), CM: controlOf(CM)});
    await device.update();
    return device;
  }

  /** DmsProfile.icon: the biggest icon by area, then depth, then PNG before JPEG before GIF. */
  get icon(): string | undefined {
    const rank = (i: DeviceIcon) => ({"image/png": 3, "image/jpeg": 2, "image/gif": 1})[i.mimetype] ?? 0;
    return [...this.icons].sort(
      (a, b) => b.width * b.height - a.width * a.height || b.depth - a.depth || rank(b) - rank(a),
    )[0]?.url;
  }

  /** The first async_update: ConnectionManagerMixin's GetProtocolInfo, then the CD's three polls. */
  async update(): Promise<void> {
    const split = (text = "") => (text ? text.split(",") : []);
    this.sourceProtocolInfo = split((await this.call("CM", "GetProtocolInfo", {})).Source);
    this.systemUpdateId = Number((await this.call("CD", "GetSystemUpdateID", {})).Id);
    this.searchCapabilities = split((await this.call("CD", "GetSearchCapabilities", {})).SearchCaps);
    this.sortCapabilities = split((await this.call("CD", "GetSortCapabilities", {})).SortCaps);
  }

  /** dlna_dms's sort: those of its wanted criteria the server lists. */
  haSort(): string[] {
    return HA_SORT_CRITERIA.filter((c) => this.sortCapabilities.includes(c.slice(1)));
  }

  async browseMetadata(objectId: string, filter: string[] | string = "*"): Promise<DidlObject> {
    const answer = await this.#browse(objectId, "BrowseMetadata", filter, 0, 0, "");
    const [object] = answer.result;
    if (!object) throw new Error(`BrowseMetadata of ${objectId} gave no object`);
    return object;
  }

  browseDirectChildren(
    objectId: string,
    filter: string[] | string = "*",
    startingIndex = 0,
    requestedCount = 0,
    sortCriteria: string[] | string = "",
  ): Promise<DmsBrowseResult> {
    return this.#browse(objectId, "BrowseDirectChildren", filter, startingIndex, requestedCount, sortCriteria);
  }

  async searchDirectory(
    containerId: string,
    searchCriteria: string,
    filter: string[] | string = "*",
    startingIndex = 0,
    requestedCount = 0,
    sortCriteria: string[] | string = "",
  ): Promise<DmsBrowseResult> {
    return this.#result(
      await this.call("CD", "Search", {
        ContainerID: containerId,
        SearchCriteria: searchCriteria,
        Filter: joined(filter),
        StartingIndex: String(startingIndex),
        RequestedCount: String(requestedCount),
        SortCriteria: joined(sortCriteria),
      }),
    );
  }

  async #browse(
    objectId: string,
    flag: string,
    filter: string[] | string,
    startingIndex: number,
    requestedCount: number,
    sortCriteria: string[] | string,
  ): Promise<DmsBrowseResult> {
    return this.#result(
      await this.call("CD", "Browse", {
        ObjectID: objectId,
        BrowseFlag: flag,
        Filter: joined(filter),
        StartingIndex: String(startingIndex),
        RequestedCount: String(requestedCount),
        SortCriteria: joined(sortCriteria),
      }),
    );
  }

  #result(out: Record<string, string>): DmsBrowseResult {
    return {
      result: didlObjects(out.Result ?? ""),
      numberReturned: Number(out.NumberReturned),
      totalMatches: Number(out.TotalMatches),
      updateId: Number(out.UpdateID),
    };
  }

  /** One action as UpnpAction.async_call sends it: the arguments escaped, SOAPACTION quoted. */
  async call(service: "CD" | "CM", action: string, args: Record<string, string>): Promise<Record<string, string>> {
    const type = service === "CD" ? CD : CM;
    const escaped = Object.fromEntries(
      Object.entries(args).map(([k, v]) => [k, v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")]),
    );
    const res = await rawRequest(this.control[service], {
      method: "POST",
      headers: {"Content-Type": 'text/xml; charset="utf-8"', SOAPACTION: `"${type}#${action}"`},
      body: actionBody(type, action, escaped),
    });
    const body = res.body.toString();
    if (res.status !== 200)
      throw new Error(`${action} answered ${res.status}: ${element(body, "errorDescription") ?? body.slice(0, 200)}`);
    const inner = new RegExp(`<u:${action}Response[^>]*>(.*)</u:${action}Response>`, "s").exec(body)?.[1] ?? "";
    return Object.fromEntries(
      [...inner.matchAll(/<([A-Za-z]+)>([^<]*)<\/\1>/g)].map(([, k = "", v = ""]) => [k, unescapeXml(v)]),
    );
  }
}

const joined = (value: string[] | string) => (typeof value === "string" ? value : value.join(","));
