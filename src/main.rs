//! `interchange`: the command line of Interchange.
//!
//! This file parses arguments and hands over to the libraries; `report`
//! turns their diagnostics into what a person or an editor reads.

mod allocator;
mod build;
mod federate;
mod introduce;
mod matching;
mod report;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use generator::{AsOf, LoadOptions};

/// Cross-sector directories of public servants, kept as Markdown in git.
#[derive(Debug, Parser)]
#[command(name = "interchange", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every file of the site and report every problem at once.
    ///
    /// Exits 0 when there is no error (warnings are shown but allowed), 1 when
    /// there is any.
    Check {
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems: `human` for people, `json` (one object a
        /// line) for editors and CI.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Check as of another date (YYYY-MM-DD) or moment, for previews and
        /// reproducible runs.
        #[arg(long, value_name = "DATE")]
        now: Option<AsOf>,
    },
    /// Check the site, then build it into a folder of static files.
    ///
    /// The site is built beside the output and swapped in only when it is
    /// complete: a failed build leaves the last good site as it was.
    Build {
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish at this address instead of the config's `base_url`.
        #[arg(long, value_name = "URL")]
        base_url: Option<url::Url>,
        /// Build the intranet variant, including `visibility: internal` profiles.
        #[arg(long)]
        internal: bool,
        /// Build as of another date (YYYY-MM-DD) or moment: what is upcoming,
        /// open or past.
        #[arg(long, value_name = "DATE")]
        now: Option<AsOf>,
        /// If the output is a folder of other files, move it aside (to
        /// `<output>.before-interchange`) and build in its place.
        #[arg(long)]
        force: bool,
        /// Render and write every page, ignoring what the last build kept
        /// (by default only what changed since is).
        #[arg(long)]
        full: bool,
    },
    /// Build the site and serve it with its ActivityPub documents: the
    /// production server of a directory. It publishes every change to
    /// followers and mirrors the directories in `[federation] follow`.
    Federate {
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; only this machine by default (put a
        /// reverse proxy with TLS in front).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Allow http and localhost addresses, for a test on this machine.
        /// Never in production.
        #[arg(long)]
        insecure_local: bool,
    },
    /// Publish what changed since the last time to followers, once: for a
    /// site edited and built away from its server (which shares its database).
    Publish {
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Allow http and localhost addresses, for a test on this machine.
        /// Never in production.
        #[arg(long)]
        insecure_local: bool,
    },
    /// Copy the site's database (its key pair, followers, deliveries still
    /// to make, what was published, the directories followed and the
    /// introductions sent) into a new, empty one, such as PostgreSQL. Stop
    /// the server first; then point `[federation] database` at the copy.
    CopyDatabase {
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The database to copy into, e.g.
        /// `postgres://interchange@db.example.gov.uk/interchange`; its
        /// tables are made, and it must hold no rows yet.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Build, serve on this machine, and rebuild and reload the browser on every save.
    Serve {
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port (0 for any free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; only this machine by default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new site that checks and builds at once.
    Init {
        /// The folder to create it in.
        dir: PathBuf,
        /// The organisation the site speaks for.
        #[arg(long, default_value = "Your organisation")]
        organisation: String,
    },
    /// Make a month's matching round over the whole directory (mirrored
    /// profiles included): buddy pairs or job swaps, written to
    /// rounds/<month>.yaml with a readable summary beside it.
    Match {
        #[command(subcommand)]
        round: Round,
    },
    /// Introduce each group of a month's buddy round to each other, by one
    /// email to each group. What was sent is recorded in the database, so
    /// running it again sends only what was not.
    Introduce(introduce::Args),
    /// Write the browser editor (Decap CMS, in static/admin/, at /admin/ on
    /// the site) and the JSON Schema of entries' front matter
    /// (content.schema.json), made from the content format and this site's
    /// vocabulary. Run it again after changing [vocabulary].
    Cms {
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Save edits to this GitHub repository [default: Netlify's Git
        /// Gateway].
        #[arg(long, value_name = "OWNER/NAME", conflicts_with = "gitlab")]
        github: Option<String>,
        /// Save edits to this GitLab project.
        #[arg(long, value_name = "GROUP/NAME")]
        gitlab: Option<String>,
        /// The branch edits are committed to.
        #[arg(long, default_value = "main")]
        branch: String,
    },
    /// Print the JSON Schema of entries' front matter, with the default
    /// policy areas, or a site's with --root.
    Schema {
        /// A site folder whose vocabulary to use.
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Write a new entry with every required field, named after NAME.
    New {
        /// What kind of entry.
        #[arg(value_enum)]
        kind: NewKind,
        /// Its name or title; the file name is made from it.
        name: String,
        /// The site folder, holding interchange.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// The rounds `match` makes.
#[derive(Debug, Subcommand)]
enum Round {
    /// Pair everyone open to a buddy with someone from another sector, by
    /// the policy areas and interests they share; no pair of a recent round
    /// is repeated.
    Buddies {
        #[command(flatten)]
        common: matching::Run,
        /// How many earlier rounds a pair may not repeat.
        #[arg(long, default_value_t = 6)]
        lookback: usize,
        /// How pairs are chosen: `auto` is exact up to 3,000 people.
        #[arg(long, value_enum, default_value_t = PairingMethod::Auto)]
        method: PairingMethod,
    },
    /// Find job swaps in which everyone who moves is replaced by someone
    /// coming the other way, placing as many people as possible.
    Swaps {
        #[command(flatten)]
        common: matching::Run,
        /// The most people in one exchange: 2 (straight swaps only) or 3.
        #[arg(long, default_value_t = 3)]
        max_cycle: usize,
        /// How long each search may take (the most people placed, then the
        /// best suited, for each group of people who could swap with each
        /// other) before the best it has found is taken; the summary says
        /// whether that is proven best, or how close to it.
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        time_limit: f64,
    },
}

/// How buddy pairs are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PairingMethod {
    /// Exact up to 3,000 people, approximate beyond.
    Auto,
    /// Maximum-weight matching by the blossom algorithm.
    Exact,
    /// Greedy by weight, then local improvement.
    Approximate,
}

impl From<PairingMethod> for generator::matching::pairing::Method {
    fn from(method: PairingMethod) -> Self {
        match method {
            PairingMethod::Auto => Self::Auto,
            PairingMethod::Exact => Self::Exact,
            PairingMethod::Approximate => Self::Approximate,
        }
    }
}

/// The kinds of entry `new` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NewKind {
    Profile,
    Event,
    Consultation,
    Ask,
    Page,
    Organisation,
    Programme,
}

impl From<NewKind> for generator::Kind {
    fn from(kind: NewKind) -> Self {
        match kind {
            NewKind::Profile => generator::Kind::Profile,
            NewKind::Event => generator::Kind::Event,
            NewKind::Consultation => generator::Kind::Consultation,
            NewKind::Ask => generator::Kind::Ask,
            NewKind::Page => generator::Kind::Page,
            NewKind::Organisation => generator::Kind::Organisation,
            NewKind::Programme => generator::Kind::Programme,
        }
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Explained, with the lines in question.
    Human,
    /// One JSON object a line.
    Json,
}

/// The async runtime the servers run on, or `None` having said why.
fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => Some(runtime),
        Err(error) => {
            eprintln!("error: cannot start the server: {error}");
            None
        }
    }
}

fn main() -> ExitCode {
    allocator::configure();
    let cli = Cli::parse();
    match cli.command {
        Command::Check { root, format, now } => {
            let options = LoadOptions {
                root,
                as_of: now.unwrap_or_default(),
            };
            report::check(&options, format == Format::Json)
        }
        Command::Build {
            root,
            output,
            base_url,
            internal,
            now,
            force,
            full,
        } => {
            let options = LoadOptions {
                root: root.clone(),
                as_of: now.unwrap_or_default(),
            };
            // The rule `check` applies to `base_url`, for the address
            // given instead.
            if let Some(problem) = base_url
                .as_ref()
                .and_then(generator::content::site::unpublishable)
            {
                eprintln!(
                    "error: --base-url: {problem}\n  help: {}",
                    generator::content::site::PUBLISH_AT_A_ROOT
                );
                return ExitCode::FAILURE;
            }
            let build = generator::BuildOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                base_url,
                internal,
            };
            build::run(&options, &build, force, full)
        }
        Command::Federate {
            root,
            listen,
            insecure_local,
        } => federate::run(root, listen, insecure_local),
        Command::Publish {
            root,
            insecure_local,
        } => federate::publish(root, insecure_local),
        Command::CopyDatabase { root, to } => federate::copy_database(&root, &to),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => serve::run(
            LoadOptions::new(root),
            std::net::SocketAddr::new(bind, port),
            open,
        ),
        Command::Init { dir, organisation } => {
            let today = jiff::Zoned::now().date();
            match generator::scaffold::init(&dir, &organisation, today) {
                Ok(files) => {
                    println!(
                        "Created a site in {} with {} files.",
                        dir.display(),
                        files.len()
                    );
                    println!("Next: cd {} && interchange build", dir.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Match { round } => match round {
            Round::Buddies {
                common,
                lookback,
                method,
            } => matching::buddies(&common, lookback, method.into()),
            Round::Swaps {
                common,
                max_cycle,
                time_limit,
            } => matching::swaps(&common, max_cycle, time_limit),
        },
        Command::Introduce(args) => introduce::run(&args),
        Command::Cms {
            root,
            github,
            gitlab,
            branch,
        } => cms(&root, github, gitlab, branch),
        Command::Schema { root } => {
            let vocabulary = match root {
                Some(root) => {
                    let Some(loaded) = report::load(&LoadOptions::new(root)) else {
                        return ExitCode::FAILURE;
                    };
                    loaded.directory.site.vocabulary
                }
                None => generator::content::Vocabulary::default(),
            };
            print!("{}", generator::schema::json_schema_text(&vocabulary));
            ExitCode::SUCCESS
        }
        Command::New { kind, name, root } => {
            let Some(loaded) = report::load(&LoadOptions::new(root.clone())) else {
                return ExitCode::FAILURE;
            };
            let site = &loaded.directory.site;
            let today = loaded.now.to_zoned(site.time_zone()).date();
            let organisation = site
                .organisations
                .first()
                .map_or("your-organisation", String::as_str);
            match generator::scaffold::new_entry(&root, kind.into(), &name, organisation, today) {
                Ok(path) => {
                    println!("Wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `interchange cms`: writes the browser editor for the site at `root`.
fn cms(root: &Path, github: Option<String>, gitlab: Option<String>, branch: String) -> ExitCode {
    use generator::cms::Backend;
    let backend = match (github, gitlab) {
        (Some(repo), _) => Backend::GitHub(repo),
        (_, Some(repo)) => Backend::GitLab(repo),
        _ => Backend::GitGateway,
    };
    let named = |repo: &str| {
        repo.contains('/')
            && repo
                .split('/')
                .all(|part| !part.is_empty() && !part.contains(char::is_whitespace))
    };
    if let Backend::GitHub(repo) | Backend::GitLab(repo) = &backend
        && !named(repo)
    {
        eprintln!("error: name the repository as owner/name, like `leeds-city-council/directory`");
        return ExitCode::FAILURE;
    }
    let Some(loaded) = report::load(&LoadOptions::new(root.to_path_buf())) else {
        return ExitCode::FAILURE;
    };
    let editor = generator::cms::Editor {
        site: &loaded.directory.site,
        directory: Some(&loaded.directory),
        backend,
        branch,
    };
    match generator::cms::write(root, &editor) {
        Ok(files) => {
            for file in files {
                println!("Wrote {}", root.join(file).display());
            }
            println!(
                "Edit the site at /admin/ once it is built and published; on this machine, run `npx decap-server` in {} beside `interchange serve`.",
                root.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "error: cannot write the editor into {}: {error}",
                root.display()
            );
            ExitCode::FAILURE
        }
    }
}
