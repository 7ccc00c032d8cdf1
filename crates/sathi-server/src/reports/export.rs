//! Writing report tables as XLSX workbooks and CSV files.
//!
//! Both formats get the same content: a title, the as-of date, the suppression note, then each
//! table with a header row, one line per row key and a totals line. Counts are numbers, so a
//! spreadsheet can sum them. A suppressed count is the text `<5` (for threshold 5) with ASCII
//! digits in every language, because a spreadsheet would not read Bengali digits as numbers.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One value of an exported table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportCell {
    Text(String),
    Count(u64),
    /// A withheld count, written `<threshold>`.
    Suppressed,
}

/// One table: a sheet of a workbook, or a block of a CSV file.
#[derive(Debug, Clone)]
pub struct ExportTable {
    /// The title line, such as "Cases registered in the month by camp and sex".
    pub title: String,
    /// The sheet name in a workbook; [`sheet_name`] makes it valid and unique.
    pub sheet_name: String,
    /// The header row: the row dimension, the column keys and "Total".
    pub header: Vec<String>,
    /// One line per row key and a last totals line, each starting with its label.
    pub lines: Vec<Vec<ExportCell>>,
}

/// A whole export.
#[derive(Debug, Clone)]
pub struct ExportDocument {
    /// The line under each title, such as "As of 2026-11-30".
    pub as_of_line: String,
    /// The note on suppression, when it applies.
    pub note: Option<String>,
    /// The suppression threshold, for writing a withheld count as `<5`.
    pub threshold: Option<u32>,
    pub tables: Vec<ExportTable>,
}

impl ExportDocument {
    fn suppressed_text(&self) -> String {
        format!("<{}", self.threshold.unwrap_or(0))
    }
}

/// Writes `document` as an XLSX workbook with one sheet per table.
pub fn xlsx(document: &ExportDocument) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let title_format = Format::new().set_bold().set_font_size(13);
    let suppressed = document.suppressed_text();
    let mut used_names: Vec<String> = Vec::new();

    for table in &document.tables {
        let name = sheet_name(&table.sheet_name, &used_names);
        used_names.push(name.clone());
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        sheet.write_string_with_format(0, 0, &table.title, &title_format)?;
        sheet.write_string(1, 0, &document.as_of_line)?;
        let mut row: u32 = 2;
        if let Some(note) = &document.note {
            sheet.write_string(row, 0, note)?;
            row += 1;
        }
        row += 1;

        for (column, heading) in table.header.iter().enumerate() {
            sheet.write_string_with_format(row, column_number(column), heading, &bold)?;
        }
        let last_line = table.lines.len().saturating_sub(1);
        for (index, line) in table.lines.iter().enumerate() {
            row += 1;
            for (column, cell) in line.iter().enumerate() {
                let column = column_number(column);
                let is_total = index == last_line || column == 0;
                match cell {
                    ExportCell::Text(text) if is_total => {
                        sheet.write_string_with_format(row, column, text, &bold)?
                    }
                    ExportCell::Text(text) => sheet.write_string(row, column, text)?,
                    // Counts stay far below 2^53, so an f64 represents them exactly.
                    ExportCell::Count(count) => sheet.write_number(row, column, *count as f64)?,
                    ExportCell::Suppressed => sheet.write_string(row, column, &suppressed)?,
                };
            }
        }
        sheet.set_column_width(0, 32)?;
        for column in 1..table.header.len() {
            sheet.set_column_width(column_number(column), 14)?;
        }
    }
    workbook.save_to_buffer()
}

/// Spreadsheets have at most 16,384 columns, far more than any dimension has keys.
fn column_number(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

/// Makes a worksheet name Excel accepts: at most 31 characters, none of `[ ] : * ? / \`, not
/// starting or ending with an apostrophe, and different from the names in `used`.
pub fn sheet_name(requested: &str, used: &[String]) -> String {
    let cleaned: String = requested
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    let base: String =
        if cleaned.is_empty() { "Sheet".to_owned() } else { cleaned.chars().take(31).collect() };
    let mut name = base.clone();
    let mut number = 2;
    while used.iter().any(|other| other.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" {number}");
        let shortened: String = base.chars().take(31 - suffix.chars().count()).collect();
        name = format!("{shortened}{suffix}");
        number += 1;
    }
    name
}

/// Writes `document` as UTF-8 CSV with a byte order mark, which spreadsheet programs need to
/// read Bangla text correctly. Tables follow one another, each after its title line, with an
/// empty line between them.
pub fn csv(document: &ExportDocument) -> Result<Vec<u8>, csv::Error> {
    let mut buffer = "\u{FEFF}".as_bytes().to_vec();
    let suppressed = document.suppressed_text();
    {
        // Lines have different lengths: a title line has one field, a table line several.
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(&mut buffer);
        for (index, table) in document.tables.iter().enumerate() {
            if index > 0 {
                writer.write_record([""])?;
            }
            writer.write_record([table.title.as_str()])?;
            writer.write_record([document.as_of_line.as_str()])?;
            if let Some(note) = &document.note {
                writer.write_record([note.as_str()])?;
            }
            writer.write_record(&table.header)?;
            for line in &table.lines {
                let fields: Vec<String> = line
                    .iter()
                    .map(|cell| match cell {
                        ExportCell::Text(text) => text.clone(),
                        ExportCell::Count(count) => count.to_string(),
                        ExportCell::Suppressed => suppressed.clone(),
                    })
                    .collect();
                writer.write_record(&fields)?;
            }
        }
        writer.flush()?;
    }
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> ExportDocument {
        ExportDocument {
            as_of_line: "As of 2026-11-30".to_owned(),
            note: Some("Counts below 5 are shown as <5.".to_owned()),
            threshold: Some(5),
            tables: vec![ExportTable {
                title: "Cases by sex".to_owned(),
                sheet_name: "Cases by sex".to_owned(),
                header: vec!["Sex".to_owned(), "Cases".to_owned()],
                lines: vec![
                    vec![ExportCell::Text("মেয়ে".to_owned()), ExportCell::Count(12)],
                    vec![ExportCell::Text("ছেলে".to_owned()), ExportCell::Suppressed],
                    vec![ExportCell::Text("Total".to_owned()), ExportCell::Count(15)],
                ],
            }],
        }
    }

    #[test]
    fn csv_starts_with_bom_and_marks_suppressed() {
        let bytes = csv(&document()).unwrap();
        assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "Cases by sex",
                "As of 2026-11-30",
                "Counts below 5 are shown as <5.",
                "Sex,Cases",
                "মেয়ে,12",
                "ছেলে,<5",
                "Total,15"
            ]
        );
    }

    #[test]
    fn sheet_names_valid_and_unique() {
        assert_eq!(sheet_name("Cases: open/closed?", &[]), "Cases  open closed");
        let long = "Children registered in the month by camp and sex";
        let first = sheet_name(long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with(" 2"), "{second}");
        assert_eq!(sheet_name("'", &[]), "Sheet");
    }
}
