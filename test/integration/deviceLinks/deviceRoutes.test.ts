import {readFileSync} from "node:fs";
import http from "node:http";
import path from "node:path";
import ts from "typescript";
import {describe, expect, it} from "vitest";
import {FORBIDDEN_MESSAGE} from "../../../src/http/middleware/adminAccess.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import type {DeviceLinkMade} from "../../../src/shared/api/devices.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const TOKEN = "a-long-enough-api-token-1234";
const startLinked = linkedBridge();
const MIA_ONLY =
  "This is a device link for Mia's page: it may read Mia's shelf, play from it, pause, resume, skip, set the volume within the plan, ask for one more story and start the sleep sound, nothing else (a parent signs in for the rest)";

/**
 * Every route the admin listener opens beyond the parents, as its declaration says (`openRoute`):
 * what a device link can reach. Opening one more is a change of what a tablet may do, so it is
 * written here too, on purpose.
 */
const OPENED = [
  // An assistant's MCP server and its OAuth pages: they ask for an assistant's credential themselves.
  "GET /.well-known/oauth-authorization-server (public)",
  "GET /.well-known/oauth-protected-resource (public)",
  "GET /.well-known/oauth-protected-resource/mcp (public)",
  "GET /api/children/:child/shelf (child)",
  "GET /api/events (devices)",
  "GET /api/shelf/covers/:file (public)",
  "GET /api/shelf/pictures/:file (public)",
  "GET /assets/:name (public)",
  "GET /child (public)",
  "GET /child/ (public)",
  "GET /child/:name (public)",
  "GET /child/:name/ (public)",
  "GET /mcp (public)",
  "GET /oauth/authorize (public)",
  "POST /api/children/:child/shelf/ask (child)",
  "POST /api/children/:child/shelf/control (child)",
  "POST /api/children/:child/shelf/play (child)",
  "POST /api/children/:child/shelf/sleep (child)",
  "POST /api/children/:child/unlock (child)",
  "POST /mcp (public)",
  "POST /oauth/register (public)",
  "POST /oauth/token (public)",
];

interface Route {
  method: string;
  path: string;
  /** What its declaration opens it to; undefined for the parents' alone. */
  opening?: string;
}

const ROUTER_VERBS = new Set(["get", "post", "put", "delete", "patch", "all", "head", "options", "register", "use"]);

/**
 * Every route of the admin listener, read from adminApp.ts and the route files it imports as the
 * compiler sees them: `router.<verb>(…)` and `openRoute(router, …)`. A registration whose path is
 * no string literal is a problem, never skipped: the table would not see it.
 */
function adminRoutes(): {routes: Route[]; problems: string[]} {
  const read = (file: string) => {
    const text = readFileSync(path.join(PACKAGE_ROOT, "src/http", file), "utf8");
    return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  };
  const app = read("adminApp.ts");
  const files = [
    app,
    ...app.statements.flatMap((s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text.startsWith("./routes/")
        ? [read(s.moduleSpecifier.text.replace(/\.js$/, ".ts"))]
        : [],
    ),
  ];
  const routes: Route[] = [];
  const problems: string[] = [];
  const literals = (node: ts.Node | undefined) =>
    node && ts.isStringLiteral(node)
      ? [node.text]
      : node && ts.isArrayLiteralExpression(node) && node.elements.every(ts.isStringLiteral)
        ? node.elements.map((e) => (e as ts.StringLiteral).text)
        : undefined;
  for (const source of files) {
    const visit = (node: ts.Node) => {
      ts.forEachChild(node, visit);
      if (!ts.isCallExpression(node)) return;
      const callee = node.expression;
      const where = `${source.fileName}: ${node.getText(source).split("\n")[0]}`;
      let found: Route[] | undefined;
      if (ts.isIdentifier(callee) && callee.text === "openRoute") {
        const [, opening, method, paths] = node.arguments.map(literals);
        found = paths?.map((p) => ({method: method?.[0] ?? "?", path: p, opening: opening?.[0]}));
      } else if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === "router" &&
        ROUTER_VERBS.has(callee.name.text)
      ) {
        // A named route (`router.get("name", "/path", …)`) gives its path second.
        const [first, second] = node.arguments.map(literals);
        const paths = second ?? first;
        found = ["register", "use"].includes(callee.name.text)
          ? undefined
          : paths?.map((p) => ({method: callee.name.text.toUpperCase(), path: p}));
      } else return;
      if (found) routes.push(...found);
      else problems.push(`${where}: a route this table cannot read`);
    };
    visit(source);
  }
  return {routes, problems};
}

/** One request, read to its end but for an event stream, which answers with its headers and never ends. */
function ask(url: string, method: string, auth?: string): Promise<{status: number; error?: unknown}> {
  const withBody = method === "POST" || method === "PUT" || method === "PATCH";
  return new Promise((resolve, reject) => {
    // As a script asks: a browser's page load is sent to the sign-in page instead of the refusal.
    const headers: Record<string, string> = {Accept: "application/json", ...(auth ? {Authorization: auth} : {})};
    if (withBody) headers["Content-Type"] = "application/json";
    const req = http.request(url, {method, headers}, (res) => {
      if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
        resolve({status: res.statusCode ?? 0});
        req.destroy();
        return;
      }
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => {
        let error: unknown;
        try {
          error = (JSON.parse(text) as {error?: unknown}).error;
        } catch {}
        resolve({status: res.statusCode ?? 0, error});
      });
    });
    req.on("error", reject);
    req.end(withBody ? "{}" : undefined);
  });
}

describe("what a device link reaches", () => {
  const {routes, problems} = adminRoutes();

  it("is read from every route's own declaration: the opened ones are these", () => {
    expect(problems).toEqual([]);
    expect(routes.length).toBeGreaterThan(120);
    const opened = routes.filter((r) => r.opening).map((r) => `${r.method} ${r.path} (${r.opening})`);
    expect(opened.sort()).toEqual(OPENED);
  });

  it("is what the routes declare: every other route answers a device 403, and without a credential asks a parent", async () => {
    const {t} = await startLinked({
      flags: ["--api_token", TOKEN],
      // Loopback off: 127.0.0.1 plays the tablet on the home network.
      app: {adminAccess: {allowLoopback: false, ingressPeers: []}},
    });
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const parent = `Bearer ${TOKEN}`;
    const put = (who: string, player: string) =>
      fetch(`${t.adminUrl}/api/children/${who}`, {
        method: "PUT",
        headers: {Authorization: parent, "Content-Type": "application/json"},
        body: JSON.stringify({players: [player]}),
      });
    expect((await put("Mia", "Bedroom Mini")).status).toBe(200);
    expect((await put("Ben", "Living Room")).status).toBe(200);
    const made = await fetch(`${t.adminUrl}/api/children/Mia/devices`, {
      method: "POST",
      headers: {Authorization: parent, "Content-Type": "application/json"},
      body: JSON.stringify({name: "Kitchen tablet"}),
    });
    const device = `Device ${((await made.json()) as DeviceLinkMade).token}`;

    // Each parameter filled as a tablet replaying its credential would try: its own child's name.
    const fill = (p: string, child: string) => p.replace(/:(child|name)\b/g, child).replace(/:[a-z]+/gi, "x");
    const wrong: string[] = [];
    for (const route of routes) {
      const url = `${t.adminUrl}${fill(route.path, "Mia")}`;
      const asDevice = await ask(url, route.method, device);
      const refused = asDevice.status === 403 && asDevice.error === MIA_ONLY;
      if (refused === (route.opening !== undefined)) wrong.push(`${route.method} ${route.path} as Mia's device`);
      if (route.opening === "child") {
        const other = await ask(`${t.adminUrl}${fill(route.path, "Ben")}`, route.method, device);
        if (other.status !== 403 || other.error !== MIA_ONLY) wrong.push(`${route.method} ${route.path} for Ben`);
      }
      const anyone = await ask(url, route.method);
      const forbidden = anyone.status === 403 && anyone.error === FORBIDDEN_MESSAGE;
      if (forbidden === (route.opening === "public")) wrong.push(`${route.method} ${route.path} with no credential`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
