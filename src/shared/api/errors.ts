/** Every error response. `code` is stable; `error` is a sentence for people. */
export interface ApiErrorBody {
  error: string;
  code: string;
  /** `device_link_only`: the child whose page the device link opens (the page goes there). */
  child?: string;
}
