//! `sathi demo`: a realistic demo deployment on the default configuration.

use sathi_server::state::AppState;

/// Creates the demo users and cases and prints the logins.
pub async fn create(state: &AppState, cases: usize, seed: u64) -> anyhow::Result<()> {
    let _ = (state, cases, seed);
    anyhow::bail!("the demo generator is not written yet")
}
