//! The location hierarchy as a CSV or JSON file: written from a configuration, and read back
//! with every problem reported by row and column before anything changes.
//!
//! CSV columns are `code,level,parent` and one `name_<locale>` per language (`name_en`,
//! `name_bn`). JSON is the array of `config/locations.json`. Rows are numbered from 1 for the
//! first data row, the header excluded, as the case import numbers them. In JSON the row is the
//! position in the array. Each error is a [`FieldError`] whose path is `<row>/<column>`, or the
//! column alone for a header problem, and whose parameters name the row, column and value.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sathi_domain::config::{LocalizedText, Location, LocationLevel};
use sathi_domain::spreadsheet::{UTF8_BOM, neutralise_text_cell, strip_bom, strip_mark};
use sathi_domain::text::clean_text;
use sathi_domain::validation::FieldError;
use serde_json::Value;

/// The levels in the order a hierarchy descends, with their names in files.
const LEVELS: [(&str, LocationLevel); 7] = [
    ("country", LocationLevel::Country),
    ("division", LocationLevel::Division),
    ("district", LocationLevel::District),
    ("upazila", LocationLevel::Upazila),
    ("camp", LocationLevel::Camp),
    ("union", LocationLevel::Union),
    ("block", LocationLevel::Block),
];

const NAME_PREFIX: &str = "name_";

/// A file format of the locations routes and commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationsFormat {
    Csv,
    Json,
}

impl LocationsFormat {
    /// Parses the `format` query parameter or a file extension: `csv` or `json`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(LocationsFormat::Csv),
            "json" => Some(LocationsFormat::Json),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            LocationsFormat::Csv => "csv",
            LocationsFormat::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            LocationsFormat::Csv => "text/csv; charset=utf-8",
            LocationsFormat::Json => "application/json",
        }
    }
}

/// Writes `locations` in `format`. The CSV has a byte order mark, so that spreadsheet programs
/// read Bangla correctly, and one name column per locale of `locales` followed by any other
/// locale a name is given in.
pub fn write(locations: &[Location], locales: &[String], format: LocationsFormat) -> anyhow::Result<Vec<u8>> {
    match format {
        LocationsFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(locations)?;
            bytes.push(b'\n');
            Ok(bytes)
        }
        LocationsFormat::Csv => write_csv(locations, locales),
    }
}

fn write_csv(locations: &[Location], locales: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut name_locales: Vec<String> = locales.to_vec();
    let others: BTreeSet<&String> = locations
        .iter()
        .flat_map(|location| location.name.0.keys())
        .filter(|locale| !locales.contains(locale))
        .collect();
    name_locales.extend(others.into_iter().cloned());

    let mut writer = csv::Writer::from_writer(UTF8_BOM.as_bytes().to_vec());
    let mut header = vec!["code".to_owned(), "level".to_owned(), "parent".to_owned()];
    header.extend(name_locales.iter().map(|locale| format!("{NAME_PREFIX}{locale}")));
    writer.write_record(&header)?;
    for location in locations {
        let mut record: Vec<String> = vec![
            location.code.clone(),
            level_name(location.level).to_owned(),
            location.parent.clone().unwrap_or_default(),
        ];
        for locale in &name_locales {
            let name = location.name.0.get(locale).map(String::as_str).unwrap_or("");
            record.push(neutralise_text_cell(name).into_owned());
        }
        writer.write_record(&record)?;
    }
    Ok(writer.into_inner()?)
}

fn level_name(level: LocationLevel) -> &'static str {
    LEVELS.iter().find(|(_, candidate)| *candidate == level).map(|(name, _)| *name).unwrap_or("")
}

fn parse_level(name: &str) -> Option<LocationLevel> {
    let name = name.to_lowercase();
    LEVELS.iter().find(|(candidate, _)| *candidate == name).map(|(_, level)| *level)
}

/// One location as the file gives it, before the checks.
#[derive(Debug, Default)]
struct RawLocation {
    row: usize,
    code: String,
    level: String,
    parent: String,
    /// Names by locale; empty names are kept, so that the checks can name their column.
    names: BTreeMap<String, String>,
}

/// Reads a locations file and checks it whole: every row against every other, and a name in
/// each of `locales`. Returns the locations in file order, or every problem found.
pub fn read(
    bytes: &[u8],
    format: LocationsFormat,
    locales: &[String],
) -> Result<Vec<Location>, Vec<FieldError>> {
    let Ok(text) = std::str::from_utf8(strip_bom(bytes)) else {
        return Err(vec![FieldError::new("locations_not_utf8", "")]);
    };
    let (rows, mut errors) = match format {
        LocationsFormat::Csv => read_csv(text, locales)?,
        LocationsFormat::Json => read_json(text)?,
    };
    match check(rows, locales) {
        Ok(locations) if errors.is_empty() => Ok(locations),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            errors.sort_by_key(|error| error.params.get("row").and_then(|row| row.parse::<usize>().ok()));
            Err(errors)
        }
    }
}

/// Rows read from a file, with the problems that still let every row be checked. A problem
/// that leaves a row unreadable is returned as `Err` alone, because the checks of the other rows
/// would then report parents as missing that the file does contain.
type ReadRows = Result<(Vec<RawLocation>, Vec<FieldError>), Vec<FieldError>>;

fn read_csv(text: &str, locales: &[String]) -> ReadRows {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|name| clean_text(name).to_lowercase()).collect(),
        Err(error) => return Err(vec![csv_error(&error, 0)]),
    };
    check_header(&header, locales)?;

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 1;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                errors.push(csv_error(&error, row));
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            errors.push(
                FieldError::new("location_row_length", &row.to_string())
                    .with("row", row)
                    .with("count", record.len())
                    .with("columns", header.len()),
            );
            continue;
        }
        let mut location = RawLocation { row, ..RawLocation::default() };
        for (column, cell) in header.iter().zip(record.iter()) {
            let value = clean_text(strip_mark(cell));
            match column.as_str() {
                "code" => location.code = value,
                "level" => location.level = value,
                "parent" => location.parent = value,
                name => {
                    let locale = name.strip_prefix(NAME_PREFIX).unwrap_or(name);
                    location.names.insert(locale.to_owned(), value);
                }
            }
        }
        rows.push(location);
    }
    if errors.is_empty() { Ok((rows, Vec::new())) } else { Err(errors) }
}

/// Checks the header row: `code`, `level`, `parent` and a name column for every locale, each
/// once, and nothing else.
fn check_header(header: &[String], locales: &[String]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for column in header {
        if !seen.insert(column.as_str()) {
            errors.push(FieldError::new("location_column_duplicate", column).with("column", column));
        }
        let known = matches!(column.as_str(), "code" | "level" | "parent")
            || column.strip_prefix(NAME_PREFIX).is_some_and(is_locale_code);
        if !known {
            errors.push(FieldError::new("location_column_unknown", column).with("column", column));
        }
    }
    let required = ["code", "level", "parent"]
        .into_iter()
        .map(str::to_owned)
        .chain(locales.iter().map(|locale| format!("{NAME_PREFIX}{locale}")));
    for column in required {
        if !seen.contains(column.as_str()) {
            errors.push(FieldError::new("location_column_missing", &column).with("column", &column));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

fn is_locale_code(text: &str) -> bool {
    (2..=8).contains(&text.len()) && text.chars().all(|c| c.is_ascii_lowercase() || c == '-')
}

fn csv_error(error: &csv::Error, row: usize) -> FieldError {
    FieldError::new("location_row_unreadable", &row.to_string()).with("row", row).with("detail", error)
}

fn read_json(text: &str) -> ReadRows {
    let document: Value = serde_json::from_str(text).map_err(|error| {
        vec![
            FieldError::new("locations_json_invalid", "")
                .with("line", error.line())
                .with("column", error.column()),
        ]
    })?;
    let Value::Array(items) = document else {
        return Err(vec![FieldError::new("locations_json_not_array", "")]);
    };

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let row = index + 1;
        let Value::Object(object) = item else {
            return Err(vec![FieldError::new("location_json_not_object", &row.to_string()).with("row", row)]);
        };
        let mut location = RawLocation { row, ..RawLocation::default() };
        for (key, value) in object {
            match (key.as_str(), value) {
                ("code" | "level" | "parent", Value::Null) => {}
                ("code" | "level" | "parent", Value::String(text)) => {
                    let text = clean_text(text);
                    match key.as_str() {
                        "code" => location.code = text,
                        "level" => location.level = text,
                        _ => location.parent = text,
                    }
                }
                ("name", Value::Object(names)) => {
                    for (locale, name) in names {
                        let column = format!("{NAME_PREFIX}{locale}");
                        match name {
                            Value::String(name) => {
                                location.names.insert(locale.clone(), clean_text(name));
                            }
                            _ => errors.push(not_text(row, &column)),
                        }
                    }
                }
                ("code" | "level" | "parent" | "name", _) => errors.push(not_text(row, key)),
                _ => errors.push(
                    FieldError::new("location_key_unknown", &format!("{row}/{key}"))
                        .with("row", row)
                        .with("column", key),
                ),
            }
        }
        rows.push(location);
    }
    Ok((rows, errors))
}

fn not_text(row: usize, column: &str) -> FieldError {
    FieldError::new("location_value_not_text", &format!("{row}/{column}"))
        .with("row", row)
        .with("column", column)
}

/// A problem with the value in `column` of `row`.
fn cell_error(code: &str, row: usize, column: &str, value: &str) -> FieldError {
    FieldError::new(code, &format!("{row}/{column}"))
        .with("row", row)
        .with("column", column)
        .with("value", value)
}

/// Runs the location checks of [`sathi_domain::config::Configuration::validate`] row by row, so
/// that each problem names where it is, plus the checks a file needs: codes unique and well
/// formed, levels known, a name in every language of the deployment.
fn check(rows: Vec<RawLocation>, locales: &[String]) -> Result<Vec<Location>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut first_row: HashMap<&str, usize> = HashMap::new();
    for location in &rows {
        if location.code.is_empty() {
            errors.push(cell_error("location_code_missing", location.row, "code", ""));
        } else if !location.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            errors.push(cell_error("location_code_invalid", location.row, "code", &location.code));
        } else if let Some(first) = first_row.get(location.code.as_str()) {
            errors.push(
                cell_error("location_code_duplicate", location.row, "code", &location.code)
                    .with("first_row", first),
            );
        } else {
            first_row.insert(&location.code, location.row);
        }
    }
    // The first row of a duplicated code is the one that counts as its parent.
    let mut levels: HashMap<&str, Option<LocationLevel>> = HashMap::new();
    for location in &rows {
        levels.entry(location.code.as_str()).or_insert_with(|| parse_level(&location.level));
    }

    for location in &rows {
        let level = parse_level(&location.level);
        if level.is_none() {
            let allowed = LEVELS.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ");
            errors.push(
                cell_error("location_level_invalid", location.row, "level", &location.level)
                    .with("allowed", allowed),
            );
        }
        check_parent(location, level, &levels, &mut errors);
        for locale in locales {
            let column = format!("{NAME_PREFIX}{locale}");
            if location.names.get(locale).is_none_or(|name| name.is_empty()) {
                errors.push(cell_error("location_name_missing", location.row, &column, ""));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    Ok(rows
        .into_iter()
        .map(|location| Location {
            level: parse_level(&location.level).expect("levels were checked"),
            parent: (!location.parent.is_empty()).then_some(location.parent),
            code: location.code,
            name: LocalizedText(location.names.into_iter().filter(|(_, name)| !name.is_empty()).collect()),
        })
        .collect())
}

/// Checks that a location other than a country names a parent of the file, at a level above its
/// own (a block may sit in a block), and that its code extends the parent's. Case lists filter
/// "this place and everything in it" as one range over codes, which needs that prefix.
fn check_parent(
    location: &RawLocation,
    level: Option<LocationLevel>,
    levels: &HashMap<&str, Option<LocationLevel>>,
    errors: &mut Vec<FieldError>,
) {
    let row = location.row;
    let parent = location.parent.as_str();
    if parent.is_empty() {
        if level.is_some_and(|level| level != LocationLevel::Country) {
            errors.push(cell_error("location_parent_missing", row, "parent", ""));
        }
        return;
    }
    let Some(parent_level) = levels.get(parent) else {
        errors.push(cell_error("location_parent_unknown", row, "parent", parent));
        return;
    };
    if let (Some(level), Some(parent_level)) = (level, parent_level)
        && *parent_level >= level
        && level != LocationLevel::Block
    {
        errors.push(
            cell_error("location_level_not_below_parent", row, "level", &location.level)
                .with("parent", parent)
                .with("parent_level", level_name(*parent_level)),
        );
    }
    if !location.code.is_empty() && !location.code.starts_with(&format!("{parent}-")) {
        errors.push(cell_error("location_code_prefix", row, "code", &location.code).with("parent", parent));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales() -> Vec<String> {
        vec!["en".to_owned(), "bn".to_owned()]
    }

    fn codes(errors: &[FieldError]) -> Vec<(String, String)> {
        errors.iter().map(|error| (error.code.clone(), error.path.clone())).collect()
    }

    #[test]
    fn csv_round_trip_keeps_every_value() {
        let text = "\u{feff} code ,Level,parent,name_en,name_bn\n\
                    BD,country,,Bangladesh,বাংলাদেশ\n\
                    BD-X,division,BD,'=Odd name,বিভাগ\n";
        let locations = read(text.as_bytes(), LocationsFormat::Csv, &locales()).expect("the file is valid");
        assert_eq!(locations.len(), 2);
        assert_eq!(locations[1].name.get("en"), "=Odd name");
        assert_eq!(locations[1].parent.as_deref(), Some("BD"));

        let written = write(&locations, &locales(), LocationsFormat::Csv).expect("writing works");
        let again = read(&written, LocationsFormat::Csv, &locales()).expect("the written file is valid");
        assert_eq!(serde_json::to_value(&again).unwrap(), serde_json::to_value(&locations).unwrap());
    }

    #[test]
    fn names_become_nfc() {
        let text = "code,level,parent,name_en,name_bn\nBD,country,,Cafe\u{301},কী\n";
        let locations = read(text.as_bytes(), LocationsFormat::Csv, &locales()).expect("the file is valid");
        assert_eq!(locations[0].name.get("en"), "Caf\u{e9}");
    }

    #[test]
    fn csv_problems_name_row_and_column() {
        let text = "code,level,parent,name_en,name_bn\n\
                    BD,country,,Bangladesh,বাংলাদেশ\n\
                    BD-A,district,BD-Z,Alpha,আলফা\n\
                    BD,division,BD,Again,আবার\n\
                    BD-C,camp,BD,Camp C,\n\
                    BD-D,town,BD,Delta,ডেল্টা\n";
        let errors =
            read(text.as_bytes(), LocationsFormat::Csv, &locales()).expect_err("the file has errors");
        assert_eq!(
            codes(&errors),
            [
                ("location_parent_unknown".to_owned(), "2/parent".to_owned()),
                ("location_code_duplicate".to_owned(), "3/code".to_owned()),
                ("location_code_prefix".to_owned(), "3/code".to_owned()),
                ("location_name_missing".to_owned(), "4/name_bn".to_owned()),
                ("location_level_invalid".to_owned(), "5/level".to_owned()),
            ]
        );
        assert_eq!(errors[0].params["value"], "BD-Z");
        assert_eq!(errors[1].params["first_row"], "1");
    }

    #[test]
    fn header_needs_every_language() {
        let text = "code,level,parent,name_en,region\nBD,country,,Bangladesh,x\n";
        let errors =
            read(text.as_bytes(), LocationsFormat::Csv, &locales()).expect_err("the header is wrong");
        assert_eq!(
            codes(&errors),
            [
                ("location_column_unknown".to_owned(), "region".to_owned()),
                ("location_column_missing".to_owned(), "name_bn".to_owned()),
            ]
        );
    }

    #[test]
    fn json_reads_the_configuration_layout() {
        let text = r#"[{"code":"BD","level":"country","name":{"en":"Bangladesh","bn":"বাংলাদেশ"},"parent":null},
                       {"code":"BD-A","level":"division","name":{"en":"A"},"parent":"BD","area":1}]"#;
        let errors = read(text.as_bytes(), LocationsFormat::Json, &locales()).expect_err("row 2 is wrong");
        assert_eq!(
            codes(&errors),
            [
                ("location_key_unknown".to_owned(), "2/area".to_owned()),
                ("location_name_missing".to_owned(), "2/name_bn".to_owned()),
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_reported() {
        let errors = read(b"code\xff", LocationsFormat::Csv, &locales()).expect_err("not UTF-8");
        assert_eq!(codes(&errors), [("locations_not_utf8".to_owned(), String::new())]);
    }
}
