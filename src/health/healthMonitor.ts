import type {EventBus} from "../core/events.js";
import type {Service} from "../core/service.js";
import type {FailingFeedView, HealthOverview, PlayerPulse} from "../shared/api/health.js";
import type {StreamRequest} from "../streams/types.js";
import type {AccountStatus} from "../yoto/account.js";
import type {CloudConnectionState} from "../yoto/cloudMqtt.js";
import {missingScopesAttention} from "../yoto/grantedScopes.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {feedHint, lasting} from "./feedHints.js";

/**
 * Players report their status at least every 5 minutes, even idle: three reports missed in a row
 * is "silent", so one lost message or a slow cloud does not flag a player that is fine.
 */
export const SILENT_AFTER_MINUTES = 15;

const BYTES_PER_MB = 1_000_000;

export interface HealthMonitorOptions {
  bus: EventBus;
  players: {list(): PlayerState[]; cloud: {state: CloudConnectionState}};
  account: {status(): AccountStatus};
  /** The app's service report (what `GET /api/health` answers). */
  report: () => Pick<HealthOverview, "status" | "version" | "uptime" | "services">;
  /** The streams that follow a podcast feed; none, no feeds in the overview. */
  feeds?: {names(): string[]; failing(): Array<{stream: string; error: string; since: number}>};
  /** Tests lower it to see a player go silent in seconds. */
  silentAfterMinutes?: number;
  /** What was found wrong at start and stays so until a restart (a TZ that names no zone), in words. */
  startProblems?: string[];
}

/**
 * Everything the Health page and the bridge's health sensors show, in one overview: the services,
 * the cloud link, each player's last word, stream requests and their errors, failing podcast
 * feeds, memory. The stream
 * figures count from `stream.requested` since the service started.
 */
export class HealthMonitor implements Service {
  readonly name = "health";
  readonly #opts: HealthMonitorOptions;
  readonly silentAfterMinutes: number;
  #requests = 0;
  #errors = 0;
  #lastError?: {at: string; stream: string; status: number};
  #startedAt = Date.now();

  constructor(opts: HealthMonitorOptions) {
    this.#opts = opts;
    this.silentAfterMinutes = opts.silentAfterMinutes ?? SILENT_AFTER_MINUTES;
  }

  async start(): Promise<void> {
    this.#startedAt = Date.now();
    this.#opts.bus.on(this, "stream.requested", (request) => this.#counted(request));
    this.#opts.bus.on(this, "stream.missed", ({at, stream}) => this.#counted({at, stream, status: 404}));
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
  }

  health() {
    const problems = this.#opts.startProblems ?? [];
    return problems.length > 0 ? {degraded: true, error: problems.join(" ")} : {};
  }

  overview(): HealthOverview {
    const {status, version, uptime, services} = this.#opts.report();
    const account = this.#opts.account.status();
    const memory = process.memoryUsage();
    const players = this.#opts.players.list().map((p) => this.#pulse(p));
    const failing = (this.#opts.feeds?.failing() ?? []).map(
      (f): FailingFeedView => ({
        stream: f.stream,
        error: f.error,
        since: new Date(f.since).toISOString(),
        hint: feedHint(f.error),
      }),
    );
    const attention = [
      ...(this.#opts.startProblems ?? []),
      ...needsAttention(account, this.#opts.players.cloud.state, players),
      ...failing.map(
        (f) =>
          `The podcast feed of stream '${f.stream}' has failed for ${lasting(Date.now() - Date.parse(f.since))}: ${f.error}. ${f.hint}`,
      ),
    ];
    return {
      // The service runs, but a family with no account linked or no cloud has nothing working.
      status: status === "ok" && attention.length > 0 ? "degraded" : status,
      attention,
      version,
      uptime,
      cloud: {
        state: this.#opts.players.cloud.state,
        account: account.state,
        ...(account.expiresAt ? {tokenExpiresAt: account.expiresAt} : {}),
        ...(account.reason ? {reason: account.reason} : {}),
      },
      players,
      silentAfterMinutes: this.silentAfterMinutes,
      streams: {
        requests: this.#requests,
        errors: this.#errors,
        ...(this.#lastError ? {lastError: this.#lastError} : {}),
      },
      feeds: {following: this.#opts.feeds?.names().length ?? 0, failing},
      memory: {rssMb: megabytes(memory.rss), heapUsedMb: megabytes(memory.heapUsed)},
      services,
    };
  }

  #pulse(p: PlayerState): PlayerPulse {
    const now = Date.now();
    const seen = p.lastSeen ? Date.parse(p.lastSeen) : Number.NaN;
    const heard = Number.isNaN(seen) ? undefined : seen;
    // A player never heard from since the service started counts from the start.
    const quietMs = now - (heard ?? this.#startedAt);
    return {
      id: p.id,
      name: p.name,
      online: p.online,
      ...(heard !== undefined
        ? {lastEventAt: new Date(heard).toISOString(), silentSeconds: Math.max(0, Math.round((now - heard) / 1000))}
        : {}),
      silent: p.online && quietMs > this.silentAfterMinutes * 60_000,
    };
  }

  #counted(request: Pick<StreamRequest, "at" | "stream" | "status">): void {
    this.#requests++;
    if (request.status < 400) return;
    this.#errors++;
    this.#lastError = {at: request.at, stream: request.stream, status: request.status};
  }
}

/** The overview's problems in words, for the Health page's top. */
function needsAttention(account: AccountStatus, cloud: CloudConnectionState, players: PlayerPulse[]): string[] {
  const out: string[] = [];
  if (account.state === "unlinked" || account.state === "linking")
    out.push("No Yoto account is linked yet: link one in the Account tab.");
  else if (account.state === "needs_relink")
    out.push(
      `Yoto needs the account linked again${account.reason ? ` (${account.reason})` : ""}: see the Account tab.`,
    );
  else if (cloud !== "connected") out.push("Not connected to Yoto's cloud right now: players' state may be old.");
  // Linked but half-working: the Account tab lists what stops without each scope Yoto left out.
  if (account.state === "linked" && account.missingScopes) out.push(missingScopesAttention(account.missingScopes));
  const silent = players.filter((p) => p.silent).map((p) => p.name);
  if (silent.length > 0) out.push(`Not heard from for a while: ${silent.join(", ")}.`);
  return out;
}

function megabytes(bytes: number): number {
  return Math.round((bytes / BYTES_PER_MB) * 10) / 10;
}
