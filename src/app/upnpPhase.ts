import {archivedTrackKeys} from "../archive/audioPaths.js";
import {whereToSet} from "../config/whereToSet.js";
import {errorMessage} from "../core/errors.js";
import {FloodSummary} from "../core/floodSummary.js";
import {HttpListener} from "../http/listener.js";
import {PACKAGE_ROOT} from "../paths.js";
import {MediaServer} from "../upnpLibrary/mediaServer.js";
import {librarySections} from "../upnpLibrary/sections/index.js";
import {ICON_FILE, UpnpRenderers} from "../upnpRenderers/renderers.js";
import {SINK_TYPES} from "../upnpRenderers/rendererTables.js";
import type {AppOptions} from "./appOptions.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";
import type {Faces} from "./facesPhase.js";
import type {LateWiring} from "./lateWiring.js";

/**
 * Phase 5 of the composition root: every player as a UPnP MediaRenderer, over what the phases
 * before built: the players, their mute and switches, the announcer's relay card, the streams'
 * cards, and the play gate (quiet hours; bedtime and a used-up budget arrive as quiet too).
 */
export function buildRenderers(
  app: Base & Cloud & Content & Faces,
  opts: AppOptions,
  late: LateWiring,
): {upnp: UpnpRenderers; listener?: HttpListener} {
  const {config, players, announcer, log} = app;
  const upnpLog = log.child("upnp");
  let listener: HttpListener | undefined;
  const libraryLog = log.child("upnp-library");
  // The family's library as a MediaServer beside the renderers (upnp_library), on their listener and SSDP.
  const sections = config.upnp && config.upnp_library ? librarySections(app) : [];
  const ownPorts = () => ({...late.ownPorts(), MQTT: app.broker.summary().port, UPnP: listener?.port});
  const library =
    config.upnp && config.upnp_library
      ? new MediaServer({
          name: () => "Yoto Smart Stream",
          version: app.version,
          sections: () => sections,
          sourceTypes: SINK_TYPES,
          flood: new FloodSummary(libraryLog),
          log: libraryLog,
          bus: app.bus,
          ownPorts,
        })
      : undefined;
  const upnp = new UpnpRenderers({
    enabled: config.upnp,
    httpPort: () => listener?.port ?? config.upnp_port,
    listening: () => listener?.listening === true,
    ssdpPort: config.ssdp_port,
    ssdpScope: opts.ssdpScope ?? "machine",
    allow: config.upnp_allow,
    exposed: (playerId) => app.exposure.get(playerId).upnp,
    players,
    deps: {
      players,
      mutes: app.mutes,
      announcer,
      playStream: (player, stream, start) => app.cards.playStream(player, stream, start),
      archivedTrack: (at) => archivedTrackKeys(app.archive, at),
      // The play gate's plan, as every route into a player asks it.
      mayNotPlay: (playerId) => app.gate.why(playerId),
      ...(opts.castSource ? {sourceLimits: opts.castSource} : {}),
      refused: (playerId, logged, asked, why) => {
        upnpLog.info(logged);
        if (asked) void app.gate.refused(playerId, {route: "upnp", what: asked}, why);
      },
      castEnded: (playerId, text) =>
        void app.family
          .castEnded(playerId, text)
          .catch((err) => upnpLog.warning(`The family journal did not take a cast's end: ${errorMessage(err)}`)),
      target: {
        policy: app.fetchPolicy,
        ownPorts,
        ownOrigins: () =>
          late
            .ownOrigins()
            .filter((o): o is string => typeof o === "string")
            .map((o) => new URL(o).origin),
      },
    },
    store: app.store,
    bus: app.bus,
    version: app.version,
    iconFile: ICON_FILE(PACKAGE_ROOT),
    log: upnpLog,
    ...(library ? {library} : {}),
  });
  if (!config.upnp) return {upnp};
  // Its own listener, on the home network only: never the audio port, which faces the internet.
  listener = new HttpListener(
    "upnp-http",
    upnp.app,
    {
      host: app.host,
      port: config.upnp_port,
      portInUse: `choose another port ${whereToSet("upnp_port", app.homeAssistant)}`,
      // The panel, the players and Home Assistant's MQTT go on without the renderers.
      optional: true,
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 60_000,
      connections: {total: 64, perClient: app.network.perClient},
    },
    upnpLog,
  );
  return {upnp, listener};
}
