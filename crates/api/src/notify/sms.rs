//! SMS through the HTTP gateway the organisation configured: a POST of its body template with the
//! number and the text filled in. Any answer but 2xx is a failure (the outbox retries it).

use std::time::Duration;

use crate::config::SmsConfig;

#[derive(Clone)]
pub struct SmsGateway {
    config: SmsConfig,
    client: reqwest::Client,
}

/// A value as it may sit inside a JSON string of the template (quotes and control characters escaped).
fn escape(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// Whether a number is a French mobile (+33 6… or +33 7…), the only kind SMS reminders go to.
pub fn is_french_mobile(phone: &str) -> bool {
    let n = international(phone);
    n.len() == 12
        && (n.starts_with("+336") || n.starts_with("+337"))
        && n[1..].chars().all(|c| c.is_ascii_digit())
}

/// The number in international form (+33…), as gateways expect it.
pub fn international(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    match digits.strip_prefix('0') {
        Some(rest) if !digits.starts_with("00") => format!("+33{rest}"),
        _ => digits,
    }
}

impl SmsGateway {
    pub fn new(config: SmsConfig) -> anyhow::Result<SmsGateway> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()?;
        Ok(SmsGateway { config, client })
    }

    pub fn body(&self, to: &str, text: &str) -> String {
        self.config
            .body_template
            .replace("{{to}}", &escape(&international(to)))
            .replace("{{text}}", &escape(text))
    }

    pub async fn send(&self, to: &str, text: &str) -> anyhow::Result<()> {
        let mut request = self
            .client
            .post(&self.config.url)
            .header(reqwest::header::CONTENT_TYPE, &self.config.content_type)
            .body(self.body(to, text));
        if let Some((name, value)) = &self.config.auth_header {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.send().await?;
        let status = response.status();
        if !status.is_success() {
            anyhow::bail!("SMS gateway answered {status}");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_international_and_text_is_escaped() {
        assert_eq!(international("06 12 34 56 78"), "+33612345678");
        assert_eq!(international("+33 7 12 34 56 78"), "+33712345678");
        assert!(is_french_mobile("06.12.34.56.78") && is_french_mobile("+33 7 12 34 56 78"));
        assert!(
            !is_french_mobile("04 72 00 00 00")
                && !is_french_mobile("06 12 34")
                && !is_french_mobile("06 12 34 56 7x")
        );
        assert_eq!(
            escape("Rendez-vous \"demain\"\n"),
            "Rendez-vous \\\"demain\\\"\\n"
        );
    }
}
