//! Sending email: over SMTP when configured, otherwise into the development mailbox (one JSON file per
//! message in the data folder) that the demo and the tests read. Every message goes through the
//! [`outbox`], written in the transaction of the change that causes it and sent with retries; account
//! emails keep their personal link as a sealed secret part that nobody reading the outbox sees.

use std::path::PathBuf;

use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::config::Config;

pub mod outbox;
pub mod sms;
pub mod templates;

/// A message to one person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// An iCalendar invitation, attached as `rendez-vous.ics`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ics: Option<String>,
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    Mailbox {
        dir: PathBuf,
    },
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        match &config.smtp {
            Some(smtp) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp.url)
                    .map_err(|e| anyhow::anyhow!("BOUSSOLE_SMTP_URL: {e}"))?
                    .build();
                let transport = Box::new(transport);
                let from = smtp
                    .from
                    .parse()
                    .map_err(|e| anyhow::anyhow!("BOUSSOLE_MAIL_FROM: {e}"))?;
                Ok(Mailer::Smtp { transport, from })
            }
            None => {
                let dir = config.mailbox_dir();
                std::fs::create_dir_all(&dir)?;
                Ok(Mailer::Mailbox { dir })
            }
        }
    }

    pub async fn send(&self, email: Email) -> anyhow::Result<()> {
        match self {
            Mailer::Smtp { transport, from } => {
                let builder = Message::builder()
                    .from(from.clone())
                    .to(email.to.parse()?)
                    .subject(email.subject);
                let message = match email.ics {
                    None => builder.header(ContentType::TEXT_PLAIN).body(email.text)?,
                    Some(ics) => builder.multipart(
                        MultiPart::mixed()
                            .singlepart(SinglePart::plain(email.text))
                            .singlepart(Attachment::new("rendez-vous.ics".into()).body(
                                ics,
                                ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")?,
                            )),
                    )?,
                };
                transport.send(message).await?;
            }
            Mailer::Mailbox { dir } => {
                let name = format!("{}.json", uuid::Uuid::now_v7());
                tokio::fs::write(dir.join(name), serde_json::to_vec_pretty(&email)?).await?;
            }
        }
        Ok(())
    }
}

/// Reads the development mailbox, oldest first (used by the tests and the demo).
pub fn read_mailbox(dir: &std::path::Path) -> std::io::Result<Vec<Email>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let bytes = std::fs::read(&name)?;
        if let Ok(email) = serde_json::from_slice(&bytes) {
            out.push(email);
        }
    }
    Ok(out)
}
