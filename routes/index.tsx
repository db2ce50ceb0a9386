import type { VNode } from "preact";
import { Island } from "./_island.tsx";
import { Layout, renderDocument } from "./_layout.tsx";
import type { IslandAssets } from "./assets.ts";

interface FrontPageProps {
  /** Where the demo island opens its WebSocket. */
  readonly gatewayPath: string;
}

const FEATURES: ReadonlyArray<{ icon: string; title: string; text: string; code: string }> = [
  {
    icon: "💬",
    title: "Auto responses",
    text: "Teach the bot to answer a phrase, with one reply or a random pick from several.",
    code: "!set hi::hello :wave:",
  },
  {
    icon: "📊",
    title: "Polls & schedules",
    text: "Run polls and exclusive votes, schedule events, and let people RSVP with a reaction.",
    code: '!poll "lunch?" pizza, tacos',
  },
  {
    icon: "⚡",
    title: "A live dashboard",
    text: "Manage your server from the web, with logs and member changes streamed as they happen.",
    code: "/app",
  },
];

/** The front page: what Architus is, then the live interpret demo. */
function FrontPage({ gatewayPath }: FrontPageProps): VNode {
  return (
    <>
      <section class="hero">
        <div class="container hero-inner">
          <p class="eyebrow">Discord bot · web dashboard</p>
          <h1>
            Your Discord server, <span class="accent">on autopilot</span>.
          </h1>
          <p class="lede">
            Architus answers your members, runs polls, schedules events and keeps a live log of
            everything that happens, all managed from a web dashboard that updates in real time.
          </p>
          <div class="hero-actions">
            <a class="button button-primary" href="#demo">Try the live demo</a>
            <a class="button button-ghost" href="/app">Open the dashboard</a>
          </div>
        </div>
      </section>

      <section class="demo-section" id="demo" aria-labelledby="demo-heading">
        <div class="container">
          <div class="section-head">
            <h2 id="demo-heading">Try it right here</h2>
            <p>
              This is not a recording. Every line travels over the realtime gateway to Architus’s
              demo backend, which answers the way the bot would. Click the message box and type{" "}
              <code>!help</code> to take over.
            </p>
          </div>
          <noscript>
            <p class="nojs-note">
              The live demo needs JavaScript. Below is a static preview of{" "}
              <strong>#auto-response-demo</strong>.
            </p>
          </noscript>
          <Island name="InterpretDemo" props={{ gatewayPath }} />
        </div>
      </section>

      <section class="features" aria-label="Features">
        <div class="container feature-grid">
          {FEATURES.map((feature) => (
            <article class="feature" key={feature.title}>
              <div class="feature-icon" aria-hidden="true">{feature.icon}</div>
              <h3>{feature.title}</h3>
              <p>{feature.text}</p>
              <code>{feature.code}</code>
            </article>
          ))}
        </div>
      </section>
    </>
  );
}

/** The front page as a complete HTML document. */
export function renderFrontPage(options: { assets: IslandAssets; gatewayPath: string }): string {
  return renderDocument(
    <Layout
      title="Architus — the Discord bot with a live dashboard"
      description="Architus is a multi-purpose Discord bot: auto responses, polls, schedules and a realtime web dashboard. Try it live on this page."
      assets={options.assets}
      page="front_page"
      path="/"
    >
      <FrontPage gatewayPath={options.gatewayPath} />
    </Layout>,
  );
}
