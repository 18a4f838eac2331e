// A separate process that refreshes the saved Yoto login once, so a test can SIGKILL it mid-refresh.
import {Logger} from "../../src/core/logger.js";
import {Store} from "../../src/store/store.js";
import {YotoAccount} from "../../src/yoto/account.js";
import {OAuthClient} from "../../src/yoto/oauthClient.js";

const [authUrl, clientId, dataDir] = process.argv.slice(2) as [string, string, string];
const log = new Logger({level: "error"});
const store = new Store(dataDir, log);
await store.start();
const account = new YotoAccount({oauth: new OAuthClient(authUrl, clientId), store, log});
await account.start();
account.invalidate(await account.accessToken());
await account.accessToken();
await store.stop();
process.stdout.write("refreshed\n");
