//! The row-by-row report of an import's latest job, as JSON rows and as a CSV or XLSX file, with
//! headers, outcomes and reasons in the reader's language.
//!
//! The file has one line per reason of a rejected row and one line for every other row. Cells
//! echo values of the imported file (an unknown option, an id), so CSV text cells go through
//! `neutralise_text_cell` and XLSX cells are written as strings, never as formulas.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use sathi_domain::config::Configuration;
use sathi_domain::import::RowError;
use sathi_domain::principal::Principal;
use sathi_domain::spreadsheet::{UTF8_BOM, neutralise_text_cell};
use sathi_domain::validation::FieldError;
use sathi_store::{ImportRecord, ImportRowOutcome};

use super::{RowErrorView, RowView};
use crate::error::{ApiError, ApiResult, render_field};
use crate::state::AppState;

/// Rows read from the store at once while a report is written.
const PAGE_ROWS: i64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Csv,
    Xlsx,
}

impl ReportFormat {
    pub fn parse(raw: Option<&str>) -> ApiResult<Self> {
        match raw.map(str::trim) {
            None | Some("") | Some("csv") => Ok(ReportFormat::Csv),
            Some("xlsx") => Ok(ReportFormat::Xlsx),
            Some(other) => Err(ApiError::invalid_parameter("format", other, &["csv", "xlsx"])),
        }
    }

    /// Returns the format that a report file's name calls for: XLSX for `.xlsx`, else CSV.
    pub fn of_path(path: &std::path::Path) -> Self {
        if path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("xlsx")) {
            ReportFormat::Xlsx
        } else {
            ReportFormat::Csv
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Csv => "csv",
            ReportFormat::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Csv => "text/csv; charset=utf-8",
            ReportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Renders one stored row outcome for `locale`.
pub fn row_view(state: &AppState, config: &Configuration, locale: &str, row: ImportRowOutcome) -> RowView {
    let errors: Vec<RowError> = serde_json::from_value(row.errors).unwrap_or_default();
    RowView {
        row: row.row_number,
        outcome: row.outcome,
        case_id: row.case_id.map(|id| id.0),
        display_id: row.display_id,
        external_id: row.external_id,
        errors: errors.into_iter().map(|error| error_view(state, config, locale, error)).collect(),
    }
}

fn error_view(state: &AppState, config: &Configuration, locale: &str, error: RowError) -> RowErrorView {
    // The form's "required" message asks the user to save again, but an import has no save.
    // The cell has to be filled in the file, and the file checked again.
    // A date in no known form is explained in the mapping's date format, which the row error
    // carries, rather than in the year-month-day form that forms take.
    let message_code = match error.code.as_str() {
        "required" => "import_required",
        "invalid_date_format" if error.params.contains_key("date_format") => "import_invalid_date_format",
        code => code,
    };
    // Messages such as "unknown_option" quote the value themselves.
    let shown_cell = error.cell.as_ref().filter(|_| !error.params.contains_key("value"));
    let field = FieldError {
        code: message_code.to_owned(),
        path: error.field.clone().unwrap_or_default(),
        params: error.params,
    };
    let rendered = render_field(&state.messages, locale, Some(config), &field);
    // The cell goes in quoted, so that its digits are shown as typed, not in the reader's script.
    let message = match shown_cell {
        Some(cell) => state.messages.format(
            locale,
            "import-error-cell",
            &[("cell", format!("\"{cell}\"")), ("message", rendered.message)],
        ),
        None => rendered.message,
    };
    RowErrorView { column: error.column, field: error.field, code: error.code, message }
}

/// One line of the report file.
struct Line {
    row: String,
    outcome: String,
    case: String,
    external_id: String,
    column: String,
    field: String,
    message: String,
}

/// Builds the report of `record`'s latest job for `locale`.
pub async fn build(
    state: &AppState,
    principal: &Principal,
    record: &ImportRecord,
    locale: &str,
    format: ReportFormat,
) -> ApiResult<Vec<u8>> {
    let loaded = state.configuration();
    let config = &loaded.config;
    let messages = &state.messages;
    let header: Vec<String> = ["row", "outcome", "case", "external-id", "column", "field", "message"]
        .iter()
        .map(|name| messages.format(locale, &format!("import-report-{name}"), &[]))
        .collect();

    let mut lines: Vec<Line> = Vec::new();
    let mut offset = 0;
    loop {
        let (rows, _) = state
            .store
            .import_rows(principal, record.id, None, offset, PAGE_ROWS)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if rows.is_empty() {
            break;
        }
        offset += rows.len() as i64;
        for row in rows {
            let view = row_view(state, config, locale, row);
            let outcome = messages.format(locale, &format!("import-outcome-{}", view.outcome), &[]);
            let base = |column: String, field: String, message: String| Line {
                row: view.row.to_string(),
                outcome: outcome.clone(),
                case: view.display_id.clone().unwrap_or_default(),
                external_id: view.external_id.clone().unwrap_or_default(),
                column,
                field,
                message,
            };
            if view.errors.is_empty() {
                lines.push(base(String::new(), String::new(), String::new()));
            }
            for error in &view.errors {
                let field =
                    error.field.as_deref().map(|path| field_name(config, locale, path)).unwrap_or_default();
                lines.push(base(error.column.clone().unwrap_or_default(), field, error.message.clone()));
            }
        }
    }

    match format {
        ReportFormat::Csv => csv(&header, &lines).map_err(ApiError::internal),
        ReportFormat::Xlsx => xlsx(&header, &lines, &messages.format(locale, "import-report-sheet", &[]))
            .map_err(ApiError::internal),
    }
}

/// Returns the label of a top-level field in `locale`, or the path of a field inside a subform row.
fn field_name(config: &Configuration, locale: &str, path: &str) -> String {
    match config.field(path) {
        Some((_, field)) => field.label.get(locale).to_owned(),
        None => path.to_owned(),
    }
}

fn csv(header: &[String], lines: &[Line]) -> Result<Vec<u8>, csv::Error> {
    let mut buffer = UTF8_BOM.as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut buffer);
        writer.write_record(header)?;
        for line in lines {
            let cells = [
                &line.row,
                &line.outcome,
                &line.case,
                &line.external_id,
                &line.column,
                &line.field,
                &line.message,
            ];
            writer.write_record(cells.iter().map(|cell| neutralise_text_cell(cell).into_owned()))?;
        }
        writer.flush()?;
    }
    Ok(buffer)
}

fn xlsx(header: &[String], lines: &[Line], sheet_name: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    // Excel allows 31 characters in a sheet name; the translated names are shorter and use none
    // of the characters it forbids.
    sheet.set_name(sheet_name.chars().take(31).collect::<String>())?;
    for (column, heading) in header.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, heading, &bold)?;
    }
    for (index, line) in lines.iter().enumerate() {
        let row = index as u32 + 1;
        match line.row.parse::<f64>() {
            Ok(number) => sheet.write_number(row, 0, number)?,
            Err(_) => sheet.write_string(row, 0, &line.row)?,
        };
        let cells = [&line.outcome, &line.case, &line.external_id, &line.column, &line.field, &line.message];
        for (column, cell) in cells.iter().enumerate() {
            sheet.write_string(row, column as u16 + 1, cell.as_str())?;
        }
    }
    sheet.set_column_width(6, 80)?;
    workbook.save_to_buffer()
}

/// Returns the report as an attachment named after the import.
pub fn file_response(record: &ImportRecord, format: ReportFormat, bytes: Vec<u8>) -> Response {
    let file_name = format!("sathi-import-{}-report.{}", record.id, format.extension());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(format.content_type())),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    (headers, bytes).into_response()
}
