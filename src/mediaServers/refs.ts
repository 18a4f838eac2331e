import {badRequest} from "../core/errors.js";
import type {ContentDirectory, DirectoryEntry} from "./contentDirectory.js";

export const REF_PREFIX = "dlna:";
/** A folder queued whole: at most this many tracks, from at most this many folders. */
export const MAX_FOLDER_TRACKS = 500;
const MAX_FOLDERS = 200;
const PAGE = 200;
const WALK_MS = 60_000;

/** `dlna:<server>:<object id, URL-encoded>`: what a queue or a card takes for a server's track or folder. */
export function refOf(serverId: string, objectId: string): string {
  return `${REF_PREFIX}${serverId}:${encodeURIComponent(objectId)}`;
}

export function parseRef(ref: string): {serverId: string; objectId: string} {
  const m = /^dlna:([A-Za-z0-9_-]{1,64}):(.{1,2048})$/.exec(ref);
  let objectId: string | undefined;
  try {
    objectId = m ? decodeURIComponent(m[2] as string) : undefined;
  } catch {
    objectId = undefined;
  }
  if (!m || !objectId)
    throw badRequest(
      `'${ref.slice(0, 80)}' is not a media server reference: use the "ref" that GET /api/sources/<id>/browse gives`,
      "bad_items",
    );
  return {serverId: m[1] as string, objectId};
}

/**
 * A folder's tracks in the server's order, subfolders depth-first where they stand. Bounded
 * whatever the server says: a visited set against folders that contain themselves, caps on tracks
 * and folders, a deadline, and a stop when a page brings nothing (servers that report no total).
 */
export async function folderTracks(
  directory: ContentDirectory,
  folderId: string,
  signal: AbortSignal,
): Promise<DirectoryEntry[]> {
  const tracks: DirectoryEntry[] = [];
  const visited = new Set<string>();
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(WALK_MS)]);
  const walk = async (id: string): Promise<void> => {
    if (visited.has(id) || visited.size >= MAX_FOLDERS || tracks.length >= MAX_FOLDER_TRACKS) return;
    visited.add(id);
    for (let start = 0; tracks.length < MAX_FOLDER_TRACKS; start += PAGE) {
      deadline.throwIfAborted();
      const page = await directory.browse(id, start, PAGE, deadline);
      for (const entry of page.entries) {
        if (entry.kind === "track") tracks.push(entry);
        else await walk(entry.id);
        if (tracks.length >= MAX_FOLDER_TRACKS) return;
      }
      if (page.entries.length === 0 || start + page.entries.length >= page.total) return;
    }
  };
  await walk(folderId);
  return tracks;
}
