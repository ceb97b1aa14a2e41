#!/usr/bin/env node
// Checks built pages in a real browser: axe-core at WCAG 2.0/2.1/2.2 A and AA,
// and reflow at 320 CSS pixels (WCAG 1.4.10). Optionally saves screenshots.
//
//   node check-pages.mjs --site DIR --pages /,/profiles/ \
//       [--screenshots OUTDIR --widths 375,1280]
//
// Serves DIR itself on 127.0.0.1, drives /usr/bin/chromium (or $CHROMIUM)
// through playwright-core, and prints ONE JSON document to stdout:
//
//   { "pages": [ { "path", "status", "violations": [...],
//                  "overflow": null | { "scrollWidth", "element" } } ] }
//
// Pages are checked in a few tabs at once ($CHECK_PAGES_TABS, default 3);
// the output keeps the order of --pages.
//
// Exit codes: 0 when every page was checked (the caller judges the results),
// 1 when a page could not be checked (e.g. it did not answer 200),
// 2 when the check cannot start (bad arguments, browser or packages missing).

import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { cannotStart, findChromium, launch, loadPlaywright, readArgs, serve, siteFolder, stopServing } from "./lib.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const CHECK_VIEWPORT = { width: 1280, height: 900 };
const TABS = Number(process.env.CHECK_PAGES_TABS) || 3;
const REFLOW_WIDTH = 320;
const REFLOW_VIEWPORT = { width: REFLOW_WIDTH, height: 800 };
const USAGE = `usage: node check-pages.mjs --site DIR --pages /,/profiles/,... [--screenshots OUTDIR --widths 375,1280]`;

function parseArgs(argv) {
  const opts = { site: null, pages: null, screenshots: null, widths: [375, 1280] };
  readArgs(argv, USAGE, (flag, value) => {
    switch (flag) {
      case "--site":
        opts.site = value();
        return true;
      case "--pages":
        opts.pages = value()
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean);
        return true;
      case "--screenshots":
        opts.screenshots = value();
        return true;
      case "--widths":
        opts.widths = value()
          .split(",")
          .map((w) => w.trim())
          .filter(Boolean)
          .map((w) => {
            const n = Number(w);
            if (!Number.isInteger(n) || n < 100 || n > 4000) cannotStart(`--widths: \`${w}\` is not a width in pixels (100-4000)`);
            return n;
          });
        return true;
      default:
        return false;
    }
  });
  if (!opts.site) cannotStart(`--site DIR is required\n${USAGE}`);
  if (!opts.pages || opts.pages.length === 0) cannotStart(`--pages is required\n${USAGE}`);
  for (const p of opts.pages) {
    if (!p.startsWith("/")) cannotStart(`--pages: \`${p}\` must start with /`);
  }
  opts.site = siteFolder(opts.site);
  if (opts.widths.length === 0) cannotStart("--widths: give at least one width");
  return opts;
}

// ---------------------------------------------------------------- browser

async function loadPackages() {
  const axePath = join(HERE, "node_modules", "axe-core", "axe.min.js");
  const chromium = await loadPlaywright();
  if (!existsSync(axePath)) cannotStart(`${axePath} is missing; run \`npm ci --prefix tests/browser\``);
  return { chromium, axePath };
}

function slug(pagePath) {
  const s = pagePath
    .replace(/[?#].*$/s, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s || "home";
}

async function open(page, url, pagePath) {
  const response = await page.goto(url, { waitUntil: "load" });
  const status = response ? response.status() : 0;
  if (status !== 200) {
    throw new Error(`${pagePath} answered HTTP ${status || "nothing"}, not 200`);
  }
  // Web fonts change widths; wait for them as a reader would.
  await page.evaluate(() => document.fonts?.ready.then(() => undefined));
  return status;
}

/** An element's HTML on one line, at most 160 characters. */
function snippet(html) {
  const one = (html ?? "").replace(/\s+/g, " ").trim();
  return one.length > 160 ? `${one.slice(0, 157)}...` : one;
}

async function runAxe(page, axePath) {
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      }),
    AXE_TAGS,
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target, html: snippet(n.html) })),
  }));
}

/** In the page: the horizontal overflow at the current width, or null. */
function measureOverflow(limit) {
  const doc = document.documentElement;
  const scrollWidth = doc.scrollWidth;
  if (scrollWidth <= limit + 1) return null;

  const selector = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e.id) {
        parts.unshift(`#${CSS.escape(e.id)}`);
        break;
      }
      let part = e.localName;
      if (e === document.body || e === doc) {
        parts.unshift(part);
        break;
      }
      const classes = [...e.classList].slice(0, 2).map((c) => `.${CSS.escape(c)}`).join("");
      part += classes;
      const parent = e.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === e.localName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  // An element inside a scrolling or clipping box does not widen the page.
  const clipped = (el) => {
    for (let e = el.parentElement; e && e !== document.body && e !== doc; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== "visible") return true;
    }
    return false;
  };

  // The culprit is the element reaching furthest right, counting text that
  // spills out of its box; its ancestors reach as far only because of it, so
  // of equal reaches the innermost (last in document order) is named.
  let widest = null;
  let reach = limit + 1;
  let width = 0;
  for (const el of document.body ? document.body.querySelectorAll("*") : []) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.position === "fixed" || clipped(el)) continue;
    const w = Math.max(r.width, style.overflowX === "visible" ? el.scrollWidth : 0);
    const right = r.left + window.scrollX + w;
    if (right >= reach - 0.5 && right > limit + 1) {
      widest = el;
      reach = Math.max(reach, right);
      width = w;
    }
  }
  const element = widest
    ? `${selector(widest)} (${Math.round(width)}px wide, right edge at ${Math.round(reach)}px)`
    : "body (no single element found)";
  return { scrollWidth, element };
}

async function checkPage(context, base, pagePath, axePath, opts) {
  const url = new URL(pagePath, base).href;
  const page = await context.newPage();
  try {
    await page.setViewportSize(CHECK_VIEWPORT);
    const status = await open(page, url, pagePath);
    const violations = await runAxe(page, axePath);

    await page.setViewportSize(REFLOW_VIEWPORT);
    await open(page, url, pagePath);
    const overflow = await page.evaluate(measureOverflow, REFLOW_WIDTH);

    if (opts.screenshots) {
      for (const width of opts.widths) {
        await page.setViewportSize({ width, height: 900 });
        await open(page, url, pagePath);
        await page.screenshot({
          path: join(opts.screenshots, `${slug(pagePath)}-${width}.png`),
          fullPage: true,
          animations: "disabled",
        });
      }
    }
    return { path: pagePath, status, violations, overflow };
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const executablePath = findChromium();
  const { chromium, axePath } = await loadPackages();
  if (opts.screenshots) {
    opts.screenshots = resolve(opts.screenshots);
    try {
      await mkdir(opts.screenshots, { recursive: true });
    } catch (e) {
      cannotStart(`--screenshots: cannot create ${opts.screenshots}: ${e.message}`);
    }
  }

  const server = await serve(opts.site).catch((e) => cannotStart(`cannot serve ${opts.site}: ${e.message}`));
  const base = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    browser = await launch(chromium, executablePath);
    const context = await browser.newContext({ deviceScaleFactor: 1, reducedMotion: "reduce" });
    context.setDefaultTimeout(30_000);
    // A few tabs at once; the results keep the order of --pages.
    const pages = new Array(opts.pages.length);
    let next = 0;
    const worker = async () => {
      while (next < opts.pages.length) {
        const i = next++;
        pages[i] = await checkPage(context, base, opts.pages[i], axePath, opts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(TABS, opts.pages.length) }, worker));
    process.stdout.write(`${JSON.stringify({ pages }, null, 2)}\n`);
  } finally {
    await browser?.close();
    stopServing(server);
  }
}

main().catch((e) => {
  process.stderr.write(`check-pages: ${e.message}\n`);
  process.exitCode = 1;
});
