#!/usr/bin/env node
// Searches a built site as a reader does, in a real browser: opens the home
// page, types the query into its search box, presses Enter, and waits for the
// results on /search/.
//
//   node search.mjs --site DIR --query TEXT --expect TITLE
//
// Serves DIR itself on 127.0.0.1, drives /usr/bin/chromium (or $CHROMIUM)
// through playwright-core, and prints ONE JSON document to stdout:
//
//   { "url": the results page's address,
//     "results": [ the results' titles, in order ],
//     "requests": [ the path of every file fetched under /search/, in order ] }
//
// Errors of the page's scripts are written to stderr.
//
// Exit codes: 0 when TITLE is among the results, 1 when it is not or the
// search did not finish (the JSON is printed all the same), 2 when the search
// cannot start (bad arguments, browser or packages missing).

import {
  cannotStart,
  findChromium,
  launch,
  loadPlaywright,
  PROGRAM,
  readArgs,
  serve,
  siteFolder,
  stopServing,
} from "./lib.mjs";

const USAGE = "usage: node search.mjs --site DIR --query TEXT --expect TITLE";
const VIEWPORT = { width: 1280, height: 900 };
// The home page's search box, and what the search page fills in.
const SEARCH_BOX = 'form[role="search"] input[name="q"]';
const RESULTS_HEADING = "#search-results h2";
const RESULT_TITLES = "#search-results .result__title";
const INDEX = "/search/";

function parseArgs(argv) {
  const opts = { site: null, query: null, expect: null };
  readArgs(argv, USAGE, (flag, value) => {
    switch (flag) {
      case "--site":
        opts.site = value();
        return true;
      case "--query":
        opts.query = value();
        return true;
      case "--expect":
        opts.expect = value();
        return true;
      default:
        return false;
    }
  });
  if (!opts.site) cannotStart(`--site DIR is required\n${USAGE}`);
  if (!opts.query?.trim()) cannotStart(`--query TEXT is required\n${USAGE}`);
  if (!opts.expect?.trim()) cannotStart(`--expect TITLE is required\n${USAGE}`);
  opts.site = siteFolder(opts.site);
  return opts;
}

/** Searches from the home page; fills `report` as it goes. */
async function search(page, base, opts, report) {
  const home = await page.goto(new URL("/", base).href, { waitUntil: "load" });
  if (home?.status() !== 200) throw new Error(`/ answered HTTP ${home?.status() ?? "nothing"}, not 200`);
  const box = page.locator(SEARCH_BOX);
  const boxes = await box.count();
  if (boxes !== 1) throw new Error(`the home page has ${boxes} search boxes (${SEARCH_BOX}), not 1`);
  await box.fill(opts.query);
  await Promise.all([page.waitForURL((url) => url.pathname === INDEX, { waitUntil: "load" }), box.press("Enter")]);
  report.url = page.url();
  // The heading comes with the results, or says there are none.
  await page.locator(RESULTS_HEADING).waitFor({ state: "visible" });
  report.url = page.url();
  report.results = (await page.locator(RESULT_TITLES).allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const executablePath = findChromium();
  const chromium = await loadPlaywright();
  const server = await serve(opts.site).catch((e) => cannotStart(`cannot serve ${opts.site}: ${e.message}`));
  const base = `http://127.0.0.1:${server.address().port}`;
  const report = { url: null, results: [], requests: [] };
  let browser;
  let found = false;
  try {
    browser = await launch(chromium, executablePath);
    const context = await browser.newContext({ deviceScaleFactor: 1, reducedMotion: "reduce" });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.setViewportSize(VIEWPORT);
    page.on("request", (request) => {
      const url = new URL(request.url());
      // Files of the index, not the search page itself.
      if (url.origin === base && url.pathname.startsWith(INDEX) && url.pathname !== INDEX) {
        report.requests.push(url.pathname);
      }
    });
    page.on("pageerror", (e) => process.stderr.write(`${PROGRAM}: error in the page: ${e.message}\n`));
    page.on("console", (message) => {
      // A shard with no tokens is a 404 the page expects; so is the favicon.
      const where = message.location().url ?? "";
      const expected =
        message.text().startsWith("Failed to load resource") && (!where.includes(INDEX) || where.includes(`${INDEX}terms/`));
      if (message.type() === "error" && !expected) process.stderr.write(`${PROGRAM}: console: ${message.text()} (${message.location().url})\n`);
    });
    try {
      await search(page, base, opts, report);
      found = report.results.includes(opts.expect.trim());
      if (!found) {
        const heading = await page.locator(RESULTS_HEADING).first().textContent();
        process.stderr.write(`${PROGRAM}: \`${opts.expect}\` is not among the results (${heading?.trim()})\n`);
      }
    } catch (e) {
      process.stderr.write(`${PROGRAM}: the search did not finish: ${e.message.split("\n")[0]}\n`);
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await browser?.close();
    stopServing(server);
  }
  process.exitCode = found ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write(`${PROGRAM}: ${e.message}\n`);
  process.exitCode = 1;
});
