//! Fingerprints against the pages themselves: on the demo site, every
//! entry's file is changed in turn (its name or title edited, then the file
//! removed), and every round file removed, and every page whose HTML
//! changed must have a new fingerprint.
//! A page kind that shows something its inputs leave out fails here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Renderer, global, jobs};
use crate::load::{AsOf, LoadOptions};
use crate::matching::suggestions;
use crate::render::index::Index;
use crate::render::theme::Theme;

/// Every page of the site at `root`, as of the demo's date: its
/// fingerprint and HTML by address. `None` when the site has an error.
fn pages(root: &Path) -> Option<BTreeMap<String, (u64, String)>> {
    let options = LoadOptions {
        root: root.to_path_buf(),
        as_of: AsOf::Date(jiff::civil::date(2026, 11, 23)),
    };
    let loaded = crate::load(&options).expect("the site loads");
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let dir = loaded.directory.public_view();
    let made = suggestions::suggestions(&dir, suggestions::PER_PROFILE);
    let index = Index::new(&dir, loaded.now, Arc::new(made));
    let mut theme = Theme::load(root, &dir.site.theme).expect("the theme loads");
    crate::render::show_site(&mut theme, &dir, false);
    let global = global(&dir, false, theme.digest, 0);
    let renderer = Renderer::new(&index, &theme.tera);
    let pages = jobs(&index)
        .iter()
        .map(|job| {
            let url = renderer.url(job);
            let print = renderer.fingerprint(job, &url, global);
            let (_, html) = renderer.render(job).expect("the page renders");
            (url, (print, html))
        })
        .collect();
    Some(pages)
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("a demo file");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

/// Every entry file of the site, its content and its mirror, and its
/// round files.
fn entry_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["content", "mirror", "rounds"]
        .iter()
        .flat_map(|folder| walkdir::WalkDir::new(root.join(folder)))
        .filter_map(Result::ok)
        .filter(|e| {
            let relative = e.path().strip_prefix(root).unwrap_or(e.path());
            let entry =
                e.path().extension().is_some_and(|x| x == "md") && !relative.starts_with("rounds");
            entry || crate::content::round::place_of(relative).is_some()
        })
        .map(|e| e.path().strip_prefix(root).expect("inside").to_path_buf())
        .collect();
    files.sort();
    files
}

/// The file with its first `name:` or `title:` changed: what every card
/// and list shows of an entry.
fn renamed(text: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|line| {
            if !done && (line.starts_with("name: ") || line.starts_with("title: ")) {
                done = true;
                format!("{line} Renamed")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn every_page_whose_html_changes_has_a_new_fingerprint() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path();
    for part in ["interchange.toml", "content", "mirror", "rounds", "static"] {
        let from = demo.join(part);
        if from.is_dir() {
            copy_folder(&from, &root.join(part));
        } else {
            std::fs::copy(&from, root.join(part)).expect("the config");
        }
    }
    let before = pages(root).expect("the demo site has no error");
    let mut missed = Vec::new();
    let mut changed_pages = 0;
    for file in entry_files(root) {
        let path = root.join(&file);
        let text = std::fs::read_to_string(&path).expect("an entry");
        let edits: [(&str, Option<String>); 2] =
            [("renamed", Some(renamed(&text))), ("removed", None)];
        for (edit, new) in edits {
            match &new {
                Some(new) => std::fs::write(&path, new).expect("the edit"),
                None => std::fs::remove_file(&path).expect("the removal"),
            }
            if let Some(after) = pages(root) {
                for (url, (print, html)) in &after {
                    let Some((old_print, old_html)) = before.get(url) else {
                        continue;
                    };
                    if html != old_html {
                        changed_pages += 1;
                        if print == old_print {
                            missed.push(format!("{} {edit}: {url}", file.display()));
                        }
                    }
                }
            }
            std::fs::write(&path, &text).expect("the file put back");
        }
    }
    assert!(
        changed_pages > 500,
        "only {changed_pages} pages changed: the edits do not reach the pages"
    );
    assert!(
        missed.is_empty(),
        "{} pages changed with the same fingerprint (a page kind shows something its inputs leave out):\n{}",
        missed.len(),
        missed.join("\n")
    );
}

/// The same files make the same fingerprints, load after load: a value in
/// a page's inputs kept in a hashed map (whose order each map chooses
/// afresh) would give another fingerprint each time, and every save would
/// render the whole site again.
#[test]
fn the_same_files_make_the_same_fingerprints_every_time() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let prints = || -> BTreeMap<String, u64> {
        pages(&demo)
            .expect("the demo builds")
            .into_iter()
            .map(|(url, (print, _))| (url, print))
            .collect()
    };
    let first = prints();
    for _ in 0..3 {
        let again = prints();
        let differ: Vec<&String> = first
            .iter()
            .filter(|(url, print)| again.get(*url) != Some(print))
            .map(|(url, _)| url)
            .collect();
        assert!(differ.is_empty(), "fingerprints that moved: {differ:?}");
        assert_eq!(first.len(), again.len());
    }
}

/// A listed card's fields are made from the values every card shares, not
/// from [`crate::render::views::ProfileCard`]: both must give themes the
/// same fields. The demo has profiles with photos and mirrored from
/// another directory; all of them say where they work.
#[test]
fn every_listed_card_has_the_fields_of_a_profile_card() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let options = LoadOptions {
        root: demo.clone(),
        as_of: AsOf::Date(jiff::civil::date(2026, 11, 23)),
    };
    let loaded = crate::load(&options).expect("the demo loads");
    let dir = loaded.directory.public_view();
    let index = Index::new(&dir, loaded.now, Arc::default());
    let theme = Theme::load(&demo, &dir.site.theme).expect("the theme loads");
    let renderer = Renderer::new(&index, &theme.tera);
    let mut kinds = (false, false);
    for (i, profile) in dir.profiles.iter().enumerate() {
        let expected = tera::Value::from_serializable(&index.profile_card(i));
        assert_eq!(renderer.card_fields(i), expected, "{}", profile.slug);
        kinds.0 |= profile.data.photo.is_some();
        kinds.1 |= profile.origin.is_mirror();
    }
    assert_eq!(kinds, (true, true), "the demo has every kind of card");
    let no_location: Option<&str> = None;
    assert_eq!(
        tera::Value::from(no_location),
        tera::Value::from_serializable(&no_location),
        "a card without a location"
    );
}
