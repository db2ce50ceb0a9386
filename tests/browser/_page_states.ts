/**
 * Every state a page can be in that a visitor sees, in one list: the
 * accessibility audit runs on each. A new view (a dashboard tab, a dialog)
 * gets audited by adding its state here.
 *
 * @module
 */
import type { Page } from "playwright-core";
import type { TestNode } from "../_helpers/node.ts";
import { ARCHITUS_DEMO, type DemoUserKey, openGuild, signIn, waitForViewer } from "./_dashboard.ts";
import { type GuildTabName, openTab } from "./_entity_views.ts";
import { botMessage, openFrontPage, say, takeOver } from "./_front_page.ts";

export interface PageState {
  readonly name: string;
  /** Default: a laptop's 1280 × 800. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /**
   * Brings a fresh page (its own browser context: no cookies) into the
   * state, on a node serving the pages with the development sign-in.
   */
  readonly open: (page: Page, node: TestNode) => Promise<void>;
}

const PHONE = { width: 390, height: 844 } as const;

/** The front page with the auto demo playing and the bot's first answer in. */
async function openPlayingDemo(page: Page, node: TestNode): Promise<void> {
  await openFrontPage(page, node);
  await botMessage(page, /./).waitFor({ timeout: 15_000 });
}

/** The dashboard signed in as the Architus admin, watching Architus Demo's log with rows in it. */
async function openLogViewer(page: Page, node: TestNode): Promise<void> {
  await signIn(page, node, "architusAdmin");
  await openGuild(page, ARCHITUS_DEMO);
  await waitForViewer(page, "data-shown-count", (count) => count > 20);
}

/** The dashboard signed in as `user`, watching Architus Demo, on one of its views. */
async function openView(
  page: Page,
  node: TestNode,
  user: DemoUserKey,
  tab: GuildTabName,
): Promise<void> {
  await signIn(page, node, user);
  await openGuild(page, ARCHITUS_DEMO);
  await openTab(page, tab);
}

export const PAGE_STATES: readonly PageState[] = [
  { name: "front page, the demo playing", open: openPlayingDemo },
  { name: "front page, the demo playing, phone", viewport: PHONE, open: openPlayingDemo },
  {
    name: "front page, the visitor typing",
    open: async (page, node) => {
      await openPlayingDemo(page, node);
      await takeOver(page);
      await page.locator(".composer-input").fill("!help");
    },
  },
  {
    // What every visitor sees until the script has run, and what stays when it cannot.
    name: "front page, the static preview before the script runs",
    open: async (page, node) => {
      await page.route("**/assets/*.js", (route) => route.abort());
      await page.goto(node.url.href);
    },
  },
  {
    name: "dashboard, sign-in",
    open: async (page, node) => {
      await page.goto(new URL("/app", node.url).href);
      await page.locator('[data-testid="dashboard"][data-state="signed-out"]').waitFor();
    },
  },
  {
    name: "dashboard, no server picked",
    open: async (page, node) => {
      await signIn(page, node, "architusAdmin");
      await page.locator('[data-testid="guild"]').first().waitFor();
    },
  },
  { name: "dashboard, log viewer", open: openLogViewer },
  { name: "dashboard, log viewer, phone", viewport: PHONE, open: openLogViewer },
  {
    name: "dashboard, log viewer, filters open",
    open: async (page, node) => {
      await openLogViewer(page, node);
      await page.locator('[data-testid="filter-types"] summary').click();
      await page.locator('[data-testid="filter-types"] input[type="checkbox"]').first().check();
      await page.locator('[data-testid="filter-agent"]').fill("a");
      await page.locator(".agent-menu").waitFor();
    },
  },
  {
    name: "dashboard, log viewer, paused",
    open: async (page, node) => {
      await openLogViewer(page, node);
      await page.locator('[data-testid="pause"]').click();
      await page.locator('[data-testid="resume"]').waitFor();
    },
  },
  {
    name: "front page, a command hint",
    open: async (page, node) => {
      await openPlayingDemo(page, node);
      await takeOver(page);
      await say(page, "!poll a, b");
      await page.locator('.message[data-ephemeral="true"]').waitFor();
    },
  },
  {
    name: "dashboard, auto responses, a row just pushed, the bot channel answering",
    open: async (page, node) => {
      await openView(page, node, "member", "auto-responses");
      await page.locator('[data-testid="auto-response-view"][data-ready="true"]').waitFor();
      await page.locator('[data-testid="bot-channel-input"]').fill("!set audited::yes");
      await page.locator('[data-testid="bot-channel-input"]').press("Enter");
      await page.locator('[data-testid="auto-response"][data-fresh="true"]').waitFor();
      await page.locator('[data-testid="bot-line"][data-author="bot"]').waitFor();
    },
  },
  {
    name: "dashboard, members",
    open: async (page, node) => {
      await openView(page, node, "member", "members");
      await page.locator('[data-testid="member"]').first().waitFor();
    },
  },
  {
    name: "dashboard, members, phone",
    viewport: PHONE,
    open: async (page, node) => {
      await openView(page, node, "member", "members");
      await page.locator('[data-testid="member"]').first().waitFor();
    },
  },
  {
    name: "dashboard, members, a search",
    open: async (page, node) => {
      await openView(page, node, "member", "members");
      await page.locator('[data-testid="member-search"]').fill("a");
      await page.locator('[data-testid="member-view"][data-searching="done"]').waitFor();
    },
  },
  {
    name: "dashboard, channels and roles",
    open: async (page, node) => {
      await openView(page, node, "member", "channels-roles");
      await page.locator('[data-testid="channel-role-view"][data-ready="true"]').waitFor();
    },
  },
  {
    name: "dashboard, settings",
    open: async (page, node) => {
      await openView(page, node, "architusAdmin", "settings");
      await page.locator('[data-testid="settings-view"][data-state="ready"]').waitFor();
    },
  },
  {
    name: "dashboard, settings without access",
    open: async (page, node) => {
      await openView(page, node, "member", "settings");
      await page.locator('[data-testid="settings-forbidden"]').waitFor();
    },
  },
];
