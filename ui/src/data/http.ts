import type {ApiErrorBody} from "../../../src/shared/api/index.js";
import {type EarlyAnswer, takeEarly} from "./early.js";

/** An admin API error: `message` is the server's sentence for people, `code` the stable part. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** `device_link_only`: the child whose page the device link opens. */
  readonly child?: string;

  constructor(status: number, body: ApiErrorBody) {
    super(body.error);
    this.name = "ApiError";
    this.status = status;
    this.code = body.code;
    if (typeof body.child === "string") this.child = body.child;
  }
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Sent on every call: outside Home Assistant the service takes changes from a web page only with it
 * (another site's page cannot add it without a CORS preflight, which the service never grants).
 */
export const PANEL_HEADERS = {"X-Requested-With": "yoto-smart-stream"} as const;

/** Sent with every call: a child's tablet's device link (the child's page only; the panel sends none). */
let authorization: string | undefined;

export function sendCredential(value: string | undefined): void {
  authorization = value;
}

/**
 * One admin API call. Paths are relative (`api/…`) so they resolve under Home Assistant's ingress
 * prefix, whatever it is. Bodies go out as JSON (a file goes by `uploadFile`); errors come back as
 * `ApiError`.
 */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  // An early answer is never a rejection: a failed one is undefined, and asked for again here.
  const answer = (method === "GET" ? await takeEarly(path) : undefined) ?? (await read(await send(method, path, body)));
  if (answer.status === 204) return undefined as T;
  const parsed = parse(answer.text);
  if (answer.status < 200 || answer.status > 299) throw new ApiError(answer.status, errorBody(answer, parsed));
  return parsed as T;
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      headers: {
        ...PANEL_HEADERS,
        ...(body === undefined ? {} : {"Content-Type": "application/json"}),
        ...(authorization ? {Authorization: authorization} : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      error: "The service did not answer. Check that the add-on is running, then try again.",
      code: "unreachable",
    });
  }
}

async function read(response: Response): Promise<EarlyAnswer> {
  return {status: response.status, statusText: response.statusText, text: await response.text()};
}

/** `path` with a query string built from the defined, non-empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== "") params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** `GET` with a query string built from the defined values. */
export function get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
  return request<T>("GET", withQuery(path, query));
}

export const segment = encodeURIComponent;

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function errorBody(answer: EarlyAnswer, parsed: unknown): ApiErrorBody {
  const body = parsed as Partial<ApiErrorBody> | undefined;
  if (typeof body?.error === "string") return {...body, error: body.error, code: body.code ?? "error"};
  return {error: answer.text.trim() || `${answer.status} ${answer.statusText}`, code: "error"};
}
