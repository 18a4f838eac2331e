import {readFile} from "node:fs/promises";
import type {TrackSource} from "../cards/cardJson.js";
import {AppError, badRequest} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {LibraryItem} from "../library/types.js";
import type {RestoreRequest, RestoreResult} from "../shared/api/archive.js";
import {uploadAudio} from "../yoto/audioUpload.js";
import {type Card, YotoApiError, type YotoRest} from "../yoto/rest.js";
import type {ArchiveFolder} from "./archiveFolder.js";
import type {ArchivePlayables} from "./archivePlay.js";
import {
  type ArchivedFile,
  type CardRecord,
  chaptersOf,
  contentTypeOf,
  coverOf,
  fileOf,
  iconOf,
  isUploadedAudio,
  tracksOf,
} from "./cardRecord.js";
import {checkRestored} from "./restoreCheck.js";

export interface RestoreContext {
  rest: YotoRest;
  folder: ArchiveFolder;
  playables: ArchivePlayables;
  /** A library item as a card track streaming from this service (Cards signs the URL). */
  streamTrack(item: LibraryItem, title: string): TrackSource;
  pollMs?: number;
  /** Where the upload URL Yoto gives may lead. */
  policy?: FetchPolicy;
}

type Json = Record<string, unknown>;
// What Yoto sets on a card by itself; a restored card gets its own.
const SERVER_FIELDS = ["_id", "userId", "createdAt", "updatedAt", "sortkey", "slug", "deleted"];

export function restoreOptions(body: RestoreRequest): {
  mode: "new" | "replace";
  audio: "upload" | "stream";
  force: boolean;
} {
  const mode = body.mode ?? "new";
  const audio = body.audio ?? "upload";
  if (body.force !== undefined && typeof body.force !== "boolean")
    throw badRequest(`force must be true or false, not ${JSON.stringify(body.force)}`);
  if (mode !== "new" && mode !== "replace")
    throw badRequest(
      `mode must be "new" (a new card) or "replace" (over the card it came from), not ${JSON.stringify(mode)}`,
    );
  if (audio !== "upload" && audio !== "stream")
    throw badRequest(
      `audio must be "upload" (sent to Yoto) or "stream" (streamed from this service), not ${JSON.stringify(audio)}`,
    );
  return {mode, audio, force: body.force === true};
}

/**
 * Put an archived card back on the linked account: its audio uploaded through Yoto's upload flow (or
 * streamed from here), its icons and cover uploaded, then the card written as a new card or over the
 * one it came from, read back and compared with the archived copy. Everything is uploaded before
 * the card is written, so a refusal on the way leaves no half-made card at Yoto.
 */
export async function restoreCard(
  ctx: RestoreContext,
  record: CardRecord,
  body: RestoreRequest,
): Promise<RestoreResult> {
  const {mode, audio, force} = restoreOptions(body);
  await checkFilesHeld(ctx.folder, record);
  if (mode === "replace") await checkReplaceable(ctx.rest, record, force);
  const uploaded = {files: 0, bytes: 0};
  const tracks = new Map<string, Json>();
  if (audio === "upload") {
    for (const [ref, file] of audioFiles(record)) {
      const result = await uploadAudio(
        ctx.rest,
        {
          path: ctx.folder.pathOf(file),
          sha256: file.sha,
          bytes: file.bytes,
          // By characters, not UTF-16 units: a cut emoji would not survive URL encoding.
          filename: `${Array.from(record.title).slice(0, 60).join("")}-${file.sha.slice(0, 8)}.${file.ext}`,
          contentType: contentTypeOf(file),
        },
        {...(ctx.pollMs === undefined ? {} : {pollMs: ctx.pollMs}), ...(ctx.policy ? {policy: ctx.policy} : {})},
      );
      if (result.uploaded) {
        uploaded.files++;
        uploaded.bytes += file.bytes;
      }
      const a = result.audio;
      tracks.set(ref, {
        trackUrl: `yoto:#${a.sha}`,
        type: "audio",
        format: a.format,
        duration: a.duration,
        fileSize: a.fileSize,
      });
    }
  } else {
    for (const playable of await ctx.playables.tracks(record)) {
      if (tracks.has(playable.ref)) continue;
      const source = ctx.streamTrack(playable.item, playable.title);
      tracks.set(playable.ref, {
        trackUrl: source.url,
        type: "stream",
        format: source.format ?? "mp3",
        duration: source.duration ?? 0,
        fileSize: source.fileSize ?? 0,
      });
    }
  }
  const icons = new Map<string, string>();
  for (const [ref, file] of Object.entries(record.files)) {
    if (file.kind !== "icon") continue;
    const icon = await ctx.rest.uploadIcon(
      await readFile(ctx.folder.pathOf(file)),
      `${file.sha.slice(0, 12)}.${file.ext}`,
    );
    icons.set(ref, `yoto:#${icon.mediaId}`);
  }
  const coverFile = fileOf(record, coverOf(record.card));
  const cover = coverFile
    ? (await ctx.rest.uploadCover(await readFile(ctx.folder.pathOf(coverFile)))).mediaUrl
    : undefined;
  const card = rebuilt(record, tracks, icons, cover, mode);
  const written = await ctx.rest.createContent(card);
  const readBack = await ctx.rest.content(written.cardId);
  return {
    cardId: written.cardId,
    title: written.title ?? record.title,
    mode,
    audio,
    uploaded,
    check: checkRestored(record, readBack),
  };
}

function audioFiles(record: CardRecord): Map<string, ArchivedFile> {
  const out = new Map<string, ArchivedFile>();
  for (const chapter of chaptersOf(record.card))
    for (const track of tracksOf(chapter)) {
      const file = isUploadedAudio(track) ? fileOf(record, track.trackUrl as string) : undefined;
      if (file) out.set(track.trackUrl as string, file);
    }
  return out;
}

/** The archived card with every reference swapped for what the account has now. */
function rebuilt(
  record: CardRecord,
  tracks: Map<string, Json>,
  icons: Map<string, string>,
  cover: string | undefined,
  mode: "new" | "replace",
): Card {
  const swapIcon = (node: Json): Json => {
    const icon = iconOf(node);
    return icon && icons.has(icon) ? {...node, display: {...(node.display as Json), icon16x16: icons.get(icon)}} : node;
  };
  const chapters = chaptersOf(record.card).map((chapter) => {
    const next = tracksOf(chapter).map((track) => {
      const swapped = isUploadedAudio(track) ? tracks.get(track.trackUrl as string) : undefined;
      return swapIcon(swapped ? {...track, ...swapped} : track);
    });
    const streams = next.some((t) => t.type === "stream");
    return {...swapIcon(chapter), tracks: next, ...(streams ? {hasStreams: true} : {})};
  });
  const card: Json = {...record.card, content: {...record.card.content, chapters}};
  for (const field of SERVER_FIELDS) delete card[field];
  if (mode === "new") delete card.cardId;
  else card.cardId = record.cardId;
  if (cover) card.metadata = {...(record.card.metadata ?? {}), cover: {imageL: cover}};
  return card as Card;
}

export async function checkFilesHeld(folder: ArchiveFolder, record: CardRecord): Promise<void> {
  const missing: string[] = [];
  for (const file of Object.values(record.files))
    if (!(await folder.has(file))) missing.push(`${file.sha}.${file.ext}`);
  if (missing.length > 0)
    throw new AppError(
      "archive_incomplete",
      `The archived copy of '${record.title}' is missing ${missing.length} file(s) (${missing.slice(0, 3).join(", ")}) in '${folder.dir}'; archive it again while it is still on Yoto, or restore those files from a backup`,
      {status: 409},
    );
}

/**
 * Replacing writes over the card at Yoto: refused when it is gone, and when it changed there since
 * it was archived (a new recording would be lost) unless `force` says to.
 */
async function checkReplaceable(rest: YotoRest, record: CardRecord, force: boolean): Promise<void> {
  try {
    const current = await rest.content(record.cardId);
    const changedAt = typeof current.updatedAt === "string" ? current.updatedAt : undefined;
    if (!force && changedAt && record.yotoUpdatedAt && changedAt !== record.yotoUpdatedAt)
      throw new AppError(
        "changed_at_yoto",
        `'${record.title}' changed at Yoto (${changedAt}) after it was archived (${record.yotoUpdatedAt}): replacing it would lose that change. Archive it first, restore it as a new card, or send "force": true`,
        {status: 409},
      );
  } catch (err) {
    if (err instanceof YotoApiError && err.status === 404)
      throw new AppError(
        "card_gone",
        `'${record.title}' (${record.cardId}) is not on the linked Yoto account (deleted there, or another account is linked): restore it as a new card instead ("mode": "new")`,
        {status: 409},
      );
    throw err;
  }
}
