// This module is browser-compatible.
import type { VNode } from "preact";
import { initialsOf, tintOf } from "../../lib/dashboard/guild_icon.ts";

/** A demo user the development sign-in offers. */
export interface DemoAccountView {
  /** What the sign-in form posts (`architusAdmin`, `member`, …). */
  readonly key: string;
  readonly id: string;
  readonly username: string;
  /** "Architus admin", "Member", … */
  readonly tier: string;
  readonly description: string;
}

/** How this deployment signs people in. */
export type DashboardSignIn =
  | {
    /** Development: a demo-user picker posting to `action`; `signOutAction` clears it. */
    readonly mode: "dev";
    readonly action: string;
    readonly signOutAction: string;
    readonly users: readonly DemoAccountView[];
  }
  | {
    /** Production: the REST API signs in and sets the `token` cookie. */
    readonly mode: "external";
    readonly url: string;
  };

/**
 * The signed-out dashboard. Plain forms, so it works before (and without)
 * JavaScript; the server answers with the cookie and a redirect back.
 */
export function SignInPanel({ signIn }: { signIn: DashboardSignIn }): VNode {
  if (signIn.mode === "external") {
    return (
      <section class="signin-card" data-testid="sign-in-external" aria-labelledby="signin-title">
        <h2 id="signin-title">Sign in to the dashboard</h2>
        <p>
          Sign in through <a href={signIn.url}>archit.us</a>{" "}
          with your Discord account, then come back to this page: the gateway reads the session
          archit.us sets.
        </p>
        <a class="button button-primary" href={signIn.url}>Sign in through archit.us</a>
      </section>
    );
  }
  return (
    <section class="signin-card" data-testid="sign-in-picker" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in as a demo user</h2>
      <p>
        This node runs in development mode. Pick someone: the server mints a token for them into an
        HttpOnly <code>dev-token</code> cookie, and the dashboard’s WebSocket is signed in with it.
      </p>
      <ul class="demo-users">
        {signIn.users.map((user) => (
          <li key={user.key}>
            <form method="post" action={signIn.action}>
              <input type="hidden" name="user" value={user.key} />
              <button
                type="submit"
                class="demo-user"
                data-testid="sign-in-user"
                data-user={user.key}
              >
                <span class={`avatar-initial ${tintOf(user.id)}`} aria-hidden="true">
                  {initialsOf(user.username.replace(/_/g, " "))}
                </span>
                <span class="demo-user-text">
                  <span class="demo-user-name">
                    <strong>{user.username}</strong>
                    <span class="tier-pill">{user.tier}</span>
                  </span>
                  <span class="demo-user-desc">{user.description}</span>
                </span>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}
