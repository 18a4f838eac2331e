import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {AssistantCaller, McpAnswers} from "./mcpAnswers.js";
import {
  isModern,
  META,
  negotiated,
  SUPPORTED_VERSIONS,
  UNSUPPORTED_VERSION,
  unsupportedMessage,
  versionOf,
} from "./mcpVersions.js";

/** A JSON-RPC 2.0 message as the server reads it: a request (an id), a notification, or a client's response. */
export interface RpcMessage {
  id?: string | number;
  method?: string;
  params?: unknown;
}

export interface McpRpcDeps {
  answers: Pick<McpAnswers, "listed" | "call">;
  version: string;
  instructions: string;
  log: Logger;
}

/** The method that acts: the only one the assistant's rate counts. */
export const TOOL_CALL = "tools/call";
/** How long a 2026-07-28 client may keep the tools and the discovery: they change only with an update, which restarts. */
const CACHE_MS = 60_000;

const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

/**
 * A request's JSON-RPC messages, or why they are not: an object or a non-empty array of objects,
 * each `jsonrpc: "2.0"` with a method (a request when it has an id: a string or a number), or a
 * response to the server (an id and a result or an error, which a stateless server never asked for).
 */
export function messagesOf(body: unknown): RpcMessage[] | string {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) return "Invalid Request: the batch is empty";
  for (const m of list) {
    if (typeof m !== "object" || m === null || Array.isArray(m) || (m as {jsonrpc?: unknown}).jsonrpc !== "2.0")
      return 'Invalid Request: each message is a JSON-RPC 2.0 object ({"jsonrpc": "2.0", …})';
    const {id, method} = m as {id?: unknown; method?: unknown};
    const goodId = id === undefined || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
    if (!goodId) return "Invalid Request: an id is a string or a number";
    if (method === undefined && (id === undefined || !("result" in m || "error" in m)))
      return "Invalid Request: a message has a method, or is a response with an id and a result or an error";
    if (method !== undefined && typeof method !== "string") return "Invalid Request: a method is a string";
  }
  if (list.filter((m) => (m as RpcMessage).method === "initialize").length > 0 && list.length > 1)
    return "Invalid Request: Only one initialization request is allowed";
  return list as RpcMessage[];
}

/** The tool calls among `messages`: what the assistant's rate counts. */
export function toolCalls(messages: RpcMessage[]): number {
  return messages.filter((m) => m.method === TOOL_CALL && m.id !== undefined).length;
}

/**
 * The MCP server's JSON-RPC answers (docs/assistants.md), held once for the process: no state
 * between requests, so one object answers every request of every assistant, of either era.
 * `initialize` and `notifications/initialized` (up to 2025-11-25) are answered and forgotten;
 * `server/discover` (2026-07-28) says the same thing without a handshake.
 */
export class McpRpc {
  readonly #deps: McpRpcDeps;
  readonly #serverInfo: {name: string; title: string; version: string};

  constructor(deps: McpRpcDeps) {
    this.#deps = deps;
    this.#serverInfo = {name: "Yoto Smart Stream", title: "Yoto Smart Stream", version: deps.version};
  }

  /** The answers to `messages`' requests, in their order (notifications and responses have none). */
  async answer(messages: RpcMessage[], caller: AssistantCaller, header: string | undefined): Promise<object[]> {
    const requests = messages.filter((m): m is RpcMessage & {id: string | number; method: string} => {
      return m.id !== undefined && m.method !== undefined;
    });
    return Promise.all(requests.map((m) => this.#one(m, caller, header)));
  }

  async #one(m: {id: string | number; method: string; params?: unknown}, caller: AssistantCaller, header?: string) {
    const {id, method, params} = m;
    const version = versionOf(params, header);
    if (version !== undefined && !SUPPORTED_VERSIONS.includes(version) && method !== "initialize")
      return failure(id, UNSUPPORTED_VERSION, unsupportedMessage(version), {
        supported: SUPPORTED_VERSIONS,
        requested: version,
      });
    const modern = isModern(version);
    try {
      const result = await this.#result(method, params, caller);
      if (!result) return failure(id, METHOD_NOT_FOUND, `Method not found: ${method.slice(0, 60)}`);
      // 2026-07-28 results say they are whole, and who answered; list results say how long they hold.
      const stamped = modern
        ? {
            ...result,
            ...(method === "tools/list" ? {ttlMs: CACHE_MS, cacheScope: "private"} : {}),
            resultType: "complete",
            _meta: {[META.serverInfo]: this.#serverInfo},
          }
        : result;
      return {jsonrpc: "2.0", id, result: stamped};
    } catch (err) {
      const code = (err as {code?: unknown}).code;
      if (typeof code === "number") return failure(id, code, errorMessage(err));
      // Not the caller's mistake: said in the log, and answered as an internal error.
      this.#deps.log.warning(`An MCP request from the assistant '${caller.name}' failed: ${errorMessage(err)}`);
      return failure(id, INTERNAL_ERROR, `The request failed: ${errorMessage(err)}`);
    }
  }

  async #result(method: string, params: unknown, caller: AssistantCaller): Promise<object | undefined> {
    const {answers, instructions} = this.#deps;
    const capabilities = {tools: {listChanged: false}};
    switch (method) {
      case "initialize":
        return {
          protocolVersion: negotiated((params as {protocolVersion?: unknown} | undefined)?.protocolVersion),
          capabilities,
          serverInfo: this.#serverInfo,
          instructions,
        };
      case "server/discover":
        return {
          supportedVersions: SUPPORTED_VERSIONS,
          capabilities,
          instructions,
          ttlMs: CACHE_MS,
          cacheScope: "private",
        };
      case "ping":
        return {};
      case "tools/list":
        return {tools: answers.listed};
      case TOOL_CALL: {
        const {name, arguments: args} = (params ?? {}) as {name?: unknown; arguments?: unknown};
        if (typeof name !== "string")
          throw Object.assign(new Error("Invalid params: tools/call needs params.name, the tool's name"), {
            code: INVALID_PARAMS,
          });
        return answers.call(name, args, caller);
      }
      default:
        return undefined;
    }
  }
}

function failure(id: string | number, code: number, message: string, data?: unknown): object {
  return {jsonrpc: "2.0", id, error: {code, message, ...(data === undefined ? {} : {data})}};
}
