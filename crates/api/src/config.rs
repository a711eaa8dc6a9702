//! Every setting, read once from the environment in `main` and passed in (no globals).
//! The README's configuration table lists the same variables with their defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use rand::RngCore;

pub use ipnet::IpNet;

/// A setting that could not be used: start-up stops with this message, which names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn bad(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

#[derive(Clone, Debug)]
pub struct SmtpConfig {
    /// `smtp://user:pass@host:587` (STARTTLS), `smtps://…:465` (TLS), or `smtp://host:25` (no TLS, no `tls=`) for a local relay.
    pub url: String,
    pub from: String,
}

/// S3-compatible object storage for files (otherwise a local folder).
#[derive(Clone)]
pub struct S3Config {
    pub bucket: String,
    pub region: String,
    /// For S3-compatible services (Scaleway, OVHcloud, MinIO…); unset for AWS.
    pub endpoint: Option<String>,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// A Jitsi Meet server for remote appointments.
#[derive(Clone)]
pub struct JitsiConfig {
    /// `https://visio.example.org` (self-hosted recommended: meet.jit.si cuts embedded rooms after 5 minutes).
    pub base_url: String,
    /// With `app_secret`: each participant gets a signed JWT (the server must be set up for tokens).
    pub app_id: Option<String>,
    pub app_secret: Option<String>,
}

/// An HTTP SMS gateway: a POST of `body_template` with `{{to}}` and `{{text}}` replaced (JSON-escaped).
#[derive(Clone)]
pub struct SmsConfig {
    pub url: String,
    /// `Header-Name: value`, e.g. `Authorization: Bearer …`.
    pub auth_header: Option<(String, String)>,
    pub body_template: String,
    pub content_type: String,
}

/// Booking rules and the outbox that sends their messages.
#[derive(Clone)]
pub struct AppointmentsConfig {
    /// Beneficiaries may move or cancel until this many hours before the start.
    pub cutoff_hours: i64,
    /// Reminders this many hours before the start (the day before and two hours before by default).
    pub reminder_hours: Vec<i64>,
    pub jitsi: JitsiConfig,
    pub sms: Option<SmsConfig>,
    /// How often the outbox looks for messages due.
    pub outbox_interval_ms: u64,
    /// First retry delay; each further retry waits four times longer (capped at 6 hours).
    pub outbox_retry_secs: i64,
    /// Attempts before a message is marked failed.
    pub outbox_max_attempts: i64,
}

/// Webhook deliveries (see `webhooks::delivery`).
#[derive(Clone, Debug)]
pub struct WebhooksConfig {
    /// How often the delivery job looks for deliveries due.
    pub interval_ms: u64,
    /// The unit of the retry schedule: retries wait 1, 5, 30, 120 then 360 times it (1 min, 5 min,
    /// 30 min, 2 h, 6 h with the default 60 s).
    pub retry_secs: i64,
    /// Attempts before a delivery is given up (failed).
    pub max_attempts: i64,
    /// Deliveries given up in a row after which the endpoint is disabled and the admins told.
    pub disable_after: i64,
    /// How long one POST may take.
    pub timeout_secs: u64,
    /// `http://` endpoints anywhere (otherwise only `https://`, and `http://` on the loopback).
    pub allow_http: bool,
}

#[derive(Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Signs access tokens; wiped from memory when dropped.
    pub jwt_secret: zeroize::Zeroizing<Vec<u8>>,
    /// Wraps each bilan's content key (envelope encryption): 32 bytes, wiped from memory when dropped.
    pub master_key: zeroize::Zeroizing<[u8; 32]>,
    /// The master key's file (when not given in the environment), the audit chain's signed head and
    /// the wrapping keys: outside the data folder, so that a copy of the data is not a copy of the keys.
    pub key_dir: PathBuf,
    /// Keys inside the data folder allowed (the demo, tests): a backup of the data then holds the keys.
    pub insecure_key_layout: bool,
    /// Signs the audit chain (derived from the master key).
    pub audit_key: crate::secrets::AuditKey,
    /// Clear IPs (journal, sessions, consents) are replaced by a marker after this many months.
    pub ip_retention_months: u32,
    /// How long backups are kept: retired wrapping keys are destroyed after this many days.
    pub backup_retention_days: i64,
    /// A new wrapping key every this many days.
    pub key_rotation_days: i64,
    pub public_url: String,
    pub smtp: Option<SmtpConfig>,
    pub s3: Option<S3Config>,
    pub mail_from: String,
    pub static_dir: PathBuf,
    /// The e2e run's screenshots, shown in the users' guides under `/aide`.
    pub guide_screenshots: PathBuf,
    pub pool_size: u32,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges); empty: none, and
    /// the client IP is the TCP peer's.
    pub trusted_proxies: Vec<IpNet>,
    pub workers: usize,
    pub json_limit_bytes: usize,
    /// How long a read may be served from memory without asking the database again (0: never).
    pub read_cache_ttl_secs: u64,
    /// What the read caches measure their TTL with: the system's; tests move their handle forward.
    pub clock: crate::clock::Clock,
    /// Accompaniment under this many hours shows a warning on the bilan (13 h by default, DOMAIN.md §1.3).
    pub min_accompaniment_hours: i64,
    pub appointments: AppointmentsConfig,
    pub webhooks: WebhooksConfig,
    /// Bearer token that `/metrics` asks for; unset, `/metrics` answers only to the machine itself.
    pub metrics_token: Option<String>,
}

impl std::fmt::Debug for Config {
    // Hand-written so that the JWT secret and SMTP credentials never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("database", &redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("key_dir", &self.key_dir)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp.as_ref().map(|s| redact_url(&s.url)))
            .field("static_dir", &self.static_dir)
            .field("s3_bucket", &self.s3.as_ref().map(|s| &s.bucket))
            .finish_non_exhaustive()
    }
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the configuration from any key → value lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let bind = get("BOUSSOLE_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind.parse().map_err(|e| {
            bad(
                "BOUSSOLE_BIND",
                format!("'{bind}' is not an address:port ({e})"),
            )
        })?;
        let data_dir = PathBuf::from(get("BOUSSOLE_DATA_DIR").unwrap_or_else(|| "./data".into()));
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            bad(
                "BOUSSOLE_DATA_DIR",
                format!("cannot create {}: {e}", data_dir.display()),
            )
        })?;
        let database_url = get("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("boussole.db").display()));
        if !(database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://")
            || database_url.starts_with("sqlite:"))
        {
            return Err(bad(
                "DATABASE_URL",
                "must start with sqlite:// (a file) or postgres:// (a server)",
            ));
        }
        let jwt_secret = match get("BOUSSOLE_JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                return Err(bad("BOUSSOLE_JWT_SECRET", "must be at least 32 characters"));
            }
            Some(s) => s.into_bytes(),
            None => load_or_create_secret(&data_dir.join("jwt-secret"))
                .map_err(|e| bad("BOUSSOLE_JWT_SECRET", format!("unset, and {e}")))?,
        };
        let insecure_key_layout = boolean(&get, "BOUSSOLE_INSECURE_KEY_LAYOUT", false)?;
        let key_dir = PathBuf::from(
            get("BOUSSOLE_KEY_DIR").unwrap_or_else(|| data_dir.join("keys").display().to_string()),
        );
        check_key_layout(&data_dir, &key_dir, insecure_key_layout)?;
        let master_key = zeroize::Zeroizing::new(load_master_key(
            &get,
            &data_dir,
            &key_dir,
            insecure_key_layout,
        )?);
        let public_url = get("BOUSSOLE_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(bad(
                "BOUSSOLE_PUBLIC_URL",
                "must start with http:// or https://",
            ));
        }
        let mail_from = get("BOUSSOLE_MAIL_FROM")
            .unwrap_or_else(|| "Boussole <no-reply@boussole.localhost>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(bad(
                "BOUSSOLE_MAIL_FROM",
                format!("'{mail_from}' is not a mailbox"),
            ));
        }
        let s3 = match get("BOUSSOLE_S3_BUCKET") {
            None => None,
            Some(bucket) => Some(S3Config {
                bucket,
                region: get("BOUSSOLE_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                endpoint: get("BOUSSOLE_S3_ENDPOINT"),
                access_key_id: get("BOUSSOLE_S3_ACCESS_KEY_ID").ok_or_else(|| {
                    bad(
                        "BOUSSOLE_S3_ACCESS_KEY_ID",
                        "required with BOUSSOLE_S3_BUCKET",
                    )
                })?,
                secret_access_key: get("BOUSSOLE_S3_SECRET_ACCESS_KEY").ok_or_else(|| {
                    bad(
                        "BOUSSOLE_S3_SECRET_ACCESS_KEY",
                        "required with BOUSSOLE_S3_BUCKET",
                    )
                })?,
            }),
        };
        let smtp = get("BOUSSOLE_SMTP_URL").map(|url| SmtpConfig {
            url,
            from: mail_from.clone(),
        });
        Ok(Config {
            bind,
            database_url,
            jwt_secret: zeroize::Zeroizing::new(jwt_secret),
            audit_key: crate::secrets::AuditKey::derive(&master_key, &key_dir),
            master_key,
            key_dir,
            insecure_key_layout,
            ip_retention_months: number(&get, "BOUSSOLE_IP_RETENTION_MONTHS", 12, 1, 12)?,
            backup_retention_days: number(&get, "BOUSSOLE_BACKUP_RETENTION_DAYS", 30, 1, 3_650)?,
            key_rotation_days: number(&get, "BOUSSOLE_KEY_ROTATION_DAYS", 7, 1, 365)?,
            data_dir,
            public_url: public_url.trim_end_matches('/').to_string(),
            smtp,
            s3,
            mail_from,
            static_dir: PathBuf::from(
                get("BOUSSOLE_STATIC_DIR").unwrap_or_else(|| "crates/web/dist".into()),
            ),
            guide_screenshots: PathBuf::from(
                get("BOUSSOLE_GUIDE_SCREENSHOTS").unwrap_or_else(|| "e2e/screenshots".into()),
            ),
            pool_size: number(&get, "BOUSSOLE_DB_POOL_SIZE", 10, 1, 200)?,
            access_token_ttl_secs: number(&get, "BOUSSOLE_ACCESS_TOKEN_TTL", 900, 30, 86_400)?,
            refresh_token_ttl_secs: number(
                &get,
                "BOUSSOLE_REFRESH_TOKEN_TTL",
                30 * 86_400,
                300,
                365 * 86_400,
            )?,
            trusted_proxies: trusted_proxies(&get)?,
            workers: number(&get, "BOUSSOLE_WORKERS", 0, 0, 256)?,
            json_limit_bytes: number(&get, "BOUSSOLE_JSON_LIMIT", 64 * 1024, 1024, 16 << 20)?,
            read_cache_ttl_secs: number(&get, "BOUSSOLE_READ_CACHE_TTL", 2, 0, 60)?,
            clock: crate::clock::Clock::default(),
            min_accompaniment_hours: number(&get, "BOUSSOLE_MIN_ACCOMPANIMENT_HOURS", 13, 0, 24)?,
            appointments: appointments_config(&get)?,
            webhooks: WebhooksConfig {
                interval_ms: number(&get, "BOUSSOLE_WEBHOOK_INTERVAL_MS", 5_000, 50, 600_000)?,
                retry_secs: number(&get, "BOUSSOLE_WEBHOOK_RETRY_SECS", 60, 0, 3_600)?,
                max_attempts: number(&get, "BOUSSOLE_WEBHOOK_MAX_ATTEMPTS", 8, 1, 20)?,
                disable_after: number(&get, "BOUSSOLE_WEBHOOK_DISABLE_AFTER", 5, 1, 1_000)?,
                timeout_secs: number(&get, "BOUSSOLE_WEBHOOK_TIMEOUT_SECS", 10, 1, 60)?,
                allow_http: boolean(&get, "BOUSSOLE_WEBHOOK_ALLOW_HTTP", false)?,
            },
            metrics_token: match get("BOUSSOLE_METRICS_TOKEN") {
                Some(t) if t.len() < 16 => {
                    return Err(bad(
                        "BOUSSOLE_METRICS_TOKEN",
                        "must be 16 characters at least",
                    ));
                }
                other => other,
            },
        })
    }

    /// What the database connections carry (see `db::Keys`).
    pub fn keys(&self) -> crate::db::Keys {
        crate::db::Keys {
            audit: self.audit_key.clone(),
            keyring: crate::secrets::Keyring::new(&self.master_key, &self.key_dir),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// The development mailbox: where messages go when no SMTP server is configured.
    pub fn mailbox_dir(&self) -> PathBuf {
        self.data_dir.join("mailbox")
    }

    /// Cookies get `Secure` when the platform is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn appointments_config(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<AppointmentsConfig, ConfigError> {
    let reminder_hours = match get("BOUSSOLE_REMINDER_HOURS") {
        None => vec![24, 2],
        Some(raw) => raw
            .split(',')
            .map(|h| {
                h.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|h| (1..=168).contains(h))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                bad(
                    "BOUSSOLE_REMINDER_HOURS",
                    format!("'{raw}' is not a list of hours (1 to 168) like 24,2"),
                )
            })?,
    };
    let base_url = get("BOUSSOLE_JITSI_URL").unwrap_or_else(|| "https://meet.jit.si".into());
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        return Err(bad("BOUSSOLE_JITSI_URL", "must start with https://"));
    }
    let (app_id, app_secret) = (
        get("BOUSSOLE_JITSI_APP_ID"),
        get("BOUSSOLE_JITSI_APP_SECRET"),
    );
    if app_id.is_some() != app_secret.is_some() {
        return Err(bad(
            "BOUSSOLE_JITSI_APP_SECRET",
            "BOUSSOLE_JITSI_APP_ID and BOUSSOLE_JITSI_APP_SECRET go together",
        ));
    }
    let sms = match get("BOUSSOLE_SMS_URL") {
        None => None,
        Some(url) => {
            let auth_header = match get("BOUSSOLE_SMS_AUTH_HEADER") {
                None => None,
                Some(h) => {
                    let (name, value) = h.split_once(':').ok_or_else(|| {
                        bad(
                            "BOUSSOLE_SMS_AUTH_HEADER",
                            "must look like 'Authorization: Bearer …'",
                        )
                    })?;
                    Some((name.trim().to_string(), value.trim().to_string()))
                }
            };
            Some(SmsConfig {
                url,
                auth_header,
                body_template: get("BOUSSOLE_SMS_BODY_TEMPLATE")
                    .unwrap_or_else(|| r#"{"to":"{{to}}","text":"{{text}}"}"#.into()),
                content_type: get("BOUSSOLE_SMS_CONTENT_TYPE")
                    .unwrap_or_else(|| "application/json".into()),
            })
        }
    };
    Ok(AppointmentsConfig {
        cutoff_hours: number(get, "BOUSSOLE_APPOINTMENT_CUTOFF_HOURS", 24, 0, 168)?,
        reminder_hours,
        jitsi: JitsiConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            app_id,
            app_secret,
        },
        sms,
        outbox_interval_ms: number(get, "BOUSSOLE_OUTBOX_INTERVAL_MS", 5_000, 50, 600_000)?,
        outbox_retry_secs: number(get, "BOUSSOLE_OUTBOX_RETRY_SECS", 30, 0, 3_600)?,
        outbox_max_attempts: number(get, "BOUSSOLE_OUTBOX_MAX_ATTEMPTS", 8, 1, 50)?,
    })
}

fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
    min: T,
    max: T,
) -> Result<T, ConfigError> {
    let Some(raw) = get(var) else {
        return Ok(default);
    };
    match raw.trim().parse::<T>() {
        Ok(v) if v >= min && v <= max => Ok(v),
        _ => Err(bad(
            var,
            format!("'{raw}' is not a number between {min} and {max}"),
        )),
    }
}

/// An address range (`10.0.0.0/8`, `::1/128`), or a bare address as the range of that one address.
pub fn parse_net(raw: &str) -> Option<IpNet> {
    let raw = raw.trim();
    raw.parse::<IpNet>()
        .ok()
        .or_else(|| raw.parse::<std::net::IpAddr>().ok().map(IpNet::from))
}

/// `BOUSSOLE_TRUSTED_PROXIES`; the old boolean is refused so that nobody believes it still works.
fn trusted_proxies(get: &impl Fn(&str) -> Option<String>) -> Result<Vec<IpNet>, ConfigError> {
    if get("BOUSSOLE_TRUST_PROXY").is_some() {
        return Err(bad(
            "BOUSSOLE_TRUST_PROXY",
            "replaced by BOUSSOLE_TRUSTED_PROXIES, the comma-separated addresses or CIDR ranges of \
             your reverse proxies (e.g. 127.0.0.1 or 10.0.0.0/8); remove BOUSSOLE_TRUST_PROXY",
        ));
    }
    let Some(raw) = get("BOUSSOLE_TRUSTED_PROXIES") else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            parse_net(s).ok_or_else(|| {
                bad(
                    "BOUSSOLE_TRUSTED_PROXIES",
                    format!(
                        "'{}' is not an IP address or a CIDR range like 10.0.0.0/8",
                        s.trim()
                    ),
                )
            })
        })
        .collect()
}

#[allow(
    dead_code,
    reason = "the reader of yes/no settings, kept for the next one (BOUSSOLE_TRUST_PROXY was the last)"
)]
fn boolean(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(var).as_deref().map(str::trim) {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(bad(var, format!("'{other}' is not true or false"))),
    }
}

/// The keys must not sit in the data folder: whoever copies the data (a backup, a stolen disk image)
/// would hold them too, and destroying a bilan's key would not destroy its content in that copy.
fn check_key_layout(data_dir: &Path, key_dir: &Path, insecure: bool) -> Result<(), ConfigError> {
    std::fs::create_dir_all(key_dir).map_err(|e| {
        bad(
            "BOUSSOLE_KEY_DIR",
            format!("cannot create {}: {e}", key_dir.display()),
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(key_dir, std::fs::Permissions::from_mode(0o700));
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let inside = canonical(key_dir).starts_with(canonical(data_dir));
    if inside && !insecure {
        return Err(bad(
            "BOUSSOLE_KEY_DIR",
            format!(
                "{} is inside BOUSSOLE_DATA_DIR ({}): a backup of the data would hold the keys. \
                 Set BOUSSOLE_KEY_DIR to a folder outside it (not backed up with the data), \
                 or BOUSSOLE_INSECURE_KEY_LAYOUT=1 for a demo",
                key_dir.display(),
                data_dir.display()
            ),
        ));
    }
    if inside {
        tracing::warn!(
            key_dir = %key_dir.display(),
            "BOUSSOLE_INSECURE_KEY_LAYOUT: the keys are inside the data folder; a backup of it holds them"
        );
    }
    Ok(())
}

/// The master key: `BOUSSOLE_MASTER_KEY`, else the key folder's `master-key` file (created once).
/// A `master-key` left in the data folder by an older version is used only with the insecure layout;
/// otherwise start-up stops and says where to move it (a new key would make every bilan unreadable).
fn load_master_key(
    get: &impl Fn(&str) -> Option<String>,
    data_dir: &Path,
    key_dir: &Path,
    insecure: bool,
) -> Result<[u8; 32], ConfigError> {
    let legacy = data_dir.join("master-key");
    let file = key_dir.join("master-key");
    let hex_key = match get("BOUSSOLE_MASTER_KEY") {
        Some(k) => k,
        None => {
            let path = if !file.exists() && legacy.exists() {
                if !insecure {
                    return Err(bad(
                        "BOUSSOLE_MASTER_KEY",
                        format!(
                            "{} is in the data folder: move it to {}",
                            legacy.display(),
                            file.display()
                        ),
                    ));
                }
                legacy
            } else {
                file
            };
            String::from_utf8(
                load_or_create_secret(&path)
                    .map_err(|e| bad("BOUSSOLE_MASTER_KEY", format!("unset, and {e}")))?,
            )
            .unwrap_or_default()
        }
    };
    hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b.get(..32)?).ok())
        .ok_or_else(|| {
            bad(
                "BOUSSOLE_MASTER_KEY",
                "must be at least 64 hexadecimal characters (32 bytes)",
            )
        })
}

/// The JWT secret lives in the data folder when not given: generated once, readable only by the owner.
fn load_or_create_secret(path: &Path) -> Result<Vec<u8>, String> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim();
        if existing.len() >= 64 {
            return Ok(existing.as_bytes().to_vec());
        }
        return Err(format!(
            "{} is too short; delete it to regenerate",
            path.display()
        ));
    }
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    crate::secrets::write_private(path, &secret)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(secret.into_bytes())
}
