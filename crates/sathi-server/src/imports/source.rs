//! Reading a stored import file row by row, with memory that does not grow with the file.
//!
//! The file lives in the database as chunks. A reader runs on a blocking thread and fetches
//! one chunk at a time. It sends rows in batches over a bounded channel, so at most a few
//! batches are in memory whatever the file's length. CSV is parsed with the `csv` crate as it
//! arrives. A workbook is a ZIP archive, which is read from its end, so its chunks are first
//! copied to a temporary file, and calamine then reads the first sheet cell by cell. An
//! incumbent JSON export is parsed one record at a time from a top-level array, or from the
//! array under `data` of a top-level object.

use std::io::{BufReader, Read};
use std::sync::Arc;

use calamine::{DataRef, Reader as _, Xlsx};
use sathi_domain::import::{self, Cell, ImportFormat, RowError};
use sathi_domain::spreadsheet;
use sathi_store::{ImportId, Store};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use tokio::runtime::Handle;
use tokio::sync::mpsc;

/// Rows sent at once, and the rows of one store transaction of a job.
pub const BATCH_ROWS: usize = 500;

/// Records of an incumbent export whose keys make up the import's column list.
const COLUMN_RECORDS: usize = 20;

/// One row of a file: its cells, or for an incumbent export the whole record.
#[derive(Debug, Clone)]
pub enum SourceItem {
    Cells(Vec<Cell>),
    Record(Value),
    /// A row that could not be read, such as text that is not UTF-8.
    Unreadable(RowError),
}

#[derive(Debug)]
pub enum SourceEvent {
    /// The normalised header row; for an incumbent export, the keys of the first records.
    Headers(Vec<String>),
    /// Rows with their 1-based data row numbers.
    Rows(Vec<(u64, SourceItem)>),
    /// The file cannot be read any further; the code of the reason (`error-<code>`).
    Failed(&'static str),
}

/// Starts reading import `id` on a blocking thread. The reader stops early when the receiver
/// is dropped.
pub fn spawn_reader(
    store: Arc<dyn Store>,
    id: ImportId,
    format: ImportFormat,
) -> mpsc::Receiver<SourceEvent> {
    let (sender, receiver) = mpsc::channel(2);
    let handle = Handle::current();
    tokio::task::spawn_blocking(move || {
        let chunks =
            ChunkReader { store, id, handle, seq: 0, chunk: Vec::new(), position: 0, finished: false };
        let result = match format {
            ImportFormat::Csv => read_csv(chunks, &sender),
            ImportFormat::Xlsx => read_xlsx(chunks, &sender),
            ImportFormat::IncumbentJson => read_json(chunks, &sender),
        };
        if let Err(code) = result {
            let _ = sender.blocking_send(SourceEvent::Failed(code));
        }
    });
    receiver
}

/// Why reading stopped: the receiver went away, or the file is unreadable (with its code).
type ReadResult = Result<(), &'static str>;

/// The code used when the receiver was dropped; never sent.
const STOPPED: &str = "import_stopped";

/// The file's bytes, one stored chunk at a time, with a UTF-8 byte order mark removed.
struct ChunkReader {
    store: Arc<dyn Store>,
    id: ImportId,
    handle: Handle,
    seq: i64,
    chunk: Vec<u8>,
    position: usize,
    finished: bool,
}

impl Read for ChunkReader {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.position < self.chunk.len() {
                let count = buffer.len().min(self.chunk.len() - self.position);
                buffer[..count].copy_from_slice(&self.chunk[self.position..self.position + count]);
                self.position += count;
                return Ok(count);
            }
            if self.finished {
                return Ok(0);
            }
            let next = self
                .handle
                .block_on(self.store.import_chunk(self.id, self.seq))
                .map_err(std::io::Error::other)?;
            match next {
                Some(bytes) => {
                    self.position =
                        if self.seq == 0 { bytes.len() - spreadsheet::strip_bom(&bytes).len() } else { 0 };
                    self.chunk = bytes;
                    self.seq += 1;
                }
                None => self.finished = true,
            }
        }
    }
}

struct Batcher<'a> {
    sender: &'a mpsc::Sender<SourceEvent>,
    rows: Vec<(u64, SourceItem)>,
}

impl<'a> Batcher<'a> {
    fn new(sender: &'a mpsc::Sender<SourceEvent>) -> Self {
        Batcher { sender, rows: Vec::with_capacity(BATCH_ROWS) }
    }

    fn send(&self, event: SourceEvent) -> ReadResult {
        self.sender.blocking_send(event).map_err(|_| STOPPED)
    }

    fn push(&mut self, number: u64, item: SourceItem) -> ReadResult {
        self.rows.push((number, item));
        if self.rows.len() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> ReadResult {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::replace(&mut self.rows, Vec::with_capacity(BATCH_ROWS));
        self.send(SourceEvent::Rows(rows))
    }
}

fn read_csv(chunks: ChunkReader, sender: &mpsc::Sender<SourceEvent>) -> ReadResult {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(chunks);
    let mut batcher = Batcher::new(sender);
    let mut record = csv::ByteRecord::new();
    let mut number: u64 = 0;
    let mut headers_sent = false;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                tracing::warn!(%error, "an import file is not valid CSV");
                return Err("import_unreadable_file");
            }
        }
        if !headers_sent {
            let mut headers = Vec::with_capacity(record.len());
            for field in &record {
                let text = std::str::from_utf8(field).map_err(|_| "import_not_utf8")?;
                headers.push(import::normalize_header(text));
            }
            // A spreadsheet saved with semicolons or tabs between columns reads as one column
            // whose name contains every header. Reject it now rather than at the mapping.
            if let [only] = headers.as_slice()
                && (only.contains(';') || only.contains('\t'))
            {
                return Err("import_not_comma_separated");
            }
            batcher.send(SourceEvent::Headers(headers))?;
            headers_sent = true;
            continue;
        }
        number += 1;
        let cells: Result<Vec<Cell>, _> = record
            .iter()
            .map(|field| std::str::from_utf8(field).map(|text| Cell::Text(text.to_owned())))
            .collect();
        let item = match cells {
            Ok(cells) => SourceItem::Cells(cells),
            Err(_) => SourceItem::Unreadable(RowError::new("import_not_utf8")),
        };
        batcher.push(number, item)?;
    }
    if !headers_sent {
        return Err("import_empty_file");
    }
    batcher.flush()
}

/// A temporary copy of a workbook, deleted when dropped.
struct TemporaryFile(std::path::PathBuf);

impl Drop for TemporaryFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn read_xlsx(mut chunks: ChunkReader, sender: &mpsc::Sender<SourceEvent>) -> ReadResult {
    let path = std::env::temp_dir().join(format!("sathi-import-{}.xlsx", uuid::Uuid::now_v7()));
    let copy = TemporaryFile(path);
    let written = std::fs::File::create(&copy.0).and_then(|mut file| std::io::copy(&mut chunks, &mut file));
    if let Err(error) = written {
        tracing::error!(%error, path = %copy.0.display(), "cannot copy an import workbook to a temporary file");
        return Err("import_unreadable_file");
    }
    let file = std::fs::File::open(&copy.0).map_err(|_| "import_unreadable_file")?;
    let mut workbook: Xlsx<BufReader<std::fs::File>> = Xlsx::new(BufReader::new(file)).map_err(|error| {
        tracing::warn!(%error, "an import file is not a readable XLSX workbook");
        "import_unreadable_file"
    })?;
    let is_1904 = workbook.has_1904_epoch();
    let Some(sheet) = workbook.sheet_names().first().cloned() else { return Err("import_empty_file") };
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(|_| "import_unreadable_file")?;

    let mut batcher = Batcher::new(sender);
    let mut header_row: Option<u32> = None;
    let mut current: Option<(u32, Vec<Cell>)> = None;
    loop {
        let next = cells.next_cell().map_err(|error| {
            tracing::warn!(%error, "an import workbook has an unreadable cell");
            "import_unreadable_file"
        })?;
        let Some(cell) = next else { break };
        let (row, column) = cell.get_position();
        let value = workbook_cell(cell.get_value(), is_1904);
        if current.as_ref().is_some_and(|(open, _)| *open != row) {
            let (open, values) = current.take().expect("checked above");
            emit_workbook_row(&mut batcher, &mut header_row, open, values)?;
        }
        let (_, values) = current.get_or_insert_with(|| (row, Vec::new()));
        let column = column as usize;
        if values.len() <= column {
            values.resize(column + 1, Cell::Empty);
        }
        values[column] = value;
    }
    if let Some((open, values)) = current.take() {
        emit_workbook_row(&mut batcher, &mut header_row, open, values)?;
    }
    if header_row.is_none() {
        return Err("import_empty_file");
    }
    batcher.flush()
}

/// Sends one workbook row: the first row with a value is the header row, and a data row's
/// number is its distance from the header row, so it matches the sheet's row numbers.
fn emit_workbook_row(
    batcher: &mut Batcher,
    header_row: &mut Option<u32>,
    row: u32,
    cells: Vec<Cell>,
) -> ReadResult {
    if cells.iter().all(|cell| *cell == Cell::Empty) {
        return Ok(());
    }
    match header_row {
        None => {
            *header_row = Some(row);
            let headers = cells.iter().map(|cell| import::normalize_header(&display_text(cell))).collect();
            batcher.send(SourceEvent::Headers(headers))
        }
        Some(header) => batcher.push(u64::from(row - *header), SourceItem::Cells(cells)),
    }
}

/// Converts a workbook cell, turning date cells into calendar dates with the workbook's date
/// system (1900 or 1904).
fn workbook_cell(value: &DataRef, is_1904: bool) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(number) => Cell::Number(*number as f64),
        DataRef::Float(number) => Cell::Number(*number),
        DataRef::String(text) => Cell::Text(text.clone()),
        DataRef::SharedString(text) => Cell::Text((*text).to_owned()),
        DataRef::Bool(flag) => Cell::Bool(*flag),
        DataRef::DateTime(moment) if moment.is_datetime() => {
            match import::excel_serial_date(moment.as_f64(), is_1904) {
                Some(date) => Cell::Date(date),
                None => Cell::Number(moment.as_f64()),
            }
        }
        DataRef::DateTime(moment) => Cell::Number(moment.as_f64()),
        // An ISO date, possibly followed by a time: the date part is what a date field takes.
        DataRef::DateTimeIso(text) => Cell::Text(text.split('T').next().unwrap_or_default().to_owned()),
        DataRef::DurationIso(text) => Cell::Text(text.clone()),
        DataRef::Error(error) => Cell::Text(error.to_string()),
    }
}

/// Returns the text a cell shows, for headers and the sample rows.
pub fn display_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Number(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => {
            format!("{}", *number as i64)
        }
        Cell::Number(number) => number.to_string(),
        Cell::Bool(flag) => flag.to_string(),
        Cell::Date(date) => sathi_domain::dates::format_date(*date),
    }
}

/// Collects incumbent records: the first ones are held back until the column list is known.
struct RecordSink<'a> {
    batcher: Batcher<'a>,
    held: Vec<Value>,
    number: u64,
    headers_sent: bool,
}

impl RecordSink<'_> {
    fn push(&mut self, record: Value) -> ReadResult {
        if self.headers_sent {
            self.number += 1;
            return self.batcher.push(self.number, SourceItem::Record(record));
        }
        self.held.push(record);
        if self.held.len() >= COLUMN_RECORDS {
            self.release()?;
        }
        Ok(())
    }

    /// Sends the column list from the held records, then the records.
    fn release(&mut self) -> ReadResult {
        let mut columns: Vec<String> = Vec::new();
        for record in &self.held {
            for key in record.get("data").and_then(Value::as_object).into_iter().flat_map(|data| data.keys())
            {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
        self.batcher.send(SourceEvent::Headers(columns))?;
        self.headers_sent = true;
        for record in std::mem::take(&mut self.held) {
            self.number += 1;
            self.batcher.push(self.number, SourceItem::Record(record))?;
        }
        Ok(())
    }
}

/// Deserialises the top level: an array of records, or an object whose `data` is one.
struct TopLevel<'s, 'a>(&'s mut RecordSink<'a>);

impl<'de> DeserializeSeed<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("an array of records, or an object with a `data` array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<(), A::Error> {
        while let Some(record) = sequence.next_element::<Value>()? {
            self.0.push(record).map_err(de::Error::custom)?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "data" {
                map.next_value_seed(Records(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Deserialises the array under `data`.
struct Records<'s, 'a>(&'s mut RecordSink<'a>);

impl<'de> DeserializeSeed<'de> for Records<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(TopLevel(self.0))
    }
}

fn read_json(chunks: ChunkReader, sender: &mpsc::Sender<SourceEvent>) -> ReadResult {
    let mut sink =
        RecordSink { batcher: Batcher::new(sender), held: Vec::new(), number: 0, headers_sent: false };
    let mut deserializer = serde_json::Deserializer::from_reader(BufReader::new(chunks));
    if let Err(error) = TopLevel(&mut sink).deserialize(&mut deserializer) {
        if error.to_string().starts_with(STOPPED) {
            return Err(STOPPED);
        }
        tracing::warn!(
            line = error.line(),
            column = error.column(),
            "an import file is not a JSON case export"
        );
        return Err("import_unreadable_file");
    }
    if !sink.headers_sent {
        sink.release()?;
    }
    sink.batcher.flush()
}
