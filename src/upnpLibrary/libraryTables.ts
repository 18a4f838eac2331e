import {CONNECTION_MANAGER, type ServiceTable} from "../upnp/serviceTables.js";

/**
 * The MediaServer's two services as tables, in the renderer's shape (the kit's, src/upnp/serviceTables.ts):
 * the SCPDs are written from them and every SOAP call is checked against them.
 */

export const MEDIA_SERVER_TYPE = "urn:schemas-upnp-org:device:MediaServer:1";

export type LibraryServiceKey = "ContentDirectory" | "ConnectionManager";

/** What Search understands (GetSearchCapabilities): Home Assistant finds a path by @parentID and dc:title. */
export const SEARCH_CAPABILITIES =
  "@id,@parentID,dc:title,upnp:class,dc:creator,upnp:artist,upnp:album,dc:date,upnp:originalTrackNumber";
/**
 * What SortCriteria may name (GetSortCapabilities): exactly what Browse and Search sort by (sort.ts).
 * Home Assistant sorts by those of +upnp:class,+upnp:originalTrackNumber,+dc:title it finds here, so
 * in a folder it lists the folders first, then the tracks in their order (as with MiniDLNA).
 */
export const SORT_CAPABILITIES = "dc:title,dc:date,upnp:class,upnp:originalTrackNumber";

const browseLike = [
  ["Filter", "A_ARG_TYPE_Filter"],
  ["StartingIndex", "A_ARG_TYPE_Index"],
  ["RequestedCount", "A_ARG_TYPE_Count"],
  ["SortCriteria", "A_ARG_TYPE_SortCriteria"],
] as const;

const results = [
  ["Result", "A_ARG_TYPE_Result"],
  ["NumberReturned", "A_ARG_TYPE_Count"],
  ["TotalMatches", "A_ARG_TYPE_Count"],
  ["UpdateID", "A_ARG_TYPE_UpdateID"],
] as const;

const contentDirectory: ServiceTable = {
  type: "urn:schemas-upnp-org:service:ContentDirectory:1",
  id: "urn:upnp-org:serviceId:ContentDirectory",
  actions: {
    GetSearchCapabilities: {in: [], out: [["SearchCaps", "SearchCapabilities"]]},
    GetSortCapabilities: {in: [], out: [["SortCaps", "SortCapabilities"]]},
    GetSystemUpdateID: {in: [], out: [["Id", "SystemUpdateID"]]},
    Browse: {
      in: [["ObjectID", "A_ARG_TYPE_ObjectID"], ["BrowseFlag", "A_ARG_TYPE_BrowseFlag"], ...browseLike],
      out: results,
    },
    Search: {
      in: [["ContainerID", "A_ARG_TYPE_ObjectID"], ["SearchCriteria", "A_ARG_TYPE_SearchCriteria"], ...browseLike],
      out: results,
    },
  },
  variables: [
    {name: "SearchCapabilities", type: "string"},
    {name: "SortCapabilities", type: "string"},
    {name: "SystemUpdateID", type: "ui4", events: true},
    {name: "ContainerUpdateIDs", type: "string", events: true},
    {name: "A_ARG_TYPE_ObjectID", type: "string"},
    {name: "A_ARG_TYPE_Result", type: "string"},
    {name: "A_ARG_TYPE_SearchCriteria", type: "string"},
    {name: "A_ARG_TYPE_BrowseFlag", type: "string", allowed: ["BrowseMetadata", "BrowseDirectChildren"]},
    {name: "A_ARG_TYPE_Filter", type: "string"},
    {name: "A_ARG_TYPE_SortCriteria", type: "string"},
    {name: "A_ARG_TYPE_Index", type: "ui4"},
    {name: "A_ARG_TYPE_Count", type: "ui4"},
    {name: "A_ARG_TYPE_UpdateID", type: "ui4"},
  ],
};

export const LIBRARY_SERVICES: Readonly<Record<LibraryServiceKey, ServiceTable>> = {
  ContentDirectory: contentDirectory,
  // The same service as a renderer's: only its Source list differs (see mediaServer.ts).
  ConnectionManager: CONNECTION_MANAGER,
};

export const LIBRARY_SERVICE_KEYS = Object.keys(LIBRARY_SERVICES) as LibraryServiceKey[];
