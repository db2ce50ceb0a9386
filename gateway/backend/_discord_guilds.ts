import { BackendError } from "./backend.ts";

/**
 * Discord's `GET /users/@me/guilds` with a user's OAuth bearer token, as the
 * original gateway merged it into the guild list. The base URL is
 * configurable (`DISCORD_API_BASE`) so tests can point it at a local fake.
 * Every call has the node's deadline. Errors never carry the token. Private
 * to the backend folder.
 */
export class DiscordGuilds {
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(options: { base: string; timeoutMs: number }) {
    this.#base = options.base;
    this.#timeoutMs = options.timeoutMs;
  }

  async userGuilds(accessToken: string, signal?: AbortSignal): Promise<unknown[]> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      let response: Response;
      try {
        response = await fetch(`${this.#base}/users/@me/guilds`, {
          headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
          signal: controller.signal,
        });
      } catch (error) {
        throw this.#failure(error, signal, controller.signal);
      }
      if (!response.ok) {
        await response.body?.cancel();
        const kind = response.status === 429 || response.status >= 500 ? "unavailable" : "failed";
        throw new BackendError(kind, `discord answered ${response.status}`, response.status);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        throw this.#failure(error, signal, controller.signal);
      }
      if (!Array.isArray(body)) throw new BackendError("failed", "discord: not a guild list");
      return body;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  #failure(error: unknown, caller: AbortSignal | undefined, own: AbortSignal): BackendError {
    if (caller?.aborted) return new BackendError("aborted", "discord: cancelled");
    if (own.aborted) return new BackendError("timeout", "discord: no answer before the deadline");
    return new BackendError("unavailable", "discord: unreachable or unreadable", undefined, {
      cause: error,
    });
  }
}
