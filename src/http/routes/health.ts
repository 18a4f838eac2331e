import type Router from "@koa/router";
import type {HealthOverview, HealthReport} from "../../shared/api/health.js";

/**
 * Liveness for the Supervisor's watchdog plus each service's state. Only a failed critical service
 * makes it 503: a missing cloud link must not get the add-on restarted in a loop.
 */
export function healthRoutes(router: Router, report: () => HealthReport, overview?: () => HealthOverview): void {
  router.get("/api/health", (ctx) => {
    const health = report();
    ctx.status = health.status === "failed" ? 503 : 200;
    ctx.body = health;
  });
  // For the Health page: always 200, the state is in the body (it is read, not watched).
  if (overview)
    router.get("/api/health/overview", (ctx) => {
      ctx.body = overview();
    });
}
