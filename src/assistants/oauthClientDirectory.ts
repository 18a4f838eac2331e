import {ClientDocumentError, type ClientDocuments, isDocumentId} from "./clientDocuments.js";
import {clientOf, type OAuthClient, type Signer} from "./oauthClients.js";

/** Whom a client_id names, or why it names nobody (`why` empty: an id this add-on never issued). */
export type FoundClient = {client: OAuthClient} | {why: string};

/**
 * The one way the authorize and token endpoints learn who a client is, for both ways a client
 * names itself: an id this add-on signed at registration (RFC 7591), or the https address of a
 * Client ID Metadata Document, read from there (when the add-on reads documents at all).
 */
export async function findClient(
  clientId: unknown,
  signer: Signer,
  documents?: Pick<ClientDocuments, "client">,
): Promise<FoundClient> {
  if (documents && isDocumentId(clientId)) {
    try {
      return {client: await documents.client(clientId)};
    } catch (err) {
      if (!(err instanceof ClientDocumentError)) throw err;
      return {why: `The client's metadata document at ${clientId.slice(0, 200)} names no client: ${err.message}`};
    }
  }
  const client = clientOf(clientId, signer);
  return client ? {client} : {why: ""};
}
