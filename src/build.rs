//! `interchange build`: check, then render, with progress on a terminal.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use generator::render::{Progress, Quiet};
use generator::{BuildOptions, LoadOptions};
use indicatif::{ProgressBar, ProgressStyle};

use crate::report;

/// Builds below this many pages finish too fast for a bar to help.
const BAR_FROM_PAGES: usize = 2_000;

/// A progress bar on a terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, pages: usize) {
        self.0.set_length(pages as u64);
        if pages < BAR_FROM_PAGES {
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
    }

    fn advance(&self) {
        self.0.inc(1);
    }
}

/// Checks and builds; exit 1 on any error, with the last good site kept.
/// With `force`, an output folder of other files is moved aside first.
/// Only what changed since the last build is rendered, unless `full`.
pub fn run(options: &LoadOptions, build: &BuildOptions, force: bool, full: bool) -> ExitCode {
    let started = Instant::now();
    if force && generator::render::refuses(&build.output) {
        match generator::render::move_aside(&build.output) {
            Ok(aside) => eprintln!(
                "{} held other files: moved to {}, untouched.",
                build.output.display(),
                aside.display()
            ),
            Err(error) => {
                eprintln!(
                    "error: cannot move {} aside: {error}",
                    build.output.display()
                );
                return ExitCode::FAILURE;
            }
        }
    }
    let keep = generator::Keep {
        folder: build.cache_folder(),
        reuse: !full,
        settled: generator::Keep::SETTLED,
    };
    // What the last build kept is read while the files are: neither needs
    // the other, and each has parts that take one core.
    let (loaded, memory) = std::thread::scope(|scope| {
        let memory = scope.spawn(|| {
            if full {
                generator::Memory::full_build()
            } else {
                generator::Memory::last_build(build)
            }
        });
        let loaded = generator::load_keeping(options, &keep);
        // A panic reading the state is a build from nothing, not a crash.
        let memory = memory
            .join()
            .unwrap_or_else(|_| generator::Memory::full_build());
        (loaded, memory)
    });
    let Some(loaded) = report::loaded(loaded) else {
        return ExitCode::FAILURE;
    };
    if !loaded.diagnostics.is_empty() {
        report::print_human(&loaded.diagnostics);
    }
    if loaded.diagnostics.has_errors() {
        eprintln!("{}", report::summary(&loaded.diagnostics, loaded.files));
        eprintln!(
            "The site was not built; {} is as it was.",
            build.output.display()
        );
        return ExitCode::FAILURE;
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} pages")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar(bar)
    });
    let progress: &dyn Progress = match &bar {
        Some(bar) => bar,
        None => &Quiet,
    };
    let result = generator::build_with(
        &loaded.directory,
        &options.root,
        loaded.now,
        build,
        memory,
        progress,
    );
    if let Some(bar) = &bar {
        bar.0.finish_and_clear();
    }
    // The process ends after the build, and frees the directory with it.
    std::mem::forget(loaded);
    match result {
        Ok(built) => {
            let pages = if built.rendered == 0 {
                format!(
                    "{} pages (none had changed since the last build)",
                    built.pages
                )
            } else if built.rendered < built.pages {
                format!(
                    "{} pages ({} rendered; the others had not changed since the last build)",
                    built.pages, built.rendered
                )
            } else {
                format!("{} pages", built.pages)
            };
            println!(
                "Built {pages} and {} files into {} in {:.2} s.",
                built.files,
                build.output.display(),
                started.elapsed().as_secs_f64()
            );
            if let Some(next) = &built.next_change {
                println!(
                    "The site changes next on {} (an event or consultation date): build again then.",
                    next.strftime("%A %-d %B %Y at %H:%M %Z")
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!(
                "The site was not built; {} is as it was.",
                build.output.display()
            );
            ExitCode::FAILURE
        }
    }
}
