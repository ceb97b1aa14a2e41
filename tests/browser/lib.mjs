// What the browser checks share: stopping before they start, serving a
// built site on 127.0.0.1, and finding and starting Chromium through
// playwright-core.
//
// Messages go to stderr prefixed with the script's name (`check-pages: …`).

import { createServer } from "node:http";
import { createReadStream, statSync, accessSync, realpathSync, constants } from "node:fs";
import { basename, extname, join, relative, resolve, isAbsolute } from "node:path";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".ics": "text/calendar; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".yml": "text/yaml; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".webmanifest": "application/manifest+json",
};

/** The running script's name, for messages: `check-pages`, `search`. */
export const PROGRAM = basename(process.argv[1] ?? "browser", ".mjs");

/** Stops before anything starts: message on stderr, exit 2. */
export function cannotStart(message) {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(2);
}

/**
 * Reads `--flag value` and `--flag=value` arguments: calls `handle(flag,
 * value, arg)` for each, where `value()` takes the flag's value. `-h` and
 * `--help` print `usage` and exit 0.
 */
export function readArgs(argv, usage, handle) {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) cannotStart(`${flag} needs a value\n${usage}`);
      return next;
    };
    if (flag === "-h" || flag === "--help") {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    if (!handle(flag, value, arg)) cannotStart(`unknown argument \`${arg}\`\n${usage}`);
  }
}

/** The absolute path of the `--site` folder, which must exist. */
export function siteFolder(site) {
  const path = resolve(site);
  let st;
  try {
    st = statSync(path);
  } catch {
    cannotStart(`--site: ${path} does not exist`);
  }
  if (!st.isDirectory()) cannotStart(`--site: ${path} is not a directory`);
  return path;
}

// ---------------------------------------------------------------- server

/** The file under `root` for a URL path, or null if it escapes `root`. */
function fileFor(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const file = resolve(root, "." + decoded);
  return file === root || inside(root, file) ? file : null;
}

function statOrNull(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function sendFile(req, res, status, file, st) {
  res.writeHead(status, {
    "Content-Type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "Content-Length": st.size,
    "Cache-Control": "no-store",
  });
  if (req.method === "HEAD") return res.end();
  createReadStream(file).on("error", () => res.destroy()).pipe(res);
}

function notFound(req, res, root) {
  const page = join(root, "404.html");
  const st = statOrNull(page);
  if (st?.isFile()) return sendFile(req, res, 404, page, st);
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(req.method === "HEAD" ? undefined : "Not found\n");
}

function inside(root, file) {
  const rel = relative(root, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** Serves the folder `root` as a static host does, on a free port of 127.0.0.1. */
export function serve(root) {
  // Symbolic links may not lead out of the site either.
  const realRoot = realpathSync(root);
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
      return res.end("Method not allowed\n");
    }
    const url = new URL(req.url, "http://127.0.0.1");
    let file = fileFor(root, url.pathname);
    if (file === null) return notFound(req, res, root);
    let st = statOrNull(file);
    if (st?.isDirectory()) {
      if (!url.pathname.endsWith("/")) {
        // As static hosts do, so that relative links resolve against the folder.
        res.writeHead(301, { Location: `${url.pathname}/${url.search}` });
        return res.end();
      }
      file = join(file, "index.html");
      st = statOrNull(file);
    }
    if (!st?.isFile() || !inside(realRoot, realpathSync(file))) return notFound(req, res, root);
    sendFile(req, res, 200, file, st);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

/** Stops serving, without waiting for idle keep-alive connections. */
export function stopServing(server) {
  server.closeAllConnections?.();
  server.close();
}

// ---------------------------------------------------------------- browser

/** `$CHROMIUM`, else Debian's /usr/bin/chromium; stops when it is not there. */
export function findChromium() {
  const exe = process.env.CHROMIUM || "/usr/bin/chromium";
  try {
    accessSync(exe, constants.X_OK);
  } catch {
    cannotStart(
      `no browser at ${exe}${process.env.CHROMIUM ? " ($CHROMIUM)" : ""}; ` +
        "install it with `apt-get install -y chromium` or set $CHROMIUM to a Chromium executable",
    );
  }
  return exe;
}

/** playwright-core's `chromium`; stops when the packages are not installed. */
export async function loadPlaywright() {
  try {
    const { chromium } = await import("playwright-core");
    return chromium;
  } catch (e) {
    cannotStart(`cannot load playwright-core (${e.code ?? e.message}); run \`npm ci --prefix tests/browser\``);
  }
}

/** Starts headless Chromium; stops when it cannot. */
export async function launch(chromium, executablePath) {
  try {
    // playwright-core gives every launch a new, empty profile directory.
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (e) {
    cannotStart(`cannot start ${executablePath}: ${e.message.split("\n")[0]}`);
  }
}
