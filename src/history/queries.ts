import {setOwn} from "../core/ownKeys.js";
import {addByDay, Days} from "./days.js";
import type {HistoryStore, SessionRow} from "./historyStore.js";
import type {HistorySessions, HistorySummary, ListeningSession} from "./types.js";

/** A session being listened to now, as the service keeps it in memory. Times are epoch ms. */
export interface LiveSession {
  playerId: string;
  player: string;
  cardId: string;
  cardTitle?: string;
  chapterTitle?: string;
  startedAt: number;
  /** The player's last message while it played: where the session ends if nothing more comes. */
  lastAt: number;
  /** Set when it closes. */
  endedAt?: number;
  /** When it was last written as open. */
  checkpointAt: number;
  /** Its row id once written. */
  id?: number;
  /** Settles after every write of this session asked so far, with its row id (undefined until inserted). */
  saved: Promise<number | undefined>;
}

export interface SummaryInput {
  store: HistoryStore;
  days: Days;
  /** Today's date in the service's zone: the last day shown. */
  today: string;
  count: number;
  playerId?: string;
  live: LiveSession[];
  now: number;
  /** Every known player id with its name, live players first. */
  names: Map<string, string>;
  /** Ids of the players on the account now: listed even with nothing played. */
  liveIds: Set<string>;
  todaySeconds(playerId: string): number;
  retentionDays: number;
}

/**
 * Seconds per day and player over the last `count` days. Stored sessions come from one range query;
 * live ones from memory, counted up to now. Each session is split at the zone's midnights, so
 * one that crosses midnight counts to both days.
 */
export async function summarise(q: SummaryInput): Promise<HistorySummary> {
  const from = Days.add(q.today, 1 - q.count);
  const {dates, bounds} = q.days.range(from, q.today);
  const first = bounds[0] as number;
  const last = bounds[bounds.length - 1] as number;
  const perPlayer = new Map<string, number[]>();
  const add = (playerId: string, start: number, end: number) => {
    let ms = perPlayer.get(playerId);
    if (!ms) {
      ms = new Array<number>(dates.length).fill(0);
      perPlayer.set(playerId, ms);
    }
    addByDay(bounds, start, end, ms);
  };
  for (const span of await q.store.spans(first, last, q.playerId)) add(span.playerId, span.startedAt, span.endedAt);
  for (const s of q.live)
    if (q.playerId === undefined || s.playerId === q.playerId) add(s.playerId, s.startedAt, q.now);

  const players = [...q.names]
    .filter(([id]) => (q.playerId === undefined ? q.liveIds.has(id) || perPlayer.has(id) : id === q.playerId))
    .map(([id, name]) => ({id, name}));
  const days = dates.map((date, i) => {
    const seconds: Record<string, number> = {};
    for (const {id} of players) setOwn(seconds, id, Math.round((perPlayer.get(id)?.[i] ?? 0) / 1000));
    return {date, seconds};
  });
  const today: Record<string, number> = {};
  for (const {id} of players) setOwn(today, id, q.todaySeconds(id));
  return {timeZone: q.days.timeZone, from, to: q.today, players, days, today, retentionDays: q.retentionDays};
}

/** One page of sessions, newest first; the ones still playing as memory has them (up to the last message). */
export async function sessionsPage(
  store: HistoryStore,
  q: {from?: number; to?: number; playerId?: string; limit: number},
  live: LiveSession[],
): Promise<HistorySessions> {
  const liveById = new Map(live.filter((s) => s.id !== undefined).map((s) => [s.id as number, s]));
  const rows = await store.sessions(q);
  return {sessions: rows.map((row) => toSession(row, liveById.get(row.id)))};
}

function toSession(row: SessionRow, live: LiveSession | undefined): ListeningSession {
  const endedAt = live ? live.lastAt : row.endedAt;
  const cardTitle = live?.cardTitle ?? row.cardTitle;
  const chapterTitle = live?.chapterTitle ?? row.chapterTitle;
  return {
    id: row.id,
    playerId: row.playerId,
    player: live?.player ?? row.player,
    cardId: row.cardId,
    ...(cardTitle ? {cardTitle} : {}),
    ...(chapterTitle ? {chapterTitle} : {}),
    startedAt: new Date(row.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    seconds: Math.round((endedAt - row.startedAt) / 1000),
    open: live !== undefined,
  };
}
