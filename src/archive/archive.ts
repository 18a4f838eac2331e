import {KeyedQueue} from "../core/concurrency.js";
import {AppError, errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {
  ArchivedCardDetail,
  ArchiveOverview,
  ArchiveRun,
  RestoreRequest,
  RestoreResult,
} from "../shared/api/archive.js";
import {YotoApiError, type YotoRest} from "../yoto/rest.js";
import type {ArchiveFolder} from "./archiveFolder.js";
import type {ArchivePlayables} from "./archivePlay.js";
import {runArchive} from "./archiveRun.js";
import {fileName} from "./cardMedia.js";
import {type ArchivedFile, type CardRecord, detailOf, summaryOf} from "./cardRecord.js";
import type {CoverThumbnails} from "./coverThumbnails.js";
import {NightlyTimer} from "./nightly.js";
import {checkFilesHeld, type RestoreContext, restoreCard} from "./restore.js";
import "./types.js";

export interface ArchiveOptions {
  /** The archive's folder (inside the data folder). */
  folder: ArchiveFolder;
  rest: YotoRest;
  /** Whether an account is linked, and who it is (the token's subject). */
  account: {linked(): boolean; subject(): Promise<string | undefined>};
  playables: ArchivePlayables;
  /** Covers scaled for media browsers. */
  thumbnails?: CoverThumbnails;
  streamTrack: RestoreContext["streamTrack"];
  policy?: FetchPolicy;
  /** "HH:MM" local time, or null for no nightly run. */
  nightlyAt: string | null;
  /** What a card is when this service made it for itself (relay and radio cards), else undefined. */
  serviceCard?: (cardId: string) => string | undefined;
  bus: EventBus;
  log: Logger;
  retryDelaysMs?: readonly number[];
  pollMs?: number;
}

const NOT_ARCHIVED =
  "Only the family's own Make Your Own cards are archived. Cards bought from Yoto's shop, physical cards and cards shared with you are left out on purpose: their audio is Yoto's and its publishers', licensed for playing on your players, not for copying. This service's own cards (the announcements' relay cards, radio stations' cards) are left out too: they hold only a link back to this service.";
// Progress events at most this often: a panel bar moves smoothly without a flood of events.
const PROGRESS_EVERY_MS = 250;

/**
 * The family archive: every Make Your Own card of the linked account kept at home with its audio,
 * icons and cover, taken nightly and on demand; what changed between runs; restore to an account;
 * playing an archived card without Yoto. One run at a time.
 */
export class Archive implements Service {
  readonly name = "archive";
  readonly #opts: ArchiveOptions;
  readonly #folder: ArchiveFolder;
  readonly #records = new Map<string, CardRecord & {account?: string}>();
  readonly #nightly: NightlyTimer;
  #running?: {run: ArchiveRun; done: Promise<ArchiveRun>; stop: AbortController};
  #lastRun?: ArchiveRun;
  #lastEmit = 0;
  readonly #restores = new KeyedQueue();
  readonly #restoring = new Map<string, Promise<RestoreResult>>();
  #busy = 0;

  constructor(opts: ArchiveOptions) {
    this.#opts = opts;
    this.#folder = opts.folder;
    this.#nightly = new NightlyTimer(opts.nightlyAt, () => this.#nightlyRun());
  }

  get folder(): ArchiveFolder {
    return this.#folder;
  }

  async start(): Promise<void> {
    await this.#folder.prepare();
    this.#opts.playables.start();
    for (const record of await this.#folder.readCards()) this.#records.set(record.cardId, record);
    this.#nightly.start();
  }

  async stop(): Promise<void> {
    this.#nightly.stop();
    this.#running?.stop.abort();
    await this.#running?.done;
    this.#records.clear();
  }

  health() {
    const overview = this.overview();
    const failed = this.#lastRun?.state === "failed" ? this.#lastRun : undefined;
    return {
      // Until a run succeeds: a failing archive is a family's cards not kept, which nobody sees otherwise.
      ...(failed ? {degraded: true, error: `The last archive run failed: ${failed.error ?? "no reason given"}`} : {}),
      details: {
        cards: overview.cards.length,
        bytes: overview.totalBytes,
        ...(this.#lastRun ? {lastRun: this.#lastRun.state, lastRunAt: this.#lastRun.startedAt} : {}),
        ...(this.#lastRun?.error ? {lastError: this.#lastRun.error} : {}),
      },
    };
  }

  overview(): ArchiveOverview {
    const cards = [...this.#records.values()].map(summaryOf).sort((a, b) => a.title.localeCompare(b.title));
    const files = new Map<string, number>();
    for (const record of this.#records.values())
      for (const file of Object.values(record.files)) files.set(file.sha, file.bytes);
    const next = this.#nightly.next();
    return {
      cards,
      totalBytes: [...files.values()].reduce((a, b) => a + b, 0),
      files: files.size,
      folder: this.#folder.dir,
      nightlyAt: this.#opts.nightlyAt,
      ...(next ? {nextRunAt: new Date(next).toISOString()} : {}),
      ...(this.#running ? {running: this.#running.run} : {}),
      ...(this.#lastRun ? {lastRun: this.#lastRun} : {}),
      notArchived: NOT_ARCHIVED,
    };
  }

  card(cardId: string): ArchivedCardDetail {
    return detailOf(this.#record(cardId));
  }

  /** The archived file a sha names, for serving it (an own-property lookup over held files). */
  file(sha: string): {path: string; file: ArchivedFile} {
    for (const record of this.#records.values())
      for (const file of Object.values(record.files))
        if (file.sha === sha) return {path: this.#folder.pathOf(file), file};
    throw notFound(`No archived file has the sha256 '${sha.slice(0, 64)}'`, "unknown_archive_file");
  }

  /** Whether the card is archived (no error when it is not). */
  has(cardId: string): boolean {
    return this.#records.has(cardId);
  }

  /** The card's cover as a small JPEG (made once), or undefined when the card has no archived cover. */
  async coverThumbnail(cardId: string): Promise<string | undefined> {
    const cover = Object.values(this.#record(cardId).files).find((f) => f.kind === "cover");
    if (!cover || !this.#opts.thumbnails) return undefined;
    return this.#using(
      () => this.#opts.thumbnails?.thumbnail(this.#folder.pathOf(cover), cover.sha) as Promise<string>,
    );
  }

  /**
   * Start a run, or join the one running. `done` settles with the finished run (failed runs too:
   * their `error` says why, and the next run carries on where this one stopped).
   */
  run(trigger: ArchiveRun["trigger"]): {run: ArchiveRun; started: boolean; done: Promise<ArchiveRun>} {
    if (this.#running) return {run: this.#running.run, started: false, done: this.#running.done};
    if (!this.#opts.account.linked())
      throw new AppError(
        "not_linked",
        "Link your Yoto account first (Account view): the archive reads the account's cards",
        {
          status: 409,
        },
      );
    const run: ArchiveRun = {
      state: "running",
      trigger,
      startedAt: new Date().toISOString(),
      cards: {done: 0, total: 0},
      downloaded: {files: 0, bytes: 0},
      changes: [],
      problems: [],
    };
    const stop = new AbortController();
    const done = this.#execute(run, stop.signal);
    this.#running = {run, done, stop};
    this.#emit(run, true);
    return {run, started: true, done};
  }

  /** One restore of a card at a time: a retried request waits for the first, it does not make a second card. */
  async restore(cardId: string, body: RestoreRequest): Promise<RestoreResult> {
    const record = this.#record(cardId);
    const context = {
      rest: this.#opts.rest,
      folder: this.#folder,
      playables: this.#opts.playables,
      streamTrack: this.#opts.streamTrack,
      ...(this.#opts.pollMs ? {pollMs: this.#opts.pollMs} : {}),
      ...(this.#opts.policy ? {policy: this.#opts.policy} : {}),
    };
    // The same request again while the first is under way (a client retrying) joins it.
    const key = `${cardId}\u0000${body.mode ?? "new"}\u0000${body.audio ?? "upload"}\u0000${body.force === true}`;
    const inFlight = this.#restoring.get(key);
    if (inFlight !== undefined) return inFlight;
    const started = this.#restores
      .run(cardId, () =>
        this.#using(async () => {
          const result = await restoreCard(context, record, body);
          const check = result.check.ok ? "it matches the archived copy" : result.check.differences.join("; ");
          this.#opts.log.info(
            `Restored '${record.title}' as card ${result.cardId} (${result.mode}, audio ${result.audio}): ${check}`,
          );
          return result;
        }),
      )
      .finally(() => this.#restoring.delete(key));
    this.#restoring.set(key, started);
    return started;
  }

  stream(cardId: string, name?: string) {
    const record = this.#record(cardId);
    return this.#using(async () => {
      await checkFilesHeld(this.#folder, record);
      return this.#opts.playables.stream(record, name);
    });
  }

  /** The title of the archived card this stream was made from: a card made of the stream is titled so. */
  async streamTitle(stream: string): Promise<string | undefined> {
    const cardId = await this.#opts.playables.cardOf(stream, this.#records.keys());
    return cardId === undefined ? undefined : this.#records.get(cardId)?.title;
  }

  #record(cardId: string): CardRecord {
    const record = this.#records.get(cardId);
    if (!record) throw notFound(`No card '${cardId}' in the archive`, "unknown_archived_card");
    return record;
  }

  async #execute(run: ArchiveRun, signal: AbortSignal): Promise<ArchiveRun> {
    const log = this.#opts.log;
    try {
      await runArchive(
        {
          rest: this.#opts.rest,
          folder: this.#folder,
          records: this.#records,
          account: await this.#opts.account.subject(),
          ...(this.#opts.policy ? {policy: this.#opts.policy} : {}),
          signal,
          progressed: () => this.#emit(run),
          skipped: (message) => log.warning(`Archive: ${message}`),
          ...(this.#opts.serviceCard ? {serviceCard: this.#opts.serviceCard} : {}),
          leftOut: (message) => log.info(`Archive: ${message}`),
          ...(this.#opts.retryDelaysMs ? {retryDelaysMs: this.#opts.retryDelaysMs} : {}),
        },
        run,
      );
      run.state = run.problems.length > 0 ? "partial" : "done";
      await this.#removeUnreferenced(run);
    } catch (err) {
      run.state = "failed";
      run.error = errorMessage(err);
      run.errorStatus = statusOf(err);
    }
    run.current = undefined;
    run.finishedAt = new Date().toISOString();
    const mb = (run.downloaded.bytes / 1024 / 1024).toFixed(1);
    const line = `Archive run ${run.state}: ${run.cards.done} of ${run.cards.total} card(s), ${run.downloaded.files} file(s) (${mb} MB) fetched, ${run.changes.length} change(s)${run.problems.length ? `, ${run.problems.length} card(s) not archived this time` : ""}${run.error ? ` — ${run.error}` : ""}`;
    if (run.state === "failed") log.warning(line);
    else log.info(line);
    for (const problem of run.problems)
      log.warning(`Archive: '${problem.title}' (${problem.cardId}): ${problem.message}`);
    this.#lastRun = run;
    this.#running = undefined;
    this.#emit(run, true);
    if (run.changes.length > 0) this.#opts.bus.emit("archive.changed", {cardIds: run.changes.map((c) => c.cardId)});
    return run;
  }

  /**
   * Files no card refers to, removed after a clean run only: not after a partial one (a card with a
   * problem keeps what it fetched for next time), not while a restore or stream reads files, not
   * while a record is set aside as unreadable (its files may be the only copy).
   */
  async #removeUnreferenced(run: ArchiveRun): Promise<void> {
    const log = this.#opts.log;
    if (run.state !== "done" || this.#busy > 0) return;
    const aside = await this.#folder.setAside();
    if (aside > 0) {
      log.warning(
        `Archive: ${aside} card record(s) in '${this.#folder.dir}/cards' are set aside as unreadable, so no file is removed; look at them or delete them`,
      );
      return;
    }
    const removed = await this.#folder.removeUnreferenced(this.#referenced());
    if (removed > 0) log.info(`Archive: removed ${removed} file(s) no archived card refers to any more`);
  }

  /** Restores and streams read archived files: while any runs, no file is removed. */
  async #using<T>(work: () => Promise<T>): Promise<T> {
    this.#busy++;
    try {
      return await work();
    } finally {
      this.#busy--;
    }
  }

  #referenced(): Set<string> {
    const names = new Set<string>();
    for (const record of this.#records.values())
      for (const file of Object.values(record.files)) names.add(fileName(file));
    return names;
  }

  #emit(run: ArchiveRun, always = false): void {
    const now = Date.now();
    if (!always && now - this.#lastEmit < PROGRESS_EVERY_MS) return;
    this.#lastEmit = now;
    this.#opts.bus.emit("archive.progress", structuredClone(run));
  }

  async #nightlyRun(): Promise<void> {
    if (!this.#opts.account.linked()) {
      this.#opts.log.info("Archive: the nightly run is skipped, no Yoto account is linked");
      return;
    }
    await this.run("nightly").done;
  }
}

function statusOf(err: unknown): number {
  if (err instanceof YotoApiError) return err.responseStatus;
  const status = (err as {status?: unknown}).status;
  return typeof status === "number" && status >= 400 ? status : 500;
}
