//! The real `sathi serve` process under test, and its memory use from `/proc`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

/// How long the server may take to pass its health check after starting.
const START_TIMEOUT: Duration = Duration::from_secs(120);

pub struct ServerProcess {
    child: Child,
    pub pid: u32,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base_url: String,
    pub log_path: PathBuf,
}

impl ServerProcess {
    /// Starts `sathi serve` on a free loopback port over `database_url` and waits until
    /// `GET /api/v1/health` succeeds. The server's output goes to `log_path`.
    pub async fn start(sathi: &Path, database_url: &str, log_path: &Path) -> anyhow::Result<ServerProcess> {
        Self::start_within(sathi, database_url, log_path, START_TIMEOUT).await
    }

    /// Starts the server like [`ServerProcess::start`], but waits up to `timeout` for it to
    /// pass the health check, for a start that has work to do first, such as rebuilding every
    /// case's due items.
    pub async fn start_within(
        sathi: &Path,
        database_url: &str,
        log_path: &Path,
        timeout: Duration,
    ) -> anyhow::Result<ServerProcess> {
        Self::start_with_env(sathi, database_url, log_path, timeout, &[]).await
    }

    /// Starts the server like [`ServerProcess::start_within`], with `env` added to its
    /// environment, such as `SATHI_LOG` to log every SQL statement.
    pub async fn start_with_env(
        sathi: &Path,
        database_url: &str,
        log_path: &Path,
        timeout: Duration,
        env: &[(&str, &str)],
    ) -> anyhow::Result<ServerProcess> {
        let port = free_port()?;
        let log = std::fs::File::create(log_path)
            .with_context(|| format!("cannot create the server log {}", log_path.display()))?;
        let mut command = Command::new(sathi);
        command.arg("serve").arg("--listen").arg(format!("127.0.0.1:{port}"));
        if crate::is_postgres(database_url) {
            command.arg("--database-url").arg(database_url);
        } else {
            let file = database_url.strip_prefix("sqlite://").unwrap_or(database_url);
            let directory = Path::new(file).parent().context("the SQLite path has no folder")?;
            command.arg("--data-dir").arg(directory);
        }
        // The server reads these from the environment too; clear them so only the arguments count.
        command.env_remove("SATHI_DATABASE_URL").env_remove("SATHI_DATA_DIR").env_remove("SATHI_LISTEN");
        command.envs(env.iter().copied());
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!("cannot start {}; build it with cargo build --release -p sathi", sathi.display())
            })?;
        let pid = child.id().context("the server exited at once")?;
        let mut server = ServerProcess {
            child,
            pid,
            base_url: format!("http://127.0.0.1:{port}"),
            log_path: log_path.to_owned(),
        };
        server.wait_until_ready(timeout).await?;
        Ok(server)
    }

    async fn wait_until_ready(&mut self, timeout: Duration) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        let url = format!("{}/api/v1/health", self.base_url);
        while started.elapsed() < timeout {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited with {status} during start-up; see {}", self.log_path.display());
            }
            if let Ok(response) = client.get(&url).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the server did not answer {url} within {timeout:?}; see {}", self.log_path.display())
    }

    /// Reads a `kB` line of `/proc/PID/status`, such as `VmHWM` (peak resident set) or `VmRSS`.
    pub fn memory_kib(&self, field: &str) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .with_context(|| format!("/proc/{}/status has no {field} line", self.pid))
    }

    /// Sends SIGTERM and waits up to 20 s for the graceful shutdown, then kills the process.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let _ = std::process::Command::new("kill").arg("-TERM").arg(self.pid.to_string()).status();
        match tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await {
            Ok(status) => {
                status?;
            }
            Err(_) => {
                eprintln!("  the server did not stop within 20 s of SIGTERM; killing it");
                self.child.kill().await?;
            }
        }
        Ok(())
    }
}

/// Returns a loopback port that was free a moment ago.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
