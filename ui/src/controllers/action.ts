import type {ReactiveController, ReactiveControllerHost} from "lit";
import {messageOf} from "../components/format.js";

/**
 * One thing a component does on a press (save, add, refresh): whether it is under way and why it
 * last failed, in the service's own words. The host re-renders when either changes. Unlike
 * @lit/task it runs only when asked (never on a property change), and a second press while the
 * first is under way is ignored rather than queued: the buttons stay enabled, because disabling
 * the one just pressed would drop the keyboard focus.
 */
export class Action implements ReactiveController {
  busy = false;
  /** The last failure's message (or a check's, through `fail`); cleared when a run starts. */
  error?: string;
  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Runs `work` unless a run is under way; true when it succeeded, false when it failed or was skipped. */
  run(work: () => Promise<unknown>): Promise<boolean> {
    if (this.busy) return Promise.resolve(false);
    return this.#run(work, true);
  }

  /** Runs `work` even while another run is under way (busy until the first of them ends). */
  runAlongside(work: () => Promise<unknown>): Promise<boolean> {
    return this.#run(work, true);
  }

  /** Runs `work` without showing it as under way: only its failure is kept. */
  attempt(work: () => Promise<unknown>): Promise<boolean> {
    return this.#run(work, false);
  }

  /** Shows `message` as the error without running anything (a form's own check failed). */
  fail(message: string | undefined): void {
    this.error = message;
    this.#host.requestUpdate();
  }

  async #run(work: () => Promise<unknown>, busy: boolean): Promise<boolean> {
    if (busy) this.busy = true;
    this.error = undefined;
    this.#host.requestUpdate();
    try {
      await work();
      return true;
    } catch (err) {
      this.error = messageOf(err);
      return false;
    } finally {
      if (busy) this.busy = false;
      this.#host.requestUpdate();
    }
  }
}
