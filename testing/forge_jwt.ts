/** Base64url without padding, as JWT segments use. */
export function b64url(text: string): string {
  return btoa(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * Forges a JWT with any header and payload text, HMAC-SHA256 signed with
 * `secret` whatever the header claims: for attack tests only (a library
 * would refuse to build most of these).
 */
export async function forgeJwt(
  header: object,
  payloadJson: string,
  secret: string,
): Promise<string> {
  const input = `${b64url(JSON.stringify(header))}.${b64url(payloadJson)}`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)),
  );
  return `${input}.${b64url(String.fromCharCode(...sig))}`;
}
