//! Links between entries written in Markdown bodies.
//!
//! An editor links to another entry by its file, either from the content root
//! (`@/profiles/priya-shah.md`, as in Zola) or relative to the file they are
//! editing (`../profiles/priya-shah.md`). The checker reports links to entries
//! that do not exist; the renderer turns the rest into page URLs. Both go
//! through [`entry_link`], so what checks clean renders.
//!
//! A mirrored entry's links are its own directory's: there `@/` is the
//! root of that directory's folder, `mirror/<host>/`, and an entry linked to
//! is known by its key, `<host>/<slug>`.

use std::path::{Component, Path, PathBuf};

use super::Kind;

/// An entry a link points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryLink {
    /// The kind of entry.
    pub kind: Kind,
    /// Its key (see [`super::Entry::slug`]).
    pub slug: String,
    /// A `#fragment`, without the `#`.
    pub fragment: Option<String>,
}

/// What a link destination names: an entry, or `None` for anything else (a
/// web address, `mailto:`, an anchor on the same page, a file under static/).
/// `from` is the path of the file the link is in, relative to the site root.
/// A link that looks like an entry file but cannot be one is an `Err` with
/// the reason.
pub fn entry_link(destination: &str, from: &Path) -> Option<Result<EntryLink, String>> {
    let (path, fragment) = match destination.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (destination, None),
    };
    let relative = if let Some(rest) = path.strip_prefix("@/") {
        content_root(from).join(rest)
    } else if path.ends_with(".md") && !path.contains("://") && !path.starts_with('/') {
        from.parent().unwrap_or(Path::new("")).join(path)
    } else {
        return None;
    };
    let mut parts: Vec<String> = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    let shown = destination.to_string();
    let entry = match parts.as_slice() {
        [top, folder, file] if top == "content" => Kind::from_folder(folder)
            .zip(file.strip_suffix(".md"))
            .map(|(kind, slug)| (kind, slug.to_string())),
        [top, host, folder, file] if top == "mirror" && super::is_host(host) => {
            Kind::from_folder(folder)
                .zip(file.strip_suffix(".md"))
                .map(|(kind, slug)| (kind, super::mirrored_key(host, slug)))
        }
        _ => None,
    };
    Some(match entry {
        Some((kind, slug)) => Ok(EntryLink {
            kind,
            slug,
            fragment,
        }),
        None => Err(format!(
            "`{shown}` is not the file of an entry: link to one as `@/profiles/priya-shah.md`"
        )),
    })
}

/// Where `@/` leads from the file at `from`: `content/`, or the mirrored
/// directory's own folder for one of its entries.
fn content_root(from: &Path) -> PathBuf {
    let mut parts = from.iter();
    match (parts.next(), parts.next()) {
        (Some(top), Some(host)) if top == "mirror" => Path::new(top).join(host),
        _ => PathBuf::from("content"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(destination: &str) -> Option<Result<EntryLink, String>> {
        entry_link(destination, Path::new("content/events/open-day.md"))
    }

    fn entry(kind: Kind, slug: &str, fragment: Option<&str>) -> Option<Result<EntryLink, String>> {
        Some(Ok(EntryLink {
            kind,
            slug: slug.into(),
            fragment: fragment.map(Into::into),
        }))
    }

    #[test]
    fn links_from_the_content_root() {
        assert_eq!(
            link("@/profiles/priya-shah.md"),
            entry(Kind::Profile, "priya-shah", None)
        );
        assert_eq!(
            link("@/pages/about.md#contact"),
            entry(Kind::Page, "about", Some("contact"))
        );
    }

    #[test]
    fn links_relative_to_the_file() {
        assert_eq!(
            link("../profiles/priya-shah.md"),
            entry(Kind::Profile, "priya-shah", None)
        );
        assert_eq!(link("other-day.md"), entry(Kind::Event, "other-day", None));
    }

    #[test]
    fn a_mirrored_entrys_links_stay_in_its_directory() {
        let from = Path::new("mirror/fire.example.gov.uk/events/open-day.md");
        let expected = entry(Kind::Profile, "fire.example.gov.uk/callum-reid", None);
        assert_eq!(entry_link("@/profiles/callum-reid.md", from), expected);
        assert_eq!(entry_link("../profiles/callum-reid.md", from), expected);
    }

    #[test]
    fn other_links_are_not_entries() {
        assert_eq!(link("https://example.gov.uk/a.md"), None);
        assert_eq!(link("mailto:a@b.gov.uk"), None);
        assert_eq!(link("#section"), None);
        assert_eq!(link("/profiles/"), None);
    }

    #[test]
    fn impossible_entry_links_are_errors() {
        assert!(matches!(link("@/people/priya.md"), Some(Err(_))));
        assert!(matches!(link("../../README.md"), Some(Err(_))));
    }
}
