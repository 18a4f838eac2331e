import {COMFORTABLE_OPEN_FILES} from "../core/connectionGuard.js";

/** The limits of this process, and the connections each part gets within them. */
export interface FileLimitsSeen {
  soft: number;
  hard: number;
  budget: {audio: number; admin: number; broker: number};
}

/**
 * The start warning when this process may open fewer files than is comfortable, or undefined.
 * `ulimit -n` raises the soft limit only up to the hard one: below it, that is the advice (the
 * hard limit, which is what a plain user may ask for); at it, only root, the service manager or
 * Docker can give more, and advising the limit already in force would change nothing.
 */
export function fileLimitWarning({soft, hard, budget}: FileLimitsSeen): string | undefined {
  if (soft >= COMFORTABLE_OPEN_FILES) return undefined;
  const seen = `This process may open only ${soft} files (hard limit ${hard}); connections are capped to fit (${budget.audio} audio, ${budget.admin} admin, ${budget.broker} MQTT)`;
  if (hard > soft) return `${seen}: raise it with 'ulimit -n ${Math.min(hard, 65536)}' before starting`;
  const want = COMFORTABLE_OPEN_FILES;
  return `${seen}: the hard limit allows no more, so raise both to ${want} or more: 'ulimit -Hn ${want} && ulimit -n ${want}' as root, LimitNOFILE=${want} for a systemd service, or --ulimit nofile=${want} for Docker`;
}
