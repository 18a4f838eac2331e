import {Worker} from "node:worker_threads";

/** A card as a list of the family's cards names it: its id and title, nothing else of it kept. */
export interface ListedCard {
  cardId: string;
  title: string;
}

/** Which of Yoto's two lists an answer is: `/content/mine` (`cards[].title`) or the library (`cards[].card.title`). */
export type CardListKind = "mine" | "library";

/** Below this an answer is read in place: a thread's round trip costs more than the parse. */
const IN_PLACE_BYTES = 64 * 1024;
/** A thread left with nothing to read this long is ended; the next list starts another. */
const IDLE_MS = 60_000;

/**
 * Reads the ids and titles out of one of Yoto's card lists. Kept as plain code so the worker runs
 * exactly it (a worker is given its source), and the main thread runs it for small answers and when
 * no worker can be had. Entries without a string id are left out; a missing title reads as the id.
 * Undefined when the answer has no list (the caller says so; it is never "no cards").
 */
function listedCards(text: string, kind: CardListKind): ListedCard[] | undefined {
  const body = JSON.parse(text);
  const entries = body !== null && typeof body === "object" ? body.cards : undefined;
  if (!Array.isArray(entries)) return undefined;
  const out: ListedCard[] = [];
  for (const entry of entries) {
    if (entry === null || typeof entry !== "object") continue;
    const card = kind === "library" ? entry.card : entry;
    const cardId = typeof entry.cardId === "string" ? entry.cardId : card?.cardId;
    if (typeof cardId !== "string" || cardId === "") continue;
    out.push({cardId, title: typeof card?.title === "string" ? card.title : cardId});
  }
  return out;
}

const WORKER_SOURCE = `"use strict";
const {parentPort} = require("node:worker_threads");
${listedCards.toString()}
parentPort.on("message", ({id, bytes, kind}) => {
  try {
    parentPort.postMessage({id, cards: listedCards(Buffer.from(bytes).toString("utf8"), kind) ?? null});
  } catch (err) {
    parentPort.postMessage({id, error: err instanceof Error ? err.message : String(err)});
  }
});`;

interface Pending {
  resolve(cards: ListedCard[] | undefined): void;
  reject(err: Error): void;
}

/**
 * The family's card lists, read off the event loop. Every 30 s the same thousands of cards come back
 * from Yoto (megabytes of JSON: each track a signed link); parsed in place, that held every player
 * command and voice request behind it for tens of milliseconds. A worker thread parses them and
 * hands back only ids and titles. One thread, started on the first big list and ended once idle, so
 * a stopped service holds none; if no thread can be had, the list is read in place as before.
 */
export class CardTitleLists {
  /** How many lists were read on the thread, and how many in place (small, or no thread to be had). */
  readonly counts = {onThread: 0, inPlace: 0};
  #worker?: Worker;
  #next = 0;
  readonly #pending = new Map<number, Pending>();
  #idle?: NodeJS.Timeout;

  /**
   * The ids and titles in `body` (an answer from Yoto, JSON), or undefined when it holds no list. A
   * big answer's bytes are handed to the thread, not copied: `body` is not to be read after.
   */
  async read(body: Buffer, kind: CardListKind): Promise<ListedCard[] | undefined> {
    const worker = body.length < IN_PLACE_BYTES ? undefined : this.#thread();
    if (!worker) return this.#inPlace(body, kind);
    clearTimeout(this.#idle);
    const id = ++this.#next;
    const answer = new Promise<ListedCard[] | undefined>((resolve, reject) => this.#pending.set(id, {resolve, reject}));
    // The answer's own memory moves to the thread when it is the whole of it; else its bytes are copied once.
    const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const bytes = whole ? body.buffer : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
    worker.postMessage({id, bytes, kind}, [bytes as ArrayBuffer]);
    // A thread that fails or is ended under a read fails that read (its bytes went with it): the
    // caller keeps the list it had, and the next read starts another thread.
    return answer;
  }

  #inPlace(body: Buffer, kind: CardListKind): ListedCard[] | undefined {
    this.counts.inPlace++;
    return listedCards(body.toString("utf8"), kind);
  }

  /** End the thread now (the service stops); lists read later start another. */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#fail(new Error("the card list reader was closed"));
    await worker?.terminate();
  }

  #thread(): Worker | undefined {
    if (this.#worker) return this.#worker;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {eval: true});
    } catch {
      return undefined;
    }
    // Never what keeps the process alive: a service stopping need not wait for it.
    worker.unref();
    worker.on("message", (m: {id: number; cards?: ListedCard[] | null; error?: string}) => {
      const pending = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error !== undefined) pending?.reject(new SyntaxError(m.error));
      else {
        this.counts.onThread++;
        pending?.resolve(m.cards ?? undefined);
      }
      if (this.#pending.size === 0) this.#idleEnd(worker);
    });
    const gone = (err: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#fail(err);
    };
    worker.on("error", gone);
    worker.on("exit", () => gone(new Error("the card list reader's thread ended")));
    this.#worker = worker;
    return worker;
  }

  #idleEnd(worker: Worker): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (this.#worker !== worker || this.#pending.size > 0) return;
      this.#worker = undefined;
      void worker.terminate();
    }, IDLE_MS);
    this.#idle.unref();
  }

  #fail(err: Error): void {
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }
}
