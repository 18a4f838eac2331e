/** An error answer's fields beyond `error` and `code` (shared/api/errors.ts names them). */
export interface ErrorDetails {
  child?: string;
}

/**
 * An error a caller may branch on or a user may read. `status` maps it to HTTP; `expose` says the
 * message is safe to show to the client (mirrors Koa's http-errors convention).
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  /** What the answer's body says besides the sentence, for the page to act on (ApiErrorBody's optional fields). */
  readonly details?: ErrorDetails;

  /** `expose` defaults to true for 4xx; set it for a 5xx whose message helps the user fix things. */
  constructor(
    code: string,
    message: string,
    options: {status?: number; cause?: unknown; expose?: boolean; details?: ErrorDetails} = {},
  ) {
    super(message, {cause: options.cause});
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? 500;
    this.expose = options.expose ?? this.status < 500;
    this.details = options.details;
  }
}

export const badRequest = (message: string, code = "bad_request") => new AppError(code, message, {status: 400});
export const notFound = (message: string, code = "not_found") => new AppError(code, message, {status: 404});

/** The message of anything thrown, for logs. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
