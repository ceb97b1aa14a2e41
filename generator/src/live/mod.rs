//! A site kept in memory while it is served, built again on every save.
//!
//! Between saves it keeps every file as read, the compiled theme, and what
//! each page was made from: a save reads again only the files that changed,
//! checks the whole directory (the checks are cheap; reading is not), and
//! renders only the pages whose inputs changed. The result is the site a
//! full build would write, file for file. [`watch`] keeps it so while its
//! folder is saved.

pub mod watch;

use std::path::{Path, PathBuf};

use crate::content::Kind;
use crate::diagnostic::Diagnostics;
use crate::load::{CONFIG_FILE, Files, LoadError, LoadOptions};
use crate::render::Theme;
use crate::render::{BuildError, BuildOptions, Built, Memory, Progress};

pub use watch::{Watch, WatchError, rebuild_on_change};

/// A site being served.
pub struct LiveSite {
    files: Files,
    /// The compiled theme; `None` until it compiles.
    theme: Option<Theme>,
    memory: Memory,
    options: BuildOptions,
}

/// What one build of a live site gave.
pub struct Update {
    /// Every problem in the site's files.
    pub diagnostics: Diagnostics,
    /// How the build went.
    pub outcome: Outcome,
    /// The directory built, when the build succeeded.
    pub directory: Option<crate::content::Directory>,
}

/// How a build of a live site went. In every case but `Built`, the last good
/// site is left as it was.
#[derive(Debug)]
pub enum Outcome {
    /// The site was built.
    Built(Built),
    /// The files have errors (in the diagnostics): nothing was built.
    Problems,
    /// The site cannot be read any more (its config is gone or unreadable).
    Unreadable(LoadError),
    /// The build failed.
    Failed(BuildError),
}

impl LiveSite {
    /// Reads the site at `load.root`; nothing is built until [`LiveSite::update`].
    pub fn open(load: &LoadOptions, options: BuildOptions) -> Result<Self, LoadError> {
        Ok(Self {
            files: Files::read(load)?,
            theme: None,
            memory: Memory::default(),
            options,
        })
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        self.files.root()
    }

    /// When the site would next change with no edit, if it was built.
    pub fn next_change(&self) -> Option<jiff::Timestamp> {
        self.memory.next_change()
    }

    /// Takes the pages of removed profiles off the live site at once,
    /// before the build that follows (which, when a removal changes whom
    /// other pages suggest, takes seconds in a large directory): a person
    /// erased is gone from the site first. No reference can stop the build
    /// removing a profile, so the site is never left without a page the
    /// build still makes.
    fn withdraw_removed_profiles(&self, changed: &[PathBuf]) {
        let Some(live) = crate::render::InPlace::open(&self.options.output) else {
            return;
        };
        for path in changed {
            let relative = self.files.relative(path);
            if let Some((Kind::Profile, key)) = crate::load::entry_of(&relative)
                && !self.files.root().join(&relative).exists()
            {
                // A later build tries again what cannot be removed now.
                let _ = live.remove_page(&Kind::Profile.url(&key));
            }
        }
    }

    /// Reads again the files at `changed` (none: only the clock moved) and
    /// builds what changed.
    pub fn update(&mut self, changed: &[PathBuf], progress: &dyn Progress) -> Update {
        let root = self.files.root().to_path_buf();
        self.withdraw_removed_profiles(changed);
        if let Err(error) = self.files.reread(changed) {
            return Update {
                diagnostics: Diagnostics::default(),
                outcome: Outcome::Unreadable(error),
                directory: None,
            };
        }
        let theme_changed = changed.iter().any(|path| {
            let relative = self.files.relative(path);
            relative.starts_with("themes") || relative == Path::new(CONFIG_FILE)
        });
        if theme_changed {
            self.theme = None;
        }
        let loaded = self.files.loaded();
        if loaded.diagnostics.has_errors() {
            return Update {
                diagnostics: loaded.diagnostics,
                outcome: Outcome::Problems,
                directory: None,
            };
        }
        let theme = match &mut self.theme {
            Some(theme) => theme,
            slot @ None => match Theme::load(&root, &loaded.directory.site.theme) {
                Ok(theme) => slot.insert(theme),
                Err(error) => {
                    return Update {
                        diagnostics: loaded.diagnostics,
                        outcome: Outcome::Failed(error),
                        directory: None,
                    };
                }
            },
        };
        let built = crate::render::rebuild(
            &loaded.directory,
            &root,
            loaded.now,
            &self.options,
            theme,
            &mut self.memory,
            progress,
        );
        match built {
            Ok(built) => Update {
                diagnostics: loaded.diagnostics,
                outcome: Outcome::Built(built),
                directory: Some(loaded.directory),
            },
            Err(error) => Update {
                diagnostics: loaded.diagnostics,
                outcome: Outcome::Failed(error),
                directory: None,
            },
        }
    }
}
