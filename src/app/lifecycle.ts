import {errorMessage} from "../core/errors.js";
import type {EventBus, ServiceState} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service, ServiceHealth} from "../core/service.js";
import type {HealthReport} from "../shared/api/health.js";

/**
 * Starts the app's services in order and stops them in reverse, keeping each one's state for
 * `/api/health` and announcing every change as `service.stateChanged`.
 */
export class ServiceLifecycle {
  readonly #services: readonly Service[];
  readonly #states = new Map<string, {state: ServiceState; error?: string}>();
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #version: string;
  readonly #startedAt = Date.now();

  constructor(services: readonly Service[], opts: {bus: EventBus; log: Logger; version: string}) {
    this.#services = services;
    this.#bus = opts.bus;
    this.#log = opts.log;
    this.#version = opts.version;
    for (const s of services) this.#states.set(s.name, {state: "stopped"});
  }

  /** A failing optional service is reported and the rest go on; a failing critical one stops all. */
  async start(): Promise<void> {
    for (const service of this.#services) {
      this.#setState(service, "starting");
      try {
        await service.start();
        this.#setState(service, "running");
      } catch (err) {
        const reason = errorMessage(err);
        this.#setState(service, "failed", reason);
        this.#log.error(`Failed to start '${service.name}' (${reason})`);
        if (service.critical) {
          await this.stop();
          throw new Error(`Cannot start: '${service.name}' failed (${reason})`, {cause: err});
        }
      }
    }
  }

  /** Stop in reverse order; one failing stop does not keep the others running. */
  async stop(): Promise<void> {
    for (const service of [...this.#services].reverse()) {
      const before = this.#states.get(service.name) ?? {state: "stopped"};
      if (before.state === "stopped") continue;
      // A service that failed to start may hold part of what it acquired: release it, keep the reason.
      if (before.state !== "failed") this.#setState(service, "stopping");
      try {
        await service.stop();
        if (before.state !== "failed") this.#setState(service, "stopped");
      } catch (err) {
        this.#setState(service, "failed", errorMessage(err));
        this.#log.error(`Failed to stop '${service.name}' (${errorMessage(err)})`);
      }
    }
  }

  health(): HealthReport {
    const services: Record<string, ServiceHealth> = {};
    let status: HealthReport["status"] = "ok";
    for (const service of this.#services) {
      const {state, error} = this.#states.get(service.name) ?? {state: "stopped"};
      const own = state === "running" ? service.health?.() : undefined;
      services[service.name] = {state, ...(error ? {error} : {}), ...own};
      if (state !== "running") status = service.critical ? "failed" : status === "failed" ? status : "degraded";
      // Running but degraded (the store cannot write) is "degraded", critical or not: restarting
      // the add-on would not free the disk.
      else if (own?.degraded && status === "ok") status = "degraded";
    }
    return {status, version: this.#version, uptime: Math.round((Date.now() - this.#startedAt) / 1000), services};
  }

  #setState(service: Service, state: ServiceState, error?: string): void {
    this.#states.set(service.name, {state, error});
    this.#bus.emit("service.stateChanged", {service: service.name, state, ...(error ? {error} : {})});
  }
}
