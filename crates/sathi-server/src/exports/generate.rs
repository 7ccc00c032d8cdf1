//! Generating an export file in the background.
//!
//! The async side reads the case ids once, then the cases page by page (each page read again
//! within the read and export scope) and renders them as case views. A blocking thread writes
//! the pages to a temporary file, encrypts it when a password was given, and hands it back. The
//! file is then stored in chunks of [`CHUNK_BYTES`]. Pages pass through a channel of
//! [`PAGES_IN_FLIGHT`], so at most that many pages are in memory at once, besides the list of
//! every case id (16 bytes per case).

use std::collections::HashMap;
use std::io::Read;

use sathi_domain::ids::UserId;
use sathi_domain::principal::Principal;
use sathi_store::{CaseFilter, ExportId, ExportOutcome};
use tokio::sync::mpsc;

use super::ExportFormat;
use super::columns::{Layout, UserNames};
use super::files::{Context, FileWriter, Page, TooManyRows, encrypt};
use crate::state::AppState;

/// Cases read and rendered at a time.
const PAGE_SIZE: usize = 200;

/// Pages rendered ahead of the writer.
const PAGES_IN_FLIGHT: usize = 2;

/// Size of a stored part of a file: 128 KiB. Each database connection keeps a buffer as large as
/// the largest value it sent or received, so the part size bounds that memory.
const CHUNK_BYTES: usize = 128 * 1024;

/// The values of the export request that a generation needs.
pub struct Job {
    pub id: ExportId,
    pub principal: Principal,
    pub locale: String,
    pub format: ExportFormat,
    pub filter: CaseFilter,
    /// The name of the export inside the ZIP when `password` is set.
    pub inner_file_name: String,
    pub password: Option<String>,
}

/// Generates the export and records how it ended. Errors are logged with the export's id, and
/// the export is marked failed so its owner sees it.
pub async fn run(state: AppState, job: Job) {
    let id = job.id;
    let outcome = match generate(&state, job).await {
        Ok((size, row_count)) => {
            tracing::info!(export_id = %id, rows = row_count, bytes = size, "export generated");
            ExportOutcome::Ready { size, row_count }
        }
        Err(error) => {
            let code = if error.is::<TooManyRows>() { "too_many_rows" } else { "generation_failed" };
            tracing::error!(export_id = %id, error = %format!("{error:#}"), code, "export generation failed");
            ExportOutcome::Failed { error: code.to_owned() }
        }
    };
    match state.store.finish_export(id, &outcome, state.now()).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(export_id = %id, "export was no longer running when its generation ended")
        }
        Err(error) => tracing::error!(export_id = %id, %error, "failed to record the end of an export"),
    }
}

/// Writes and stores the file; returns its size in bytes and the number of cases in it.
async fn generate(state: &AppState, job: Job) -> anyhow::Result<(i64, i64)> {
    let ids = state.store.export_case_ids(&job.principal, &job.filter).await?;
    let loaded = state.configuration();
    let messages = state.messages.clone();
    let layout = Layout::new(&loaded.config, &job.principal, &messages, &job.locale);

    let (pages, mut received) = mpsc::channel::<Page>(PAGES_IN_FLIGHT);
    let format = job.format;
    let locale = job.locale.clone();
    let inner_name = job.inner_file_name.clone();
    let password = job.password;
    let writer_config = loaded.clone();
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<(std::fs::File, i64)> {
        let context =
            Context { layout: &layout, config: &writer_config.config, messages: &messages, locale: &locale };
        let mut file = match format {
            ExportFormat::Csv => FileWriter::csv(&context, true)?,
            ExportFormat::CsvPlain => FileWriter::csv(&context, false)?,
            ExportFormat::Xlsx => FileWriter::xlsx(&context)?,
            ExportFormat::Json => FileWriter::json()?,
        };
        let mut rows: i64 = 0;
        while let Some(page) = received.blocking_recv() {
            file.write_page(&context, &page)?;
            rows += i64::try_from(page.views.len()).unwrap_or(i64::MAX);
        }
        let written = file.finish()?;
        let stored = match password {
            Some(password) => encrypt(written, &inner_name, &password)?,
            None => written,
        };
        Ok((stored, rows))
    });

    let mut names = NameCache::default();
    for chunk in ids.chunks(PAGE_SIZE) {
        if !state.store.touch_export(job.id, state.now()).await? {
            anyhow::bail!("the export stopped running while its cases were written");
        }
        let records = state.store.export_cases(&job.principal, chunk).await?;
        let views = crate::cases::render_cases(state, &job.principal, records)
            .await
            .map_err(|error| anyhow::anyhow!("rendering a page of cases failed with {}", error.code))?;
        let page_names = names.resolve(state, &views).await?;
        if pages.send(Page { views, names: page_names }).await.is_err() {
            // The writer stopped early; its error is reported below.
            break;
        }
    }
    drop(pages);
    let (file, rows) = writer.await??;
    let size = store_chunks(state, job.id, file).await?;
    Ok((size, rows))
}

/// Reads `file` from its start and stores it in chunks; returns its length in bytes.
async fn store_chunks(state: &AppState, id: ExportId, file: std::fs::File) -> anyhow::Result<i64> {
    let mut reader = std::io::BufReader::new(file);
    let mut size: i64 = 0;
    let mut seq: i64 = 0;
    loop {
        let mut buffer = Vec::with_capacity(CHUNK_BYTES);
        (&mut reader).take(CHUNK_BYTES as u64).read_to_end(&mut buffer)?;
        if buffer.is_empty() {
            break;
        }
        size += i64::try_from(buffer.len())?;
        if !state.store.append_export_chunk(id, seq, &buffer, state.now()).await? {
            anyhow::bail!("the export stopped running while its file was stored");
        }
        seq += 1;
    }
    Ok(size)
}

/// User names already read, so that each owner is read once per export.
#[derive(Default)]
struct NameCache(HashMap<UserId, String>);

impl NameCache {
    /// Returns the names of the owners and creators of `views`.
    async fn resolve(
        &mut self,
        state: &AppState,
        views: &[crate::cases::CaseView],
    ) -> anyhow::Result<UserNames> {
        let mut page = HashMap::new();
        for id in views.iter().flat_map(|view| [view.owner_id, view.created_by]) {
            let name = match self.0.get(&id) {
                Some(name) => name.clone(),
                None => {
                    let user = state.store.user(id).await?;
                    let name = user.map(|user| user.username).unwrap_or_else(|| id.to_string());
                    self.0.insert(id, name.clone());
                    name
                }
            };
            page.insert(id, name);
        }
        Ok(UserNames(page))
    }
}
