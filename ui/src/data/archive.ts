import type {
  ArchivedCardDetail,
  ArchiveOverview,
  ArchiveRun,
  ArchiveStreamResult,
  RestoreRequest,
  RestoreResult,
} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {
  ArchivedCardDetail,
  ArchivedCardSummary,
  ArchivedChapter,
  ArchivedTrack,
  ArchiveOverview,
  ArchiveRun,
  ArchiveStreamResult,
  CardChange,
  RestoreRequest,
  RestoreResult,
} from "../../../src/shared/api/index.js";

const base = (cardId: string) => `api/archive/${segment(cardId)}`;

/** Every archived card, the totals, the nightly time and the runs (the one running, the last one). */
export const getArchive = () => get<ArchiveOverview>("api/archive");

/** One archived card with its chapters, tracks and change history. */
export const getArchivedCard = (cardId: string) => get<ArchivedCardDetail>(base(cardId));

/** Start a run now; progress follows as `archive.progress`. Refused (409) while one runs. */
export const runArchive = () => request<{run: ArchiveRun}>("POST", "api/archive/run");

/** Put the archived card back on the Yoto account; answers once done and checked. */
export const restoreCard = (cardId: string, body: RestoreRequest) =>
  request<RestoreResult>("POST", `${base(cardId)}/restore`, body);

/** Make a stream of the archived card's audio, played from this service. */
export const streamCard = (cardId: string, name?: string) =>
  request<ArchiveStreamResult>("POST", `${base(cardId)}/stream`, name ? {name} : {});

/** Where the panel's preview player reads an archived audio file (ranged, so seeking works). */
export const archivedAudioUrl = (sha: string) => `api/archive/files/${segment(sha)}`;
