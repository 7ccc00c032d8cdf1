//! Deletes what the server keeps only for a while: the stored results of sync mutations, the
//! parked mutations and the attachment uploads that never completed after
//! [`MUTATION_RETENTION`], and sessions that have expired. [`crate::serve`] runs it every
//! [`INTERVAL`]. The deletes are idempotent, so several `sathi serve` processes on one database
//! may each run it.

use std::time::Duration;

use sathi_store::{Purged, StoreResult};
use time::OffsetDateTime;

use crate::state::AppState;

/// How long the result of a sync mutation is kept, so that a replay returns it. `docs/sync.md`
/// promises this: twice the longest time a device is expected to stay offline.
pub const MUTATION_RETENTION: time::Duration = time::Duration::days(180);

/// Time between two runs; the first run starts with the server.
pub const INTERVAL: Duration = Duration::from_secs(60 * 60);

/// Deletes the mutation results, parked mutations and unfinished uploads older than
/// [`MUTATION_RETENTION`] and the expired sessions, as of `now`, and logs how many rows went.
pub async fn purge_once(state: &AppState, now: OffsetDateTime) -> StoreResult<Purged> {
    let mut purged = state.store.purge_expired(now - MUTATION_RETENTION, now).await?;
    purged.uploads = state.store.purge_unfinished_uploads(now - MUTATION_RETENTION).await?;
    tracing::info!(
        mutations = purged.mutations,
        parked = purged.parked,
        uploads = purged.uploads,
        sessions = purged.sessions,
        "deleted expired sync mutation results, parked mutations, unfinished uploads and sessions"
    );
    Ok(purged)
}

/// The running job; dropping it stops the job.
pub struct RetentionJob(tokio::task::JoinHandle<()>);

impl Drop for RetentionJob {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the hourly run on the current Tokio runtime. A failed run is logged and the next one
/// tries again.
pub fn spawn(state: AppState) -> RetentionJob {
    RetentionJob(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = purge_once(&state, OffsetDateTime::now_utc()).await {
                tracing::warn!(%error, "deleting expired sync data, unfinished uploads and sessions failed; retrying in an hour");
            }
        }
    }))
}
