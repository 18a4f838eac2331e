/** Every error response. `code` is stable; `error` is a sentence for people. */
export interface ApiErrorBody {
  error: string;
  code: string;
}
