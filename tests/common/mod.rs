//! What the end-to-end tests share: running the built binary, and writing
//! small sites.

#![allow(dead_code)] // each test file uses its own part

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `interchange` binary under test.
pub fn interchange(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interchange"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// The repository, whose root is the demo site.
pub fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the site at `root` into `output` as of 23 November 2026.
pub fn build(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("a UTF-8 path"),
        "--output",
        output.to_str().expect("a UTF-8 path"),
        "--now",
        "2026-11-23",
    ];
    args.extend_from_slice(extra);
    interchange(&args)
}

/// Writes `text` at `path` under `root`, making folders as needed.
pub fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    fs::write(path, text).expect("written");
}

/// The config of a small site with one organisation, `acme`.
pub const SMALL_CONFIG: &str =
    "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n";

/// A small site: its config and its organisation.
pub fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "interchange.toml", SMALL_CONFIG);
    write(
        dir.path(),
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\n---\nAbout.\n",
    );
    dir
}
