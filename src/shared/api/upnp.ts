/** The DLNA renderers as the panel shows them (`GET /api/upnp`). */

/** A control point that fetched a renderer's description or sent it a request, and when (ISO 8601). */
export interface UpnpSeenBy {
  address: string;
  at: string;
}

/** One player's renderer. */
export interface UpnpRendererView {
  player_id: string;
  name: string;
  /** Served: the `upnp` option and the player's own switch are both on. */
  enabled: boolean;
  udn: string;
  location: string;
  /** Control points subscribed to its events now. */
  subscribers: number;
  /** Newest first, at most 5. */
  seen_by: UpnpSeenBy[];
  last_action: {name: string; at: string} | null;
}

/** The family's library as a UPnP/DLNA media server (`upnp_library`). */
export interface UpnpLibraryView {
  udn: string;
  /**
   * Its description's address, for apps that can be given one (VLC, Kodi, BubbleUPnP). Home
   * Assistant's DLNA Digital Media Server cannot: it finds the library by SSDP only.
   */
  location: string;
  /** Control points subscribed to its events now. */
  subscribers: number;
}

export interface UpnpStatus {
  /** The `upnp` option. */
  enabled: boolean;
  port: number;
  ssdp: {port: number; scope: "machine" | "network"};
  renderers: UpnpRendererView[];
  /** null when `upnp_library` (or `upnp`) is off. */
  library: UpnpLibraryView | null;
}
