import {Worker} from "node:worker_threads";
import {JobThread} from "../core/jobThread.js";

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

/** What the thread is asked and answers. */
interface ListJob {
  bytes: ArrayBuffer;
  kind: CardListKind;
}
type ListAnswer = {id: number; cards?: ListedCard[] | null; error?: string};

/**
 * The family's card lists, read off the event loop. Every 30 s the same thousands of cards come back
 * from Yoto (megabytes of JSON: each track a signed link); parsed in place, that held every player
 * command and voice request behind it for tens of milliseconds. A worker thread parses them and
 * hands back only ids and titles: one thread, started on the first big list and ended once idle
 * (`JobThread`), so a stopped service holds none. If no thread can be had, a list is read in place.
 */
export class CardTitleLists {
  /** How many lists were read on the thread, and how many in place (small, or no thread to be had). */
  readonly counts = {onThread: 0, inPlace: 0};
  readonly #thread = new JobThread<ListJob, ListAnswer>({
    start: () => new Worker(WORKER_SOURCE, {eval: true}),
    idleMs: IDLE_MS,
    name: "the card list reader",
  });

  /**
   * The ids and titles in `body` (an answer from Yoto, JSON), or undefined when it holds no list. A
   * big answer's bytes are handed to the thread, not copied: `body` is not to be read after. A
   * thread that fails or is ended under a read fails that read (its bytes went with it): the caller
   * keeps the list it had, and the next read starts another thread.
   */
  async read(body: Buffer, kind: CardListKind): Promise<ListedCard[] | undefined> {
    if (body.length < IN_PLACE_BYTES) return this.#inPlace(body, kind);
    // The answer's own memory moves to the thread when it is the whole of it; else its bytes are copied once.
    const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const bytes = (
      whole ? body.buffer : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)
    ) as ArrayBuffer;
    let answer: ListAnswer;
    try {
      answer = await this.#thread.run({bytes, kind}, [bytes]);
    } catch (err) {
      // No thread could be started: the bytes are still here, and read in place.
      if (bytes.byteLength > 0) return this.#inPlace(body, kind);
      throw err;
    }
    if (answer.error !== undefined) throw new SyntaxError(answer.error);
    this.counts.onThread++;
    return answer.cards ?? undefined;
  }

  /** End the thread now (the service stops); lists read later start another. */
  close(): Promise<void> {
    return this.#thread.stop();
  }

  #inPlace(body: Buffer, kind: CardListKind): ListedCard[] | undefined {
    this.counts.inPlace++;
    return listedCards(body.toString("utf8"), kind);
  }
}
