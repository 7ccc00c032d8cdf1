//! Writing export files: CSV with and without a byte order mark, XLSX and JSON, and the
//! password-protected ZIP around any of them.
//!
//! Every writer writes to an anonymous temporary file (unlinked when created, so no other
//! process can open it by name, and gone when closed), page by page, so memory does not grow
//! with the number of cases. XLSX sheets use `rust_xlsxwriter`'s constant memory mode, which
//! keeps each sheet's rows in a temporary file of its own until the workbook is saved.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use sathi_domain::config::Configuration;
use sathi_domain::dates;
use sathi_domain::i18n::Messages;
use sathi_domain::spreadsheet::{UTF8_BOM, neutralise_text_cell};
use serde_json::Value;

use super::columns::{Cell, Column, Layout, UserNames};
use crate::cases::CaseView;

/// Maximum rows of an XLSX sheet, header included (Excel's limit).
const XLSX_MAX_ROWS: u32 = 1_048_576;

/// Maximum text length of an XLSX cell, in characters (Excel's limit).
const XLSX_MAX_CHARS: usize = 32_767;

/// A sheet would need more rows than XLSX allows; CSV and JSON have no such limit.
#[derive(Debug, thiserror::Error)]
#[error("the export has more rows than an XLSX sheet allows")]
pub struct TooManyRows;

/// One page of cases, rendered as the caller may see them.
pub struct Page {
    pub views: Vec<CaseView>,
    pub names: UserNames,
}

/// The layout, configuration and messages a writer reads besides the cases.
pub struct Context<'a> {
    pub layout: &'a Layout,
    pub config: &'a Configuration,
    pub messages: &'a Messages,
    pub locale: &'a str,
}

/// An export file being written.
pub enum FileWriter {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Xlsx(Box<XlsxFile>),
    Json { out: BufWriter<File>, first: bool },
}

impl FileWriter {
    /// Starts a CSV file with the header row, after a byte order mark when `bom` is set.
    pub fn csv(context: &Context, bom: bool) -> anyhow::Result<FileWriter> {
        let mut out = BufWriter::new(tempfile::tempfile()?);
        if bom {
            out.write_all(UTF8_BOM.as_bytes())?;
        }
        let mut writer = csv::WriterBuilder::new().from_writer(out);
        writer.write_record(context.layout.columns.iter().map(|column| column.header.as_str()))?;
        Ok(FileWriter::Csv(Box::new(writer)))
    }

    pub fn xlsx(context: &Context) -> anyhow::Result<FileWriter> {
        Ok(FileWriter::Xlsx(Box::new(XlsxFile::new(context)?)))
    }

    pub fn json() -> anyhow::Result<FileWriter> {
        let mut out = BufWriter::new(tempfile::tempfile()?);
        out.write_all(b"[")?;
        Ok(FileWriter::Json { out, first: true })
    }

    /// Appends the cases of `page`.
    pub fn write_page(&mut self, context: &Context, page: &Page) -> anyhow::Result<()> {
        match self {
            FileWriter::Csv(writer) => {
                for view in &page.views {
                    let fields: Vec<String> = context
                        .layout
                        .columns
                        .iter()
                        .map(|column| csv_field(&case_cell(context, column, view, &page.names)))
                        .collect();
                    writer.write_record(&fields)?;
                }
            }
            FileWriter::Xlsx(file) => file.write_page(context, page)?,
            FileWriter::Json { out, first } => {
                for view in &page.views {
                    out.write_all(if *first { b"\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut *out, view)?;
                    *first = false;
                }
            }
        }
        Ok(())
    }

    /// Completes the file and returns it, positioned at its start.
    pub fn finish(self) -> anyhow::Result<File> {
        let mut file = match self {
            FileWriter::Csv(writer) => {
                writer.into_inner().map_err(|error| error.into_error())?.into_inner()?
            }
            FileWriter::Xlsx(file) => file.finish()?,
            FileWriter::Json { mut out, .. } => {
                out.write_all(b"\n]\n")?;
                out.into_inner()?
            }
        };
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

fn case_cell(context: &Context, column: &Column, view: &CaseView, names: &UserNames) -> Cell {
    context.layout.case_cell(column, view, names, context.config, context.messages)
}

/// Returns the CSV text of a cell: text neutralised so that a spreadsheet never runs it as a
/// formula, numbers and dates as they are.
fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => neutralise_text_cell(text).into_owned(),
        Cell::Number(number) => number.to_string(),
        Cell::Date(date) => dates::format_date(*date),
    }
}

/// An XLSX workbook: the case sheet first, then one sheet per readable subform.
pub struct XlsxFile {
    workbook: Workbook,
    /// The next free row of each sheet, in sheet order.
    next_rows: Vec<u32>,
    date: Format,
}

impl XlsxFile {
    fn new(context: &Context) -> anyhow::Result<XlsxFile> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let mut used_names: Vec<String> = Vec::new();

        let cases_title = context.messages.format(context.locale, "export-sheet-cases", &[]);
        let headers: Vec<&str> = context
            .layout
            .columns
            .iter()
            .filter(|column| !Layout::is_subform(column))
            .map(|column| column.header.as_str())
            .collect();
        add_sheet(&mut workbook, &cases_title, &headers, &bold, &mut used_names)?;
        for subform in &context.layout.subforms {
            let headers: Vec<&str> = subform.columns.iter().map(|column| column.header.as_str()).collect();
            add_sheet(&mut workbook, &subform.title, &headers, &bold, &mut used_names)?;
        }
        let next_rows = vec![1; used_names.len()];
        Ok(XlsxFile { workbook, next_rows, date: Format::new().set_num_format("yyyy-mm-dd") })
    }

    fn write_page(&mut self, context: &Context, page: &Page) -> anyhow::Result<()> {
        for view in &page.views {
            let row = take_row(&mut self.next_rows[0])?;
            let sheet = self.workbook.worksheet_from_index(0)?;
            let columns = context.layout.columns.iter().filter(|column| !Layout::is_subform(column));
            for (index, column) in columns.enumerate() {
                write_cell(sheet, row, index, &case_cell(context, column, view, &page.names), &self.date)?;
            }

            for (number, subform) in context.layout.subforms.iter().enumerate() {
                let sheet_index = number + 1;
                let rows = view.data.get(&subform.field_id).and_then(Value::as_array);
                for subform_row in rows.into_iter().flatten() {
                    let row = take_row(&mut self.next_rows[sheet_index])?;
                    let sheet = self.workbook.worksheet_from_index(sheet_index)?;
                    for (index, column) in subform.columns.iter().enumerate() {
                        let cell = context.layout.row_cell(column, view, subform_row, context.config);
                        write_cell(sheet, row, index, &cell, &self.date)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<File> {
        let mut out = BufWriter::new(tempfile::tempfile()?);
        self.workbook.save_to_writer(&mut out)?;
        Ok(out.into_inner()?)
    }
}

/// Adds a constant memory sheet named after `title` (made valid and unique) with a bold header row.
fn add_sheet(
    workbook: &mut Workbook,
    title: &str,
    headers: &[&str],
    bold: &Format,
    used_names: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let name = crate::reports::export::sheet_name(title, used_names);
    used_names.push(name.clone());
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    for (index, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column_number(index)?, *header, bold)?;
    }
    Ok(())
}

/// Returns the next free row and moves `next` past it.
fn take_row(next: &mut u32) -> Result<u32, TooManyRows> {
    if *next >= XLSX_MAX_ROWS {
        return Err(TooManyRows);
    }
    let row = *next;
    *next += 1;
    Ok(row)
}

fn column_number(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Writes text as a string cell (never a formula), numbers as numbers and dates as date cells.
fn write_cell(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    index: usize,
    cell: &Cell,
    date_format: &Format,
) -> Result<(), XlsxError> {
    let column = column_number(index)?;
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            // NOTE: a text longer than an XLSX cell allows is cut at the limit. The text fields
            // of the default configuration allow at most 8,000 characters.
            let text: String = text.chars().take(XLSX_MAX_CHARS).collect();
            sheet.write_string(row, column, text)?;
        }
        Cell::Number(number) => {
            sheet.write_number(row, column, *number)?;
        }
        Cell::Date(date) => {
            let year = u16::try_from(date.year()).ok();
            let excel =
                year.and_then(|year| ExcelDateTime::from_ymd(year, date.month().into(), date.day()).ok());
            match excel {
                Some(excel) => sheet.write_date_with_format(row, column, &excel, date_format)?,
                // Excel has no dates before 1900; such a date stays ISO text.
                None => sheet.write_string(row, column, dates::format_date(*date))?,
            };
        }
    }
    Ok(())
}

/// Puts `file` into a ZIP archive as `inner_name`, encrypted with AES-256 under `password`
/// (WinZip AE-2, which 7-Zip and WinZip open; Windows Explorer's own ZIP support does not).
/// Returns the archive, positioned at its start.
pub fn encrypt(mut file: File, inner_name: &str, password: &str) -> anyhow::Result<File> {
    let mut writer = zip::ZipWriter::new(tempfile::tempfile()?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
        .with_aes_encryption(zip::AesMode::Aes256, password);
    writer.start_file(inner_name, options)?;
    std::io::copy(&mut file, &mut writer)?;
    let mut archive = writer.finish()?;
    archive.seek(SeekFrom::Start(0))?;
    Ok(archive)
}
