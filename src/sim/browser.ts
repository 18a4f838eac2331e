/** What an account link needs from the person linking it. */
export interface Linkable {
  beginLink(): {authorizeUrl: string};
  completeLink(pasted: string): Promise<unknown>;
}

/**
 * The person at the browser, against the simulator's login page (which approves at once): open the
 * authorize URL, then paste back the address the browser was redirected to.
 */
export async function linkThroughBrowser(account: Linkable): Promise<void> {
  const landed = await fetch(account.beginLink().authorizeUrl, {redirect: "manual"});
  await account.completeLink(landed.headers.get("location") ?? "");
}
