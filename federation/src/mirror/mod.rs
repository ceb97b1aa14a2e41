//! Mirroring: following the directories in `[federation] follow` and
//! keeping their entries as Markdown files under `mirror/<host>/`, which
//! the site builds into its pages beside its own.
//!
//! Each directory is resolved (its address serves its `Organization`),
//! followed, and once it accepts, backfilled from its `entries`
//! collection; from then on its `Create`, `Update` and `Delete` keep the
//! files in step, and every hour its collection is read again, so a
//! message lost on the way is made good. Only a directory that is followed
//! and whose host is in `[federation] allow` changes anything; what it
//! sends is written in the content format and checked by the loader like
//! any file, and a mirrored entry is never published again from here.

pub mod build;
pub mod limits;
pub mod markdown;
pub mod rounds;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use generator::Kind;
use serde_json::Value;
use url::Url;

use crate::address::authority;
use crate::error::FederationError;
use crate::instance::Instance;
use crate::objects::organisation;
use crate::outgoing::Fetched;
use crate::protocol::{
    Activity, ActivityKind, CollectionPage, EntryDocument, Reference, RemoteActorDocument,
    RoundDocument,
};
use crate::store::FollowRow;
use limits::{Caps, Limits};

/// The kinds a directory publishes, each mirrored into its folder.
const PUBLISHED: [Kind; 5] = [
    Kind::Profile,
    Kind::Event,
    Kind::Consultation,
    Kind::Ask,
    Kind::Programme,
];

/// How many documents are fetched at once while backfilling.
const FETCHES_AT_ONCE: usize = 8;

/// How often each followed directory's entries are read again in full.
const RECONCILE_EVERY: Duration = Duration::from_secs(60 * 60);

/// Where the entry `id` is mirrored, relative to the site folder:
/// `mirror/<host>/<kind>/<slug>.md`, if `id` is an entry's address.
pub fn file_of(id: &Url) -> Option<(PathBuf, Kind)> {
    let host = authority(id)?;
    let path = id.path().strip_prefix('/')?.strip_suffix('/')?;
    let (folder, slug) = path.split_once('/')?;
    let kind = Kind::from_folder(folder)?;
    let valid = (1..=100).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    valid.then(|| {
        (
            Path::new("mirror")
                .join(host)
                .join(folder)
                .join(format!("{slug}.md")),
            kind,
        )
    })
}

/// Where the entry or round `id` is mirrored, relative to the site folder.
pub fn mirrored_file(id: &Url) -> Option<PathBuf> {
    file_of(id)
        .map(|(path, _)| path)
        .or_else(|| rounds::file_of(id))
}

/// Whether a document is whole: an entry carrying its fields, or a round.
fn is_whole(document: &Value) -> bool {
    EntryDocument::read(document).fields.is_some() || RoundDocument::read(document).is_some()
}

/// Writes the entry a document carries (and the organisation it names),
/// or the round, under `root`, within the `limits` of its host. The paths
/// written; none if the document is not an Interchange entry or round,
/// nothing changed, or its directory has sent all this site keeps.
pub fn write_entry(
    root: &Path,
    limits: &Limits,
    caps: Caps,
    document: &Value,
) -> Result<Vec<PathBuf>, FederationError> {
    if let Some(round) = RoundDocument::read(document) {
        let folder = Folder { root, limits, caps };
        return Ok(rounds::write(&folder, &round)?.into_iter().collect());
    }
    let document = EntryDocument::read(document);
    let mut written = Vec::new();
    let Some((id, relative, kind)) = entry_place(&document) else {
        return Ok(written);
    };
    if kind == Kind::Organisation || !PUBLISHED.contains(&kind) {
        return Ok(written);
    }
    let folder = Folder { root, limits, caps };
    if let Some(path) = folder.write(&id, &relative, &document)? {
        written.push(path);
    }
    if let Some(organisation) = document.organisation()
        && let Some((org_id, org_relative, Kind::Organisation)) = entry_place(&organisation)
        && authority(&org_id) == authority(&id)
        && let Some(path) = folder.write(&org_id, &org_relative, &organisation)?
    {
        written.push(path);
    }
    Ok(written)
}

/// An entry document's id, file and kind, if it carries its fields.
fn entry_place(document: &EntryDocument) -> Option<(Url, PathBuf, Kind)> {
    let id = document.id.clone()?;
    let (relative, kind) = file_of(&id)?;
    let said = document.entry_kind.as_deref();
    (said == Some(kind.folder()) && document.fields().is_some()).then_some((id, relative, kind))
}

/// Where mirrored files are written, and how much each host may have.
pub(crate) struct Folder<'a> {
    root: &'a Path,
    limits: &'a Limits,
    caps: Caps,
}

impl Folder<'_> {
    /// Writes one document's file if it differs from the one there and
    /// its host is within its limits.
    fn write(
        &self,
        id: &Url,
        relative: &Path,
        document: &EntryDocument,
    ) -> Result<Option<PathBuf>, FederationError> {
        let Some(fields) = document.fields() else {
            return Ok(None);
        };
        let text = markdown::entry_file(fields, id.as_str(), document.text().unwrap_or_default());
        self.write_text(id, relative, &text)
    }

    /// Writes `text` as the mirrored file of `id` at `relative`, if it
    /// differs from the one there and its host is within its limits.
    fn write_text(
        &self,
        id: &Url,
        relative: &Path,
        text: &str,
    ) -> Result<Option<PathBuf>, FederationError> {
        let path = self.root.join(relative);
        let old = std::fs::read_to_string(&path).ok();
        if old.as_deref() == Some(text) {
            return Ok(None);
        }
        let host = authority(id).unwrap_or_default();
        let old_len = old.map(|o| o.len() as u64);
        if !self
            .limits
            .admit(self.root, &host, self.caps, old_len, text.len() as u64)
        {
            return Ok(None);
        }
        write_file(&path, text)
    }
}

/// Writes a mirrored file.
fn write_file(path: &Path, text: &str) -> Result<Option<PathBuf>, FederationError> {
    let path = path.to_path_buf();
    generator::files::write_durably(&path, text.as_bytes()).map_err(|source| {
        FederationError::Mirror {
            path: path.clone(),
            source,
        }
    })?;
    // A newer version replaces one set aside.
    forget_set_aside(&path);
    Ok(Some(path))
}

/// Where a mirrored file the site cannot build with is set aside: hidden
/// beside it (so the site is built without it), `.waiting` if another
/// entry still to come may make it valid, else `.refused`.
fn set_aside_file(path: &Path, waiting: bool) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix = if waiting { "waiting" } else { "refused" };
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// Removes whatever version of `path` was set aside.
fn forget_set_aside(path: &Path) {
    for waiting in [true, false] {
        let _ = std::fs::remove_file(set_aside_file(path, waiting));
    }
}

/// Sets aside a mirrored file the site cannot build with, so that one
/// entry from another directory never holds the site back. One that only
/// `waiting` for an entry it names is tried again when more arrive
/// ([`restore_waiting`]); any is replaced when its directory sends a new
/// version.
pub fn set_aside(path: &Path, waiting: bool) -> Result<(), FederationError> {
    std::fs::rename(path, set_aside_file(path, waiting)).map_err(|source| FederationError::Mirror {
        path: path.to_path_buf(),
        source,
    })
}

/// Puts back every file set aside as waiting under `root`'s `mirror/`,
/// for the site to try again. Their paths.
pub fn restore_waiting(root: &Path) -> Vec<PathBuf> {
    let mut restored = Vec::new();
    let Ok(hosts) = std::fs::read_dir(root.join("mirror")) else {
        return restored;
    };
    for host in hosts.filter_map(Result::ok) {
        for kind in Kind::ALL {
            let Ok(files) = std::fs::read_dir(host.path().join(kind.folder())) else {
                continue;
            };
            for file in files.filter_map(Result::ok) {
                let name = file.file_name().to_string_lossy().into_owned();
                let Some(original) = name
                    .strip_prefix('.')
                    .and_then(|n| n.strip_suffix(".waiting"))
                else {
                    continue;
                };
                let path = file.path().with_file_name(original);
                if std::fs::rename(file.path(), &path).is_ok() {
                    restored.push(path);
                }
            }
        }
    }
    restored
}

/// Removes the mirrored entry `id`, counting it out of `limits`. Its
/// path, if there was a file.
pub fn remove_entry(
    root: &Path,
    limits: &Limits,
    id: &Url,
) -> Result<Option<PathBuf>, FederationError> {
    let Some(relative) = mirrored_file(id) else {
        return Ok(None);
    };
    let path = root.join(relative);
    forget_set_aside(&path);
    let len = std::fs::metadata(&path).map_or(0, |m| m.len());
    match generator::files::remove_durably(&path) {
        Ok(()) => {
            limits.removed(&authority(id).unwrap_or_default(), len);
            Ok(Some(path))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FederationError::Mirror { path, source }),
    }
}

/// Tells the site which files changed, for it to build them.
fn rebuild(instance: &Instance, paths: Vec<PathBuf>) {
    if !paths.is_empty() {
        // The site is gone only when the server is stopping.
        let _ = instance.rebuild.send(paths);
    }
}

/// The followed directory `actor` belongs to, if activities from it may
/// change the mirror: its host is followed (not refused) and allowed.
pub async fn followed(
    instance: &Instance,
    actor: &Url,
) -> Result<Option<FollowRow>, FederationError> {
    let Some(host) = authority(actor) else {
        return Ok(None);
    };
    let follow = instance.store.follow_on(&host).await?;
    Ok(follow.filter(|f| f.state != "rejected" && instance.allows(actor)))
}

/// Acts on a `Create` or `Update` by `actor` of `object` (the document, or
/// its id): the entry is written, or removed if its server says it is gone.
pub async fn receive(
    instance: &Instance,
    actor: &Url,
    object: &Value,
) -> Result<(), FederationError> {
    if followed(instance, actor).await?.is_none() {
        tracing::debug!(%actor, "not a followed directory: nothing mirrored");
        return Ok(());
    }
    let document = if is_whole(object) {
        object.clone()
    } else {
        let Some(id) = Reference::id_in(object) else {
            return Ok(());
        };
        match instance.outgoing.fetch_document(&id).await? {
            Fetched::Document(document) => document,
            Fetched::Gone => return remove(instance, actor, &id).await,
        }
    };
    if EntryDocument::read(&document)
        .id
        .as_ref()
        .and_then(authority)
        != authority(actor)
    {
        return Ok(());
    }
    let written = write_entry(&instance.root, &instance.limits, instance.caps(), &document)?;
    for path in &written {
        tracing::info!(path = %path.display(), "mirrored");
    }
    rebuild(instance, written);
    Ok(())
}

/// Acts on a `Delete` by `actor` of `id`: the mirrored entry is removed.
pub async fn remove(instance: &Instance, actor: &Url, id: &Url) -> Result<(), FederationError> {
    if authority(id) != authority(actor) || followed(instance, actor).await?.is_none() {
        return Ok(());
    }
    if let Some(path) = remove_entry(&instance.root, &instance.limits, id)? {
        tracing::info!(path = %path.display(), "mirrored entry removed");
        rebuild(instance, vec![path]);
    }
    Ok(())
}

/// Follows every directory in `[federation] follow` and keeps them in
/// step, for as long as the server runs: a directory that cannot be
/// reached is tried again, sooner at first, then hourly.
pub async fn keep_following(instance: Instance) {
    let mut failures = 0u32;
    loop {
        let failed = follow_round(&instance).await;
        failures = if failed { failures + 1 } else { 0 };
        let wait = if failed {
            // 5 s, 10 s, 20 s…: a directory starting at the same moment is
            // found at once, one that is down is not asked every second.
            Duration::from_secs(5u64 << (failures - 1).min(10)).min(RECONCILE_EVERY)
        } else {
            RECONCILE_EVERY
        };
        tokio::time::sleep(wait).await;
    }
}

/// One round: stops following directories no longer listed, follows new
/// ones, and reads again the entries of those that accepted. Whether any
/// failed.
async fn follow_round(instance: &Instance) -> bool {
    let directory = instance.directory();
    let sources: Vec<Url> = directory
        .site
        .federation
        .as_ref()
        .map(|f| f.follow.clone())
        .unwrap_or_default();
    let rows = match instance.store.follows().await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::warn!(%error, "cannot read the directories followed");
            return true;
        }
    };
    let mut failed = false;
    for row in rows
        .iter()
        .filter(|r| !sources.iter().any(|s| s.as_str() == r.source))
    {
        if let Err(error) = unfollow(instance, row).await {
            tracing::warn!(%error, source = row.source, "cannot stop following");
            failed = true;
        }
    }
    for source in &sources {
        let row = rows.iter().find(|r| r.source == source.as_str());
        let done = match row {
            Some(row) if row.state == "accepted" => backfill(instance, row).await.map(|_| ()),
            _ => follow(instance, source).await,
        };
        if let Err(error) = done {
            tracing::warn!(%error, %source, "cannot follow; trying again later");
            failed = true;
        }
    }
    failed
}

/// Resolves the directory at `source` and sends it a Follow from the site.
async fn follow(instance: &Instance, source: &Url) -> Result<(), FederationError> {
    let document = match instance.outgoing.fetch_document(source).await {
        Ok(Fetched::Document(document)) => document,
        Ok(Fetched::Gone) => {
            return Err(FederationError::Fetch {
                url: source.to_string(),
                reason: "nothing is there (404 or 410)".into(),
            });
        }
        Err(error) => return Err(error),
    };
    let actor = RemoteActorDocument::read(&document).map_err(|refused| FederationError::Fetch {
        url: source.to_string(),
        reason: refused.to_string(),
    })?;
    if !instance.allows(&actor.id) {
        tracing::warn!(%source, "not followed: its host is not in [federation] allow");
        return Ok(());
    }
    let host = authority(&actor.id).unwrap_or_default();
    let site = organisation::id(&instance.directory());
    let follow_id = format!("{site}#follow/{}", jiff::Timestamp::now().as_nanosecond());
    let activity = Activity::new(
        follow_id.clone(),
        ActivityKind::Follow,
        site,
        actor.id.to_string(),
        vec![actor.id.to_string()],
    );
    instance
        .store
        .put_follow(&FollowRow {
            source: source.to_string(),
            actor: actor.id.to_string(),
            host,
            inbox: actor.inbox.to_string(),
            entries: actor.entries.clone(),
            follow_id,
            state: "pending".into(),
        })
        .await?;
    crate::delivery::queue(instance, &activity, &[actor.inbox]).await?;
    tracing::info!(%source, "follow sent");
    Ok(())
}

/// Stops following a directory no longer listed: an `Undo` of the Follow
/// is sent and its mirrored entries removed.
async fn unfollow(instance: &Instance, row: &FollowRow) -> Result<(), FederationError> {
    let site = organisation::id(&instance.directory());
    let follow = Activity::new(
        row.follow_id.clone(),
        ActivityKind::Follow,
        site.clone(),
        row.actor.clone(),
        Vec::new(),
    )
    .embedded();
    let activity = Activity::new(
        format!("{site}#undo/{}", jiff::Timestamp::now().as_nanosecond()),
        ActivityKind::Undo,
        site,
        follow,
        vec![row.actor.clone()],
    );
    if let Ok(inbox) = Url::parse(&row.inbox) {
        crate::delivery::queue(instance, &activity, &[inbox]).await?;
    }
    instance.store.remove_follow_of(&row.source).await?;
    let folder = instance.root.join("mirror").join(&row.host);
    if folder.is_dir() {
        std::fs::remove_dir_all(&folder).map_err(|source| FederationError::Mirror {
            path: folder.clone(),
            source,
        })?;
        rebuild(instance, vec![folder]);
        instance.limits.recount(&instance.root, &row.host);
    }
    tracing::info!(
        source = row.source,
        "no longer followed: its mirror is removed"
    );
    Ok(())
}

/// Records that the directory `actor` accepted the Follow `follow` and
/// backfills it in the background.
pub async fn accepted(
    instance: &Instance,
    actor: &Url,
    follow: Option<Url>,
) -> Result<(), FederationError> {
    let Some(row) = instance.store.follow_of(actor.as_str()).await? else {
        return Ok(());
    };
    if follow.is_some_and(|f| f.as_str() != row.follow_id) {
        tracing::info!(%actor, "an Accept of an older Follow: taken as the answer");
    }
    instance
        .store
        .set_follow_state(actor.as_str(), "accepted")
        .await?;
    tracing::info!(%actor, "follow accepted: backfilling");
    let instance = instance.clone();
    tokio::spawn(async move {
        if let Err(error) = backfill(&instance, &row).await {
            tracing::warn!(%error, actor = row.actor, "cannot backfill; trying again within the hour");
        }
    });
    Ok(())
}

/// Records that the directory `actor` refused to be followed.
pub async fn rejected(instance: &Instance, actor: &Url) -> Result<(), FederationError> {
    if instance
        .store
        .set_follow_state(actor.as_str(), "rejected")
        .await?
    {
        tracing::warn!(%actor, "the directory refused the follow: ask its editors to allow this site's host");
    }
    Ok(())
}

/// Reads every entry of a followed directory, page by page: writes each
/// new or changed one, and removes the mirrored ones it no longer lists.
/// How many files changed.
///
/// A page's entries come whole (an entry of the directory's own host on
/// its own page is taken as its own document) or as ids, fetched a few at
/// a time. Each page's files are built as it is read, and where the next
/// page is is recorded, so memory stays that of a page and a backfill cut
/// short goes on from where it stopped. The removal of entries no longer
/// listed needs one whole pass, so a backfill that went on from another
/// leaves it to the next.
pub async fn backfill(instance: &Instance, row: &FollowRow) -> Result<usize, FederationError> {
    let Some(entries) = row.entries.as_deref().and_then(|e| Url::parse(e).ok()) else {
        return Err(FederationError::Fetch {
            url: row.actor.clone(),
            reason: "it names no `entries` collection to mirror".into(),
        });
    };
    let started = std::time::Instant::now();
    let resumed = instance
        .store
        .backfill_next(&row.source)
        .await?
        .and_then(|next| Url::parse(&next).ok())
        .filter(|next| authority(next).as_deref() == Some(row.host.as_str()));
    if let Some(next) = &resumed {
        tracing::info!(directory = row.actor, page = %next, "backfill going on from where it stopped");
    }
    let whole_pass = resumed.is_none();
    let mut next = Some(resumed.unwrap_or(entries));
    let mut seen_pages = HashSet::new();
    let mut listed: HashSet<PathBuf> = HashSet::new();
    let mut changed_count = 0;
    // A page holds an entry at least: no more pages than the entries this
    // site keeps of one directory.
    let most_pages = instance.caps().files;
    // Whether the pages were read to the last; cut short by an error, the
    // backfill goes on from its page next time.
    let mut complete = true;
    while let Some(page_url) = next.take() {
        if seen_pages.len() as u64 >= most_pages || !seen_pages.insert(page_url.clone()) {
            tracing::warn!(
                directory = row.actor,
                pages = seen_pages.len(),
                "its entries' pages go round in a loop or on too long: read no further"
            );
            complete = false;
            break;
        }
        let document = match instance.outgoing.fetch_document(&page_url).await? {
            Fetched::Document(document) => document,
            Fetched::Gone => {
                complete = false;
                break;
            }
        };
        let page = CollectionPage::read(&document);
        let changed = mirror_page(instance, &row.host, &page, &mut listed).await?;
        changed_count += changed.len();
        rebuild(instance, changed);
        next = page
            .next_page()
            .filter(|u| authority(u).as_deref() == Some(row.host.as_str()));
        instance
            .store
            .set_backfill_next(&row.source, next.as_ref().map(Url::as_str))
            .await?;
    }
    if !complete {
        // Going on from a page that loops or is gone would never end: the
        // next pass starts from the first page.
        instance.store.set_backfill_next(&row.source, None).await?;
    }
    if complete && whole_pass {
        let removed = remove_unlisted(instance, &row.host, &listed)?;
        changed_count += removed.len();
        rebuild(instance, removed);
        instance.limits.recount(&instance.root, &row.host);
    }
    tracing::info!(
        directory = row.actor,
        entries = listed.len(),
        changed = changed_count,
        seconds = started.elapsed().as_secs_f64(),
        "backfilled"
    );
    Ok(changed_count)
}

/// Mirrors the entries on one page of a directory's entries on `host`,
/// adding their files to `listed`. The files changed.
async fn mirror_page(
    instance: &Instance,
    host: &str,
    page: &CollectionPage,
    listed: &mut HashSet<PathBuf>,
) -> Result<Vec<PathBuf>, FederationError> {
    let mut changed = Vec::new();
    let mut to_fetch = Vec::new();
    let caps = instance.caps();
    for item in page.items() {
        let Some(id) = Reference::id_in(item).filter(|id| authority(id).as_deref() == Some(host))
        else {
            continue;
        };
        if let Some(relative) = mirrored_file(&id) {
            listed.insert(instance.root.join(relative));
        }
        if is_whole(item) {
            // On the directory's own page: its own document.
            changed.extend(write_entry(&instance.root, &instance.limits, caps, item)?);
        } else {
            to_fetch.push(id);
        }
    }
    let semaphore = Arc::new(tokio::sync::Semaphore::new(FETCHES_AT_ONCE));
    let mut fetching = tokio::task::JoinSet::new();
    for id in to_fetch {
        let instance = instance.clone();
        let semaphore = semaphore.clone();
        fetching.spawn(async move {
            let _permit = semaphore.acquire().await;
            let fetched = instance.outgoing.fetch_document(&id).await;
            (id, fetched)
        });
    }
    while let Some(joined) = fetching.join_next().await {
        let Ok((id, fetched)) = joined else { continue };
        match fetched {
            Ok(Fetched::Document(document)) => changed.extend(write_entry(
                &instance.root,
                &instance.limits,
                caps,
                &document,
            )?),
            Ok(Fetched::Gone) => {
                changed.extend(remove_entry(&instance.root, &instance.limits, &id)?)
            }
            Err(error) => tracing::warn!(%error, "an entry could not be mirrored"),
        }
    }
    Ok(changed)
}

/// Removes the mirrored entries of `host` that are not `listed`. Their paths.
fn remove_unlisted(
    instance: &Instance,
    host: &str,
    listed: &HashSet<PathBuf>,
) -> Result<Vec<PathBuf>, FederationError> {
    let folder = instance.root.join("mirror").join(host);
    // A server killed while writing an entry left its hidden file: the
    // entry itself was written again since, or will be now.
    match generator::files::remove_unfinished(&folder, generator::files::UNFINISHED_IDLE) {
        Ok(left) if !left.is_empty() => {
            tracing::info!(
                count = left.len(),
                host,
                "removed what writes cut short left"
            )
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, host, "cannot remove what writes cut short left"),
    }
    let mut removed = rounds::remove_unlisted(&folder, listed)?;
    for kind in PUBLISHED {
        let folder = instance.root.join("mirror").join(host).join(kind.folder());
        let Ok(files) = std::fs::read_dir(&folder) else {
            continue;
        };
        for file in files.filter_map(Result::ok).map(|f| f.path()) {
            let is_entry = file.extension().is_some_and(|x| x == "md")
                && !file
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if is_entry && !listed.contains(&file) {
                generator::files::remove_durably(&file).map_err(|source| {
                    FederationError::Mirror {
                        path: file.clone(),
                        source,
                    }
                })?;
                removed.push(file);
            }
        }
    }
    Ok(removed)
}
