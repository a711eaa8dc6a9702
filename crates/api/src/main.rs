//! The `boussole` command: serve the platform, or run one maintenance task.

use anyhow::Context;
use boussole_api::{AppState, Application, Config, db, journal, openapi, seed};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "boussole",
    version,
    about = "Boussole : la plateforme des bilans de compétences"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web app (the default).
    Serve,
    /// Apply the pending database migrations, then stop.
    Migrate,
    /// Create the demo organisation and accounts (password `boussole-demo`) if the database has no account;
    /// refused where the configuration looks like production (https, SMTP) unless `--force`.
    SeedDemo {
        /// Seed even though the configuration looks like production (https public URL or SMTP set).
        #[arg(long)]
        force: bool,
    },
    /// Create an admin account and print the link where they choose their password.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Admin")]
        first_name: String,
        #[arg(long, default_value = "Boussole")]
        last_name: String,
    },
    /// Print the OpenAPI document (what `openapi/openapi.json` holds).
    Openapi,
    /// Recompute the audit journal's keyed chain and check it against the signed head; exits 1 when it
    /// is broken, truncated or rolled back.
    AuditVerify,
    /// After restoring the database from a backup: journal the rollback and sign a new head at the
    /// table's end (the restore stays visible in the journal).
    AuditReanchor,
    /// Load-test data: many beneficiaries, bilans and audit entries.
    #[command(hide = true)]
    SeedBench {
        #[arg(long, default_value_t = 10_000)]
        beneficiaries: usize,
        #[arg(long, default_value_t = 1_000_000)]
        audit_rows: usize,
        /// Bilans over those beneficiaries…
        #[arg(long, default_value_t = 10_000)]
        bilans: usize,
        /// …of which this many are the demo consultant's (the others the second consultant's).
        #[arg(long, default_value_t = 200)]
        bilans_mine: usize,
    },
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("BOUSSOLE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("BOUSSOLE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing();
    if let Some(Command::Openapi) = cli.command {
        print!("{}", openapi::document_json());
        return Ok(());
    }
    let config = Config::from_env().context("configuration")?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tracing::info!(config = ?config, "starting");
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(config)?;
                tracing::info!(port = app.port(), "listening");
                app.run_until_stopped().await?;
                Ok(())
            })
        }
        Command::Migrate => {
            let mut conn = db::connect(&config.database_url).context("DATABASE_URL")?;
            let applied = db::migrate(&mut conn)?;
            println!("{applied} migration(s) applied");
            Ok(())
        }
        Command::SeedDemo { force } => {
            seed::refuse_in_production(&config, force)?;
            let state = AppState::new(config)?;
            let mut conn = state.pool.get()?;
            if seed::seed_demo(&mut conn)? {
                seed::seed_demo_bilan(&mut conn, &state.config.master_key)?;
                seed::seed_demo_availability(&mut conn)?;
                seed::story::seed_demo_story(&mut conn, &state.config)?;
                let master = &state.config.master_key;
                boussole_api::assessments::demo::seed_story(&mut conn, master)?;
                boussole_api::projection::demo_story::seed_story(&mut conn, master)?;
                boussole_api::messages::demo::seed(&mut conn, &state.config)?;
                boussole_api::synthesis::demo::seed(&mut conn, master, &state.rome)?;
                drop(conn);
                // Issuing writes to storage (async): the organisation's identity and two documents,
                // then the invoices, which print that identity.
                actix_web::rt::System::new().block_on(async {
                    boussole_api::documents::demo::seed(&state).await?;
                    boussole_api::synthesis::demo::seed_sent(&state).await?;
                    boussole_api::signatures::demo::seed(&state).await?;
                    boussole_api::money::demo::seed(&state).await?;
                    boussole_api::documents::demo::seed_legal(&state).await?;
                    boussole_api::resources::demo::seed(&state).await
                })?;
                boussole_api::webhooks::demo::seed(&mut *state.pool.get()?, &state.config)?;
                boussole_api::notifications::demo::seed(
                    &mut *state.pool.get()?,
                    boussole_api::messages::store::participants,
                )?;
                boussole_api::retention::demo::seed(&mut *state.pool.get()?)?;
                println!("Demo accounts created (password: {}):", seed::DEMO_PASSWORD);
                println!(
                    "  admin@boussole.test, consultant@boussole.test, beneficiaire@boussole.test"
                );
            } else {
                println!("The database already has accounts: demo data not added.");
            }
            Ok(())
        }
        Command::CreateAdmin {
            email,
            first_name,
            last_name,
        } => {
            let state = AppState::new(config)?;
            let link = seed::create_admin(
                &mut *state.pool.get()?,
                &state,
                &email,
                &first_name,
                &last_name,
            )?;
            println!(
                "Admin {email} created. They choose their password here (valid 7 days):\n{link}"
            );
            Ok(())
        }
        Command::AuditVerify => {
            let mut conn =
                db::connect_keyed(&config.database_url, &config.keys()).context("DATABASE_URL")?;
            let checked = journal::verify_explained(&mut conn)?;
            println!("{}", serde_json::to_string_pretty(&checked.result)?);
            if let Some(problem) = checked.problem {
                eprintln!("audit journal: {problem}");
            }
            if checked.result.valid {
                Ok(())
            } else {
                std::process::exit(1)
            }
        }
        Command::AuditReanchor => {
            let mut conn =
                db::connect_keyed(&config.database_url, &config.keys()).context("DATABASE_URL")?;
            match journal::reanchor(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))? {
                Some(problem) => println!("Re-anchored (journaled as audit.reanchor): {problem}"),
                None => println!("The signed head matches the journal: nothing to do."),
            }
            Ok(())
        }
        Command::SeedBench {
            beneficiaries,
            audit_rows,
            bilans,
            bilans_mine,
        } => {
            let state = AppState::new(config)?;
            let mut conn = state.pool.get()?;
            seed::seed_bench(&mut conn, beneficiaries, audit_rows)?;
            seed::seed_bench_bilans(&mut conn, bilans, bilans_mine)?;
            println!(
                "seeded {beneficiaries} beneficiaries, {bilans} bilans ({bilans_mine} the demo consultant's) and {audit_rows} audit entries"
            );
            Ok(())
        }
        Command::Openapi => Ok(()),
    }
}
