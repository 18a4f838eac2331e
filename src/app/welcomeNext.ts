import {whereToSet} from "../config/whereToSet.js";
import {homeNetworkAddress} from "../core/address.js";
import {SCOPES} from "../yoto/oauthClient.js";
import type {App} from "./app.js";

/**
 * The step after starting, for a newcomer: without a linked Yoto account no player shows up. Set
 * the client id first when there is none (the panel's link button would only say so).
 */
export function linkSteps(app: App): string[] {
  const account = `${app.admin.url}/#account`;
  const clientId = app.config.yoto_client_id
    ? []
    : [
        `    1. register an app at https://dashboard.yoto.dev/ (redirect URL http://127.0.0.1:8787/callback; scopes ${SCOPES.join(", ")}) and set yoto_client_id ${whereToSet("yoto_client_id", app.homeAssistant)}`,
      ];
  const n = clientId.length + 1;
  return [
    "  Next: link your Yoto account, so your players appear:",
    ...clientId,
    `    ${n}. open ${account}, press Start linking, sign in to Yoto, and paste back the address the browser ends on`,
    `       (or POST ${app.admin.url}/api/account/link, then /api/account/link/complete {"url": "…"})`,
  ];
}

/**
 * How to reach the panel from a phone on the Wi-Fi, outside Home Assistant: another device cannot
 * use this machine's loopback access, and signs in with the api_token.
 */
export function fromAnotherDevice(app: App): string {
  const lan = homeNetworkAddress();
  const remote = lan ? app.admin.url.replace("127.0.0.1", lan) : app.admin.url;
  return app.config.api_token
    ? `  From another device: ${remote}/signin (sign in with the api_token)`
    : "  From another device: set the api_token option (16+ characters) to sign in from other devices";
}
