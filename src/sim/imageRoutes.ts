import {createHash, randomBytes} from "node:crypto";
import type Router from "@koa/router";
import {PNG} from "pngjs";
import {badRequest, notFound, raw} from "./answers.js";
import {type SimRestState, USER_ID} from "./rest.js";

const PUBLIC_ICONS = ["star", "moon", "heart"].map((title, i) => ({
  displayIconId: `public-${i}`,
  mediaId: createHash("sha256").update(title).digest("base64url"),
  userId: "yoto",
  title,
  public: true,
  new: false,
  publicTags: [title],
  createdAt: "2024-01-01T00:00:00.000Z",
}));

/** Icons and covers: the family's uploads, Yoto's public icons, and the images behind them. */
export function imageRoutes(router: Router, state: SimRestState): void {
  router.get("/media/displayIcons/user/yoto", (ctx) => {
    ctx.body = {displayIcons: PUBLIC_ICONS.map((i) => ({...i, url: `${state.baseUrl()}/icons/${i.mediaId}.png`}))};
  });
  router.get("/media/displayIcons/user/me", (ctx) => {
    ctx.body = {displayIcons: [...state.icons.values()].map((i) => ({...i, public: false}))};
  });
  router.post("/media/displayIcons/user/me/upload", async (ctx) => {
    const bytes = await raw(ctx);
    if (bytes.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") {
      badRequest(ctx, "the body must be a PNG image");
      return;
    }
    // Without autoConvert Yoto stores the image as it is, so it must already be 16×16 (reference §2.6).
    if (ctx.query.autoConvert !== "true" && (bytes.readUInt32BE(16) !== 16 || bytes.readUInt32BE(20) !== 16)) {
      badRequest(ctx, "autoConvert=false needs a 16x16 image");
      return;
    }
    const mediaId = createHash("sha256").update(bytes).digest("base64url");
    const existing = state.icons.get(mediaId);
    if (existing) {
      ctx.body = {
        displayIcon: {...existing, _id: existing.displayIconId, createdAt: "2024-01-01T00:00:00.000Z", url: {}},
      };
      return;
    }
    const icon = {
      mediaId,
      displayIconId: randomBytes(12).toString("hex"),
      userId: USER_ID,
      title: String(ctx.query.filename ?? "icon"),
      url: `${state.baseUrl()}/icons/${mediaId}.png`,
    };
    state.icons.set(mediaId, icon);
    state.iconImages.set(mediaId, bytes);
    ctx.body = {displayIcon: {...icon, new: true}};
  });
  // Icon images, as Yoto's CDN serves them: uploads as sent, the built-in ones drawn here.
  router.get("/icons/:file", (ctx) => {
    const mediaId = (ctx.params.file as string).replace(/\.png$/, "");
    const image = iconImage(state, mediaId);
    if (!image) {
      notFound(ctx, `No icon ${mediaId}`);
      return;
    }
    ctx.type = "image/png";
    ctx.body = image;
  });
  // Card artwork, as Yoto's CDN serves it: a square in the id's colour for any cover handed out.
  router.get("/covers/:file", (ctx) => {
    const mediaId = (ctx.params.file as string).replace(/\.png$/, "");
    ctx.type = "image/png";
    ctx.body = coverArt(mediaId);
  });
  router.post("/media/coverImage/user/me/upload", async (ctx) => {
    const bytes = await raw(ctx);
    if (bytes.length === 0 && !ctx.query.imageUrl) {
      badRequest(ctx, "send the image as the body or imageUrl=");
      return;
    }
    const mediaId = createHash("sha256")
      .update(bytes.length ? bytes : String(ctx.query.imageUrl))
      .digest("base64url");
    ctx.body = {coverImage: {mediaId, mediaUrl: `${state.baseUrl()}/covers/${mediaId}.png`}};
  });
}

/** An icon's PNG: the family's upload as sent, or drawn here for a public or known icon; undefined for an unknown id. */
export function iconImage(state: SimRestState, mediaId: string): Buffer | undefined {
  return (
    state.iconImages.get(mediaId) ??
    (PUBLIC_ICONS.some((i) => i.mediaId === mediaId) || state.icons.has(mediaId) ? solidIcon(mediaId) : undefined)
  );
}

/**
 * A card's art as the simulator draws it: a 16×16 pattern from the id, mirrored like a face, in a
 * colour of the id on a pale ground; two cards' covers differ as real art does.
 */
function coverArt(mediaId: string): Buffer {
  const hash = createHash("sha256").update(mediaId).digest();
  const [r = 0, g = 0, b = 0] = hash;
  const png = new PNG({width: 16, height: 16});
  for (let y = 0; y < 16; y++)
    for (let x = 0; x < 16; x++) {
      const half = x < 8 ? x : 15 - x;
      const on = ((hash[(y * 8 + half) >> 3] ?? 0) >> ((y * 8 + half) & 7)) & 1;
      png.data.set(on ? [r >> 1, g >> 1, b >> 1, 255] : [240, 236, 226, 255], (y * 16 + x) * 4);
    }
  return PNG.sync.write(png);
}

/** A 16×16 square in a colour taken from the id: enough to tell icons apart in the panel. */
function solidIcon(mediaId: string): Buffer {
  const [r = 0, g = 0, b = 0] = createHash("sha256").update(mediaId).digest();
  const png = new PNG({width: 16, height: 16});
  for (let i = 0; i < 256; i++) png.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(png);
}
