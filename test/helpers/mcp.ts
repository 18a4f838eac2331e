import {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {StreamableHTTPClientTransport} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {expect} from "vitest";
import {call} from "./http.js";

/** A token made on the panel for an assistant named `name`, as a parent makes one (`POST /api/assistants`). */
export async function assistantToken(adminUrl: string, ask: Record<string, unknown>): Promise<string> {
  const made = await call("POST", `${adminUrl}/api/assistants`, ask);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return (made.body as {token: string}).token;
}

/** The SDK's own MCP client on the service's `/mcp`, with the assistant's token. */
export async function mcpClient(adminUrl: string, token: string): Promise<Client> {
  const client = new Client({name: "test", version: "1"});
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${adminUrl}/mcp`), {
      requestInit: {headers: {Authorization: `Bearer ${token}`}},
    }),
  );
  return client;
}

/** One tool call on a client of its own, closed after: what an assistant that connects per question does. */
export async function callOnce(adminUrl: string, token: string, name: string, args: Record<string, unknown>) {
  const client = await mcpClient(adminUrl, token);
  try {
    return await client.callTool({name, arguments: args});
  } finally {
    await client.close();
  }
}
