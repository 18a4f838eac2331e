import type {ApiErrorBody} from "../../../src/shared/api/index.js";
import {ApiError, PANEL_HEADERS} from "./http.js";

/**
 * Send a file as the raw request body with progress. `fetch` cannot report upload progress, so
 * this is the one place that uses XMLHttpRequest.
 */
export function uploadFile<T>(
  path: string,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
  method: "POST" | "PUT" = "POST",
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else {
        const err = body as Partial<ApiErrorBody> | undefined;
        reject(
          new ApiError(xhr.status, {error: err?.error ?? `Upload failed (${xhr.status})`, code: err?.code ?? "error"}),
        );
      }
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, {error: "The upload was cut off. Check the connection and try again.", code: "unreachable"}),
      );
    xhr.onabort = () => reject(new ApiError(0, {error: "Upload cancelled", code: "aborted"}));
    signal?.addEventListener("abort", () => xhr.abort(), {once: true});
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    for (const [name, value] of Object.entries(PANEL_HEADERS)) xhr.setRequestHeader(name, value);
    xhr.send(file);
  });
}
