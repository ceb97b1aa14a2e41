//! Sending the introductions of a matching round: one email to each group,
//! in the words of [`generator::matching::introductions`].
//!
//! What reached whom is recorded in the store, one row per round, group,
//! person and channel, as each attempt ends; a run sends only what no
//! earlier run did, so running it twice sends nothing twice and a run
//! stopped anywhere is resumed by the next. An email is recorded once the
//! mail server has taken it, so a crash between the two sends that one
//! again: at least once, never lost.
//!
//! The group's one message goes to each member in an envelope of their
//! own, with every member in its `To` line: a mail server that refuses one
//! address (a 5xx) then refuses that member alone, recorded and reported,
//! and the others still get it. A failure that may pass (no connection, a
//! 4xx) stops the run: the server is in trouble, and what is left is tried
//! by the next run.

pub mod fediverse;

use std::time::Duration;

use generator::content::Site;
use generator::content::site::{Email, EmailTls};
use generator::matching::introductions::{self, Group, Letter, Organiser, Round};
use lettre::address::Envelope;
use lettre::message::header::ContentType;
use lettre::message::{MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::error::FederationError;
use crate::store::{Channel, IntroductionRow, Status, Store};

/// How long one exchange with the mail server may take.
const MAIL_TIMEOUT: Duration = Duration::from_secs(30);

/// Why introductions could not be sent at all.
#[derive(Debug, thiserror::Error)]
pub enum IntroduceError {
    /// The database could not be opened, read or written.
    #[error(transparent)]
    Store(#[from] FederationError),
    /// The mail settings cannot make a connection (a TLS set-up that
    /// fails before any is tried).
    #[error("cannot set up the connection to the mail server {host}: {reason}")]
    MailSettings {
        /// The mail server.
        host: String,
        /// Why.
        reason: String,
    },
    /// An address of the settings is not one the mail library takes.
    #[error("`{address}` cannot be used as an email address: {reason}")]
    Address {
        /// The address.
        address: String,
        /// Why.
        reason: String,
    },
}

/// What sending needs besides the round.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `[email]`.
    pub email: Email,
    /// The user name and password, from the environment, if the server
    /// wants them.
    pub credentials: Option<(String, String)>,
}

/// One group's message, ready to send or show.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The words.
    pub letter: Letter,
    /// The message as sent: headers and both parts.
    pub message: lettre::Message,
}

impl Composed {
    /// The headers a person reads, one a line, as written rather than as
    /// encoded for the wire.
    pub fn headers(&self) -> String {
        let headers = self.message.headers();
        ["From", "Reply-To", "To", "Subject", "Message-ID", "Date"]
            .iter()
            .filter_map(|name| Some(format!("{name}: {}\n", headers.get_raw(name)?)))
            .collect()
    }
}

/// The organiser as the message names them: `reply_to`, or the sender.
pub fn organiser(email: &Email) -> Organiser<'_> {
    let organiser = email.organiser();
    Organiser {
        name: organiser.name.as_deref(),
        address: &organiser.address,
    }
}

fn mailbox(name: Option<&str>, address: &str) -> Result<lettre::message::Mailbox, IntroduceError> {
    let parsed = address
        .parse::<lettre::Address>()
        .map_err(|e| IntroduceError::Address {
            address: address.to_string(),
            reason: e.to_string(),
        })?;
    Ok(lettre::message::Mailbox::new(
        name.map(str::to_string),
        parsed,
    ))
}

/// The id of a group's message: the same on every run, so that a message
/// sent again after a failure is known by mail readers as the same one.
fn message_id(site: &Site, round: &Round<'_>, group: &Group<'_>) -> String {
    let host = site.base_url.host_str().unwrap_or("interchange.invalid");
    let which = generator::fingerprint::of((round.programme.as_deref(), &group.key));
    format!("<introduction.{}.{which:016x}@{host}>", round.month)
}

/// The message introducing `group` to each other, from `email`'s sender
/// (named after the site if it has no name of its own), replies going to
/// the organiser, to every member with an email address.
pub fn compose(
    site: &Site,
    email: &Email,
    round: &Round<'_>,
    group: &Group<'_>,
) -> Result<Composed, IntroduceError> {
    let letter = introductions::letter(site, round, group, organiser(email));
    let from = mailbox(
        Some(email.from.name.as_deref().unwrap_or(&site.title)),
        &email.from.address,
    )?;
    let reply_to = email.organiser();
    let mut builder = lettre::Message::builder()
        .from(from)
        .reply_to(mailbox(reply_to.name.as_deref(), &reply_to.address)?)
        .subject(letter.subject.clone())
        .message_id(Some(message_id(site, round, group)));
    for member in &group.members {
        if let Some(address) = member.email() {
            builder = builder.to(mailbox(Some(member.name()), address)?);
        }
    }
    // The envelope is set per recipient when sent; this one only lets a
    // group with no address at all be shown in a dry run.
    let sender =
        email
            .from
            .address
            .parse::<lettre::Address>()
            .map_err(|e| IntroduceError::Address {
                address: email.from.address.clone(),
                reason: e.to_string(),
            })?;
    let envelope =
        Envelope::new(Some(sender.clone()), vec![sender]).map_err(|e| IntroduceError::Address {
            address: email.from.address.clone(),
            reason: e.to_string(),
        })?;
    let message = builder
        .envelope(envelope)
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(letter.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(letter.html.clone()),
                ),
        )
        .map_err(|e| IntroduceError::Address {
            address: email.from.address.clone(),
            reason: e.to_string(),
        })?;
    Ok(Composed { letter, message })
}

/// How one person's introduction went, over one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Sent now.
    Sent,
    /// Sent by an earlier run: not sent again.
    SentBefore,
    /// Refused for good now (a 5xx), with what the server said.
    Refused(String),
    /// Refused for good by an earlier run, to the same address: not tried
    /// again.
    RefusedBefore(String),
    /// Not sent, but may be next time (no connection, a 4xx).
    Failed(String),
    /// Not tried: the mail server had failed before their turn.
    NotTried,
    /// Their profile gives no address for this channel.
    NoAddress,
}

impl Outcome {
    /// Whether it calls for someone to act: a failure, a refusal, or an
    /// introduction not sent.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Outcome::Refused(_)
                | Outcome::RefusedBefore(_)
                | Outcome::Failed(_)
                | Outcome::NotTried
        )
    }
}

/// One person's introduction over one channel.
#[derive(Debug, Clone)]
pub struct Reached {
    /// Their group's key.
    pub group: String,
    /// Their profile's key.
    pub recipient: String,
    /// Their name.
    pub name: String,
    /// Email or fediverse.
    pub channel: Channel,
    /// The address used, if they have one.
    pub address: Option<String>,
    /// How it went.
    pub outcome: Outcome,
}

/// What a run of introductions did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every person of every group, over each channel tried.
    pub reached: Vec<Reached>,
}

impl Report {
    /// Whether anything failed or is left unsent.
    pub fn failed(&self) -> bool {
        self.reached.iter().any(|r| r.outcome.is_failure())
    }

    /// How many reached over `channel` had `outcome` (compared by kind).
    pub fn count(&self, channel: Channel, outcome: fn(&Outcome) -> bool) -> usize {
        self.reached
            .iter()
            .filter(|r| r.channel == channel && outcome(&r.outcome))
            .count()
    }
}

/// The transport to the mail server of `settings`, connections kept open
/// between messages.
fn transport(
    settings: &MailSettings,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, IntroduceError> {
    let email = &settings.email;
    let tls = || {
        TlsParameters::new(email.host.clone()).map_err(|e| IntroduceError::MailSettings {
            host: email.host.clone(),
            reason: e.to_string(),
        })
    };
    let tls = match email.tls {
        EmailTls::None => Tls::None,
        EmailTls::Starttls => Tls::Required(tls()?),
        EmailTls::Tls => Tls::Wrapper(tls()?),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(email.host.clone())
        .port(email.port)
        .tls(tls)
        .timeout(Some(MAIL_TIMEOUT));
    if let Some((username, password)) = &settings.credentials {
        builder = builder.credentials(Credentials::new(username.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// What the store says of a round's introductions, by (group, person,
/// channel).
type Recorded = std::collections::HashMap<(String, String, Channel), IntroductionRow>;

pub(crate) async fn recorded(
    store: &Store,
    round: &Round<'_>,
) -> Result<Recorded, FederationError> {
    Ok(store
        .introductions(
            round.programme.as_deref().unwrap_or(""),
            &round.month.to_string(),
        )
        .await?
        .into_iter()
        .map(|row| {
            (
                (row.group_key.clone(), row.recipient.clone(), row.channel),
                row,
            )
        })
        .collect())
}

/// How many messages are with the mail server at once. lettre writes a
/// message's end in a segment of its own, which waits for the server to
/// acknowledge the rest (Nagle's algorithm meeting delayed
/// acknowledgement: some 40 ms a message); a few at once overlap the waits.
const AT_ONCE: usize = 8;

/// One message to one person, to send.
struct Job {
    /// Where it goes in the report, which keeps the round's order.
    order: usize,
    group: String,
    recipient: String,
    name: String,
    address: String,
    bytes: std::sync::Arc<Vec<u8>>,
    attempts: i64,
}

impl Job {
    fn reached(&self, outcome: Outcome) -> Reached {
        Reached {
            group: self.group.clone(),
            recipient: self.recipient.clone(),
            name: self.name.clone(),
            channel: Channel::Email,
            address: Some(self.address.clone()),
            outcome,
        }
    }
}

/// Sends the introductions of `round` by email that no earlier run sent,
/// recording each in `store`.
pub async fn send_emails(
    site: &Site,
    round: &Round<'_>,
    settings: &MailSettings,
    store: &Store,
) -> Result<Report, IntroduceError> {
    let transport = transport(settings)?;
    let mut recorded = recorded(store, round).await?;
    let sender = settings
        .email
        .from
        .address
        .parse::<lettre::Address>()
        .map_err(|e| IntroduceError::Address {
            address: settings.email.from.address.clone(),
            reason: e.to_string(),
        })?;
    // Each person's outcome, in the round's order; the messages to send.
    let mut reached: Vec<Option<Reached>> = Vec::new();
    let mut jobs = std::collections::VecDeque::new();
    for group in &round.groups {
        let composed = compose(site, &settings.email, round, group)?;
        let bytes = std::sync::Arc::new(composed.message.formatted());
        for member in &group.members {
            let order = reached.len();
            let known = |address: Option<&str>, outcome| {
                Some(Reached {
                    group: group.key.clone(),
                    recipient: member.id.clone(),
                    name: member.name().to_string(),
                    channel: Channel::Email,
                    address: address.map(str::to_string),
                    outcome,
                })
            };
            let Some(address) = member.email() else {
                reached.push(known(None, Outcome::NoAddress));
                continue;
            };
            let before = recorded.remove(&(group.key.clone(), member.id.clone(), Channel::Email));
            match &before {
                Some(row) if row.status == Status::Sent => {
                    reached.push(known(Some(address), Outcome::SentBefore));
                    continue;
                }
                Some(row) if row.status == Status::Refused && row.address == address => {
                    let detail = row.detail.clone().unwrap_or_default();
                    reached.push(known(Some(address), Outcome::RefusedBefore(detail)));
                    continue;
                }
                _ => reached.push(None),
            }
            jobs.push_back(Job {
                order,
                group: group.key.clone(),
                recipient: member.id.clone(),
                name: member.name().to_string(),
                address: address.to_string(),
                bytes: bytes.clone(),
                attempts: before.map_or(0, |row| row.attempts),
            });
        }
    }

    // Set once the mail server fails in a way that may pass: what is not
    // under way by then waits for the next run.
    let mut stopped = false;
    let mut sending = futures_util::stream::FuturesUnordered::new();
    loop {
        while !stopped && sending.len() < AT_ONCE {
            let Some(job) = jobs.pop_front() else {
                break;
            };
            let (transport, sender) = (&transport, &sender);
            sending.push(async move {
                let outcome = send_one(transport, sender, &job.address, &job.bytes).await;
                (job, outcome)
            });
        }
        let Some((job, outcome)) = futures_util::StreamExt::next(&mut sending).await else {
            break;
        };
        let (status, detail) = match &outcome {
            Outcome::Sent => (Status::Sent, None),
            Outcome::Refused(detail) => (Status::Refused, Some(detail.clone())),
            Outcome::Failed(detail) => {
                stopped = true;
                (Status::Failed, Some(detail.clone()))
            }
            other => (Status::Failed, Some(format!("{other:?}"))),
        };
        store
            .record_introduction(&IntroductionRow {
                programme: round.programme.clone().unwrap_or_default(),
                month: round.month.to_string(),
                group_key: job.group.clone(),
                recipient: job.recipient.clone(),
                channel: Channel::Email,
                address: job.address.clone(),
                status,
                detail,
                attempts: job.attempts + 1,
            })
            .await?;
        reached[job.order] = Some(job.reached(outcome));
    }
    for job in jobs {
        reached[job.order] = Some(job.reached(Outcome::NotTried));
    }
    Ok(Report {
        reached: reached.into_iter().flatten().collect(),
    })
}

/// Sends `bytes` to `to` alone.
async fn send_one(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    sender: &lettre::Address,
    to: &str,
    bytes: &[u8],
) -> Outcome {
    let recipient = match to.parse::<lettre::Address>() {
        Ok(recipient) => recipient,
        Err(e) => return Outcome::Refused(format!("not an address the mail library takes: {e}")),
    };
    let envelope = match Envelope::new(Some(sender.clone()), vec![recipient]) {
        Ok(envelope) => envelope,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    match transport.send_raw(&envelope, bytes).await {
        Ok(_) => Outcome::Sent,
        // The error says what the server answered, and why the connection
        // failed: its sources are in its text already.
        Err(e) if e.is_permanent() => Outcome::Refused(e.to_string()),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}
