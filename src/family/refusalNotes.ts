/** The same refusal on the same player is written once in this long; the repeats only counted. */
const ONCE_IN_MS = 60_000;
const MAX_KEPT = 500;

/**
 * A refused voice request goes into the child's journal, as any refusal does; a stuck automation or a
 * child asking twenty times must not fill the journal (and its day, rewritten on every entry) with
 * copies. The same words on the same player are written once a minute.
 */
export class RefusalNotes {
  readonly #written = new Map<string, number>();

  constructor(
    readonly write: (playerId: string, text: string) => Promise<void>,
    readonly now: () => number,
  ) {}

  async note(playerId: string, text: string): Promise<void> {
    const key = `${playerId}\u0000${text}`;
    const now = this.now();
    const last = this.#written.get(key);
    if (last !== undefined && now - last < ONCE_IN_MS) return;
    if (this.#written.size >= MAX_KEPT) this.#written.clear();
    await this.write(playerId, text);
    this.#written.set(key, now);
  }
}
