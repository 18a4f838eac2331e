import path from "node:path";
import type {SupervisorAccess} from "../broker/choice.js";
import type {Config} from "../config/schema.js";
import {SECRET_OPTIONS} from "../config/schema.js";
import {EventBus} from "../core/events.js";
import {FetchPolicy} from "../core/fetchPolicy.js";
import {Logger} from "../core/logger.js";
import {OpenFiles} from "../files/openFiles.js";
import {Library} from "../library/library.js";
import {PublicLinks} from "../links/publicLinks.js";
import {UrlSigner} from "../links/urlSigner.js";
import {Logs} from "../logs/logs.js";
import {Speech} from "../speech/speech.js";
import {Store} from "../store/store.js";
import {Streams} from "../streams/streams.js";
import type {AppOptions} from "./appOptions.js";
import type {LateWiring} from "./lateWiring.js";
import {type ZoneInUse, zoneInUse} from "./timeZone.js";

/** The ground every other service stands on: config, log, bus, state, the library and its streams. */
export interface Base {
  config: Config;
  homeAssistant: boolean;
  version: string;
  log: Logger;
  zone: ZoneInUse;
  dataDir: string;
  host: string;
  supervisor: SupervisorAccess;
  /** Home Assistant Core through the Supervisor, when running as the add-on with a token. */
  haCore?: SupervisorAccess;
  bus: EventBus;
  logs: Logs;
  store: Store;
  signer: UrlSigner;
  links: PublicLinks;
  library: Library;
  files: OpenFiles;
  streams: Streams;
  fetchPolicy: FetchPolicy;
  speech: Speech;
}

/** Phase 1 of the composition root: nothing here knows Yoto's cloud or any face. */
export function buildBase(opts: AppOptions, late: LateWiring): Base {
  const {config} = opts;
  const homeAssistant = opts.homeAssistant ?? false;
  const log = opts.log ?? new Logger({level: config.log_level});
  for (const option of SECRET_OPTIONS) log.addSecret(config[option] as string | undefined);
  // Said once at start, and on the Health page until fixed: a wrong TZ moves every bedtime.
  const zone = zoneInUse(opts.timeZone);
  if (zone.problem) log.warning(zone.problem);
  const dataDir = path.resolve(config.data_dir);
  const bus = new EventBus(log.child("events"));
  const logs = new Logs({log, bus});
  const store = new Store(dataDir, log.child("store"), opts.store);
  const signer = new UrlSigner(dataDir, log.child("signer"));
  const library = new Library({
    mediaDirs: config.media_dirs.map((d) => path.resolve(d)),
    uploadsDir: path.join(dataDir, "uploads"),
    store,
    bus,
    log: log.child("library"),
  });
  const files = new OpenFiles(bus, log.child("files"));
  const streams = new Streams({
    store,
    library,
    files,
    bus,
    log: log.child("streams"),
    firstWaitMs: opts.streams?.firstWaitMs,
  });
  const supervisor = opts.supervisor ?? {url: "http://supervisor"};
  const haCore = homeAssistant && supervisor.token ? supervisor : undefined;
  // What others choose for us to fetch (announcement media, feeds) stays out of the home network.
  const fetchPolicy = new FetchPolicy(config.fetch_allow);
  fetchPolicy.trust(late.publicUrl);
  fetchPolicy.trust(late.audioUrl);
  fetchPolicy.neverFetch(late.neverFetched);
  return {
    config,
    homeAssistant,
    version: opts.version ?? "0.0.0",
    log,
    zone,
    dataDir,
    host: opts.host ?? "0.0.0.0",
    supervisor,
    haCore,
    bus,
    logs,
    store,
    signer,
    links: new PublicLinks(signer, late.publicUrl),
    library,
    files,
    streams,
    fetchPolicy,
    // One text-to-speech for announcements and spoken stream items: it looks for a local engine once.
    speech: new Speech({core: haCore, engine: config.tts_engine, language: config.tts_language}),
  };
}
