import type {HistorySessions, HistorySummary} from "../../../src/shared/api/index.js";
import {get} from "./http.js";

export type {HistoryDay, HistorySummary, ListeningSession} from "../../../src/shared/api/index.js";

/** The ranges the History view offers, in days. */
export const HISTORY_RANGES = [7, 14, 30, 90, 365] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

/** Seconds per day and per player for the last `days` days, today included. */
export const getHistory = (days: HistoryRange, player?: string) => get<HistorySummary>("api/history", {days, player});

/** Sessions between two dates (`YYYY-MM-DD`, inclusive), newest first. */
export const getSessions = (opts: {from?: string; to?: string; player?: string; limit?: number}) =>
  get<HistorySessions>("api/history/sessions", opts);
