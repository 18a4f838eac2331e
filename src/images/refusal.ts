/**
 * Why a picture is not decoded, said after its subject ("The upload …", "The card's art at … …"):
 * `detail` starts with a verb ("is not a well-formed PNG: …"), and `status` is the HTTP answer that fits.
 */
export type RefusalKind = "empty" | "not_picture" | "svg" | "kind" | "too_big" | "damaged" | "memory" | "time";

const STATUS: Record<RefusalKind, number> = {
  empty: 400,
  not_picture: 415,
  svg: 415,
  kind: 415,
  too_big: 413,
  damaged: 422,
  memory: 413,
  time: 422,
};

export class ImageRefusal extends Error {
  readonly kind: RefusalKind;
  readonly detail: string;

  constructor(kind: RefusalKind, detail: string) {
    super(`The picture ${detail}`);
    this.name = "ImageRefusal";
    this.kind = kind;
    this.detail = detail;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}
