import type { ComponentChildren, VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { PageName } from "../boot/pages.ts";
import type { IslandAssets } from "./assets.ts";

export interface LayoutProps {
  readonly title: string;
  readonly description: string;
  readonly assets: IslandAssets;
  /** Which page this is: it loads that page's script. */
  readonly page: PageName;
  /** The path of the page, to mark the current nav entry. */
  readonly path: string;
  readonly children: ComponentChildren;
}

const NAV: ReadonlyArray<{ href: string; label: string }> = [
  { href: "/", label: "Home" },
  { href: "/app", label: "Dashboard" },
];

const FAVICON = "data:image/svg+xml," + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" ' +
    'rx="9" fill="#d34c4f"/><path d="M16 6 25 26h-4.6l-1.7-4.2h-5.4L11.6 26H7z' +
    'm0 7.6-1.9 4.8h3.8z" fill="#fff"/></svg>',
);

/** The Architus mark: a rounded square with an "A". */
function Logo({ size = 28 }: { size?: number }): VNode {
  return (
    <svg class="logo" viewBox="0 0 32 32" width={size} height={size} aria-hidden="true">
      <rect width="32" height="32" rx="9" fill="#d34c4f" />
      <path d="M16 6 25 26h-4.6l-1.7-4.2h-5.4L11.6 26H7zm0 7.6-1.9 4.8h3.8z" fill="#fff" />
    </svg>
  );
}

/** The document every page shares: head with the hashed assets, header, footer. */
export function Layout(props: LayoutProps): VNode {
  const { assets } = props;
  const script = assets.pages[props.page];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <meta name="description" content={props.description} />
        <meta name="color-scheme" content="dark" />
        <meta name="theme-color" content="#1e1f22" />
        <link rel="icon" href={FAVICON} />
        <link rel="stylesheet" href={assets.styles} />
        <script type="module" src={script.src} />
        {script.preload.map((href) => <link key={href} rel="modulepreload" href={href} />)}
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="container header-inner">
            <a class="brand" href="/">
              <Logo />
              <span>Architus</span>
            </a>
            <nav class="site-nav" aria-label="Main">
              {NAV.map((item) => (
                <a
                  key={item.href}
                  href={item.href}
                  aria-current={item.href === props.path ? "page" : undefined}
                >
                  {item.label}
                </a>
              ))}
            </nav>
          </div>
        </header>
        {/* Focusable from script only: the skip link moves focus here. */}
        <main id="main" tabIndex={-1}>{props.children}</main>
        <footer class="site-footer">
          <div class="container footer-inner">
            <div class="footer-brand">
              <Logo size={22} />
              <span>Architus</span>
            </div>
            <p>
              A multi-purpose Discord bot with a web dashboard, kept live by a realtime WebSocket
              gateway.
            </p>
            <nav class="footer-nav" aria-label="Footer">
              {NAV.map((item) => <a key={item.href} href={item.href}>{item.label}</a>)}
            </nav>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A complete HTML document. */
export function renderDocument(page: VNode): string {
  return "<!DOCTYPE html>" + renderToString(page);
}
