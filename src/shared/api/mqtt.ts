/** `GET /api/mqtt`: the broker in use, and the embedded one's login for Home Assistant. */

/** What the admin API tells the user about the broker, and the login for the embedded one. */
export interface BrokerSummary {
  kind: "embedded" | "external" | "none";
  reason: string;
  url: string;
  port?: number;
  /** Embedded only. The password only when generated: options the user typed are not echoed back. */
  login?: {username: string; password?: string; source: "options" | "generated"};
}
