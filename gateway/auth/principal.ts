/** A verified identity, as a JWT elevates a connection to it. */
export interface Principal {
  /** Discord user id, exact (the `id` claim is a JSON number beyond 2^53). */
  readonly userId: string;
  /** The token's Architus `permissions` claim (274 from the REST API). */
  readonly permissions: number;
  /** When the token stops being valid, in ms since the Unix epoch. */
  readonly expiresAt: number;
  /** When the token was issued (ms since the epoch), when it says; sign-outs revoke by it. */
  readonly issuedAt: number | null;
  /**
   * The token's `access_token` claim: the user's Discord OAuth bearer token,
   * which the original shards' guild list needs. A secret: never logged,
   * never sent to a client, only to Discord.
   */
  readonly discordAccessToken?: string | undefined;
}
