//! How other servers find a directory's actors: WebFinger (`acct:` handles),
//! NodeInfo 2.1 (what software this is) and host-meta (where WebFinger is).

use generator::Kind;
use generator::content::Directory;

use crate::address::authority;
use crate::objects::{organisation, person};
use crate::protocol::{
    ACTIVITY_JSON, Jrd, JrdLink, NodeInfo, NodeInfoLink, NodeInfoLinks, NodeInfoMetadata,
    NodeInfoServices, NodeInfoSoftware, NodeInfoUsage, NodeInfoUsers,
};

/// The actor a WebFinger `resource` names, as (subject, actor id, page), or
/// `None` when it is not one of this site's. Handles and hosts are compared
/// without regard to case, as Mastodon does.
pub fn webfinger(directory: &Directory, host: &str, resource: &str) -> Option<Jrd> {
    let handle = directory.site.federation.as_ref()?.handle.as_str();
    // `acct:name@host`, or `name@host` as some servers ask.
    let account = resource
        .strip_prefix("acct:")
        .or_else(|| resource.strip_prefix("ACCT:"))
        .or_else(|| (!resource.contains("://") && resource.contains('@')).then_some(resource));
    let (name, asked_host) = if let Some(account) = account {
        account.trim_start_matches('@').rsplit_once('@')?
    } else {
        // An actor's address is a resource too.
        let url = url::Url::parse(resource).ok()?;
        let path = url.path();
        let name = if path == "/" {
            handle.to_string()
        } else {
            // With or without its last slash.
            let page = format!("{}/", path.trim_end_matches('/'));
            match Kind::entry_at(&page) {
                Some((Kind::Profile, slug)) => slug.to_string(),
                _ => return None,
            }
        };
        let authority = authority(&url)?;
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
            directory.site.entry_id(Kind::Profile, &entry.slug),
            "Person",
        )
    };
    Some(Jrd {
        subject: format!("acct:{name}@{host}"),
        aliases: vec![id.clone()],
        links: vec![
            JrdLink {
                rel: "self".into(),
                kind: ACTIVITY_JSON.into(),
                href: id.clone(),
                properties: Some(
                    [(
                        "https://www.w3.org/ns/activitystreams#type".to_string(),
                        kind.to_string(),
                    )]
                    .into(),
                ),
            },
            JrdLink {
                rel: "http://webfinger.net/rel/profile-page".into(),
                kind: "text/html".into(),
                href: id,
                properties: None,
            },
        ],
    })
}

/// The NodeInfo discovery document, linking the 2.1 schema and the
/// instance actor (FEP-2677), whose key signs this server's fetches.
pub fn nodeinfo_links(directory: &Directory) -> NodeInfoLinks {
    NodeInfoLinks {
        links: vec![
            NodeInfoLink {
                rel: "http://nodeinfo.diaspora.software/ns/schema/2.1".into(),
                href: directory.site.absolute("/nodeinfo/2.1"),
            },
            NodeInfoLink {
                rel: "https://www.w3.org/ns/activitystreams#Application".into(),
                href: crate::objects::application::id(directory),
            },
        ],
    }
}

/// NodeInfo 2.1: the software, the protocol and how many people and
/// entries the directory publishes.
pub fn nodeinfo(directory: &Directory) -> NodeInfo {
    let people = directory
        .profiles
        .iter()
        .filter(|p| person::federates(p))
        .count();
    let posts = directory.events.len() + directory.consultations.len() + directory.asks.len();
    NodeInfo {
        version: "2.1".into(),
        software: NodeInfoSoftware {
            name: "interchange".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            repository: Some(env!("CARGO_PKG_REPOSITORY"))
                .filter(|r| !r.is_empty())
                .map(str::to_string),
        },
        protocols: vec!["activitypub".into()],
        services: NodeInfoServices {
            inbound: Vec::new(),
            outbound: vec!["atom1.0".into()],
        },
        open_registrations: false,
        usage: NodeInfoUsage {
            users: NodeInfoUsers {
                total: people,
                active_month: people,
                active_halfyear: people,
            },
            local_posts: posts,
        },
        metadata: NodeInfoMetadata {
            node_name: directory.site.title.clone(),
        },
    }
}

/// host-meta (XRD), for servers that look for WebFinger there first.
pub fn host_meta(directory: &Directory) -> String {
    let template = directory
        .site
        .absolute("/.well-known/webfinger?resource={uri}");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{}\"/>\n</XRD>\n",
        generator::escape::markup(&template)
    )
}
