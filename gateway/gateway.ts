import { type Principal, TokenError, TokenVerifier } from "./auth/mod.ts";
import type { Backend } from "./backend/backend.ts";
import { type Bus, DEMOTE_TOPIC, parseGuildTopic, type Subscription } from "./bus/mod.ts";
import type { GatewayConfig } from "./config.ts";
import type { Diagnostics } from "./diagnostics.ts";
import { GatewayError, toGatewayError } from "./errors.ts";
import { HANDLERS } from "./handlers/mod.ts";
import {
  type Access,
  accessFor,
  type ClientEventName,
  CloseCode,
  decodeClientFrame,
  errorBody,
} from "./protocol/mod.ts";
import { POOL_EVENTS, RequestContext } from "./request_context.ts";
import { Hub } from "./rooms/hub.ts";
import type { Services } from "./services.ts";
import { Session, type Traffic } from "./session/session.ts";
import type { Transport } from "./transport/mod.ts";
import { PoolUpdateRelay } from "./pool_update_relay.ts";
import { LogRelay } from "./logs/log_relay.ts";

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly bus: Bus;
  readonly backend: Backend;
  readonly diagnostics: Diagnostics;
}

/** Counters the gateway keeps (exported as metrics). */
export interface GatewayCounters {
  connectionsOpened: number;
  connectionsClosed: number;
  framesIn: number;
  bytesIn: number;
  rateLimited: number;
  oversizeClosed: number;
  badFrames: number;
  /** Requests cancelled because their connection closed. */
  requestsCancelled: number;
}

const encoder = new TextEncoder();

/**
 * One gateway node: owns the connections, their rooms, the token verifier,
 * and the bus and backend they talk to. `main.ts` builds it; the HTTP layer
 * hands it each upgraded connection.
 */
export class Gateway implements Services {
  readonly config: GatewayConfig;
  readonly bus: Bus;
  readonly backend: Backend;
  readonly diagnostics: Diagnostics;
  readonly verifier: TokenVerifier;
  readonly hub: Hub;
  readonly counters: GatewayCounters = {
    connectionsOpened: 0,
    connectionsClosed: 0,
    framesIn: 0,
    bytesIn: 0,
    rateLimited: 0,
    oversizeClosed: 0,
    badFrames: 0,
    requestsCancelled: 0,
  };
  readonly traffic: Traffic = { framesOut: 0, bytesOut: 0 };
  readonly #sessions = new Set<Session>();
  readonly #poolUpdates: PoolUpdateRelay;
  readonly logs: LogRelay;
  #demoteSub: Subscription | undefined;
  #stopWatchingBus: (() => void) | undefined;
  #nextId = 0;
  #draining = false;

  constructor(options: GatewayOptions) {
    this.config = options.config;
    this.bus = options.bus;
    this.backend = options.backend;
    this.diagnostics = options.diagnostics;
    this.verifier = new TokenVerifier({
      secret: options.config.jwtSecret,
      audience: options.config.jwtAudience,
      issuer: options.config.jwtIssuer,
    });
    this.hub = new Hub(
      this.bus,
      (topic, body) => this.#onGuildMessage(topic, body),
      (error, topic) => this.diagnostics.warn("bus binding failed", { topic, error }),
    );
    this.#poolUpdates = new PoolUpdateRelay(this.hub, this.diagnostics);
    this.logs = new LogRelay(this.hub, options.config.logs, this.diagnostics);
  }

  /** Subscribes to cross-node control topics. The bus must be started. */
  async start(): Promise<void> {
    this.#demoteSub = await this.bus.subscribe(DEMOTE_TOPIC, (_topic, body) => {
      this.#onDemoteMessage(body);
    });
    this.#stopWatchingBus = this.bus.onReadyChange((ready) => {
      if (!ready) {
        this.diagnostics.warn("bus down: clients stay connected, backend calls fail fast");
        return;
      }
      this.diagnostics.info("bus back: bindings restored");
      // Events published while the bus was down are lost to this node: say so.
      this.logs.notifyOutage();
    });
  }

  /** Pool updates from the bus dropped as malformed. */
  get poolUpdatesMalformed(): number {
    return this.#poolUpdates.malformed;
  }

  /** Live connections. */
  get sessions(): ReadonlySet<Session> {
    return this.#sessions;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Starts a connection, elevated from the start when the upgrade carried a valid cookie. */
  open(transport: Transport, principal: Principal | null): Session {
    const id = `${(++this.#nextId).toString(36)}${crypto.randomUUID().slice(0, 6)}`;
    const session = new Session({
      id,
      transport,
      log: this.diagnostics.with({ sid: id }),
      rateLimit: this.config.rateLimit,
      traffic: this.traffic,
    });
    this.#sessions.add(session);
    this.counters.connectionsOpened++;
    this.hub.add(session);
    session.onTerminate = () => void this.close(session);
    if (principal !== null) this.elevate(session, principal);
    session.log.debug("connection opened", { elevated: principal !== null });
    return session;
  }

  /** Releases everything a closed connection held. */
  async close(session: Session): Promise<void> {
    if (!this.#sessions.delete(session)) return;
    this.counters.connectionsClosed++;
    this.counters.requestsCancelled += session.pendingCount;
    session.dispose();
    await this.hub.remove(session);
    session.log.debug("connection closed");
  }

  /** Handles one inbound frame. Never throws. */
  receive(session: Session, data: string | ArrayBuffer | Blob | Uint8Array): void {
    if (session.closed) return;
    session.framesIn++;
    this.counters.framesIn++;
    if (typeof data !== "string") {
      const size = data instanceof Blob ? data.size : data.byteLength;
      this.counters.bytesIn += size;
      if (size > this.config.maxFrameBytes) return this.#tooBig(session, size);
      if (!this.#admit(session)) return;
      this.counters.badFrames++;
      session.send({
        _event: "error",
        ...errorBody("bad_frame", "binary frames are not supported; send JSON text frames"),
      });
      return;
    }
    this.counters.bytesIn += data.length;
    if (data.length > this.config.maxFrameBytes) return this.#tooBig(session, data.length);
    if (data.length * 3 > this.config.maxFrameBytes) {
      const bytes = encoder.encode(data).byteLength;
      if (bytes > this.config.maxFrameBytes) return this.#tooBig(session, bytes);
    }
    if (!this.#admit(session)) return;
    const decoded = decodeClientFrame(data);
    if (!decoded.ok) {
      this.counters.badFrames++;
      if (
        decoded.seq !== undefined && decoded.event !== undefined && POOL_EVENTS.has(decoded.event)
      ) {
        // Pool requests always end with a finished chunk (the archit.us client waits for one).
        session.send({
          _event: "pool_response",
          seq: decoded.seq,
          finished: true,
          data: [],
          nonexistent: [],
          error: decoded.error,
        });
        return;
      }
      session.send({
        _event: "error",
        ...(decoded.seq !== undefined ? { seq: decoded.seq } : {}),
        ...decoded.error,
      });
      return;
    }
    void this.#dispatch(session, decoded.frame._event, decoded.frame);
  }

  #tooBig(session: Session, size: number): void {
    this.counters.oversizeClosed++;
    session.log.info("frame over the size limit", { size, limit: this.config.maxFrameBytes });
    session.terminate(CloseCode.messageTooBig, "frame too large");
  }

  /** Applies the rate limit; false when the frame must be dropped. */
  #admit(session: Session): boolean {
    const wait = session.rate.take();
    if (wait === 0) {
      session.strikes = 0;
      return true;
    }
    this.counters.rateLimited++;
    session.strikes++;
    if (session.strikes >= this.config.rateLimitStrikes) {
      session.log.info("closing: rate limit abuse", { strikes: session.strikes });
      session.terminate(CloseCode.rateLimited, "rate limit exceeded");
      return false;
    }
    const retryAfter = Math.ceil(wait * 1000) / 1000;
    session.send({
      _event: "error",
      ...errorBody("rate_limited", "rate limit exceeded", {
        retry_after: retryAfter,
        details: { retry_after: retryAfter },
      }),
    });
    return false;
  }

  async #dispatch(session: Session, event: ClientEventName, frame: unknown): Promise<void> {
    const controller = new AbortController();
    const untrack = session.track(controller);
    const handler = HANDLERS[event] as
      | ((ctx: RequestContext, services: Services) => Promise<void>)
      | undefined;
    let ctx: RequestContext | undefined;
    try {
      const principal = await this.#principalFor(session, event, frame);
      ctx = new RequestContext({
        event,
        frame: frame as never,
        session,
        principal,
        signal: controller.signal,
      });
      if (handler === undefined) throw new GatewayError("unknown_event", "event not handled");
      await handler(ctx, this);
      if (!ctx.done) throw new GatewayError("internal", "request ended without an answer");
    } catch (error) {
      if (controller.signal.aborted || session.closed) return;
      const gatewayError = toGatewayError(error, this.config.backendTimeoutMs);
      if (gatewayError.error === "internal" && !(error instanceof GatewayError)) {
        session.log.error("handler failed", { event, error });
      }
      if (ctx === undefined) {
        ctx = new RequestContext({
          event,
          frame: frame as never,
          session,
          principal: null,
          signal: controller.signal,
        });
      }
      ctx.fail(gatewayError);
    } finally {
      untrack();
    }
  }

  /**
   * The identity a request acts for. A request's own `token` is verified
   * and must name the connection's user; on an unelevated connection it
   * authorises that one request.
   */
  async #principalFor(
    session: Session,
    event: ClientEventName,
    frame: unknown,
  ): Promise<Principal | null> {
    const token = (frame as { token?: string }).token;
    if (token === undefined || event === "request_elevation") return session.principal;
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      const reason = error instanceof TokenError ? error.reason : "malformed";
      throw new GatewayError("invalid_token", `request token refused (${reason})`);
    }
    const current = session.principal;
    if (current !== null && current.userId !== principal.userId) {
      throw new GatewayError(
        "token_mismatch",
        "request token names another user than the connection",
      );
    }
    return principal;
  }

  elevate(session: Session, principal: Principal): void {
    session.elevate(principal, () => {
      void this.demote(session, "expired");
    });
    this.hub.authenticate(session);
    session.log.info("elevated", { user: principal.userId });
  }

  async demote(session: Session, reason: "expired" | "signed_out"): Promise<void> {
    if (session.principal === null) return;
    await this.hub.leave(session);
    this.hub.unauthenticate(session);
    session.demote();
    session.log.info("demoted", { reason });
    session.send({ _event: "demoted", reason });
  }

  isStaff(userId: string): boolean {
    return this.config.staffIds.has(userId);
  }

  async access(principal: Principal, guildId: string, signal: AbortSignal): Promise<Access> {
    if (this.isStaff(principal.userId)) return accessFor(null, { staff: true });
    const membership = await this.backend.isMember(principal.userId, guildId, signal);
    return accessFor(membership, { staff: false });
  }

  /** Publishes a sign-out: every node demotes every connection of `userId`. */
  async publishDemote(userId: string): Promise<void> {
    await this.bus.publish(DEMOTE_TOPIC, JSON.stringify({ user_id: userId }));
  }

  #onDemoteMessage(body: string): void {
    let userId: unknown;
    try {
      userId = (JSON.parse(body) as { user_id?: unknown }).user_id;
    } catch {
      return;
    }
    if (typeof userId !== "string") return;
    for (const session of this.hub.sessionsOf(userId)) void this.demote(session, "signed_out");
  }

  #onGuildMessage(topic: string, body: string): void {
    const parsed = parseGuildTopic(topic);
    if (parsed === null) return;
    if (parsed.category === "pool") this.#poolUpdates.deliver(parsed.guildId, body);
    else this.logs.onMessage(parsed.guildId, parsed.category === "log.private", body);
  }

  /** Whether the node can serve: bus up and backend answering. */
  async ready(): Promise<{ ready: boolean; bus: boolean; backend: boolean; draining: boolean }> {
    const bus = this.bus.ready;
    let backend = false;
    if (bus) {
      try {
        await this.backend.ping();
        backend = true;
      } catch {
        backend = false;
      }
    }
    return { ready: bus && backend && !this.#draining, bus, backend, draining: this.#draining };
  }

  /**
   * Graceful stop: tells every client to reconnect elsewhere (1012), waits
   * up to `graceMs` for them to go, then releases the bus subscriptions.
   */
  async shutdown(graceMs = 5000): Promise<void> {
    this.#draining = true;
    for (const session of this.#sessions) {
      session.transport.close(CloseCode.serviceRestart, "server restarting");
    }
    const deadline = Date.now() + graceMs;
    while (this.#sessions.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const session of [...this.#sessions]) await this.close(session);
    this.logs.shutdown();
    this.#stopWatchingBus?.();
    await this.#demoteSub?.unsubscribe();
  }
}
