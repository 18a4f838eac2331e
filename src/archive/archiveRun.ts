import {DownloadError} from "../core/download.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {ArchiveRun} from "../shared/api/archive.js";
import {type Card, YotoApiError, type YotoRest} from "../yoto/rest.js";
import {unsignCard} from "../yoto/signedMedia.js";
import type {ArchiveFolder} from "./archiveFolder.js";
import {deletedChange, diffCards} from "./cardDiff.js";
import {mediaNeeds} from "./cardMedia.js";
import {type ArchivedFile, type CardRecord, chaptersOf, MAX_CHANGES_KEPT, tracksOf} from "./cardRecord.js";
import {expectedSha, fetchMedia, type MediaNeed} from "./mediaFetch.js";

export interface RunContext {
  rest: YotoRest;
  folder: ArchiveFolder;
  /** The archive's cards by id, updated here as each card is committed. */
  records: Map<string, CardRecord & {account?: string}>;
  /** Who the linked account is (the token's subject), so linking another account deletes nothing. */
  account?: string;
  policy?: FetchPolicy;
  signal: AbortSignal;
  /** The run's figures changed (the service paces what it passes on). */
  progressed(): void;
  /** Something left out of a card that was archived all the same (said in the log). */
  skipped(message: string): void;
  /**
   * What a card is when this service made it for itself (the announcements' relay card, a radio
   * station's card), else undefined: those are left out, and a copy an earlier run took is removed.
   */
  serviceCard?: (cardId: string) => string | undefined;
  /** A card left out on purpose, and why (said in the log). */
  leftOut?: (message: string) => void;
  retryDelaysMs?: readonly number[];
}

// Files of one card fetched side by side: enough to fill the line, few enough to be gentle to Yoto.
const FILES_AT_ONCE = 4;

/**
 * One run: every Make Your Own card of the account, each read (only when Yoto says it changed, or
 * files are missing), its new files fetched, then its record written. A card is committed whole or
 * not at all, so a run that stops — Yoto down, a full disk, a kill — resumes at the next run with
 * what it had fetched already. Cards gone from the account are kept, marked deleted.
 */
export async function runArchive(ctx: RunContext, run: ArchiveRun): Promise<void> {
  const service = ctx.serviceCard ?? (() => undefined);
  const listed = (await ctx.rest.myContent(ctx.signal)).filter(
    (card): card is Card =>
      typeof card?.cardId === "string" && /^[A-Za-z0-9]{1,64}$/.test(card.cardId) && service(card.cardId) === undefined,
  );
  await forgetServiceCards(ctx, service);
  const known = new Map<string, ArchivedFile>();
  for (const record of ctx.records.values())
    for (const [ref, file] of Object.entries(record.files)) known.set(ref, file);
  // Files a stopped run kept before its card was committed (one listing, not one per file).
  const onDisk = await ctx.folder.filesOnDisk();
  run.cards.total = listed.length;
  ctx.progressed();
  const seen = new Set<string>();
  // Each card's commit (its files flushed, its record written) runs while the next card downloads,
  // in order; a commit that fails (a full disk) ends the run before another card starts.
  let committing: Promise<void> = Promise.resolve();
  let commitFailure: unknown;
  const fail = async (err: unknown): Promise<never> => {
    await committing;
    throw commitFailure ?? err;
  };
  for (const summary of listed) {
    if (ctx.signal.aborted) await fail(stopping());
    if (commitFailure !== undefined) await fail(commitFailure);
    seen.add(summary.cardId);
    const prev = ctx.records.get(summary.cardId);
    const updatedAt = typeof summary.updatedAt === "string" ? summary.updatedAt : undefined;
    const unchanged = prev && !prev.deletedAt && updatedAt !== undefined && prev.yotoUpdatedAt === updatedAt;
    if (!unchanged || !(await allPresent(ctx.folder, prev))) {
      try {
        const commit = await archiveCard(ctx, summary, prev, updatedAt, run, known, onDisk);
        committing = committing
          .then(() => (commitFailure === undefined ? commit() : undefined))
          .catch((err) => {
            commitFailure ??= err;
          });
      } catch (err) {
        if (endsTheRun(err, ctx.signal)) await fail(err);
        run.problems.push({cardId: summary.cardId, title: titleOf(summary, prev), message: errorMessage(err)});
      }
    }
    run.current = undefined;
    run.cards.done++;
    ctx.progressed();
  }
  await committing;
  if (commitFailure !== undefined) throw commitFailure;
  const at = new Date().toISOString();
  for (const record of ctx.records.values()) {
    if (seen.has(record.cardId) || record.deletedAt || record.account !== ctx.account) continue;
    const change = deletedChange(at);
    const next = {...record, deletedAt: at, changes: [change, ...record.changes].slice(0, MAX_CHANGES_KEPT)};
    await ctx.folder.saveCard(next);
    ctx.records.set(record.cardId, next);
    run.changes.push({cardId: record.cardId, title: record.title, summary: change.summary});
  }
}

/**
 * Copies of this service's own cards that an earlier run took: they hold nothing but a link back
 * to this service, and listed among the family's cards they only confused. Their files go with
 * the next clean run's tidy-up, like any file no card refers to.
 */
async function forgetServiceCards(ctx: RunContext, service: (cardId: string) => string | undefined): Promise<void> {
  for (const record of [...ctx.records.values()]) {
    const what = service(record.cardId);
    if (what === undefined) continue;
    await ctx.folder.removeCard(record.cardId);
    ctx.records.delete(record.cardId);
    ctx.leftOut?.(
      `'${record.title}' (${record.cardId}) is ${what}, not one of the family's cards: its copy was removed`,
    );
  }
}

async function archiveCard(
  ctx: RunContext,
  summary: Card,
  prev: CardRecord | undefined,
  updatedAt: string | undefined,
  run: ArchiveRun,
  known: Map<string, ArchivedFile>,
  onDisk: ReadonlyMap<string, string>,
): Promise<() => Promise<void>> {
  const cardId = summary.cardId;
  const signed = await ctx.rest.content(cardId, ctx.signal);
  const unsigned = unsignCard(signed, ctx.rest.cloudOrigins);
  const {needs, unreachable} = mediaNeeds(signed, unsigned);
  if (unreachable.length > 0)
    throw new AppError(
      "media_unreachable",
      `${unreachable[0]}: Yoto gave no link to fetch it, so the card was not archived`,
      {
        status: 502,
      },
    );
  const files: Record<string, ArchivedFile> = {};
  const todo: MediaNeed[] = [];
  // Files a stopped run kept for this card: not yet flushed when it stopped, so flushed with the new.
  const uncommitted: ArchivedFile[] = [];
  for (const need of needs) {
    const kept = known.has(need.ref) ? undefined : await keptAudio(ctx.folder, need, onDisk);
    const held = known.get(need.ref) ?? kept;
    if (held && (await ctx.folder.has(held))) files[need.ref] = held;
    else todo.push(need);
    if (kept) uncommitted.push(kept);
  }
  const current = {cardId, title: titleOf(signed, prev), bytesDone: 0, bytesTotal: expectedBytes(unsigned, todo)};
  run.current = current;
  ctx.progressed();
  // Links expire within the hour: a refused one is read afresh, once for every file waiting on it.
  let reading: Promise<MediaNeed[]> | undefined;
  const relink = async (ref: string) => {
    reading ??= ctx.rest
      .content(cardId, ctx.signal)
      .then((card) => mediaNeeds(card, unsignCard(card, ctx.rest.cloudOrigins)).needs)
      .finally(() => {
        reading = undefined;
      });
    return (await reading).find((n) => n.ref === ref)?.url;
  };
  const abort = new AbortController();
  const signal = AbortSignal.any([ctx.signal, abort.signal]);
  let failure: unknown;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && failure === undefined) {
      const need = todo[next++] as MediaNeed;
      try {
        const file = await fetchMedia(need, {
          folder: ctx.folder,
          ...(ctx.policy ? {policy: ctx.policy} : {}),
          signal,
          relink,
          // A cover is not worth waiting on: one attempt.
          ...(need.kind === "cover"
            ? {retryDelaysMs: []}
            : ctx.retryDelaysMs
              ? {retryDelaysMs: ctx.retryDelaysMs}
              : {}),
          progress: (bytes) => {
            current.bytesDone += bytes;
            run.downloaded.bytes += bytes;
            current.bytesTotal = Math.max(current.bytesTotal, current.bytesDone);
            ctx.progressed();
          },
        });
        files[need.ref] = file;
        known.set(need.ref, file);
        run.downloaded.files++;
      } catch (err) {
        // A cover is the card's picture, not its content: one that cannot be fetched (a dead
        // third-party host) is left out rather than keep the card's audio from being archived.
        const ours = ctx.signal.aborted || (err instanceof AppError && err.status === 507);
        if (need.kind === "cover" && !ours) {
          ctx.skipped(`${need.where} could not be fetched (${errorMessage(err)}); the card was archived without it`);
          continue;
        }
        // The first failure stops the card's other downloads: it is committed whole or not at all.
        failure ??= err;
        abort.abort();
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(FILES_AT_ONCE, todo.length)}, worker));
  if (failure !== undefined) throw failure;
  return () =>
    commitCard(ctx, run, {
      cardId,
      prev,
      updatedAt,
      unsigned,
      files,
      flush: [...uncommitted, ...todo.flatMap((need) => files[need.ref] ?? [])],
    });
}

/**
 * A card into the archive: its new files durable first (a power cut cannot leave a record pointing
 * at bytes that never reached the disk), then its record.
 */
async function commitCard(
  ctx: RunContext,
  run: ArchiveRun,
  card: {
    cardId: string;
    prev: CardRecord | undefined;
    updatedAt: string | undefined;
    unsigned: Card;
    files: Record<string, ArchivedFile>;
    flush: ArchivedFile[];
  },
): Promise<void> {
  const {cardId, prev, updatedAt, unsigned, files} = card;
  await ctx.folder.flush(card.flush);
  const at = new Date().toISOString();
  const change = diffCards(prev?.card, unsigned, at);
  const record: CardRecord & {account?: string} = {
    version: 1,
    cardId,
    title: titleOf(unsigned, prev),
    archivedAt: at,
    ...(updatedAt ? {yotoUpdatedAt: updatedAt} : {}),
    ...(ctx.account ? {account: ctx.account} : {}),
    card: unsigned,
    files,
    changes: change ? [change, ...(prev?.changes ?? [])].slice(0, MAX_CHANGES_KEPT) : (prev?.changes ?? []),
  };
  await ctx.folder.saveCard(record);
  ctx.records.set(cardId, record);
  if (change) run.changes.push({cardId, title: record.title, summary: change.summary});
}

/** What Yoto says the card's files weigh (tracks carry `fileSize`), for the progress bar. */
function expectedBytes(card: Card, todo: MediaNeed[]): number {
  const wanted = new Set(todo.map((n) => n.ref));
  let bytes = 0;
  for (const chapter of chaptersOf(card))
    for (const track of tracksOf(chapter))
      if (wanted.has(String(track.trackUrl)) && typeof track.fileSize === "number" && track.fileSize > 0)
        bytes += track.fileSize;
  return bytes;
}

/**
 * Audio a stopped run kept before its card was committed (a full disk, a kill): its name is the
 * sha its bytes were checked against, the very sha the reference names, so it is not fetched again.
 */
async function keptAudio(
  folder: ArchiveFolder,
  need: MediaNeed,
  onDisk: ReadonlyMap<string, string>,
): Promise<ArchivedFile | undefined> {
  const sha = need.kind === "audio" ? expectedSha(need.ref) : undefined;
  const found = sha ? await folder.findBySha(sha, onDisk) : undefined;
  if (!sha || !found) return undefined;
  const file: ArchivedFile = {kind: "audio", sha, ext: found.ext, bytes: found.bytes, verified: true};
  // It was never flushed: after a power cut it may hold less than was written. Hashed again to be sure.
  return (await folder.holdsBytesOf(file)) ? file : undefined;
}

async function allPresent(folder: ArchiveFolder, record: CardRecord | undefined): Promise<boolean> {
  if (!record) return false;
  for (const file of Object.values(record.files)) if (!(await folder.has(file))) return false;
  return true;
}

/** The card's title as Yoto keeps it (at most 100 characters: a longer one from a bad answer is cut). */
function titleOf(card: Card, prev: CardRecord | undefined): string {
  if (typeof card.title !== "string" || card.title === "") return prev?.title ?? card.cardId;
  return Array.from(card.title).slice(0, 100).join("");
}

/** Yoto out of reach or failing, our disk full, or the service stopping: the run stops and resumes later. */
function endsTheRun(err: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  if (err instanceof YotoApiError)
    return err.status === 0 || err.status === 429 || err.status >= 500 || err.status === 401;
  if (err instanceof DownloadError) return err.upstream === 0 || err.upstream === 429 || err.upstream >= 500;
  return err instanceof AppError && err.status === 507;
}

function stopping(): AppError {
  return new AppError("stopping", "The archive run was stopped before it finished; the next run carries on", {
    status: 503,
    expose: true,
  });
}
