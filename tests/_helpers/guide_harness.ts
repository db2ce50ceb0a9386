/**
 * What the guide's snippets import in place of `@architus/gateway-client`:
 * the client library, with `GatewayClient` pointed at the test node
 * instead of archit.us and remembered so the test can close it, and the
 * application code the snippets assume (`getToken`, `render`, …).
 */
import { GatewayClient as Client, type GatewayClientOptions } from "../../client/mod.ts";

export * from "../../client/mod.ts";

/** The URL the guide writes; snippets using it reach the test node instead. */
export const PUBLIC_URL = "wss://gateway.archit.us/gateway";

/** The application code the snippets use without defining it. */
export interface GuideContext {
  readonly url: string;
  readonly client: Client;
  getToken(): Promise<string>;
  render(value: unknown): void;
  showError(message: string): void;
  signIn(): void;
}

let current: GuideContext | undefined;
const made: Client[] = [];

export function setGuideContext(context: GuideContext | undefined): void {
  current = context;
}

export function guide(): GuideContext {
  if (current === undefined) throw new Error("no guide context");
  return current;
}

/** Closes every client the snippets made. */
export async function closeGuideClients(): Promise<void> {
  await Promise.all(made.splice(0).map((client) => client.close()));
}

/** The library's client, reaching the test node when given the guide's URL. */
export class GatewayClient extends Client {
  constructor(options: GatewayClientOptions) {
    const url = String(options.url) === PUBLIC_URL ? guide().url : options.url;
    super({ ...options, url });
    made.push(this);
  }
}
