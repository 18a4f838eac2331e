const SIG_PARAM = /(?<=^|&)sig=[^&]*/g;

/**
 * The `sig` of a query string, read straight from it: parsing it whole for one key cost more than
 * the rest of a range request's routing (bench/streamServing.ts). A repeated `sig` counts as none.
 */
export function signatureIn(querystring: string): string | undefined {
  const found = querystring.match(SIG_PARAM);
  return found && found.length === 1 ? found[0].slice(found[0].indexOf("=") + 1) : undefined;
}
