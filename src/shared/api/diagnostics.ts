/** `GET /api/diagnostics`: what a user attaches to a bug report, redacted (docs/troubleshooting.md, Troubleshooting). */
export interface DiagnosticsBundle {
  /** When it was made (ISO). */
  generated: string;
  /** What was taken out, in words. */
  redacted: string;
  versions: {service: string; node: string; platform: string; ffmpeg?: string};
  /** The options in effect; secret ones are "**redacted**" when set. */
  options: Record<string, unknown>;
  /** Each player as `GET /api/players` shows it, ids as `player-N`. */
  players: unknown[];
  /** As `GET /api/health`. */
  health: unknown;
  /** The MQTT broker: embedded or external, its address and state (never its login). */
  broker: Record<string, unknown>;
  /** The last 200 log lines, as the add-on log prints them. */
  logs: string[];
}
