import {setOwn} from "../core/ownKeys.js";
import {addByDay, Days} from "../core/time/days.js";
import type {SessionSpan} from "./dailyTotals.js";
import type {HistoryStore, SessionRow} from "./historyStore.js";
import {heardSoFar, type LiveSession} from "./sessionTracker.js";
import type {HistorySessions, HistorySummary, ListeningSession} from "./types.js";

export interface SummaryInput {
  store: HistoryStore;
  days: Days;
  /** Today's date in the service's zone: the last day shown. */
  today: string;
  count: number;
  playerId?: string;
  /** What the stored days lack (open sessions as heard so far, closes not yet saved); asked after the read. */
  notYetStored(): SessionSpan[];
  /** Every known player id with its name, live players first. */
  names: Map<string, string>;
  /** Ids of the players on the account now: listed even with nothing played. */
  liveIds: Set<string>;
  todaySeconds(playerId: string): number;
  retentionDays: number;
}

/**
 * Seconds per day and player over the last `count` days: the stored daily totals (one small row
 * per day and player), plus what memory has that the file has not yet, split at the zone's
 * midnights so a session across midnight counts to both days.
 */
export async function summarise(q: SummaryInput): Promise<HistorySummary> {
  const from = Days.add(q.today, 1 - q.count);
  const dates: string[] = [];
  for (let d = from; d <= q.today; d = Days.add(d, 1)) dates.push(d);
  const dayIndex = new Map(dates.map((date, i) => [date, i]));
  const perPlayer = new Map<string, number[]>();
  const msOf = (playerId: string) => {
    let ms = perPlayer.get(playerId);
    if (!ms) {
      ms = new Array<number>(dates.length).fill(0);
      perPlayer.set(playerId, ms);
    }
    return ms;
  };
  for (const row of await q.store.daily(from, q.today, q.playerId)) {
    const i = dayIndex.get(row.date);
    const ms = msOf(row.playerId);
    if (i !== undefined) ms[i] = (ms[i] ?? 0) + row.ms;
  }
  // Read after the file: a close saved meanwhile has left memory's list by now, so nothing counts twice.
  const pending = q.notYetStored().filter((s) => q.playerId === undefined || s.playerId === q.playerId);
  if (pending.length > 0) {
    const {bounds} = q.days.range(from, q.today);
    for (const s of pending) addByDay(bounds, s.startedAt, s.endedAt, msOf(s.playerId));
  }

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

/**
 * One page of sessions, newest first. Memory is newer than the file for the sessions it holds
 * (`live`: the ones playing, up to their last message, and closes not yet saved), so those rows
 * are shown as memory has them. A row still open that memory does not hold is a play too short to
 * count whose removal is not written yet (writes lag on a busy machine): never shown.
 */
export async function sessionsPage(
  store: HistoryStore,
  q: {from?: number; to?: number; playerId?: string; limit: number},
  live: LiveSession[],
): Promise<HistorySessions> {
  const rows = await store.sessions(q);
  // After the read: an insert that landed meanwhile has given its session its id by now.
  const liveById = new Map(live.filter((s) => s.id !== undefined).map((s) => [s.id as number, s]));
  return {
    sessions: rows
      .filter((row) => !row.open || liveById.has(row.id))
      .map((row) => toSession(row, liveById.get(row.id))),
  };
}

function toSession(row: SessionRow, live: LiveSession | undefined): ListeningSession {
  const endedAt = live ? live.lastAt : row.endedAt;
  const open = live !== undefined && live.endedAt === undefined;
  // An open one counts as today's tally does (heardSoFar), so the page and its tiles agree.
  const countedTo = open ? heardSoFar(live).endedAt : endedAt;
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
    seconds: Math.round((countedTo - row.startedAt) / 1000),
    open,
  };
}
