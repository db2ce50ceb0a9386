/**
 * Authentication: verifying the REST API's JWTs and reading its cookie.
 *
 * @module
 */
export type { Principal } from "./principal.ts";
export { Authenticator, type RevocationCheck, type Verifier } from "./authenticator.ts";
export { TokenError, type TokenRefusal, TokenVerifier } from "./token_verifier.ts";
export type { TokenVerifierOptions } from "./token_verifier.ts";
export { readCookie, tokenCookieName } from "./cookies.ts";
export { type MintOptions, mintToken } from "./token_minter.ts";
