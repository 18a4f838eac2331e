import type {AccountStatus, AccountView, LinkStart} from "../../../src/shared/api/index.js";
import {get, request} from "./http.js";

export type {AccountView} from "../../../src/shared/api/index.js";

export const getAccount = () => get<AccountView>("api/account");

/** Step 1: where to sign in. The browser ends on a page that fails to load; its address is step 2. */
export const beginLink = () => request<LinkStart>("POST", "api/account/link");

/** Step 2: the address the browser ended on, pasted back. */
export const completeLink = (url: string) => request<AccountStatus>("POST", "api/account/link/complete", {url});

export const unlink = () => request<AccountStatus>("DELETE", "api/account");
