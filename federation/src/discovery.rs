//! How other servers find a directory's actors: WebFinger (`acct:` handles),
//! NodeInfo 2.1 (what software this is) and host-meta (where WebFinger is).

use generator::content::Directory;
use serde_json::{Value, json};

use crate::objects::{organisation, person};

/// The actor a WebFinger `resource` names, as (subject, actor id, page), or
/// `None` when it is not one of this site's. Handles and hosts are compared
/// without regard to case, as Mastodon does.
pub fn webfinger(directory: &Directory, host: &str, resource: &str) -> Option<Value> {
    let handle = directory.site.federation.as_ref()?.handle.as_str();
    let (name, asked_host) = if let Some(account) = resource
        .strip_prefix("acct:")
        .or_else(|| resource.strip_prefix("ACCT:"))
    {
        account.trim_start_matches('@').rsplit_once('@')?
    } else {
        // An actor's address is a resource too.
        let url = url::Url::parse(resource).ok()?;
        let path = url.path();
        let name = if path == "/" {
            handle
        } else {
            path.strip_prefix("/profiles/")?.trim_end_matches('/')
        };
        let authority = crate::instance::authority(&url)?;
        return webfinger(directory, host, &format!("acct:{name}@{authority}"));
    };
    if !asked_host.eq_ignore_ascii_case(host) {
        return None;
    }
    let (name, id, kind) = if name.eq_ignore_ascii_case(handle) {
        (
            handle.to_string(),
            organisation::id(directory),
            "Organization",
        )
    } else {
        let slug = name.to_ascii_lowercase();
        let entry = directory.profile(&slug).filter(|e| person::federates(e))?;
        (
            entry.slug.clone(),
            person::id(directory, &entry.slug),
            "Person",
        )
    };
    Some(json!({
        "subject": format!("acct:{name}@{host}"),
        "aliases": [id],
        "links": [
            {
                "rel": "self",
                "type": "application/activity+json",
                "href": id,
                "properties": { "https://www.w3.org/ns/activitystreams#type": kind },
            },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": id },
        ],
    }))
}

/// The NodeInfo discovery document, linking the 2.1 schema.
pub fn nodeinfo_links(directory: &Directory) -> Value {
    json!({
        "links": [{
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": directory.site.absolute("/nodeinfo/2.1"),
        }],
    })
}

/// NodeInfo 2.1: the software, the protocol and how many people and
/// entries the directory publishes.
pub fn nodeinfo(directory: &Directory) -> Value {
    let people = directory
        .profiles
        .iter()
        .filter(|p| person::federates(p))
        .count();
    let posts = directory.events.len() + directory.consultations.len() + directory.asks.len();
    json!({
        "version": "2.1",
        "software": {
            "name": "interchange",
            "version": env!("CARGO_PKG_VERSION"),
            "repository": env!("CARGO_PKG_REPOSITORY"),
        },
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": ["atom1.0"] },
        "openRegistrations": false,
        "usage": {
            "users": { "total": people, "activeMonth": people, "activeHalfyear": people },
            "localPosts": posts,
        },
        "metadata": { "nodeName": directory.site.title },
    })
}

/// host-meta (XRD), for servers that look for WebFinger there first.
pub fn host_meta(directory: &Directory) -> String {
    let template = directory
        .site
        .absolute("/.well-known/webfinger?resource={uri}");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{}\"/>\n</XRD>\n",
        crate::objects::escape(&template)
    )
}
