//! `sathi`: the server and its administration commands in one binary.

mod demo;
mod import;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use sathi_domain::config_files;
use sathi_server::config_files::locations::{self, LocationsFormat};
use sathi_server::state::{AppState, Settings};
use sathi_server::users::CreateUserRequest;
use sathi_store::Store;
use secrecy::SecretString;

#[derive(Parser)]
#[command(name = "sathi", version, about = "Offline-first child protection case management")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve(ServeArgs),
    /// Create a demo deployment: the default configuration, 15 agencies, users for every role
    /// and about 2,000 synthetic cases. Prints the demo logins. If the database already contains
    /// the demo, adds nothing and prints the logins again.
    Demo(DemoArgs),
    /// Apply database migrations and store the default configuration if none is stored.
    Migrate(DatabaseArgs),
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Validate, export or import the configuration (forms, lookups, locations, roles, agencies).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Import cases from a CSV, XLSX or incumbent JSON file: a dry run that checks every row,
    /// then the import (unless --dry-run). Progress goes to standard error.
    Import(import::ImportArgs),
}

#[derive(Args, Clone)]
struct DatabaseArgs {
    /// Folder for the embedded SQLite database; created if missing.
    #[arg(long, default_value = "./sathi-data", env = "SATHI_DATA_DIR")]
    data_dir: PathBuf,
    /// A `postgres://` URL to use PostgreSQL instead of SQLite in the data folder.
    #[arg(long, env = "SATHI_DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "SATHI_LISTEN")]
    listen: SocketAddr,
    /// PEM certificate chain, to serve HTTPS directly (needs --tls-key).
    #[arg(long, requires = "tls_key", env = "SATHI_TLS_CERT")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of the certificate.
    #[arg(long, requires = "tls_cert", env = "SATHI_TLS_KEY")]
    tls_key: Option<PathBuf>,
    /// Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are
    /// trusted; comma-separated. Forwarded headers from any other address are ignored.
    #[arg(long, value_delimiter = ',', env = "SATHI_TRUSTED_PROXIES")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Contact for the push services' operators, sent in every web push signature (VAPID
    /// subject): a `mailto:` or `https:` address of the administrator.
    #[arg(long, env = "SATHI_PUSH_CONTACT", default_value = sathi_server::push::DEFAULT_CONTACT)]
    push_contact: String,
    /// Turn web push off: no notifications reach phones while the app is closed.
    #[arg(long, env = "SATHI_NO_WEB_PUSH")]
    no_web_push: bool,
}

#[derive(Args)]
struct DemoArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Number of synthetic cases.
    #[arg(long, default_value_t = 2000)]
    cases: usize,
    /// Seed of the random generator, so the same demo can be made again.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Start the server once the demo exists, as `sathi serve` does.
    #[arg(long)]
    serve: bool,
    /// Address and port the server listens on with --serve.
    #[arg(long, default_value = "127.0.0.1:8080", requires = "serve")]
    listen: SocketAddr,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. Prompts for the password unless SATHI_PASSWORD is set.
    Add {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
        /// Agency id from the configuration (config/agencies.json), such as `bcri`.
        #[arg(long)]
        agency: String,
        /// Role id: caseworker, supervisor, agency_admin, service_provider,
        /// information_management_officer or system_admin.
        #[arg(long)]
        role: String,
        /// Interface language, `bn` or `en`; the deployment's first locale by default.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Disable a user; their sessions end at once.
    Disable {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
    },
    /// Set a new password and unlock the account. Prompts unless SATHI_PASSWORD is set.
    ResetPassword {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check a configuration folder and list every problem found.
    Validate {
        /// Folder laid out like `config/` in the source tree.
        dir: PathBuf,
    },
    /// Write the configuration in force to a folder.
    Export {
        #[command(flatten)]
        database: DatabaseArgs,
        dir: PathBuf,
    },
    /// Validate a configuration folder and make it the configuration in force.
    Import {
        #[command(flatten)]
        database: DatabaseArgs,
        dir: PathBuf,
    },
    /// Write the locations of the configuration in force to a CSV or JSON file, by its extension.
    ExportLocations {
        #[command(flatten)]
        database: DatabaseArgs,
        file: PathBuf,
    },
    /// Replace the locations of the configuration in force with a CSV or JSON file, by its
    /// extension. CSV columns: code,level,parent,name_en,name_bn.
    ImportLocations {
        #[command(flatten)]
        database: DatabaseArgs,
        file: PathBuf,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_logging();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Demo(args) => {
            let state = open_state(&args.database).await?;
            demo::create(&state, args.cases, args.seed).await?;
            drop(state);
            if !args.serve {
                match &args.database.database_url {
                    Some(_) => println!("Start the server with: sathi serve --database-url URL"),
                    None => println!(
                        "Start the server with: sathi serve --data-dir {}",
                        args.database.data_dir.display()
                    ),
                }
                return Ok(());
            }
            let serve_args = ServeArgs {
                database: args.database,
                listen: args.listen,
                tls_cert: None,
                tls_key: None,
                trusted_proxies: Vec::new(),
                push_contact: sathi_server::push::DEFAULT_CONTACT.to_owned(),
                no_web_push: false,
            };
            serve(serve_args).await
        }
        Command::Migrate(args) => {
            let state = open_state(&args).await?;
            println!("Database is up to date; configuration version {}.", state.configuration().version);
            Ok(())
        }
        Command::User { command } => user_command(command).await,
        Command::Config { command } => config_command(command).await,
        Command::Import(args) => import::run(args).await,
    }
}

/// Logs to standard error: readable text by default, one JSON object per event with
/// `SATHI_LOG_FORMAT=json` for log collectors. `SATHI_LOG` sets the filter (`info,sqlx=warn`).
fn init_logging() {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("SATHI_LOG").unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr);
    if std::env::var("SATHI_LOG_FORMAT").is_ok_and(|format| format == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn database_url(args: &DatabaseArgs) -> anyhow::Result<String> {
    if let Some(url) = &args.database_url {
        return Ok(url.clone());
    }
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create the data folder {}", args.data_dir.display()))?;
    Ok(format!("sqlite://{}", args.data_dir.join("sathi.db").display()))
}

async fn open_state(args: &DatabaseArgs) -> anyhow::Result<AppState> {
    open_state_with(args, Settings::default()).await
}

async fn open_state_with(args: &DatabaseArgs, settings: Settings) -> anyhow::Result<AppState> {
    let url = database_url(args)?;
    let store: Arc<dyn Store> = sathi_store::open(&url).await.context("cannot open the database")?;
    sathi_server::state(store, settings).await
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(sathi_server::TlsFiles { cert, key }),
        _ => None,
    };
    let push = sathi_server::push::PushSettings {
        enabled: !args.no_web_push,
        contact: args.push_contact,
        ..sathi_server::push::PushSettings::default()
    };
    let settings =
        Settings { trusted_proxies: args.trusted_proxies, tls: tls.is_some(), push, ..Settings::default() };
    let state = open_state_with(&args.database, settings).await?;
    if state.store.count_users().await? == 0 {
        tracing::warn!(
            "no users exist yet; create the first administrator with: sathi user add --username NAME \
             --full-name \"FULL NAME\" --agency AGENCY_ID --role system_admin"
        );
    }
    let listener = std::net::TcpListener::bind(args.listen)
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(address = %listener.local_addr()?, backend = state.store.backend(), "listening");
    println!("Sathi is running at {scheme}://{}/ (stop with Ctrl-C)", listener.local_addr()?);
    sathi_server::serve(listener, state, tls, sathi_server::shutdown_signal()).await
}

fn read_password(prompt: &str) -> anyhow::Result<SecretString> {
    if let Ok(password) = std::env::var("SATHI_PASSWORD") {
        return Ok(SecretString::from(password));
    }
    let first = rpassword::prompt_password(prompt).context("cannot read the password")?;
    let again = rpassword::prompt_password("Repeat the password: ").context("cannot read the password")?;
    if first != again {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(SecretString::from(first))
}

/// Prints an API error the way a person reads it, in English: the message, then one line per
/// field error.
fn api_error(error: sathi_server::error::ApiError, state: &AppState) -> anyhow::Error {
    let body = error.render_with(&state.messages, "en", Some(&state.configuration().config));
    for field in &body.error.fields {
        eprintln!("  {}", field.message);
    }
    anyhow::anyhow!("{}", body.error.message)
}

async fn user_command(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { database, username, full_name, agency, role, locale } => {
            let state = open_state(&database).await?;
            let password = read_password("Password for the new user: ")?;
            let request =
                CreateUserRequest { username, full_name, agency_id: agency, role_id: role, locale, password };
            let user = sathi_server::users::add_user(&state, request)
                .await
                .map_err(|error| api_error(error, &state))?;
            println!("Added user {} ({}, {}).", user.username, user.role_id, user.agency_id);
        }
        UserCommand::Disable { database, username } => {
            let state = open_state(&database).await?;
            let user = find_user(&state, &username).await?;
            state.store.set_user_disabled(user.id, true).await?;
            state.store.delete_sessions_of(user.id).await?;
            println!("Disabled user {username}; their sessions have ended.");
        }
        UserCommand::ResetPassword { database, username } => {
            let state = open_state(&database).await?;
            let user = find_user(&state, &username).await?;
            let password = read_password(&format!("New password for {username}: "))?;
            sathi_server::users::check_password(&state, &password)
                .map_err(|error| api_error(error, &state))?;
            let hash = sathi_server::auth::hash_password(password).await?;
            state.store.set_password_hash(user.id, &hash).await?;
            state.store.delete_sessions_of(user.id).await?;
            println!("Set a new password for {username} and unlocked the account.");
        }
    }
    Ok(())
}

async fn find_user(state: &AppState, username: &str) -> anyhow::Result<sathi_store::User> {
    state
        .store
        .user_by_username(&username.trim().to_lowercase())
        .await?
        .with_context(|| format!("no user is named '{username}'; list users with GET /api/v1/users"))
}

async fn config_command(command: ConfigCommand) -> anyhow::Result<()> {
    match command {
        ConfigCommand::Validate { dir } => {
            let config = read_config_dir(&dir)?;
            report_problems(&config)?;
            println!(
                "The configuration in {} is valid: {} forms, {} lookups, {} locations.",
                dir.display(),
                config.forms.len(),
                config.lookups.len(),
                config.locations.len()
            );
        }
        ConfigCommand::Export { database, dir } => {
            let state = open_state(&database).await?;
            let loaded = state.configuration();
            for (name, contents) in config_files::to_files(&loaded.config) {
                let path = dir.join(&name);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, contents)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            println!("Exported configuration version {} to {}.", loaded.version, dir.display());
        }
        ConfigCommand::Import { database, dir } => {
            let config = read_config_dir(&dir)?;
            report_problems(&config)?;
            let state = open_state(&database).await?;
            let loaded = sathi_server::config_files::apply_configuration(&state, config, None)
                .await
                .map_err(|error| api_error(error, &state))?;
            println!(
                "Imported {} as configuration version {}; running servers load it within {} seconds.",
                dir.display(),
                loaded.version,
                sathi_server::config_files::RELOAD_INTERVAL.as_secs()
            );
        }
        ConfigCommand::ExportLocations { database, file } => {
            let format = locations_format(&file)?;
            let state = open_state(&database).await?;
            let loaded = state.configuration();
            let config = &loaded.config;
            let bytes = locations::write(&config.locations, &config.deployment.locales, format)?;
            std::fs::write(&file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
            println!(
                "Exported {} locations of configuration version {} to {}.",
                config.locations.len(),
                loaded.version,
                file.display()
            );
        }
        ConfigCommand::ImportLocations { database, file } => {
            let format = locations_format(&file)?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let state = open_state(&database).await?;
            let config =
                sathi_server::config_files::with_locations(&state.configuration().config, &bytes, format)
                    .map_err(|error| api_error(error, &state))?;
            let loaded = sathi_server::config_files::apply_configuration(&state, config, None)
                .await
                .map_err(|error| api_error(error, &state))?;
            println!(
                "Imported {} locations from {} as configuration version {}; running servers load it within {} seconds.",
                loaded.config.locations.len(),
                file.display(),
                loaded.version,
                sathi_server::config_files::RELOAD_INTERVAL.as_secs()
            );
        }
    }
    Ok(())
}

/// Chooses the locations file format of `file` from its extension.
fn locations_format(file: &Path) -> anyhow::Result<LocationsFormat> {
    let extension = file.extension().and_then(|extension| extension.to_str()).unwrap_or("");
    LocationsFormat::parse(extension)
        .with_context(|| format!("cannot tell the format of {}: name the file .csv or .json", file.display()))
}

fn report_problems(config: &sathi_domain::config::Configuration) -> anyhow::Result<()> {
    let problems = config.validate();
    if problems.is_empty() {
        return Ok(());
    }
    for problem in &problems {
        eprintln!("  {problem}");
    }
    bail!("the configuration has {} problems (listed above); nothing was changed", problems.len())
}

/// Reads every JSON file of a configuration folder.
fn read_config_dir(dir: &Path) -> anyhow::Result<sathi_domain::config::Configuration> {
    let mut files = Vec::new();
    for name in [
        config_files::DEPLOYMENT,
        config_files::LOOKUPS,
        config_files::LOCATIONS,
        config_files::AGENCIES,
        config_files::ROLES,
    ] {
        let path = dir.join(name);
        let contents =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        files.push((name.to_owned(), contents));
    }
    let forms_dir = dir.join(config_files::FORMS_DIR);
    let entries =
        std::fs::read_dir(&forms_dir).with_context(|| format!("cannot read {}", forms_dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == "json") {
            let name = format!(
                "{}/{}",
                config_files::FORMS_DIR,
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            files.push((name, std::fs::read_to_string(&path)?));
        }
    }
    Ok(config_files::parse(&files)?)
}
