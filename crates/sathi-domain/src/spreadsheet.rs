//! Text cells that leave Sathi in a spreadsheet file, and come back in one.
//!
//! A spreadsheet program runs a CSV cell that begins with `=`, `+`, `-` or `@` as a formula, and
//! some also act on a leading tab or carriage return. CSV exports therefore put one apostrophe in
//! front of such a text cell. Numbers typed as numbers are left alone, so `-1` stays a number.
//! XLSX exports write text as string cells and need no mark.
//!
//! The importer removes exactly the apostrophe the exporter added, so a value survives any number
//! of export and import cycles unchanged. To keep that true for text that itself starts with an
//! apostrophe before a trigger character (`'=x`), the exporter marks that text as well.

use std::borrow::Cow;

/// The UTF-8 byte order mark that spreadsheet programs need to read a CSV file as UTF-8.
pub const UTF8_BOM: &str = "\u{feff}";

/// Characters that make a spreadsheet treat a cell as a formula or act on it.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The mark put in front of a cell that would otherwise run as a formula.
const MARK: char = '\'';

/// Returns whether a text cell needs the mark: it starts with a trigger character, or with marks
/// followed by one.
pub fn needs_mark(text: &str) -> bool {
    let rest = text.trim_start_matches(MARK);
    rest.starts_with(TRIGGERS)
}

/// Returns the cell a CSV export writes for a text value.
pub fn neutralise_text_cell(text: &str) -> Cow<'_, str> {
    if needs_mark(text) {
        let mut marked = String::with_capacity(text.len() + 1);
        marked.push(MARK);
        marked.push_str(text);
        Cow::Owned(marked)
    } else {
        Cow::Borrowed(text)
    }
}

/// Returns the value of an imported CSV cell: the cell with the export's mark removed, once.
pub fn strip_mark(cell: &str) -> &str {
    match cell.strip_prefix(MARK) {
        Some(rest) if needs_mark(rest) => rest,
        _ => cell,
    }
}

/// Removes a UTF-8 byte order mark from the start of a file's bytes.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM.as_bytes()).unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_one_mark() {
        assert_eq!(neutralise_text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise_text_cell("+8801700000009"), "'+8801700000009");
        assert_eq!(neutralise_text_cell("-2+3 meeting moved"), "'-2+3 meeting moved");
        assert_eq!(neutralise_text_cell("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(neutralise_text_cell("\t=1+1"), "'\t=1+1");
        assert_eq!(neutralise_text_cell("\r=1+1"), "'\r=1+1");
        assert_eq!(neutralise_text_cell("=রুমানা"), "'=রুমানা");
    }

    #[test]
    fn plain_text_is_unchanged() {
        let note = "Child attends school; mother works at a garment factory.";
        assert!(matches!(neutralise_text_cell(note), Cow::Borrowed(_)));
        assert_eq!(neutralise_text_cell(""), "");
        assert_eq!(neutralise_text_cell("it's fine"), "it's fine");
        assert_eq!(neutralise_text_cell("'quoted'"), "'quoted'");
    }

    #[test]
    fn export_then_import_gives_the_value_back() {
        for value in ["=1+1", "'=1+1", "''+x", "'plain", "plain", "-", "'", "", "\r\n"] {
            let cell = neutralise_text_cell(value);
            assert_eq!(strip_mark(&cell), value, "value {value:?} exported as {cell:?}");
        }
    }

    #[test]
    fn bom_is_removed_once() {
        assert_eq!(strip_bom("\u{feff}case_ref".as_bytes()), b"case_ref");
        assert_eq!(strip_bom(b"case_ref"), b"case_ref");
    }
}
