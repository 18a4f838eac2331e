/**
 * The admin API's wire contract: what each route answers and the panel reads. These files import
 * nothing from the services; services and routes map their own values onto them, so a server
 * change that alters a response is a type error where it is made, and in the panel
 * (`ui/src/data/`), which imports only from here. Types only: nothing here exists at run time.
 */
export type * from "./account.js";
export type * from "./announce.js";
export type * from "./archive.js";
export type * from "./assistants.js";
export type * from "./audit.js";
export type * from "./cards.js";
export type * from "./devices.js";
export type * from "./diagnostics.js";
export type * from "./errors.js";
export type * from "./events.js";
export type * from "./exposure.js";
export type * from "./family.js";
export type * from "./health.js";
export type * from "./history.js";
export type * from "./library.js";
export type * from "./logs.js";
export type * from "./mqtt.js";
export type * from "./pictures.js";
export type * from "./players.js";
export type * from "./quiet.js";
export type * from "./rules.js";
export type * from "./shelf.js";
export type * from "./sources.js";
export type * from "./stories.js";
export type * from "./streams.js";
export type * from "./upnp.js";
export type * from "./virtualPlayers.js";
export type * from "./voice.js";
