/**
 * A local fake of Discord's `GET /users/@me/guilds`, for the gateway's
 * `architus` backend (`DISCORD_API_BASE` points at `url`). It answers the
 * guilds of the bearer token, 401 for an unknown token as Discord does, or
 * the status `failWith` is set to. It keeps the `Authorization` header of
 * every request it got.
 */
export class FakeDiscord {
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #guilds: Readonly<Record<string, ReadonlyArray<unknown>>>;
  /** The API base to configure, like `https://discord.com/api/v10`. */
  readonly url: string;
  /** The `Authorization` header of each request, in order. */
  readonly authorizations: string[] = [];
  /** When set, every request answers this status. */
  failWith: number | undefined;

  constructor(guilds: Readonly<Record<string, ReadonlyArray<unknown>>>) {
    this.#guilds = guilds;
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#answer(request),
    );
    this.url = `http://127.0.0.1:${this.#server.addr.port}/api/v10`;
  }

  #answer(request: Request): Response {
    const path = new URL(request.url).pathname;
    if (request.method !== "GET" || path !== "/api/v10/users/@me/guilds") {
      return Response.json({ message: "404: Not Found", code: 0 }, { status: 404 });
    }
    const auth = request.headers.get("authorization") ?? "";
    this.authorizations.push(auth);
    if (this.failWith !== undefined) {
      return Response.json({ message: "failing on purpose" }, { status: this.failWith });
    }
    const guilds = auth.startsWith("Bearer ") ? this.#guilds[auth.slice(7)] : undefined;
    if (guilds === undefined) {
      return Response.json({ message: "401: Unauthorized", code: 0 }, { status: 401 });
    }
    return Response.json(guilds);
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}
