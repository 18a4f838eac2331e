/**
 * A size as people read it in an error or log line: "2.5 MB", "12.0 KB", "300 bytes" (binary
 * multiples, one decimal). Limits are compared with the size it names, so both are written alike.
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
