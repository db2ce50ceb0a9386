import type { Principal } from "./principal.ts";
import { TokenError } from "./token_verifier.ts";

/** Checks a token and gives the identity it proves; rejects with a `TokenError`. */
export interface Verifier {
  verify(token: string): Promise<Principal>;
}

/** Whether a signed-in identity was signed out since its token was issued. */
export interface RevocationCheck {
  isRevoked(principal: Principal): boolean;
}

/**
 * A token's identity, as far as elevating goes: its signature and claims
 * hold (the pure `TokenVerifier`), and its user has not signed out since it
 * was issued. Every way in (the upgrade's cookie, `request_elevation`, a
 * request's own token) goes through it.
 */
export class Authenticator implements Verifier {
  readonly #tokens: Verifier;
  readonly #revocations: RevocationCheck;

  constructor(tokens: Verifier, revocations: RevocationCheck) {
    this.#tokens = tokens;
    this.#revocations = revocations;
  }

  async verify(token: string): Promise<Principal> {
    const principal = await this.#tokens.verify(token);
    if (this.#revocations.isRevoked(principal)) throw new TokenError("revoked");
    return principal;
  }
}
