//! `interchange serve`: build, serve on the loopback, rebuild on save and
//! reload the browser.
//!
//! The site is built into a folder of its own (never the site's `public/`),
//! served with a small script injected into each page that reloads it after a
//! rebuild: the script is never in `build` output. A save that breaks a file
//! prints the problem and shows it over every page, while the last good pages
//! stay served; the next good save clears it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use generator::content::site::Connections;
use generator::live::{LiveSite, Outcome, Watch, rebuild_on_change};
use generator::render::Progress;
use generator::{BuildOptions, LoadOptions};
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::{LiveReloadLayer, Reloader};

use crate::report;

/// The problems of the last save, shown over every page until fixed.
type Problems = Arc<Mutex<Option<String>>>;

/// Tells the browser to reload as soon as the pages are written (the
/// search index and feeds follow), clearing the problems of an earlier save.
struct Reload<'a> {
    reloader: &'a Reloader,
    problems: &'a Problems,
}

impl Progress for Reload<'_> {
    fn pages_written(&self) {
        set(self.problems, None);
        self.reloader.reload();
    }
}

fn set(problems: &Problems, found: Option<String>) {
    *problems
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = found;
}

/// Builds what the `changed` files (none: only the clock) call for; returns
/// the problems in words, or none when the site built.
fn update(site: &mut LiveSite, changed: &[PathBuf], progress: &Reload<'_>) -> Option<String> {
    update_with(site, changed, progress).0
}

/// [`update`], with the connection limits of the site built (its
/// `[federation]` settings, the defaults without them) when it built.
fn update_with(
    site: &mut LiveSite,
    changed: &[PathBuf],
    progress: &Reload<'_>,
) -> (Option<String>, Option<Connections>) {
    let started = Instant::now();
    let update = site.update(changed, progress);
    let connections = update.directory.as_ref().map(|d| {
        d.site
            .federation
            .as_ref()
            .map(|f| f.connections)
            .unwrap_or_default()
    });
    (report_update(update, started), connections)
}

/// Prints how a build went; returns its problems in words, or none when the
/// site built.
fn report_update(update: generator::live::Update, started: Instant) -> Option<String> {
    if !update.diagnostics.is_empty() {
        report::print_human(&update.diagnostics);
    }
    match update.outcome {
        Outcome::Built(built) => {
            let next = built
                .next_change
                .map(|t| format!("; next change {}", t.strftime("%-d %B %Y %H:%M")))
                .unwrap_or_default();
            println!(
                "Built {} of {} pages in {:.0} ms{next}.",
                built.rendered,
                built.pages,
                started.elapsed().as_secs_f64() * 1e3
            );
            None
        }
        Outcome::Problems => {
            eprintln!("The pages served are from the last good build.");
            let lines: Vec<String> = update
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| match &d.hint {
                    Some(hint) => format!("{d}\n  help: {hint}"),
                    None => d.to_string(),
                })
                .collect();
            Some(lines.join("\n"))
        }
        Outcome::Unreadable(error) => {
            eprintln!("error: {error}");
            Some(error.to_string())
        }
        Outcome::Failed(error) => {
            eprintln!("error: {error}");
            Some(error.to_string())
        }
    }
}

/// Shows the problems of the last save over an HTML page.
async fn overlay(
    problems: axum::extract::State<Problems>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let shown = problems
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let Some(problems) = shown else {
        return response;
    };
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let page = String::from_utf8_lossy(&bytes);
    let escaped = generator::escape::markup(&problems);
    let panel = format!(
        "<div id=\"interchange-problems\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#fff;color:#0b0c0c;border-top:5px solid #d4351c;font:16px/1.4 system-ui,sans-serif;z-index:1000\"><strong>The last save has problems; this page is from the last good build.</strong><pre style=\"white-space:pre-wrap;font-size:14px\">{escaped}</pre></div>"
    );
    let html = match page.rfind("</body>") {
        Some(i) => format!("{}{panel}{}", &page[..i], &page[i..]),
        None => format!("{page}{panel}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// Runs the development server until interrupted.
pub fn run(options: LoadOptions, bind: SocketAddr, open: bool) -> ExitCode {
    let output = std::env::temp_dir()
        .join(format!("interchange-serve-{}", std::process::id()))
        .join("site");
    let build = BuildOptions {
        output: output.clone(),
        base_url: None,
        internal: false,
    };
    let mut site = match LiveSite::open(&options, build) {
        Ok(site) => site,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!(
                "  help: run this inside a site folder (the one holding interchange.toml), or pass --root DIR"
            );
            return ExitCode::FAILURE;
        }
    };
    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let problems: Problems = Arc::new(Mutex::new(None));
    let (first, connections) = update_with(
        &mut site,
        &[],
        &Reload {
            reloader: &reloader,
            problems: &problems,
        },
    );
    set(&problems, first);
    // Read once: a site whose first build fails is served with the defaults.
    let limits = federation::Limits::from_settings(&connections.unwrap_or_default());

    let not_found = output.join("404.html");
    let app = Router::new()
        .fallback_service(ServeDir::new(&output).not_found_service(ServeFile::new(not_found)))
        .layer(middleware::from_fn_with_state(problems.clone(), overlay))
        .layer(middleware::from_fn(federation::no_impossible_paths))
        .layer(livereload);

    // Saves arrive debounced; one thread builds, so builds never overlap.
    let (changes, saved) = mpsc::channel::<Vec<PathBuf>>();
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let watch = match Watch::start(&root, changes, true) {
        Ok(watch) => watch,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let build_problems = problems.clone();
    std::thread::spawn(move || {
        let reload = Reload {
            reloader: &reloader,
            problems: &build_problems,
        };
        rebuild_on_change(&mut site, &saved, |site, changed| {
            let found = update(site, changed, &reload);
            let failed = found.is_some();
            set(&build_problems, found);
            if failed {
                reloader.reload();
            }
        });
    });

    let Some(runtime) = crate::runtime() else {
        return ExitCode::FAILURE;
    };
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind).await?;
        let address = listener.local_addr()?;
        println!("Serving on http://{address}/ (Ctrl+C to stop)");
        if open {
            let _ = std::process::Command::new("xdg-open")
                .arg(format!("http://{address}/"))
                .spawn();
        }
        federation::serve_limited(listener, app, limits, federation::shutdown()).await;
        Ok::<(), std::io::Error>(())
    });
    drop(watch);
    let _ = std::fs::remove_dir_all(output.parent().unwrap_or(&output));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot serve on {bind}: {error}");
            ExitCode::FAILURE
        }
    }
}
