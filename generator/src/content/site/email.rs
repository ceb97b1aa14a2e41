//! `[email]` of `interchange.toml`: the mail server introductions are
//! sent through, and who they are from.

use crate::diagnostic::Code;
use crate::fields::{Fields, Reader};
use crate::node::Node;

/// `[email]`: the mail server introductions are sent through. The
/// credentials are never here: they come from the environment
/// ([`Email::USERNAME_VARIABLE`], [`Email::PASSWORD_VARIABLE`]), so that the
/// file can be committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The mail server's host name.
    pub host: String,
    /// Its port: by default 465 with `tls`, 587 with `starttls`, 25 with `none`.
    pub port: u16,
    /// How the connection is encrypted.
    pub tls: EmailTls,
    /// Who the messages are from.
    pub from: Mailbox,
    /// Where replies go: the organiser. The sender, if not given.
    pub reply_to: Option<Mailbox>,
}

impl Email {
    /// The environment variable holding the mail server's user name.
    pub const USERNAME_VARIABLE: &str = "INTERCHANGE_SMTP_USERNAME";
    /// The environment variable holding the mail server's password.
    pub const PASSWORD_VARIABLE: &str = "INTERCHANGE_SMTP_PASSWORD";

    /// Where replies go: `reply_to`, or the sender.
    pub fn organiser(&self) -> &Mailbox {
        self.reply_to.as_ref().unwrap_or(&self.from)
    }
}

/// How the connection to the mail server is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailTls {
    /// Not at all: only for a server on the same machine.
    None,
    /// Upgraded with STARTTLS, which must succeed (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl EmailTls {
    /// Its name in `interchange.toml`.
    pub fn name(self) -> &'static str {
        match self {
            EmailTls::None => "none",
            EmailTls::Starttls => "starttls",
            EmailTls::Tls => "tls",
        }
    }

    /// The port mail servers take it on.
    pub fn default_port(self) -> u16 {
        match self {
            EmailTls::None => 25,
            EmailTls::Starttls => 587,
            EmailTls::Tls => 465,
        }
    }
}

/// An email address with the name shown beside it: `Kirkby Vale Interchange
/// <buddies@kirkbyvale.example.gov.uk>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The name, if one is given.
    pub name: Option<String>,
    /// The address.
    pub address: String,
}

impl std::fmt::Display for Mailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

pub(super) fn read_email(r: &mut Reader<'_>, node: &Node) -> Option<Email> {
    let mut f = Fields::of(r, node, node.span, "`[email]`")?;
    // Credentials in a committed file would be published with it: refuse
    // them, naming where they go instead.
    for (key, variable) in [
        ("password", Email::PASSWORD_VARIABLE),
        ("username", Email::USERNAME_VARIABLE),
    ] {
        if let Some(span) = f.key_span(key) {
            f.get(key);
            r.push(
                r.error(
                    Code::UnknownField,
                    span,
                    format!("the mail server's {key} cannot be written in interchange.toml"),
                )
                .with_hint(format!(
                    "remove it, and set the environment variable {variable} where `interchange introduce` runs: this file is committed and published"
                )),
            );
        }
    }
    let host = f.read_required_as(
        r,
        "host",
        "host = \"smtp.kirkbyvale.example.gov.uk\"",
        mail_host,
    );
    let tls_node = f.get("tls");
    let tls = tls_node
        .and_then(|n| email_tls(r, n))
        .unwrap_or(EmailTls::Starttls);
    let port = f.read(r, "port", |r, n| r.number(n, 1, u32::from(u16::MAX)));
    let from = f.read_required_as(
        r,
        "from",
        "from = \"Kirkby Vale Interchange <buddies@kirkbyvale.example.gov.uk>\"",
        mailbox,
    );
    let reply_to = f.read(r, "reply_to", mailbox);
    f.finish(r);
    let host = host?;
    if tls == EmailTls::None
        && !is_loopback(&host)
        && let Some(span) = tls_node.map(|n| n.span)
    {
        r.push(
                r.warning(
                    Code::InvalidValue,
                    span,
                    format!("mail to {host} would be sent unencrypted, with the password"),
                )
                .with_hint("use `tls = \"starttls\"` or `tls = \"tls\"`; `none` is for a mail server on this machine"),
        );
    }
    Some(Email {
        port: port
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(tls.default_port()),
        host,
        tls,
        from: from?,
        reply_to,
    })
}

/// Whether a mail host is this machine, where no one can listen in.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A host name or IP address, with nothing else (no scheme, port or path).
fn mail_host(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node)?;
    if url::Host::parse(&text).is_ok() && !text.contains([':', '/', '@', ' ']) {
        return Some(text);
    }
    let hint = if let Some((host, port)) = text.rsplit_once(':')
        && !host.contains(':')
        && port.parse::<u16>().is_ok()
    {
        format!("write the host alone, `host = \"{host}\"`, and the port as `port = {port}`")
    } else {
        "write the mail server's name alone, like `smtp.kirkbyvale.example.gov.uk`".to_string()
    };
    r.push(
        r.error(
            Code::InvalidValue,
            node.span,
            format!("`{text}` is not a mail server's host name"),
        )
        .with_hint(hint),
    );
    None
}

fn email_tls(r: &mut Reader<'_>, node: &Node) -> Option<EmailTls> {
    let text = r.text(node)?;
    let all = [EmailTls::None, EmailTls::Starttls, EmailTls::Tls];
    if let Some(tls) = all.into_iter().find(|t| t.name() == text) {
        return Some(tls);
    }
    r.push(
        r.error(
            Code::InvalidValue,
            node.span,
            format!("`{text}` is not a way to connect to a mail server"),
        )
        .with_hint(
            "use `starttls` (port 587), `tls` (port 465), or `none` for a mail server on this machine",
        ),
    );
    None
}

/// `address` or `Name <address>`.
fn mailbox(r: &mut Reader<'_>, node: &Node) -> Option<Mailbox> {
    let text = r.text(node)?;
    let (name, address) = match text
        .trim()
        .strip_suffix('>')
        .and_then(|t| t.rsplit_once('<'))
    {
        Some((name, address)) => {
            let name = name.trim().trim_matches('"').trim();
            ((!name.is_empty()).then(|| name.to_string()), address.trim())
        }
        None => (None, text.trim()),
    };
    // A quote or an angle bracket in the name would make the header say
    // something else, and a line break would start a new header: refused,
    // not repaired.
    let bad_name = name
        .as_deref()
        .is_some_and(|n| n.contains(['<', '>', '"', '\\', '\r', '\n']));
    if !bad_name
        && email_address::EmailAddress::parse_with_options(address, crate::fields::email_options())
            .is_ok()
    {
        return Some(Mailbox {
            name,
            address: address.to_string(),
        });
    }
    r.push(
        r.error(
            Code::InvalidEmail,
            node.span,
            format!("`{text}` is not an email address"),
        )
        .with_hint("write an address, or a name and an address: `\"Kirkby Vale Interchange <buddies@kirkbyvale.example.gov.uk>\"`"),
    );
    None
}
