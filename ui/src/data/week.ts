/** The week as the panel shows it, Monday first; the plan's keys are the same names, in any order. */
export const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
