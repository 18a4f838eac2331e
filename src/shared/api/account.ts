/** The linked Yoto account, the cloud connection, and the family's cards on Yoto. */

export type LinkState = "unlinked" | "linking" | "linked" | "needs_relink";

export interface AccountStatus {
  state: LinkState;
  linkedAt?: string;
  expiresAt?: string;
  reason?: string;
  /** Since when the login in use is not saved (a full disk when Yoto renewed it): see `reason`. */
  unsavedSince?: string;
  deviceCode?: {userCode: string; verificationUri: string; verificationUriComplete?: string; expiresAt: string};
  /** Scopes this service asked for that Yoto's token left out: what stops working, and the fix. */
  missingScopes?: MissingScope[];
}

/** A scope Yoto did not grant (since June 2026 it grants only those ticked for the app). */
export interface MissingScope {
  scope: string;
  /** What stops working without it, in words. */
  lost: string;
  /** Where to tick it, and that a new sign-in is needed. */
  fix: string;
}

export type CloudConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "waiting_for_account";

export interface AccountView extends AccountStatus {
  cloud: CloudConnectionState;
  clientIdConfigured: boolean;
  /** Without a client id: how to set one, in the words of where the service runs (add-on or not). */
  clientIdHowTo?: string;
}

export interface LinkStart {
  authorizeUrl: string;
  redirectUri: string;
}

/** A card on the family's Yoto account, as the pickers list it. */
export interface FamilyCard {
  cardId: string;
  title: string;
  /** A Make Your Own card of the family's, rather than a shop or physical card in their library. */
  madeByFamily: boolean;
}

/** `GET /api/account/cards/<cardId>`: what the bridge shows of a card; both absent when Yoto does not say. */
export interface CardArtwork {
  cardId: string;
  title?: string;
  /** The cover image's address on Yoto's servers. */
  image?: string;
}

/** `GET /api/account/groups`: the family library's groups, each card with its title where known. */
export interface CardGroupsView {
  groups: Array<{id: string; name: string; cards: Array<{cardId: string; title?: string}>}>;
}
