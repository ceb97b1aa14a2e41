#!/usr/bin/env node
// Adds a profile through the browser editor as a comms officer does: opens
// the site's /admin/ (Decap CMS, as `interchange init` or `interchange cms`
// wrote it), fills in the new-profile form and publishes it, with Decap's
// own local backend, decap-server, saving into the site's folder.
//
//   node cms.mjs --site DIR --consent YYYY-MM-DD [--screenshots DIR]
//
// Starts decap-server on a free port with DIR as its repository, serves
// DIR/static on 127.0.0.1 as the built site would serve /admin/, and drives
// /usr/bin/chromium (or $CHROMIUM) through playwright-core. The editor's
// script is loaded from tests/browser/node_modules/decap-cms, in place of
// the address index.html names, and its calls to the local backend's usual
// address are sent to the port chosen; nothing else leaves the machine.
// Prints ONE JSON document to stdout:
//
//   { "saved": the path of the file written, relative to DIR, or null,
//     "consentBefore": what the consent field held before it was filled in,
//     "errors": [ messages of the page's scripts and failed requests ] }
//
// Exit codes: 0 when the profile was saved, 1 when it was not, 2 when the
// check cannot start (bad arguments, browser or packages missing).

import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { cannotStart, findChromium, launch, loadPlaywright, readArgs, serve, siteFolder, stopServing } from "./lib.mjs";

const USAGE = "usage: node cms.mjs --site DIR --consent YYYY-MM-DD [--screenshots DIR]";
const HERE = dirname(fileURLToPath(import.meta.url));
const DECAP = join(HERE, "node_modules/decap-cms/dist");
const DECAP_SERVER = join(HERE, "node_modules/decap-server/dist/index.js");

// Where Decap looks for its local backend when config.yml says `local_backend: true`.
const LOCAL_BACKEND = "http://localhost:8081/";

const opts = { site: null, consent: null, screenshots: null };
readArgs(process.argv.slice(2), USAGE, (flag, value) => {
  if (flag === "--site") opts.site = value();
  else if (flag === "--consent") opts.consent = value();
  else if (flag === "--screenshots") opts.screenshots = value();
  else return false;
  return true;
});
if (!opts.site || !opts.consent) cannotStart(USAGE);
const site = siteFolder(opts.site);
if (!existsSync(join(site, "static/admin/config.yml"))) cannotStart(`${site} has no static/admin/config.yml`);
for (const needed of [DECAP, DECAP_SERVER]) {
  if (!existsSync(needed)) cannotStart(`${needed} is missing; run \`npm ci --prefix tests/browser\``);
}
// The release installed, which must be the one index.html loads.
const DECAP_VERSION = JSON.parse(readFileSync(join(DECAP, "../package.json"), "utf8")).version;

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/** decap-server with `site` as its repository, once it listens. */
async function startDecapServer(port) {
  const child = spawn(process.execPath, [DECAP_SERVER], {
    env: { ...process.env, PORT: String(port), BIND_HOST: "127.0.0.1", GIT_REPO_DIRECTORY: site, LOG_LEVEL: "warn" },
    // Not inheriting this script's output: a server outliving it would
    // hold the pipes its caller reads to the end open.
    stdio: ["ignore", "ignore", "ignore"],
  });
  // Stopped however this script ends, `cannotStart` included.
  process.on("exit", () => child.kill());
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/api/v1`, { method: "POST", body: "{}" });
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  cannotStart("decap-server did not start");
}

function profiles() {
  const folder = join(site, "content/profiles");
  return new Set(existsSync(folder) ? readdirSync(folder) : []);
}

const errors = [];
const before = profiles();
const decapPort = await freePort();
const decapServer = await startDecapServer(decapPort);
const http = await serve(join(site, "static"));
const chromium = await loadPlaywright();
const browser = await launch(chromium, findChromium());
let saved = null;
let consentBefore = null;
let step = "starting";
let closing = false;
let page;
try {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(`script error: ${e.message}`));
  page.on("requestfailed", (r) => {
    if (!closing) errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    const cdn = url.match(/^https:\/\/unpkg\.com\/decap-cms@([^/]+)\/dist\/([\w.-]+)$/);
    if (cdn && cdn[1] === DECAP_VERSION) {
      // With the CORS header a CDN sends, for the integrity check of
      // index.html's script to apply as it does there.
      return route.fulfill({
        path: join(DECAP, cdn[2]),
        contentType: "text/javascript",
        headers: { "Access-Control-Allow-Origin": "*" },
      });
    }
    if (url.startsWith(LOCAL_BACKEND)) {
      // The editor polls its backend: a request still on its way when the
      // browser closes fails, and is no finding.
      try {
        const response = await route.fetch({ url: url.replace(LOCAL_BACKEND, `http://127.0.0.1:${decapPort}/`) });
        return await route.fulfill({ response });
      } catch (e) {
        if (!closing) errors.push(`the local backend did not answer ${url}: ${e.message.split("\n")[0]}`);
        return undefined;
      }
    }
    if (url.startsWith(`http://localhost:${http.address().port}/`) || url.startsWith("data:")) return route.continue();
    errors.push(`blocked a request to ${url}`);
    return route.abort();
  });

  await page.goto(`http://localhost:${http.address().port}/admin/#/collections/profiles/new`);
  // The local backend asks for no password: its Login button lets one in.
  step = "logging in";
  await page.getByRole("button", { name: "Login", exact: true }).click();
  step = "opening the new-profile form";
  const field = (label) => {
    step = `filling in ${label}`;
    // Optional fields are labelled "Email (optional)".
    return page.getByLabel(new RegExp(`^${label}( \\(optional\\))?$`));
  };
  await field("Name").fill("Seán Ó Briain #1");
  await field("Role").fill("Head of Service: Communities");
  // React-select lists: type to filter, Enter to choose the first match.
  const choose = async (label, ...options) => {
    for (const option of options) {
      await field(label).first().fill(option);
      await page.getByRole("option", { name: option, exact: true }).click();
    }
  };
  await choose("Organisation", "Kirkby Vale Council");
  await choose("Policy areas", "Housing", "Homelessness");
  await choose("Open to", "Coffee", "Buddy");
  await field("Interests").fill("community-engagement, data-sharing");
  await field("Email").fill("sean.obriain@kirkbyvale.example.gov.uk");
  // What the form shows before anyone writes a date: nothing.
  consentBefore = await field("Consent").inputValue();
  await field("Consent").fill(opts.consent);
  await field("Consent").scrollIntoViewIfNeeded();
  if (opts.screenshots) await page.screenshot({ path: join(opts.screenshots, "cms-consent-1280.png") });
  // The body's editor is a rich-text area, typed into as a person does.
  step = "writing the body";
  await page.locator('[contenteditable="true"]').last().click();
  await page.keyboard.type("Leads the council's work with community groups.");
  if (opts.screenshots) await page.screenshot({ path: join(opts.screenshots, "cms-form-1280.png") });

  step = "publishing";
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Publish now", { exact: true }).click();
  for (let i = 0; i < 100 && saved === null; i++) {
    const added = [...profiles()].filter((f) => !before.has(f));
    if (added.length > 0) saved = `content/profiles/${added[0]}`;
    else await page.waitForTimeout(100);
  }
  if (saved === null) {
    // Decap lists a field's problems under its label, and its notices in toasts.
    const alerts = await page.locator('[class*="ControlErrorsList"] li, [class*="toast"], [role="alert"]').allInnerTexts();
    errors.push(`nothing was saved; the page says: ${alerts.join(" | ") || "no error"}`);
    if (opts.screenshots) await page.screenshot({ path: join(opts.screenshots, "cms-not-saved.png"), fullPage: true });
  }
} catch (e) {
  errors.push(`${e.message.split("\n")[0]} (${step})`);
  if (opts.screenshots && page) await page.screenshot({ path: join(opts.screenshots, "cms-failed.png") });
} finally {
  closing = true;
  if (page) await page.unrouteAll({ behavior: "ignoreErrors" });
  await browser.close();
  stopServing(http);
  decapServer.kill();
}
process.stdout.write(JSON.stringify({ saved, consentBefore, errors }, null, 2) + "\n");
process.exit(saved === null ? 1 : 0);
