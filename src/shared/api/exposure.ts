/** Which of Home Assistant's ways in each player offers (`/api/players/<player>/exposure`). */

/** Both on unless a parent turned one off in the player's details. */
export interface Exposure {
  /** The player as a media player through the MQTT Media Player integration (HACS). */
  media_player: boolean;
  /** The player as a UPnP/DLNA renderer (Home Assistant's DLNA integration, Music Assistant…). */
  upnp: boolean;
}

/** `player.exposureChanged`: a player's switches as saved. */
export interface ExposureChanged {
  playerId: string;
  exposure: Exposure;
}
