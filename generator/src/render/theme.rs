//! The theme: templates and static files, built in and overridable.
//!
//! The default theme is compiled into the binary, so a site needs no theme
//! folder. A site with `theme = "NAME"` may replace any file of it, or add
//! files, under `themes/NAME/templates/` and `themes/NAME/static/`.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use super::BuildError;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../themes/default");

/// The compiled templates and the static files to copy.
pub struct Theme {
    /// Every template, compiled once.
    pub tera: tera::Tera,
    /// Static files: where they go in the site, and their bytes.
    pub assets: Vec<(PathBuf, Vec<u8>)>,
    /// A hash of every template: pages made with another theme differ.
    pub digest: u64,
}

impl Theme {
    /// The theme of the site at `root`: the default one, with the files of
    /// `themes/<name>/` laid over it.
    pub fn load(root: &Path, name: &str) -> Result<Self, BuildError> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut assets: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
            for file in files(dir) {
                let name = relative(file.path(), "templates");
                let text = String::from_utf8_lossy(file.contents());
                let text = if name.ends_with(".html") {
                    unindent(&text)
                } else {
                    text.into_owned()
                };
                templates.push((name, text));
            }
        }
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            for file in files(dir) {
                assets.push((
                    PathBuf::from(relative(file.path(), "static")),
                    file.contents().to_vec(),
                ));
            }
        }
        if name != "default" {
            let folder = root.join("themes").join(name);
            for (path, bytes) in read_folder(&folder.join("templates"))? {
                let text = String::from_utf8(bytes).map_err(|_| BuildError::Theme {
                    message: format!(
                        "themes/{name}/templates/{} is not UTF-8 text",
                        path.display()
                    ),
                })?;
                let key = path.to_string_lossy().replace('\\', "/");
                templates.retain(|(existing, _)| *existing != key);
                templates.push((key, text));
            }
            for (path, bytes) in read_folder(&folder.join("static"))? {
                assets.retain(|(existing, _)| *existing != path);
                assets.push((path, bytes));
            }
        }
        let digest = crate::fingerprint::of(&templates);
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        // The same escaping as text written outside templates, which also
        // drops characters no page or feed may hold.
        tera.set_escape_fn(crate::escape::write_markup);
        tera.add_raw_templates(templates)
            .map_err(|e| BuildError::Theme {
                message: error_text(&e),
            })?;
        Ok(Self {
            tera,
            assets,
            digest,
        })
    }
}

/// A template of the default theme without the indentation of its lines,
/// which is there for people reading the template: in a page it is only
/// bytes (some 4 % of a profile page), since a browser reads a run of spaces
/// after a line break as the line break. Spaces at the start of a line are
/// left inside a Tera tag (`{{ … }}`, `{% … %}`, `{# … #}`), whose strings
/// may hold them, and inside `<pre>`, `<textarea>`, `<script>` and `<style>`;
/// values put into the page (bodies among them) are never touched, nor are
/// line breaks, so an error names the template's own line.
fn unindent(template: &str) -> String {
    const TERA: [(&str, &str); 3] = [("{{", "}}"), ("{%", "%}"), ("{#", "#}")];
    const VERBATIM: [(&str, &str); 4] = [
        ("<pre", "</pre"),
        ("<textarea", "</textarea"),
        ("<script", "</script"),
        ("<style", "</style"),
    ];
    fn opens(rest: &str, tag: &str) -> bool {
        rest.get(..tag.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(tag))
            && rest[tag.len()..]
                .chars()
                .next()
                .is_none_or(|c| c == '>' || c == '/' || c.is_ascii_whitespace())
    }
    let mut out = String::with_capacity(template.len());
    let mut in_tera: Option<&str> = None;
    let mut in_verbatim: Option<&str> = None;
    let mut i = 0;
    'text: while let Some(rest) = template.get(i..).filter(|rest| !rest.is_empty()) {
        if let Some(end) = in_tera {
            if rest.starts_with(end) {
                in_tera = None;
                out.push_str(end);
                i += end.len();
                continue;
            }
        } else {
            for (open, close) in TERA {
                if rest.starts_with(open) {
                    in_tera = Some(close);
                    out.push_str(open);
                    i += open.len();
                    continue 'text;
                }
            }
            match in_verbatim {
                Some(end) if opens(rest, end) => in_verbatim = None,
                None => {
                    in_verbatim = VERBATIM
                        .iter()
                        .find(|(open, _)| opens(rest, open))
                        .map(|(_, close)| *close);
                }
                Some(_) => {}
            }
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        i += c.len_utf8();
        if c == '\n' && in_tera.is_none() && in_verbatim.is_none() {
            let indent = template[i..]
                .bytes()
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count();
            i += indent;
        }
    }
    out
}

/// Every file under an embedded folder, depth first.
fn files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File<'_>> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(files(sub));
    }
    out
}

fn relative(path: &Path, prefix: &str) -> String {
    path.strip_prefix(prefix)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A file under a folder on disk: its path relative to the folder, where
/// it is, and its size and time, as listed.
pub(super) struct Listed {
    /// Relative to the folder.
    pub path: PathBuf,
    /// Where it is.
    pub full: PathBuf,
    /// Its size and time (in nanoseconds since 1970), for fingerprints.
    pub stamp: (u64, u128),
}

/// Every file under a folder on disk, in name order. A link is followed
/// while it stays inside the folder; one leading out of it, to nothing, or
/// round in a loop is left out (`check` names it), so nothing outside the
/// site is ever published.
pub(super) fn list_folder(folder: &Path) -> Vec<Listed> {
    if !folder.is_dir() {
        return Vec::new();
    }
    let inside = folder
        .canonicalize()
        .unwrap_or_else(|_| folder.to_path_buf());
    let mut out = Vec::new();
    let mut walk = WalkDir::new(folder)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter();
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else {
            continue;
        };
        if entry.path_is_symlink()
            && !entry
                .path()
                .canonicalize()
                .is_ok_and(|target| target.starts_with(&inside))
        {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let stamp = entry.metadata().map_or((0, 0), |m| {
            let time = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            (m.len(), time)
        });
        let path = entry
            .path()
            .strip_prefix(folder)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| entry.path().to_path_buf());
        out.push(Listed {
            path,
            full: entry.path().to_path_buf(),
            stamp,
        });
    }
    out
}

/// Every file under a folder on disk (as [`list_folder`] lists them), as
/// (path relative to it, bytes).
pub(super) fn read_folder(folder: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, BuildError> {
    list_folder(folder)
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(&file.full).map_err(|source| BuildError::Io {
                path: file.full.clone(),
                source,
            })?;
            Ok((file.path, bytes))
        })
        .collect()
}

/// A Tera error with its causes, which hold the template, line and column.
pub fn error_text(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push('\n');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn indentation_goes_but_not_inside_tags_pre_or_script() {
        let template = "<ul>\n  <li>{{ a }}</li>\n\t<li>{% if x %}\n    {{ \"  kept\n  kept\" }}{% endif %}</li>\n  <pre>\n  kept\n  </pre>\n  <script>\n  kept\n</script>\n  <p>é\n  done</p>\n";
        assert_eq!(
            unindent(template),
            "<ul>\n<li>{{ a }}</li>\n<li>{% if x %}\n{{ \"  kept\n  kept\" }}{% endif %}</li>\n<pre>\n  kept\n  </pre>\n<script>\n  kept\n</script>\n<p>é\ndone</p>\n"
        );
    }

    #[test]
    fn unindenting_keeps_every_line_of_the_default_theme() {
        // So that an error in a template names the line it is on.
        for file in files(DEFAULT_THEME.get_dir("templates").expect("templates")) {
            let text = String::from_utf8_lossy(file.contents());
            assert_eq!(unindent(&text).lines().count(), text.lines().count());
        }
    }

    #[test]
    fn a_link_out_of_the_folder_is_never_copied() {
        let site = tempfile::tempdir().expect("a folder");
        let outside = tempfile::tempdir().expect("a folder");
        std::fs::write(outside.path().join("secret.txt"), "secret").expect("written");
        let folder = site.path().join("static");
        std::fs::create_dir_all(&folder).expect("a folder");
        std::fs::write(folder.join("logo.svg"), "<svg/>").expect("written");
        std::fs::write(folder.join("kept.txt"), "kept").expect("written");
        std::os::unix::fs::symlink(folder.join("kept.txt"), folder.join("alias.txt"))
            .expect("a link");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), folder.join("leak.txt"))
            .expect("a link");
        std::os::unix::fs::symlink(outside.path(), folder.join("elsewhere")).expect("a link");
        let read: Vec<String> = read_folder(&folder)
            .expect("read")
            .into_iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        assert_eq!(read, ["alias.txt", "kept.txt", "logo.svg"]);
    }
}
