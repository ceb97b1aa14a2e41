//! An editor in the browser: the configuration of Decap CMS, made from the
//! content model ([`crate::content::model`]) and the site's vocabulary, so
//! that a comms officer can add and change entries through forms that
//! offer only what `interchange check` accepts.
//!
//! Decap CMS is a single page (`static/admin/index.html`, built to
//! `/admin/`) that reads `config.yml` beside it and commits to the site's
//! repository through the git host's API, or to the working copy on this
//! machine through `npx decap-server`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::content::model::{self, Field, Shape};
use crate::content::vocabulary::capitalised;
use crate::content::{Directory, Kind, Site, Vocabulary};

/// The folder, under the site's, that holds the editor.
pub const FOLDER: &str = "static/admin";

/// The Decap CMS release the page loads, and the digest of its file, so
/// that the browser runs that file or nothing.
pub const DECAP_VERSION: &str = "3.16.3";
/// The Subresource Integrity digest of `decap-cms.js` at [`DECAP_VERSION`].
pub const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the CMS commits what is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// GitHub, by `owner/name`.
    GitHub(String),
    /// GitLab, by `group/name`.
    GitLab(String),
    /// Netlify's Git Gateway, with Netlify Identity for sign-in.
    GitGateway,
}

/// What the editor is made from.
pub struct Editor<'a> {
    /// The site's settings: its title, address and vocabulary.
    pub site: &'a Site,
    /// The directory as it stands, for the interests already in use.
    pub directory: Option<&'a Directory>,
    /// Where saves go.
    pub backend: Backend,
    /// The branch saves are committed to.
    pub branch: String,
}

/// The files of the editor, with the JSON Schema of the front matter for
/// editors of the files themselves, as (path under the site, contents).
pub fn files(editor: &Editor<'_>) -> Vec<(String, String)> {
    vec![
        (
            format!("{FOLDER}/index.html"),
            index_html(&editor.site.title),
        ),
        (format!("{FOLDER}/config.yml"), config_yml(editor)),
        (
            crate::schema::FILE.to_string(),
            crate::schema::json_schema_text(&editor.site.vocabulary),
        ),
    ]
}

/// Writes the editor's files into the site at `root`; returns their paths
/// under it.
pub fn write(root: &Path, editor: &Editor<'_>) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (path, text) in files(editor) {
        let full = root.join(&path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::files::write_atomically(&full, text.as_bytes())?;
        written.push(PathBuf::from(path));
    }
    Ok(written)
}

fn index_html(title: &str) -> String {
    let title = crate::escape::markup(title);
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Edit {title}</title>
</head>
<body>
<noscript>The editor needs JavaScript. The entries are Markdown files in the site's repository, under content/, and can be edited there.</noscript>
<script src="https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js" integrity="{DECAP_INTEGRITY}" crossorigin="anonymous"></script>
</body>
</html>
"#
    )
}

/// Decap's `config.yml`.
pub fn config_yml(editor: &Editor<'_>) -> String {
    let backend = match &editor.backend {
        Backend::GitHub(repo) => json!({ "name": "github", "repo": repo, "branch": editor.branch }),
        Backend::GitLab(repo) => json!({ "name": "gitlab", "repo": repo, "branch": editor.branch }),
        Backend::GitGateway => json!({ "name": "git-gateway", "branch": editor.branch }),
    };
    let vocabulary = &editor.site.vocabulary;
    let interests = interests_in_use(editor.directory);
    let collections: Vec<Value> = Kind::ALL
        .iter()
        .map(|&kind| collection(kind, vocabulary, &interests))
        .collect();
    let site_url = editor.site.base_url.as_str().trim_end_matches('/');
    let config = json!({
        "backend": backend,
        // On this machine (localhost), `npx decap-server` in the site's
        // folder saves to the working copy instead.
        "local_backend": true,
        "site_url": site_url,
        "display_url": site_url,
        "locale": "en",
        // Photos and logos are files under static/, named in front matter
        // by their path there.
        "media_folder": "static/images",
        "public_folder": "images",
        "slug": { "encoding": "ascii", "clean_accents": true },
        "collections": collections,
    });
    let yaml = serde_saphyr::to_string(&config).unwrap_or_default();
    format!(
        "# The browser editor's settings, made by `interchange cms` from the content\n# format and this site's vocabulary: run it again after changing\n# [vocabulary] in interchange.toml, rather than editing this file.\n{yaml}"
    )
}

/// The interests profiles already give, most used first, so that the form
/// can suggest words people share.
fn interests_in_use(directory: Option<&Directory>) -> Vec<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for profile in directory.into_iter().flat_map(|d| &d.profiles) {
        for interest in &profile.data.interests {
            *counts.entry(interest.as_str()).or_default() += 1;
        }
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    counts
        .into_iter()
        .map(|(i, _)| i.to_string())
        .take(20)
        .collect()
}

fn collection(kind: Kind, vocabulary: &Vocabulary, interests: &[String]) -> Value {
    let identifier =
        if kind == Kind::Organisation || kind == Kind::Profile || kind == Kind::Programme {
            "name"
        } else {
            "title"
        };
    let mut widgets: Vec<Value> = model::fields_of(kind)
        .iter()
        .chain(model::COMMON)
        .map(|field| widget(field, vocabulary, interests))
        .collect();
    widgets.push(json!({
        "label": "Text of the page",
        "name": "body",
        "widget": "markdown",
        "required": false,
        "hint": "Markdown: a blank line between paragraphs, - at the start of each item of a list.",
    }));
    let label = capitalised(kind.folder());
    json!({
        "name": kind.folder(),
        "label": label,
        "label_singular": capitalised(kind.name()),
        "folder": format!("content/{}", kind.folder()),
        "create": true,
        "extension": "md",
        "format": "frontmatter",
        "identifier_field": identifier,
        "slug": format!("{{{{{identifier}}}}}"),
        "fields": widgets,
    })
}

/// A field's label: the model's, else its name in words.
fn label(field: &Field) -> String {
    field.label.map_or_else(
        || capitalised(&field.name.replace('_', " ")),
        str::to_string,
    )
}

fn widget(field: &Field, vocabulary: &Vocabulary, interests: &[String]) -> Value {
    let mut widget = shape(&field.shape, field, vocabulary, interests);
    widget["label"] = json!(label(field));
    widget["name"] = json!(field.name);
    let mut hint = capitalised(field.about);
    if matches!(field.shape, Shape::List(Shape::Interest)) && !interests.is_empty() {
        hint.push_str(&format!(" Already used here: {}.", interests.join(", ")));
    }
    widget["hint"] = json!(hint);
    if !field.required {
        widget["required"] = json!(false);
    }
    if let Some(default) = field.default {
        widget["default"] = match field.shape {
            Shape::Boolean => json!(default == "true"),
            Shape::Number { .. } => json!(default.parse::<u32>().unwrap_or(0)),
            _ => json!(default),
        };
    }
    widget
}

fn options<'a>(values: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    values
        .map(|(value, label)| json!({ "label": label, "value": value }))
        .collect()
}

fn pattern(regex: &str, message: &str) -> Value {
    json!([regex, message])
}

fn shape(shape: &Shape, field: &Field, vocabulary: &Vocabulary, interests: &[String]) -> Value {
    let slug = pattern(
        "^[a-z0-9]+(-[a-z0-9]+)*$",
        "lower-case letters, digits and single hyphens, like yorkshire-and-the-humber",
    );
    match shape {
        Shape::Text | Shape::Host | Shape::RepeatRule => json!({ "widget": "string" }),
        Shape::Slug | Shape::Interest => json!({ "widget": "string", "pattern": slug }),
        // An empty default: a date nobody chose must not be filled in with
        // today's (a consent date above all).
        Shape::Date => json!({
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": false,
            "default": "",
        }),
        Shape::DateTime | Shape::DateOrTime => json!({
            "widget": "datetime",
            "format": "YYYY-MM-DDTHH:mm",
            "date_format": "YYYY-MM-DD",
            "time_format": "HH:mm",
            "default": "",
        }),
        Shape::Boolean => json!({ "widget": "boolean" }),
        Shape::Number { min, max } => json!({
            "widget": "number",
            "value_type": "int",
            "min": min,
            "max": max,
        }),
        Shape::Link(schemes) => json!({
            "widget": "string",
            "pattern": pattern(
                &format!("^({}):", schemes.join("|")),
                &format!("a full address, starting {}", schemes.iter().map(|s| format!("{s}:")).collect::<Vec<_>>().join(" or ")),
            ),
        }),
        Shape::Email => json!({
            "widget": "string",
            "pattern": pattern("^[^@\\s]+@[^@\\s]+$", "an email address, like priya.shah@leeds.gov.uk"),
        }),
        Shape::File => json!({ "widget": "image", "choose_url": false }),
        Shape::Language => json!({
            "widget": "string",
            "pattern": pattern("^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$", "a language tag: en, cy, gd, pa, pt-BR"),
        }),
        Shape::Handle => json!({
            "widget": "string",
            "pattern": pattern("^@[^@\\s]+@[^@\\s]+$", "a handle like @priya@social.example"),
        }),
        Shape::Choice(values) => {
            json!({ "widget": "select", "options": options(values.iter().copied()) })
        }
        Shape::PolicyArea => {
            json!({ "widget": "select", "options": options(vocabulary.policy_areas()) })
        }
        Shape::Audience => json!({
            "widget": "select",
            "options": options(crate::content::audience::labelled().into_iter()),
        }),
        Shape::Entry(kind) => relation(*kind),
        Shape::List(item) => match item {
            Shape::Choice(_) | Shape::PolicyArea | Shape::Audience | Shape::Entry(_) => {
                let mut widget = self::shape(item, field, vocabulary, interests);
                widget["multiple"] = json!(true);
                if field.non_empty {
                    widget["min"] = json!(1);
                }
                widget
            }
            // Open values, typed with commas between them.
            _ => json!({ "widget": "list" }),
        },
        Shape::Fields(fields) | Shape::FieldsOrText(fields) => {
            let inner: Vec<Value> = fields
                .iter()
                .map(|f| {
                    let mut inner = widget(f, vocabulary, interests);
                    // Decap would ask for `months` of a swap nobody
                    // offers: within an optional group, `check` says what
                    // a group given needs.
                    if !field.required {
                        inner["required"] = json!(false);
                    }
                    inner
                })
                .collect();
            json!({ "widget": "object", "collapsed": false, "fields": inner })
        }
    }
}

/// A choice of another entry of this site, saved as its slug.
fn relation(kind: Kind) -> Value {
    let shown = match kind {
        Kind::Organisation | Kind::Profile | Kind::Programme => "name",
        _ => "title",
    };
    json!({
        "widget": "relation",
        "collection": kind.folder(),
        "value_field": "{{slug}}",
        "search_fields": [shown],
        "display_fields": [shown],
    })
}
