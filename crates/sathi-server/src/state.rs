//! What every request handler shares: the store, the loaded configuration and the messages.

use std::net::IpAddr;
use std::sync::{Arc, RwLock};

use sathi_domain::config::Configuration;
use sathi_domain::i18n::Messages;
use sathi_store::Store;
use time::{Date, OffsetDateTime};

/// The configuration in force, with the version it was stored under.
#[derive(Debug, Clone)]
pub struct LoadedConfiguration {
    pub version: i64,
    pub config: Configuration,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub configuration: Arc<RwLock<Arc<LoadedConfiguration>>>,
    pub messages: Arc<Messages>,
    pub settings: Arc<Settings>,
}

/// Settings of one `sathi serve` process.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Addresses of reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` headers
    /// are believed; headers from anyone else are ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// Whether this process serves HTTPS itself, which makes session cookies `Secure`.
    pub tls: bool,
    /// A fixed current time for tests of "today" and "overdue"; `None` reads the system clock.
    /// Tests set it through the shared lock after the server started.
    pub now_override: Arc<RwLock<Option<OffsetDateTime>>>,
    pub push: crate::push::PushSettings,
}

impl AppState {
    pub fn configuration(&self) -> Arc<LoadedConfiguration> {
        self.configuration.read().expect("configuration lock is never poisoned").clone()
    }

    pub fn replace_configuration(&self, loaded: LoadedConfiguration) {
        *self.configuration.write().expect("configuration lock is never poisoned") = Arc::new(loaded);
    }

    /// The current instant: the system clock, or the test override of [`Settings::now_override`].
    pub fn now(&self) -> OffsetDateTime {
        let fixed = *self.settings.now_override.read().expect("clock lock is never poisoned");
        fixed.unwrap_or_else(OffsetDateTime::now_utc)
    }

    /// Today in the deployment's time zone, which decides "not in the future", ages and
    /// whether a task is overdue.
    pub fn today(&self, config: &Configuration) -> Date {
        sathi_domain::dates::today(self.now(), config.deployment.utc_offset_minutes)
    }
}
