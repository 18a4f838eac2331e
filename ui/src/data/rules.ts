import type {RuleStatus, RulesList, RulesReload, Trace} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {LoadError, RuleStatus, Trace} from "../../../src/shared/api/index.js";

export const getRules = () => get<RulesList>("api/rules");

export const reloadRules = () => request<RulesReload>("POST", "api/rules/reload");

export const setRuleEnabled = (id: string, enabled: boolean) =>
  request<RuleStatus>("PUT", `api/rules/${segment(id)}`, {enabled});

export const runRule = (id: string) => request<{trace?: Trace}>("POST", `api/rules/${segment(id)}/run`);

export const getTraces = (id: string) => get<{traces: Trace[]}>(`api/rules/${segment(id)}/traces`);
