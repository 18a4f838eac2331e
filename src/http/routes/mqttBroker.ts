import type Router from "@koa/router";
import type {BrokerSummary} from "../../broker/localBroker.js";

export interface MqttRouteDeps {
  broker: {summary(): BrokerSummary};
}

/**
 * Which MQTT broker the service uses, and for the embedded one the login Home Assistant's MQTT
 * integration needs (the add-on makes it on first start; the panel shows it). Admin-only, like
 * every route here: whoever may configure the add-on may read its broker's password.
 */
export function mqttRoutes(router: Router, deps: MqttRouteDeps): void {
  router.get("/api/mqtt", (ctx) => {
    ctx.body = deps.broker.summary();
  });
}
