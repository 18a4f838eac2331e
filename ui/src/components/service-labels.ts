/** The app's services (`Service.name`) as a family would call them (a test holds every one named). */
export const SERVICES: Record<string, string> = {
  store: "Storage",
  "url-signer": "Signed links",
  library: "Audio library",
  "open-files": "File handles",
  streams: "Streams",
  "yoto-account": "Yoto account",
  "yoto-players": "Players",
  "yoto-simulator": "Simulated Yoto cloud",
  cards: "Cards",
  stories: "Stories",
  announcer: "Announcements",
  feeds: "Podcast feeds",
  "mqtt-broker": "MQTT broker",
  "mqtt-client": "MQTT connection",
  "ha-bridge": "Home Assistant bridge",
  "media-players": "Home Assistant media players",
  rules: "Rules",
  history: "Listening history",
  logs: "Logs",
  health: "Health",
  "quiet-hours": "Quiet hours",
  "audio-http": "Audio server",
  "admin-http": "Panel and API",
  "upnp-http": "DLNA server",
  upnp: "DLNA renderers and library",
  ssdp: "DLNA discovery",
  sources: "Home media servers",
  archive: "Card archive",
  radio: "Radio",
  narration: "Story narration",
  "streamed-stories": "Streamed stories",
  "family-plan": "Family plan",
  voice: "Voice requests",
  "story-radio": "Story radio",
  "device-links": "Tablet links",
  "player-exposure": "Player switches",
};
export function serviceLabel(name: string): string {
  if (Object.hasOwn(SERVICES, name)) return SERVICES[name] as string;
  const words = name.replaceAll(/[_-]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
