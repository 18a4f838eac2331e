import type {AssistantMade, AssistantsList} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {
  AssistantMade,
  AssistantRequestView,
  AssistantsList,
  AssistantView,
} from "../../../src/shared/api/index.js";

/** What a parent gives an assistant, as `POST /api/assistants` and a request's approve take it. */
export interface GrantsAsked {
  read_only: boolean;
  /** Empty: every child. */
  children: string[];
}

/** The assistants, the OAuth requests waiting, and the MCP address (empty behind ingress: see `mcpAddress`). */
export const getAssistants = () => get<AssistantsList & {panel_port: number}>("api/assistants");

/** A new assistant and its token, with what it may do: the token is in this answer only. */
export const makeAssistant = (name: string, grants: GrantsAsked) =>
  request<AssistantMade>("POST", "api/assistants", {name, ...grants});

/** Revoked at once: the assistant's next request with its token is refused. */
export const revokeAssistant = (id: string) => request<unknown>("DELETE", `api/assistants/${segment(id)}`);

/** A parent's answer to an OAuth client's request: approve lets it in with what it may do, deny sends it away. */
export const answerAssistantRequest = (id: string, answer: "approve" | "deny", grants?: GrantsAsked) =>
  request<{answered: string}>("POST", `api/assistants/requests/${segment(id)}/${answer}`, grants);
