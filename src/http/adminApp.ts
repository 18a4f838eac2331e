import Router from "@koa/router";
import Koa from "koa";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Logs} from "../logs/logs.js";
import type {HealthOverview, HealthReport} from "../shared/api/health.js";
import type {AuditLog} from "./audit.js";
import {type AdminAccessPolicy, adminAccess} from "./middleware/adminAccess.js";
import {deviceAccess} from "./middleware/deviceAccess.js";
import {errorResponses} from "./middleware/errors.js";
import {framing} from "./middleware/framing.js";
import {type SameOriginPolicy, sameOrigin} from "./middleware/sameOrigin.js";
import {signIn} from "./middleware/signIn.js";
import {type AnnounceRouteDeps, announceRoutes} from "./routes/announce.js";
import {type ArchiveRouteDeps, archiveRoutes} from "./routes/archive.js";
import {type AssistantRouteDeps, assistantRoutes} from "./routes/assistants.js";
import {type CardRouteDeps, cardRoutes} from "./routes/cards.js";
import {type DeviceRouteDeps, deviceRoutes} from "./routes/devices.js";
import {type DiagnosticsRouteDeps, diagnosticsRoutes} from "./routes/diagnostics.js";
import {eventRoutes} from "./routes/events.js";
import {type FamilyRouteDeps, familyRoutes} from "./routes/family.js";
import {type FeedRouteDeps, feedRoutes} from "./routes/feeds.js";
import {healthRoutes} from "./routes/health.js";
import {type HistoryRouteDeps, historyRoutes} from "./routes/history.js";
import {type LibraryRouteDeps, libraryRoutes} from "./routes/library.js";
import {logRoutes} from "./routes/logs.js";
import {type McpRouteDeps, mcpRoutes} from "./routes/mcp.js";
import {type MqttRouteDeps, mqttRoutes} from "./routes/mqttBroker.js";
import {type OAuthRouteDeps, oauthRoutes} from "./routes/oauth.js";
import {panelRoutes} from "./routes/panel.js";
import {type PictureRouteDeps, pictureRoutes} from "./routes/pictures.js";
import {type PlayerExposureRouteDeps, playerExposureRoutes} from "./routes/playerExposure.js";
import {type QuietRouteDeps, quietRoutes} from "./routes/quietHours.js";
import {type RuleRouteDeps, ruleRoutes} from "./routes/rules.js";
import {type ShelfRouteDeps, shelfRoutes} from "./routes/shelf.js";
import {type SourceRouteDeps, sourceRoutes} from "./routes/sources.js";
import {type StoryRouteDeps, storyRoutes} from "./routes/stories.js";
import {storyExportRoutes} from "./routes/storyExport.js";
import {storyImportRoutes} from "./routes/storyImport.js";
import {type StreamRouteDeps, streamRoutes} from "./routes/streams.js";
import {type VirtualHands, virtualPlayerRoutes} from "./routes/virtualPlayers.js";
import {type VoiceRouteDeps, voiceRoutes} from "./routes/voice.js";
import {type YotoRouteDeps, yotoRoutes} from "./routes/yoto.js";

export interface AdminAppDeps
  extends LibraryRouteDeps,
    StreamRouteDeps,
    FeedRouteDeps,
    YotoRouteDeps,
    RuleRouteDeps,
    CardRouteDeps,
    AnnounceRouteDeps,
    HistoryRouteDeps,
    QuietRouteDeps,
    PlayerExposureRouteDeps,
    FamilyRouteDeps,
    MqttRouteDeps,
    DiagnosticsRouteDeps,
    ArchiveRouteDeps,
    SourceRouteDeps,
    StoryRouteDeps,
    VoiceRouteDeps,
    ShelfRouteDeps,
    DeviceRouteDeps,
    PictureRouteDeps,
    Omit<AssistantRouteDeps, "assistants" | "oauthRequests">,
    McpRouteDeps,
    Omit<OAuthRouteDeps, "log" | "assistants"> {
  /** The assistants: made and revoked by a parent, and the OAuth clients' tokens. */
  assistants: AssistantRouteDeps["assistants"] & OAuthRouteDeps["assistants"];
  access: AdminAccessPolicy;
  /** Which `Host` and `Origin` names count as this service outside ingress. */
  origin: SameOriginPolicy;
  /** Home Assistant's own addresses, once learnt: its dashboards may frame a child's page. */
  homeAssistantPages: () => readonly string[];
  audit: AuditLog;
  health: () => HealthReport;
  /** The Health page: services, cloud, players' last events, streams, memory. */
  healthOverview: () => HealthOverview;
  /** The recent log lines (`/api/logs`). */
  logs: Logs;
  uiDist: string;
  bus: EventBus;
  /** The demo's simulated players; absent outside the demo. */
  virtualHands?: VirtualHands;
  log: Logger;
}

/** The ingress listener: panel and admin API. Middleware order, top to bottom, is the request path. */
export function createAdminApp(deps: AdminAppDeps): Koa {
  const app = new Koa();
  // Koa's default handler prints stacks to stderr; errorResponses already logged what matters.
  app.silent = true;
  const router = new Router();
  healthRoutes(router, deps.health, deps.healthOverview);
  logRoutes(router, deps);
  diagnosticsRoutes(router, deps);
  libraryRoutes(router, deps);
  feedRoutes(router, deps);
  streamRoutes(router, deps);
  sourceRoutes(router, deps);
  yotoRoutes(router, deps);
  ruleRoutes(router, deps);
  storyImportRoutes(router, deps);
  storyExportRoutes(router, deps);
  cardRoutes(router, deps);
  storyRoutes(router, deps);
  announceRoutes(router, deps);
  mqttRoutes(router, deps);
  historyRoutes(router, deps);
  quietRoutes(router, deps);
  playerExposureRoutes(router, deps);
  familyRoutes(router, deps);
  voiceRoutes(router, deps);
  shelfRoutes(router, deps);
  deviceRoutes(router, deps);
  pictureRoutes(router, deps);
  archiveRoutes(router, deps);
  assistantRoutes(router, deps);
  mcpRoutes(router, deps);
  oauthRoutes(router, {...deps, log: deps.log});
  virtualPlayerRoutes(router, deps.virtualHands);
  eventRoutes(router, deps.bus, deps.family, undefined, deps.names?.player);
  router.get("/api/audit", (ctx) => {
    ctx.body = {entries: deps.audit.list()};
  });
  panelRoutes(router, deps.uiDist);

  // Read once, after every route is in: a 404 under /api/ names the route a typo most likely meant.
  const shapes = router.stack.flatMap((l) => (typeof l.path === "string" ? [{path: l.path, methods: l.methods}] : []));
  // First: every answer of this listener (each page, its errors, a page added later) says who may frame it.
  app.use(framing(deps.homeAssistantPages));
  app.use(errorResponses(deps.log, () => shapes));
  app.use(signIn(deps.access.apiToken));
  // Before the admin access: a child's device link opens that child's page and nothing else, as
  // the routes declare it (routeAccess.ts).
  app.use(deviceAccess(deps.devices, router, deps.access.ingressPeers));
  app.use(adminAccess(deps.access));
  // After adminAccess: it says whether the caller is the ingress proxy, which this one lets through.
  app.use(sameOrigin(deps.origin));
  app.use(deps.audit.middleware());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
