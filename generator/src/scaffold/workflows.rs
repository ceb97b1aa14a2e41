//! The CI configurations `init` writes: a GitHub Actions workflow and a
//! GitLab CI file, each checking the site on every push and publishing it
//! from the default branch, installing this version of the command from the
//! project's repository (both from Cargo.toml, the one place they are said).

/// Where the command is installed from: the workspace's `repository`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The version installed: this one, tagged `v{VERSION}` in the repository.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `.github/workflows/site.yml`: checks every push and pull request, builds
/// hourly, deploys to GitHub Pages.
pub fn github() -> String {
    fill(include_str!("github-pages.yml"))
}

/// `.gitlab-ci.yml`: checks every push, deploys to GitLab Pages.
pub fn gitlab() -> String {
    fill(include_str!("gitlab-pages.yml"))
}

fn fill(template: &str) -> String {
    template
        .replace("%REPOSITORY%", REPOSITORY)
        .replace("%VERSION%", VERSION)
}
