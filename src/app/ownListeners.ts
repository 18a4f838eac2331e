import type {LocalBroker} from "../broker/localBroker.js";
import type {HttpListener} from "../http/listener.js";
import type {OwnListeners} from "../mediaServers/serverGuard.js";

/**
 * This service's own listeners as a media server's links must never reach them: their ports (read
 * when asked: they are known once they listen) and the addresses they are reached by.
 */
export function ownListeners(
  app: {admin?: HttpListener; audio?: HttpListener; broker?: LocalBroker},
  publicUrl: string | undefined,
): OwnListeners {
  return {
    ports: {admin: app.admin?.port, audio: app.audio?.port, MQTT: app.broker?.summary().port},
    origins: [publicUrl, app.admin?.url, app.audio?.url],
  };
}
