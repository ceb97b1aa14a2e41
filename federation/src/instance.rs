//! What every handler and activity needs: the directory as the public sees
//! it, the store, the site's address and folder.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use generator::content::Directory;
use generator::git_dates::GitDates;
use url::Url;

use crate::address::authority;
use crate::store::Store;

/// The federation crate's per-request data: the instance, and a count of
/// the fetches one request has caused (so that a chain of objects cannot
/// make the server fetch without end).
pub type Data = activitypub_federation::config::Data<Instance>;

/// Paths under the site folder that changed, for the site to build again.
pub type Rebuild = std::sync::mpsc::Sender<Vec<PathBuf>>;

/// One served directory.
#[derive(Clone)]
pub struct Instance {
    /// The directory as the public sees it, as last built: a new one
    /// arrives whenever the site is built again.
    pub site: tokio::sync::watch::Receiver<Arc<Directory>>,
    /// The site folder, holding `mirror/`.
    pub root: PathBuf,
    /// Where to say that files under `mirror/` changed.
    pub rebuild: Rebuild,
    /// Every request to another server: checked, and signed.
    pub outgoing: crate::outgoing::Outgoing,
    /// The database.
    pub store: Store,
    /// `host[:port]` of the site's address, as handles name it.
    pub host: String,
    /// Wakes the delivery worker when something is queued.
    pub deliveries: Arc<tokio::sync::Notify>,
    /// What is kept of each followed directory.
    pub limits: Arc<crate::mirror::limits::Limits>,
    /// When the entries of the directory last built first appeared and
    /// last changed.
    pub history: History,
}

/// When each entry of a directory first appeared and last changed, read
/// from git (`generator::git_dates`) once for each directory built, as the
/// site's feeds read it: the dates documents carry, which stay put while
/// the entry does.
#[derive(Clone, Default)]
pub struct History(Arc<Mutex<Option<Read>>>);

/// A directory, and the history read for it.
type Read = (Arc<Directory>, Arc<GitDates>);

impl History {
    /// The history read for `directory`, if it is the one last read for.
    fn of(&self, directory: &Arc<Directory>) -> Option<Arc<GitDates>> {
        self.slot()
            .as_ref()
            .filter(|(built, _)| Arc::ptr_eq(built, directory))
            .map(|(_, history)| history.clone())
    }

    /// Keeps `history` as `directory`'s.
    fn keep(&self, directory: &Arc<Directory>, history: &Arc<GitDates>) {
        *self.slot() = Some((directory.clone(), history.clone()));
    }

    /// What is kept, even after a panic while it was held: it is replaced
    /// whole or not at all.
    fn slot(&self) -> MutexGuard<'_, Option<Read>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Instance {
    /// The directory as last built.
    pub fn directory(&self) -> Arc<Directory> {
        self.site.borrow().clone()
    }

    /// The directory as last built, and its entries' history.
    pub async fn dated(&self) -> (Arc<Directory>, Arc<GitDates>) {
        let directory = self.directory();
        if let Some(history) = self.history.of(&directory) {
            return (directory, history);
        }
        let root = self.root.clone();
        // `git log` runs as long as the history is long: off the workers
        // that answer requests.
        let history = tokio::task::spawn_blocking(move || GitDates::read(&root))
            .await
            .map(Arc::new)
            .unwrap_or_default();
        self.history.keep(&directory, &history);
        (directory, history)
    }

    /// Whether a server at `url` may follow this site's actors.
    pub fn allows(&self, url: &Url) -> bool {
        self.directory()
            .site
            .federation
            .as_ref()
            .is_some_and(|f| f.allows(url))
    }

    /// How much of one followed directory is kept, as the site's settings
    /// say now.
    pub fn caps(&self) -> crate::mirror::limits::Caps {
        crate::mirror::limits::Caps::of(self.directory().site.federation.as_ref())
    }

    /// Whether `url` is on this site (host and port).
    pub fn is_local(&self, url: &Url) -> bool {
        authority(url).is_some_and(|a| a == self.host)
    }
}
