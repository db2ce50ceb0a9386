import { type Principal, TokenError, type Verifier } from "../auth/mod.ts";
import { GatewayError, toGatewayError } from "../errors.ts";
import type { ClientEventName, ClientFrame } from "../protocol/mod.ts";
import type { Connection } from "./connection.ts";
import { RequestContext } from "./request_context.ts";

/** Answers one kind of request with what `S` offers. Throwing a `GatewayError` ends it with that error. */
export type RequestHandler<E extends ClientEventName, S> = (
  ctx: RequestContext<E>,
  services: S,
) => Promise<void>;

/** The handler of every client event a node serves. */
export type HandlerTable<S> = { readonly [E in ClientEventName]?: RequestHandler<E, S> };

export interface DispatcherOptions<S> {
  readonly handlers: HandlerTable<S>;
  readonly services: S;
  readonly verifier: Verifier;
  /** The backend deadline, named in `backend_timeout` errors. */
  readonly deadlineMs: number;
}

/**
 * Runs one decoded request: works out whom it acts for, hands it to its
 * handler with a `RequestContext`, and ends it with exactly one terminal
 * frame, whatever the handler did. A request is cancelled when its
 * connection closes.
 */
export class Dispatcher<S> {
  readonly #options: DispatcherOptions<S>;

  constructor(options: DispatcherOptions<S>) {
    this.#options = options;
  }

  async dispatch(connection: Connection, frame: ClientFrame): Promise<void> {
    const event = frame._event;
    const controller = new AbortController();
    const untrack = connection.track(controller);
    const handler = this.#options.handlers[event] as RequestHandler<ClientEventName, S> | undefined;
    let ctx: RequestContext | undefined;
    try {
      const principal = await this.#principalFor(connection, frame);
      ctx = new RequestContext({
        event,
        frame: frame as never,
        connection,
        principal,
        signal: controller.signal,
      });
      if (handler === undefined) throw new GatewayError("unknown_event", "event not handled");
      await handler(ctx, this.#options.services);
      if (!ctx.done) throw new GatewayError("internal", "request ended without an answer");
    } catch (error) {
      if (controller.signal.aborted || connection.closed) return;
      const gatewayError = toGatewayError(error, this.#options.deadlineMs);
      if (gatewayError.error === "internal" && !(error instanceof GatewayError)) {
        connection.log.error("handler failed", { event, error });
      }
      ctx ??= new RequestContext({
        event,
        frame: frame as never,
        connection,
        principal: null,
        signal: controller.signal,
      });
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
  async #principalFor(connection: Connection, frame: ClientFrame): Promise<Principal | null> {
    const token = (frame as { token?: string }).token;
    if (token === undefined || frame._event === "request_elevation") return connection.principal;
    let principal: Principal;
    try {
      principal = await this.#options.verifier.verify(token);
    } catch (error) {
      const reason = error instanceof TokenError ? error.reason : "malformed";
      throw new GatewayError("invalid_token", `request token refused (${reason})`, {
        cause: error,
      });
    }
    const current = connection.principal;
    if (current !== null && current.userId !== principal.userId) {
      throw new GatewayError(
        "token_mismatch",
        "request token names another user than the connection",
      );
    }
    return principal;
  }
}
