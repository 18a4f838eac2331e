import type Router from "@koa/router";

/** A family library group as Yoto keeps it (reference §2.3). */
export interface SimGroup {
  id: string;
  name: string;
  familyId: string;
  imageId: string | null;
  imageUrl: string | null;
  items: Array<{contentId: string; addedAt: string}>;
  createdAt: string;
  lastModifiedAt: string;
}

/**
 * `GET /card/family/library/groups` answers a bare array, as yoto_api reads it (the node client
 * types a `{groups}` envelope; the service reads both), and `/{groupId}` one group.
 */
export function groupRoutes(router: Router, groups: Map<string, SimGroup>): void {
  router.get("/card/family/library/groups", (ctx) => {
    ctx.body = [...groups.values()];
  });
  router.get("/card/family/library/groups/:id", (ctx) => {
    const group = groups.get(ctx.params.id as string);
    if (!group) {
      ctx.status = 404;
      ctx.body = {error: {code: "not-found", message: `Group ${ctx.params.id} not found`}};
      return;
    }
    ctx.body = group;
  });
}

/** A group made in "the Yoto app": its cards in order. */
export function newGroup(id: string, name: string, cardIds: string[]): SimGroup {
  const now = new Date().toISOString();
  return {
    id,
    name,
    familyId: "sim-family",
    imageId: null,
    imageUrl: null,
    items: cardIds.map((contentId) => ({contentId, addedAt: now})),
    createdAt: now,
    lastModifiedAt: now,
  };
}
