/** Changes made through the admin API, and by whom. */

export interface AuditEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  via: "ingress" | "loopback" | "token" | "session" | "device";
  user?: string;
}
