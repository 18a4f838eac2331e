import {type ChildProcess, spawn} from "node:child_process";
import {existsSync} from "node:fs";
import path from "node:path";
import {createInterface} from "node:readline";
import {atFileEnd} from "./fileEnd.js";

/** Debian's Python, which has GObject introspection (python3-gi) for GUPnP; another python3 may not. */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const SCRIPT = path.join(import.meta.dirname, "upnpControlPoint.py");

export interface CallAnswer {
  ok: boolean;
  out?: Record<string, string>;
  code?: number;
  error?: string;
}

export interface Notified {
  service: string;
  variable: string;
  value: string;
}

/**
 * GUPnP as a control point in its own process (test/helpers/upnpControlPoint.py): it finds
 * renderers by SSDP on loopback, and calls and subscribes the way any UPnP app does.
 */
export class GupnpControlPoint {
  readonly notified: Notified[] = [];
  readonly found: Array<{udn: string; location: string; name: string}> = [];
  readonly #child: ChildProcess;
  readonly #answers = new Map<number, (answer: Record<string, unknown>) => void>();
  readonly #listeners = new Set<() => void>();
  #next = 1;
  #stderr = "";

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    createInterface({input: child.stdout as NodeJS.ReadableStream}).on("line", (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (typeof message.id === "number") {
        this.#answers.get(message.id)?.(message);
        this.#answers.delete(message.id);
      } else if (message.event === "notify") this.notified.push(message as unknown as Notified);
      else if (message.event === "found") this.found.push(message as never);
      else if (message.event === "ready") this.#ready = true;
      for (const listener of this.#listeners) listener();
    });
  }

  /** A control point looking for renderers, or for `deviceType` (e.g. a MediaServer). */
  static async start(deviceType?: string): Promise<GupnpControlPoint> {
    for (let attempt = 1; ; attempt++) {
      const child = spawn(PYTHON, [SCRIPT, ...(deviceType ? [deviceType] : [])], {stdio: ["pipe", "pipe", "pipe"]});
      const cp = new GupnpControlPoint(child);
      atFileEnd(() => cp.stop());
      const exited = new Promise<never>((_, reject) =>
        child.once("exit", () => reject(new Error(`GUPnP exited before it started: ${cp.#stderr.slice(-800)}`))),
      );
      exited.catch(() => undefined);
      try {
        await Promise.race([cp.until(() => cp.#ready, "GUPnP to start"), exited]);
        return cp;
      } catch (err) {
        // GUPnP takes a free port for one address, then the same port for the next: another
        // process may hold it there. A new start picks another.
        if (attempt < 3 && cp.#stderr.includes("Could not create HTTP server")) continue;
        throw err;
      }
    }
  }

  #ready = false;

  get stderr(): string {
    return this.#stderr;
  }

  #send(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#answers.set(id, resolve);
      this.#child.stdin?.write(`${JSON.stringify({...command, id})}\n`, (err) => err && reject(err));
    });
  }

  /** Wait until the control point has found the renderer by SSDP and read its description. */
  async find(udn: string): Promise<{name: string; model: string; location: string}> {
    const answer = await this.#send({cmd: "find", udn});
    if (!answer.ok) throw new Error(String(answer.error));
    return answer as never;
  }

  async call(
    udn: string,
    service: string,
    action: string,
    args: Record<string, string>,
    out: string[] = [],
  ): Promise<CallAnswer> {
    const {id: _id, ...answer} = await this.#send({cmd: "call", udn, service, action, args, out});
    return answer as unknown as CallAnswer;
  }

  /**
   * ContentDirectory's Browse or Search through GUPnP's action call; the DIDL-Lite comes back as the
   * text GUPnP read out of the SOAP answer (unescaped once), or the UPnP error.
   */
  async contentDirectory(
    udn: string,
    action: "Browse" | "Search",
    args: Record<string, string>,
  ): Promise<CallAnswer & {didl?: string; returned?: number; total?: number; updateId?: number}> {
    const answer = await this.call(udn, "ContentDirectory", action, args, [
      "Result",
      "NumberReturned",
      "TotalMatches",
      "UpdateID",
    ]);
    if (!answer.ok || !answer.out) return answer;
    const out = answer.out;
    return {
      ...answer,
      didl: out.Result,
      returned: Number(out.NumberReturned),
      total: Number(out.TotalMatches),
      updateId: Number(out.UpdateID),
    };
  }

  async subscribe(udn: string, service: string, variable = "LastChange"): Promise<void> {
    const answer = await this.#send({cmd: "subscribe", udn, service, variable});
    if (!answer.ok) throw new Error(String(answer.error));
  }

  /** Resolve once `check` holds, looked at after every line the control point writes. */
  until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}; GUPnP said: ${this.#stderr.slice(-800)}`));
      }, timeoutMs);
      const listener = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve();
      };
      this.#listeners.add(listener);
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    this.#child.kill();
    await exited;
  }
}
