import Router from "@koa/router";
import {describe, expect, it} from "vitest";
import {openRoute, reachedRoute} from "../../../src/http/routeAccess.js";

const ok = () => undefined;

describe("a route's own declaration of who may call it", () => {
  it("is what the matched route declares: its opening, its one method, its :child as written", () => {
    const router = new Router();
    openRoute(router, "child", "POST", "/api/children/:child/shelf/play", ok);
    openRoute(router, "public", "GET", ["/child", "/child/:name"], ok);
    router.get("/api/children/:name", ok);
    expect(reachedRoute(router, "POST", "/api/children/M%C3%ADa/shelf/play")).toEqual({
      opening: "child",
      method: "POST",
      rawChild: "M%C3%ADa",
    });
    expect(reachedRoute(router, "GET", "/child/Mia")).toEqual({opening: "public", method: "GET"});
    // The router's own HEAD of a GET reaches the route; the declaration still names GET alone.
    expect(reachedRoute(router, "HEAD", "/child")).toEqual({opening: "public", method: "GET"});
    // Not opened, no route, or another method: nothing reached.
    expect(reachedRoute(router, "GET", "/api/children/Mia")).toBeUndefined();
    expect(reachedRoute(router, "GET", "/api/nowhere")).toBeUndefined();
    expect(reachedRoute(router, "GET", "/api/children/Mia/shelf/play")).toBeUndefined();
  });

  it("is nothing when a route the request would also run through is not opened alike", () => {
    const router = new Router();
    openRoute(router, "public", "GET", "/pages/:page", ok);
    router.get("/pages/secret", ok);
    openRoute(router, "devices", "GET", "/feed", ok);
    openRoute(router, "public", "GET", "/feed", ok);
    expect(reachedRoute(router, "GET", "/pages/about")).toEqual({opening: "public", method: "GET"});
    expect(reachedRoute(router, "GET", "/pages/secret")).toBeUndefined();
    expect(reachedRoute(router, "GET", "/feed")).toBeUndefined();
  });

  it("refuses, at start, a route opened to a child's device that names no :child", () => {
    expect(() => openRoute(new Router(), "child", "GET", "/api/children/:name/shelf", ok)).toThrow(
      "GET /api/children/:name/shelf is opened to a child's device link but names no :child parameter",
    );
    expect(() => openRoute(new Router(), "child", "GET", "/api/children/:childish/shelf", ok)).toThrow(
      "GET /api/children/:childish/shelf is opened to a child's device link but names no :child parameter",
    );
  });
});
