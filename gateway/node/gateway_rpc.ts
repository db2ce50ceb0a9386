import { TokenError, TokenVerifier, type Verifier } from "../auth/mod.ts";
import { type Bus, decodeRpcRequest, encodeRpcReply, type Subscription } from "../bus/mod.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import { canonicalNonce } from "./elevation_nonces.ts";
import type { Gateway } from "./gateway.ts";

/** The queue the REST API calls the gateway on (`BUS_NAMESPACE` prefixes it, as the shard queues). */
export const GATEWAY_RPC_QUEUE = "gateway_rpc";

/** The original's answer to anything it does not know, spelling included. */
const INVALID = encodeRpcReply({ sc: 400, resp: { message: "invaild arguments" } });

const MAX_TOKEN_CHARS = 8192;

export interface GatewayRpcOptions {
  readonly bus: Bus;
  /** Where `register_nonce` puts a nonce; resolves once every node can claim it. */
  readonly nonces: { register(nonce: string, token: string): Promise<void> };
  /** Checks a sign-out's token: signature and claims, expired or not. */
  readonly tokens: Verifier;
  /** Signs a user out on every node (the durable revocation log). */
  readonly signOut: (userId: string) => Promise<void>;
  readonly diagnostics: Diagnostics;
}

/**
 * The `gateway_rpc` server the Architus REST API calls, with the shard
 * RPC's bodies: `{method, args, kwargs}` answered by `{sc, resp}`.
 *
 * - `register_nonce(nonce, token)` → `({message: "registered"}, 200)` once
 *   the nonce is held on the bus (`ElevationNonces`), so the browser may
 *   elevate with it on any node, once, within the TTL;
 * - `demote_connection(token)` → `({message: "demoted"}, 200)` once the
 *   token's user is signed out on every node (`Gateway.signOut`); the
 *   token must be signed with the secret, but may have expired; a bad one
 *   answers 400;
 * - anything else → `({message: "invaild arguments"}, 400)`, as the original.
 *
 * Every node serves the queue (competing consumers). The REST API's client
 * has no timeout and re-publishes until it hears back, so answers are quick
 * and idempotent (registering a nonce again, or signing out twice, changes
 * nothing), and a call the bus cannot carry out is left unanswered rather
 * than refused: the re-published call then succeeds, here or on another
 * node. Tokens and nonces never reach a log line.
 */
export class GatewayRpc {
  readonly #options: GatewayRpcOptions;
  #sub: Subscription | undefined;
  readonly counters = { registered: 0, demoted: 0, refused: 0 };

  constructor(options: GatewayRpcOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#sub ??= await this.#options.bus.serve(GATEWAY_RPC_QUEUE, (body) => this.answer(body));
  }

  /** Stops taking calls (the first thing a stopping node does: others answer meanwhile). */
  async stop(): Promise<void> {
    const sub = this.#sub;
    this.#sub = undefined;
    await sub?.unsubscribe().catch(() => {});
  }

  /**
   * The reply body to one call. Rejects when the bus could not hold what
   * the call asked for, so that no answer goes back and the caller retries.
   */
  async answer(body: string): Promise<string> {
    const request = decodeRpcRequest(body);
    const method = request.ok ? request.value.method : undefined;
    const args = request.ok ? request.value.args : [];
    if (method === "register_nonce" && args.length === 2) return await this.#register(args);
    if (method === "demote_connection" && args.length === 1) return await this.#demote(args[0]);
    this.counters.refused++;
    this.#options.diagnostics.info("gateway_rpc: refused a call", { method: method ?? null });
    return INVALID;
  }

  async #register(args: readonly unknown[]): Promise<string> {
    const nonce = canonicalNonce(args[0]);
    const token = args[1];
    if (nonce === null || typeof token !== "string" || token.length > MAX_TOKEN_CHARS) {
      this.counters.refused++;
      return INVALID;
    }
    await this.#options.nonces.register(nonce, token);
    this.counters.registered++;
    return encodeRpcReply({ sc: 200, resp: { message: "registered" } });
  }

  async #demote(token: unknown): Promise<string> {
    if (typeof token !== "string") {
      this.counters.refused++;
      return INVALID;
    }
    let userId: string;
    try {
      userId = (await this.#options.tokens.verify(token)).userId;
    } catch (error) {
      const reason = error instanceof TokenError ? error.reason : "malformed";
      this.counters.refused++;
      this.#options.diagnostics.info("gateway_rpc: sign-out token refused", { reason });
      return encodeRpcReply({ sc: 400, resp: { message: `invalid token (${reason})` } });
    }
    await this.#options.signOut(userId);
    this.counters.demoted++;
    this.#options.diagnostics.info("gateway_rpc: signed out", { user: userId });
    return encodeRpcReply({ sc: 200, resp: { message: "demoted" } });
  }
}

/** The `gateway_rpc` server of a node: its bus, nonces and sign-outs, its token settings. */
export function gatewayRpcFor(gateway: Gateway): GatewayRpc {
  const config = gateway.config;
  return new GatewayRpc({
    bus: gateway.bus,
    nonces: gateway.nonces,
    tokens: new TokenVerifier({
      secret: config.jwtSecret,
      audience: config.jwtAudience,
      issuer: config.jwtIssuer,
      clockSkewSeconds: config.clockSkewSeconds,
      issuedAtTimeZone: config.dropIn.issuedAtTimeZone,
      acceptExpired: true,
    }),
    signOut: (userId) => gateway.signOut(userId),
    diagnostics: gateway.diagnostics,
  });
}
