/**
 * Every view but Players, in one chunk of its own: the panel opens on Players, so a phone fetches
 * only what that view needs first, and this follows once the panel is idle (or at once when a
 * bookmark opens another view). One chunk, not one per view: ingress adds a round trip per file.
 */
import "./yss-account-view.js";
import "./yss-archive-view.js";
import "./yss-assistants-view.js";
import "./yss-family-view.js";
import "./yss-health-view.js";
import "./yss-history-view.js";
import "./yss-library-view.js";
import "./yss-logs-view.js";
import "./yss-rules-view.js";
import "./yss-stories-view.js";
import "./yss-streams-view.js";
import "./yss-voice-view.js";
