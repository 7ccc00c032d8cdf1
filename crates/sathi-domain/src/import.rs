//! Reading case records from spreadsheets and from the incumbent system's JSON exports.
//!
//! An import declares a [`Mapping`]: which column goes to which field, the one date format of
//! the file, the columns that carry ids, and the owner of new cases. [`Importer`] applies it to
//! one row at a time. It turns each cell into the value the field takes: a lookup label into its
//! option id, a `dd/mm/yyyy` date into `YYYY-MM-DD`, `হ্যাঁ` into `true`. It then runs the row
//! through the same [`Validator`] as the API, so an imported case obeys the same rules as a
//! typed one. Every error of a row is reported, and a row with any error is rejected whole.
//!
//! This module does no IO. The server reads the files, looks up existing cases and writes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Date, Duration, Month};
use uuid::Uuid;

use crate::config::{Configuration, Field, FieldKind, SystemSource};
use crate::dates::{self, DateError, DateOrder};
use crate::permissions::FormAccess;
use crate::spreadsheet;
use crate::text::{self, DigitError};
use crate::validation::{Change, FieldError, ROW_ID, ValidatedWrite, Validator};

/// The kind of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    Csv,
    Xlsx,
    /// The incumbent system's JSON case export: records with an `id` and a `data` document.
    IncumbentJson,
}

impl ImportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportFormat::Csv => "csv",
            ImportFormat::Xlsx => "xlsx",
            ImportFormat::IncumbentJson => "incumbent_json",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "csv" => Some(ImportFormat::Csv),
            "xlsx" => Some(ImportFormat::Xlsx),
            "incumbent_json" => Some(ImportFormat::IncumbentJson),
            _ => None,
        }
    }
}

/// The order of day, month and year in the file's date cells, one for the whole import.
///
/// Day, month and year may be separated by `/`, `-` or `.` whatever the format's name shows,
/// because only the order can make a date ambiguous. An ISO `YYYY-MM-DD` date is accepted in
/// every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DateFormat {
    #[default]
    #[serde(rename = "dd/mm/yyyy")]
    DaySlash,
    #[serde(rename = "mm/dd/yyyy")]
    MonthSlash,
    #[serde(rename = "yyyy-mm-dd")]
    Iso,
    #[serde(rename = "dd-mm-yyyy")]
    DayDash,
    #[serde(rename = "dd.mm.yyyy")]
    DayDot,
}

impl DateFormat {
    /// Returns the name of the format in messages, which select their wording and example on it.
    pub fn message_key(self) -> &'static str {
        match self {
            DateFormat::DaySlash => "day_slash",
            DateFormat::MonthSlash => "month_slash",
            DateFormat::Iso => "iso",
            DateFormat::DayDash => "day_dash",
            DateFormat::DayDot => "day_dot",
        }
    }

    pub fn order(self) -> DateOrder {
        match self {
            DateFormat::DaySlash | DateFormat::DayDash | DateFormat::DayDot => DateOrder::DayMonthYear,
            DateFormat::MonthSlash => DateOrder::MonthDayYear,
            DateFormat::Iso => DateOrder::YearMonthDay,
        }
    }
}

/// The mapping of a file's columns to the fields of a case, saved with the import and reusable.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub date_format: DateFormat,
    /// Columns and the top-level field each fills. Columns not listed are ignored.
    #[serde(default)]
    pub columns: Vec<ColumnMapping>,
    /// A column of Sathi case ids (display id or UUID): the row updates that case.
    #[serde(default)]
    pub case_id_column: Option<String>,
    /// A column of the source system's ids: the row updates the case imported with that id
    /// before, and otherwise creates a case that keeps it.
    #[serde(default)]
    pub external_id_column: Option<String>,
    /// User name of the owner of new cases.
    #[serde(default)]
    pub owner: Option<String>,
    /// A column of user names that overrides `owner` for the row's new case.
    #[serde(default)]
    pub owner_column: Option<String>,
    /// For `incumbent_json`: field renames, value maps and subforms (`config/imports/incumbent.json`).
    #[serde(default)]
    pub incumbent: Option<IncumbentMapping>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    pub column: String,
    pub field: String,
}

/// The mapping of the incumbent system's records to Sathi cases.
///
/// A key of a record's `data` document that `fields` does not list, and that is the id of a
/// Sathi field that can be imported, fills that field, because Sathi's field ids follow the
/// incumbent's. Any other key is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncumbentMapping {
    /// A note for the administrator; ignored by the importer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Key of the record's id, which becomes the case's external id.
    #[serde(default = "default_id_key")]
    pub id_key: String,
    /// Key of the document of field values.
    #[serde(default = "default_data_key")]
    pub data_key: String,
    /// Incumbent key → Sathi field id, or `null` to leave the key out.
    #[serde(default)]
    pub fields: BTreeMap<String, Option<String>>,
    /// Sathi field id → incumbent value → Sathi value, applied before options are matched.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Incumbent key of a subform (an array of rows with `unique_id`) → its Sathi subform.
    #[serde(default)]
    pub subforms: BTreeMap<String, SubformMapping>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubformMapping {
    /// The Sathi subform field id, such as `family_members`.
    pub field: String,
    /// Incumbent row key → Sathi row field id, or `null` to leave it out. Keys equal to a field
    /// of the subform fill it without being listed.
    #[serde(default)]
    pub fields: BTreeMap<String, Option<String>>,
    /// Sathi row field id → incumbent value → Sathi value.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

fn default_id_key() -> String {
    "id".to_owned()
}

fn default_data_key() -> String {
    "data".to_owned()
}

/// One cell of a source row, typed as the file typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text of a CSV file or a text cell of a workbook.
    Text(String),
    Number(f64),
    Bool(bool),
    /// A workbook cell formatted as a date, already converted with the workbook's date system.
    Date(Date),
}

/// Why a row, or a value in it, was rejected: a stable code with the parameters of its
/// message (`error-<code>` in `locales/*/sathi.ftl`), and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The column (or incumbent key) the value came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The field path, such as `age` or `family_members/<row id>/name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// The cell's text as the file has it (cut at [`SHOWN_CELL_CHARS`] characters), so the
    /// report can show which value failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

/// Characters of a failing cell that a row error keeps.
pub const SHOWN_CELL_CHARS: usize = 60;

impl RowError {
    pub fn new(code: &str) -> Self {
        RowError { column: None, field: None, code: code.to_owned(), params: BTreeMap::new(), cell: None }
    }

    /// Sets the failing value, cut at [`SHOWN_CELL_CHARS`] characters.
    pub fn with_cell(mut self, cell: Option<&str>) -> Self {
        self.cell = cell.map(|text| match text.char_indices().nth(SHOWN_CELL_CHARS) {
            Some((end, _)) => format!("{}…", &text[..end]),
            None => text.to_owned(),
        });
        self
    }

    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    fn at(mut self, column: Option<&str>, field: Option<&str>) -> Self {
        self.column = column.map(str::to_owned);
        self.field = field.map(str::to_owned);
        self
    }

    fn from_field_error(error: FieldError, column: Option<&str>) -> Self {
        RowError {
            column: column.map(str::to_owned),
            field: Some(error.path),
            code: error.code,
            params: error.params,
            cell: None,
        }
    }
}

/// Normalises a header cell: byte order mark removed, NFC, trimmed.
pub fn normalize_header(raw: &str) -> String {
    text::clean_text(raw.trim_start_matches('\u{feff}'))
}

/// Folds a header, field label, import alias, option label or place name for matching: NFC,
/// trimmed, lowercase.
pub(crate) fn fold(raw: &str) -> String {
    text::clean_text(raw).to_lowercase()
}

/// Converts a workbook's date serial number to a calendar date.
///
/// The 1900 date system counts days from 1899-12-31 as day 1 and, as Excel does, counts a
/// 29 February 1900 that never existed (serial 60), so serials from 61 on are one day ahead of
/// a plain count from 1899-12-31. The 1904 date system counts days from 1904-01-01 as day 0.
/// A fraction of a day (the time) is dropped. Returns `None` for serial 60 in the 1900 system,
/// for negative serials and for serials past year 9999.
pub fn excel_serial_date(serial: f64, is_1904: bool) -> Option<Date> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    if is_1904 {
        let epoch = Date::from_calendar_date(1904, Month::January, 1).ok()?;
        return epoch.checked_add(Duration::days(days));
    }
    let epoch = Date::from_calendar_date(1899, Month::December, 31).ok()?;
    match days {
        60 => None,
        0..=59 => epoch.checked_add(Duration::days(days)),
        _ => epoch.checked_add(Duration::days(days - 1)),
    }
}

/// Problems of a mapping against a file's columns and the configuration, before any row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingProblem {
    /// The column or field the problem is about.
    pub subject: String,
    pub code: &'static str,
}

/// One row read from a file, with the values it gives each field and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    /// 1-based data row; the header row is not counted.
    pub number: u64,
    /// The Sathi case id or display id the row names, upper-cased.
    pub case_ref: Option<String>,
    /// The row's id in the system it came from, upper-cased, so that ids differing only in
    /// letter case name the same case.
    pub external_id: Option<String>,
    /// The owner's user name for a new case, lowercased.
    pub owner: Option<String>,
    /// Field values converted for the validator; `Null` for an empty cell.
    pub values: Map<String, Value>,
    /// Errors found while converting cells.
    pub errors: Vec<RowError>,
    /// The text of each mapped cell that is not empty, by field id, for row errors.
    pub cells: BTreeMap<String, String>,
}

/// A field that a column or an incumbent key fills.
struct Target<'a> {
    column: String,
    field: &'a Field,
}

/// Applies one [`Mapping`] to the rows of one file.
pub struct Importer<'a> {
    config: &'a Configuration,
    mapping: &'a Mapping,
    format: ImportFormat,
    /// Position of each mapped column in the header row, with its field.
    columns: Vec<(usize, Target<'a>)>,
    case_id_column: Option<usize>,
    external_id_column: Option<usize>,
    owner_column: Option<usize>,
    /// Lookup id → folded option id or label → option id.
    options: HashMap<&'a str, HashMap<String, String>>,
    /// Folded location code or name → codes.
    places: HashMap<String, Vec<&'a str>>,
}

/// Returns whether values of `field` can come from a file. Attachments, calculated values,
/// system values and separators cannot.
pub fn is_importable(field: &Field) -> bool {
    !field.read_only
        && !matches!(
            field.kind,
            FieldKind::Separator
                | FieldKind::Photo
                | FieldKind::Audio
                | FieldKind::Document
                | FieldKind::Signature
                | FieldKind::Calculated { .. }
                | FieldKind::System { .. }
        )
}

/// Returns whether a spreadsheet column can fill `field`: an importable field that is not a
/// subform or a tally, which need structured values.
fn takes_a_column(field: &Field) -> bool {
    is_importable(field) && !matches!(field.kind, FieldKind::Subform { .. } | FieldKind::Tally { .. })
}

/// Returns the access the importer writes with: every form, because the `import` grant is the
/// permission to write whole records. The validator still rejects system and calculated fields.
fn full_access(_form: &str) -> FormAccess {
    FormAccess::ReadWrite
}

impl<'a> Importer<'a> {
    /// Prepares `mapping` for a file with `headers`, or lists every problem of the mapping.
    /// `headers` are normalised with [`normalize_header`]; for `incumbent_json` they are unused.
    pub fn new(
        config: &'a Configuration,
        mapping: &'a Mapping,
        format: ImportFormat,
        headers: &[String],
    ) -> Result<Self, Vec<MappingProblem>> {
        let mut problems = Vec::new();
        let position = |column: &str, problems: &mut Vec<MappingProblem>| {
            let wanted = normalize_header(column);
            let found = headers.iter().position(|header| *header == wanted);
            if found.is_none() && format != ImportFormat::IncumbentJson {
                problems.push(MappingProblem { subject: column.to_owned(), code: "import_unknown_column" });
            }
            found
        };

        let mut columns = Vec::new();
        let mut seen_fields = BTreeSet::new();
        if format != ImportFormat::IncumbentJson {
            for entry in &mapping.columns {
                let index = position(&entry.column, &mut problems);
                let Some((_, field)) = config.field(&entry.field) else {
                    problems
                        .push(MappingProblem { subject: entry.field.clone(), code: "import_unknown_field" });
                    continue;
                };
                if !takes_a_column(field) {
                    problems.push(MappingProblem {
                        subject: entry.field.clone(),
                        code: "import_field_not_importable",
                    });
                    continue;
                }
                if !seen_fields.insert(field.id.clone()) {
                    problems.push(MappingProblem {
                        subject: entry.field.clone(),
                        code: "import_field_mapped_twice",
                    });
                    continue;
                }
                if let Some(index) = index {
                    columns.push((index, Target { column: entry.column.clone(), field }));
                }
            }
        }

        let optional_column = |column: &Option<String>, problems: &mut Vec<MappingProblem>| {
            column.as_deref().filter(|name| !name.trim().is_empty()).and_then(|name| position(name, problems))
        };
        let case_id_column = optional_column(&mapping.case_id_column, &mut problems);
        let external_id_column = optional_column(&mapping.external_id_column, &mut problems);
        let owner_column = optional_column(&mapping.owner_column, &mut problems);

        match format {
            ImportFormat::IncumbentJson => match &mapping.incumbent {
                None => problems.push(MappingProblem {
                    subject: "incumbent".to_owned(),
                    code: "import_mapping_no_incumbent",
                }),
                Some(incumbent) => check_incumbent(config, incumbent, &mut problems),
            },
            _ => {
                let has_id = [&mapping.case_id_column, &mapping.external_id_column]
                    .iter()
                    .any(|column| column.as_deref().is_some_and(|name| !name.trim().is_empty()));
                if !has_id {
                    problems.push(MappingProblem {
                        subject: "external_id_column".to_owned(),
                        code: "import_mapping_no_id",
                    });
                }
            }
        }
        let has_owner = [&mapping.owner, &mapping.owner_column]
            .iter()
            .any(|value| value.as_deref().is_some_and(|name| !name.trim().is_empty()));
        if !has_owner {
            problems.push(MappingProblem { subject: "owner".to_owned(), code: "import_mapping_no_owner" });
        }
        if !problems.is_empty() {
            return Err(problems);
        }

        Ok(Importer {
            config,
            mapping,
            format,
            columns,
            case_id_column,
            external_id_column,
            owner_column,
            options: option_index(config),
            places: place_index(config),
        })
    }

    /// Reads one row of a CSV file or workbook.
    pub fn read_row(&self, number: u64, cells: &[Cell]) -> SourceRow {
        let cell = |index: usize| cells.get(index).cloned().unwrap_or(Cell::Empty);
        let mut row = SourceRow {
            number,
            case_ref: None,
            external_id: None,
            owner: None,
            values: Map::new(),
            errors: Vec::new(),
            cells: BTreeMap::new(),
        };
        row.case_ref =
            self.case_id_column.and_then(|index| cell_text(&self.prepare(cell(index)))).map(fold_id);
        row.external_id =
            self.external_id_column.and_then(|index| cell_text(&self.prepare(cell(index)))).map(fold_id);
        row.owner = self
            .owner_column
            .and_then(|index| cell_text(&self.prepare(cell(index))))
            .map(|name| name.to_lowercase());

        for (index, target) in &self.columns {
            let value = self.prepare(cell(*index));
            let shown = cell_text(&value);
            match self.convert(target.field, &value) {
                Ok(converted) => {
                    row.values.insert(target.field.id.clone(), converted);
                }
                Err(error) => row
                    .errors
                    .push(error.at(Some(&target.column), Some(&target.field.id)).with_cell(shown.as_deref())),
            }
            if let Some(shown) = shown {
                row.cells.insert(target.field.id.clone(), shown);
            }
        }
        row
    }

    /// Reads one record of an incumbent JSON export.
    pub fn read_record(&self, number: u64, record: &Value) -> SourceRow {
        let incumbent =
            self.mapping.incumbent.as_ref().expect("Importer::new requires the incumbent mapping");
        let mut row = SourceRow {
            number,
            case_ref: None,
            external_id: None,
            owner: None,
            values: Map::new(),
            errors: Vec::new(),
            cells: BTreeMap::new(),
        };
        row.external_id = record.get(&incumbent.id_key).and_then(json_text).map(fold_id);
        if row.external_id.is_none() {
            row.errors.push(RowError::new("import_record_without_id").with("key", &incumbent.id_key));
        }
        let Some(data) = record.get(&incumbent.data_key).and_then(Value::as_object) else {
            row.errors.push(RowError::new("import_record_without_data").with("key", &incumbent.data_key));
            return row;
        };
        let key_text =
            |key: &Option<String>| key.as_deref().and_then(|key| data.get(key)).and_then(json_text);
        row.case_ref = key_text(&self.mapping.case_id_column).map(fold_id);
        row.owner = key_text(&self.mapping.owner_column).map(|name| name.to_lowercase());

        for (key, value) in data {
            if let Some(subform) = incumbent.subforms.get(key) {
                match self.convert_subform(key, subform, value) {
                    Ok(rows) => {
                        row.values.insert(subform.field.clone(), rows);
                    }
                    Err(mut errors) => row.errors.append(&mut errors),
                }
                continue;
            }
            let target = match incumbent.fields.get(key) {
                Some(None) => continue,
                Some(Some(target)) => target.as_str(),
                None => key.as_str(),
            };
            let Some((_, field)) = self.config.field(target) else { continue };
            if !is_importable(field) || matches!(field.kind, FieldKind::Subform { .. }) {
                continue;
            }
            let value = map_value(incumbent.values.get(&field.id), value);
            match self.convert_json(field, &value) {
                Ok(converted) => {
                    row.values.insert(field.id.clone(), converted);
                }
                Err(error) => row.errors.push(error.at(Some(key), Some(&field.id))),
            }
        }
        row
    }

    /// Converts an incumbent subform (an array of rows with `unique_id`) into rows of `subform.field`.
    fn convert_subform(
        &self,
        key: &str,
        subform: &SubformMapping,
        value: &Value,
    ) -> Result<Value, Vec<RowError>> {
        let fields = match self.config.field(&subform.field).map(|(_, field)| &field.kind) {
            Some(FieldKind::Subform { fields, .. }) => fields,
            _ => return Err(vec![RowError::new("import_unknown_field").with("field", &subform.field)]),
        };
        let error_at = |error: RowError, path: &str| error.at(Some(key), Some(path));
        if value.is_null() {
            return Ok(Value::Null);
        }
        let Some(items) = value.as_array() else {
            let error = RowError::new("invalid_type").with("expected", "rows");
            return Err(vec![error_at(error, &subform.field)]);
        };
        let mut rows = Vec::with_capacity(items.len());
        let mut errors = Vec::new();
        let mut row_ids = HashSet::new();
        for item in items {
            let Some(source) = item.as_object() else {
                errors.push(error_at(RowError::new("invalid_type").with("expected", "row"), &subform.field));
                continue;
            };
            // A row keeps its id, so that importing the export again updates the row instead of
            // adding a second one. The id must therefore be a UUID that no other row of the list has.
            let shown_id = source.get(ROW_ID).and_then(json_text);
            let parsed = shown_id.as_deref().and_then(|id| Uuid::parse_str(id).ok());
            let Some(row_id) = parsed.filter(|id| row_ids.insert(*id)) else {
                let error = RowError::new("import_invalid_row_id").with_cell(shown_id.as_deref());
                errors.push(error_at(error, &subform.field));
                continue;
            };
            let mut output = Map::new();
            output.insert(ROW_ID.to_owned(), Value::String(row_id.to_string()));
            for (row_key, row_value) in source {
                if row_key == ROW_ID {
                    continue;
                }
                let target = match subform.fields.get(row_key) {
                    Some(None) => continue,
                    Some(Some(target)) => target.as_str(),
                    None => row_key.as_str(),
                };
                let Some(field) = fields.iter().find(|field| field.id == target) else { continue };
                if !is_importable(field) {
                    continue;
                }
                let path = format!("{}/{row_id}/{}", subform.field, field.id);
                let mapped = map_value(subform.values.get(&field.id), row_value);
                match self.convert_json(field, &mapped) {
                    Ok(Value::Null) => {}
                    Ok(converted) => {
                        output.insert(field.id.clone(), converted);
                    }
                    Err(error) => errors.push(error_at(error, &path)),
                }
            }
            rows.push(Value::Object(output));
        }
        if errors.is_empty() { Ok(Value::Array(rows)) } else { Err(errors) }
    }

    /// Removes the CSV export's formula mark from a text cell; workbooks carry no mark.
    fn prepare(&self, cell: Cell) -> Cell {
        match cell {
            Cell::Text(raw) if self.format == ImportFormat::Csv => {
                Cell::Text(spreadsheet::strip_mark(&raw).to_owned())
            }
            other => other,
        }
    }

    /// Converts a JSON value of the incumbent export into the value `field` takes.
    fn convert_json(&self, field: &Field, value: &Value) -> Result<Value, RowError> {
        match (&field.kind, value) {
            (_, Value::Null) => Ok(Value::Null),
            (FieldKind::MultiSelect { lookup }, Value::Array(items)) => {
                let mut chosen = Vec::with_capacity(items.len());
                for item in items {
                    let Some(raw) = json_text(item) else {
                        return Err(RowError::new("invalid_type").with("expected", "options"));
                    };
                    chosen.push(Value::String(self.match_option(lookup, &raw)?));
                }
                Ok(if chosen.is_empty() { Value::Null } else { Value::Array(chosen) })
            }
            (FieldKind::Tally { lookup }, Value::Object(counts)) => {
                let mut output = Map::new();
                for (option, count) in counts {
                    output.insert(self.match_option(lookup, option)?, count.clone());
                }
                Ok(Value::Object(output))
            }
            (FieldKind::Tally { .. }, _) => Err(RowError::new("invalid_type").with("expected", "tally")),
            (_, Value::String(raw)) => self.convert(field, &Cell::Text(raw.clone())),
            (_, Value::Number(number)) => {
                self.convert(field, &Cell::Number(number.as_f64().unwrap_or(f64::NAN)))
            }
            (_, Value::Bool(flag)) => self.convert(field, &Cell::Bool(*flag)),
            _ => Err(RowError::new("invalid_type").with("expected", expected_name(&field.kind))),
        }
    }

    /// Converts one cell into the value `field` takes, or the reason it cannot.
    fn convert(&self, field: &Field, cell: &Cell) -> Result<Value, RowError> {
        let scripts = &self.config.deployment.accepted_digit_scripts;
        if let Cell::Text(raw) = cell
            && text::clean_text(raw).is_empty()
        {
            return Ok(Value::Null);
        }
        match (&field.kind, cell) {
            (_, Cell::Empty) => Ok(Value::Null),
            (FieldKind::Text { .. } | FieldKind::Textarea { .. }, Cell::Text(raw)) => {
                if is_number_like(raw) {
                    let ascii = text::ascii_digits(&text::clean_text(raw), scripts)
                        .map_err(|error| digit_error(&error))?;
                    return Ok(Value::String(ascii));
                }
                Ok(Value::String(raw.clone()))
            }
            (FieldKind::Text { .. } | FieldKind::Textarea { .. }, Cell::Number(number)) => {
                Ok(Value::String(number_text(*number)))
            }
            (FieldKind::Text { .. } | FieldKind::Textarea { .. }, Cell::Date(date)) => {
                Ok(Value::String(dates::format_date(*date)))
            }
            (FieldKind::Number { .. }, Cell::Text(raw)) => Ok(Value::String(raw.clone())),
            (FieldKind::Number { .. }, Cell::Number(number)) => {
                Ok(serde_json::Number::from_f64(*number).map(Value::Number).unwrap_or(Value::Null))
            }
            (FieldKind::Date { .. }, Cell::Text(raw)) => {
                match dates::parse_date_in_order(raw, self.mapping.date_format.order(), scripts) {
                    Ok(date) => Ok(Value::String(dates::format_date(date))),
                    Err(error) => Err(date_error(&error, self.mapping.date_format)),
                }
            }
            (FieldKind::Date { .. }, Cell::Date(date)) => Ok(Value::String(dates::format_date(*date))),
            (FieldKind::DateTime, Cell::Text(raw)) => Ok(Value::String(raw.clone())),
            (FieldKind::Select { lookup } | FieldKind::Radio { lookup }, Cell::Text(raw)) => {
                self.match_option(lookup, raw).map(Value::String)
            }
            (FieldKind::Select { lookup } | FieldKind::Radio { lookup }, Cell::Number(number)) => {
                self.match_option(lookup, &number_text(*number)).map(Value::String)
            }
            (FieldKind::MultiSelect { lookup }, Cell::Text(raw)) => {
                let mut chosen: Vec<Value> = Vec::new();
                for item in raw.split(';').filter(|item| !text::clean_text(item).is_empty()) {
                    chosen.push(Value::String(self.match_option(lookup, item)?));
                }
                Ok(if chosen.is_empty() { Value::Null } else { Value::Array(chosen) })
            }
            (FieldKind::TickBox, Cell::Bool(flag)) => Ok(Value::Bool(*flag)),
            (FieldKind::TickBox, Cell::Number(number)) if *number == 1.0 || *number == 0.0 => {
                Ok(Value::Bool(*number == 1.0))
            }
            (FieldKind::TickBox, Cell::Text(raw)) => parse_yes_no(raw, scripts)
                .map(Value::Bool)
                .ok_or_else(|| RowError::new("import_invalid_yes_no").with("value", text::clean_text(raw))),
            (FieldKind::Location { .. }, Cell::Text(raw)) => self.match_place(raw).map(Value::String),
            (kind, _) => Err(RowError::new("invalid_type").with("expected", expected_name(kind))),
        }
    }

    /// Returns the option id that `raw` names in `lookup`: the id or a label in any locale,
    /// compared after NFC and trimming, ignoring case.
    fn match_option(&self, lookup: &str, raw: &str) -> Result<String, RowError> {
        let wanted = fold(raw);
        if let Some(id) = self.options.get(lookup).and_then(|index| index.get(&wanted)) {
            return Ok(id.clone());
        }
        let allowed: Vec<&str> = self
            .config
            .lookup(lookup)
            .map(|lookup| lookup.options.iter().map(|option| option.id.as_str()).collect())
            .unwrap_or_default();
        Err(RowError::new("unknown_option")
            .with("lookup", lookup)
            .with("value", text::clean_text(raw))
            .with("allowed", allowed.join(", ")))
    }

    /// Returns the location code that `raw` names: a code, or a place name in any locale when
    /// exactly one place has it.
    fn match_place(&self, raw: &str) -> Result<String, RowError> {
        let wanted = fold(raw);
        match self.places.get(&wanted).map(Vec::as_slice) {
            Some([code]) => Ok((*code).to_owned()),
            Some(codes) if codes.len() > 1 => Err(RowError::new("import_ambiguous_location")
                .with("value", text::clean_text(raw))
                .with("count", codes.len())),
            _ => Err(RowError::new("unknown_location").with("value", text::clean_text(raw))),
        }
    }

    /// Validates a new case from `row`, as the API validates a registration.
    ///
    /// Two rules differ from a registration, because a caseload migrated from another system
    /// often lacks values Sathi requires. A required field that the mapping does not fill (no
    /// column for it, or no key in the incumbent record) is left empty, and caseworkers fill it
    /// later: updates check required fields only where a change clears them. A required field
    /// that the mapping fills but the row leaves empty is a row error. The registration date,
    /// when not filled, is `today`, the day of the import.
    pub fn validate_create(
        &self,
        row: &SourceRow,
        validator: &Validator,
        today: Date,
    ) -> Result<ValidatedWrite, Vec<RowError>> {
        let result = self.validate_new_case(row, validator, today);
        with_conversion_errors(row, result)
    }

    fn validate_new_case(
        &self,
        row: &SourceRow,
        validator: &Validator,
        today: Date,
    ) -> Result<ValidatedWrite, Vec<RowError>> {
        let mut input: Map<String, Value> = row
            .values
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        let filled = |field: &str| self.fills(row, field);
        if !filled("registration_date") {
            input.insert("registration_date".to_owned(), Value::String(dates::format_date(today)));
        }
        match validator.validate_new(&input, &full_access) {
            Ok(write) => Ok(write),
            Err(errors) => {
                let remaining: Vec<FieldError> = errors
                    .into_iter()
                    .filter(|error| {
                        !(error.code == "required" && !error.path.contains('/') && !filled(&error.path))
                    })
                    .collect();
                if !remaining.is_empty() {
                    return Err(remaining.into_iter().map(|error| self.row_error(error, row)).collect());
                }
                let changes: Vec<Change> =
                    input.into_iter().map(|(path, value)| Change { path, value }).collect();
                validator
                    .validate_update(&Map::new(), &changes, &full_access)
                    .map_err(|errors| errors.into_iter().map(|error| self.row_error(error, row)).collect())
            }
        }
    }

    /// Validates the changes `row` makes to an existing case whose data is `current`. An empty
    /// cell leaves the case's value as it is, so an import never deletes data, and importing the
    /// same file again changes nothing.
    pub fn validate_update(
        &self,
        row: &SourceRow,
        current: &Map<String, Value>,
        validator: &Validator,
    ) -> Result<ValidatedWrite, Vec<RowError>> {
        let changes: Vec<Change> = row
            .values
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(path, value)| Change { path: path.clone(), value: value.clone() })
            .collect();
        let result = validator
            .validate_update(current, &changes, &full_access)
            .map_err(|errors| errors.into_iter().map(|error| self.row_error(error, row)).collect());
        with_conversion_errors(row, result)
    }

    /// Returns whether the mapping fills the top-level `field` for this row: a mapped column, or
    /// a key of the incumbent record.
    fn fills(&self, row: &SourceRow, field: &str) -> bool {
        match self.format {
            ImportFormat::IncumbentJson => row.values.contains_key(field),
            _ => self.columns.iter().any(|(_, target)| target.field.id == field),
        }
    }

    /// Turns a validator error into a row error naming the column and the cell it came from.
    fn row_error(&self, error: FieldError, row: &SourceRow) -> RowError {
        let root = error.path.split('/').next().unwrap_or_default().to_owned();
        let column = match self.format {
            ImportFormat::IncumbentJson => self.incumbent_key_of(&root),
            _ => self
                .columns
                .iter()
                .find(|(_, target)| target.field.id == root)
                .map(|(_, target)| target.column.clone()),
        };
        let cell = row.cells.get(&root).map(String::as_str);
        RowError::from_field_error(error, column.as_deref()).with_cell(cell)
    }

    fn incumbent_key_of(&self, field: &str) -> Option<String> {
        let incumbent = self.mapping.incumbent.as_ref()?;
        let renamed = incumbent
            .fields
            .iter()
            .find(|(_, target)| target.as_deref() == Some(field))
            .map(|(key, _)| key.clone());
        let subform =
            incumbent.subforms.iter().find(|(_, subform)| subform.field == field).map(|(key, _)| key.clone());
        renamed.or(subform).or_else(|| Some(field.to_owned()))
    }
}

/// Puts the errors found while converting cells first, then the validator's errors about
/// other fields. A value that could not be converted was left out of the validation, so the
/// validator's error on that field (usually "required") would only repeat the problem.
fn with_conversion_errors(
    row: &SourceRow,
    result: Result<ValidatedWrite, Vec<RowError>>,
) -> Result<ValidatedWrite, Vec<RowError>> {
    if row.errors.is_empty() {
        return result;
    }
    let mut errors = row.errors.clone();
    if let Err(found) = result {
        errors.extend(
            found.into_iter().filter(|error| !row.errors.iter().any(|known| known.field == error.field)),
        );
    }
    Err(errors)
}

/// Checks that an incumbent mapping names fields that exist and can be imported.
fn check_incumbent(config: &Configuration, incumbent: &IncumbentMapping, problems: &mut Vec<MappingProblem>) {
    for target in incumbent.fields.values().flatten() {
        match config.field(target) {
            Some((_, field)) if is_importable(field) && !matches!(field.kind, FieldKind::Subform { .. }) => {}
            Some(_) => {
                problems.push(MappingProblem { subject: target.clone(), code: "import_field_not_importable" })
            }
            None => problems.push(MappingProblem { subject: target.clone(), code: "import_unknown_field" }),
        }
    }
    for subform in incumbent.subforms.values() {
        let Some((_, field)) = config.field(&subform.field) else {
            problems.push(MappingProblem { subject: subform.field.clone(), code: "import_unknown_field" });
            continue;
        };
        let FieldKind::Subform { fields, .. } = &field.kind else {
            problems
                .push(MappingProblem { subject: subform.field.clone(), code: "import_field_not_importable" });
            continue;
        };
        for target in subform.fields.values().flatten() {
            if !fields.iter().any(|field| &field.id == target) {
                problems.push(MappingProblem {
                    subject: format!("{}/{target}", subform.field),
                    code: "import_unknown_field",
                });
            }
        }
    }
}

/// Headers, folded, that [`suggest_mapping`] takes as the case id column besides the labels of
/// the case id and display id fields. The id columns are not fields, so they have no
/// `import_aliases` in the configuration.
const CASE_ID_HEADERS: [&str; 6] =
    ["case id", "case_id", "sathi id", "sathi case id", "কেস আইডি", "সাথী আইডি"];

/// Headers, folded, that [`suggest_mapping`] takes as the column of the other system's ids.
const EXTERNAL_ID_HEADERS: [&str; 8] = [
    "external id",
    "external_id",
    "external case id",
    "old case number",
    "old case id",
    "পুরোনো কেস নম্বর",
    "পুরোনো কেস আইডি",
    "বাহ্যিক আইডি",
];

/// Suggests a mapping for a file's headers. Each header that equals a field id, a field label
/// in any locale or one of the field's `import_aliases` (after NFC, trimming and ignoring case)
/// fills that field. A header that names the case id or display id, or is in
/// [`CASE_ID_HEADERS`], becomes the case id column, and the first header in
/// [`EXTERNAL_ID_HEADERS`] becomes the external id column.
pub fn suggest_mapping(config: &Configuration, headers: &[String]) -> Mapping {
    let mut mapping = Mapping::default();
    let mut used = BTreeSet::new();
    for header in headers {
        let wanted = fold(header);
        if wanted.is_empty() {
            continue;
        }
        let is_case_id = CASE_ID_HEADERS.contains(&wanted.as_str())
            || config.forms.iter().flat_map(|form| &form.fields).any(|field| {
                matches!(
                    field.kind,
                    FieldKind::System { source: SystemSource::CaseId | SystemSource::DisplayId }
                ) && names_field(field, &wanted)
            });
        if is_case_id && mapping.case_id_column.is_none() {
            mapping.case_id_column = Some(header.clone());
            continue;
        }
        if EXTERNAL_ID_HEADERS.contains(&wanted.as_str()) && mapping.external_id_column.is_none() {
            mapping.external_id_column = Some(header.clone());
            continue;
        }
        let found =
            config.forms.iter().flat_map(|form| &form.fields).find(|field| {
                takes_a_column(field) && !used.contains(&field.id) && names_field(field, &wanted)
            });
        if let Some(field) = found {
            used.insert(field.id.clone());
            mapping.columns.push(ColumnMapping { column: header.clone(), field: field.id.clone() });
        }
    }
    mapping
}

/// Returns whether [`suggest_mapping`] may suggest `field` for a header: a field that takes a
/// column, or the case id or display id.
pub(crate) fn can_be_suggested(field: &Field) -> bool {
    takes_a_column(field)
        || matches!(field.kind, FieldKind::System { source: SystemSource::CaseId | SystemSource::DisplayId })
}

fn names_field(field: &Field, folded: &str) -> bool {
    fold(&field.id) == folded
        || field.label.0.values().any(|label| fold(label) == folded)
        || field.import_aliases.iter().any(|alias| fold(alias) == folded)
}

fn option_index(config: &Configuration) -> HashMap<&str, HashMap<String, String>> {
    let mut index = HashMap::new();
    for lookup in &config.lookups {
        let mut keys: HashMap<String, String> = HashMap::new();
        // Ids first, so that a label equal to another option's id never hides that option.
        for option in &lookup.options {
            keys.entry(fold(&option.id)).or_insert_with(|| option.id.clone());
        }
        for option in &lookup.options {
            for label in option.label.0.values() {
                keys.entry(fold(label)).or_insert_with(|| option.id.clone());
            }
        }
        index.insert(lookup.id.as_str(), keys);
    }
    index
}

fn place_index(config: &Configuration) -> HashMap<String, Vec<&str>> {
    let mut index: HashMap<String, Vec<&str>> = HashMap::new();
    for location in &config.locations {
        index.entry(fold(&location.code)).or_default().push(&location.code);
    }
    for location in &config.locations {
        for name in location.name.0.values() {
            let codes = index.entry(fold(name)).or_default();
            if !codes.contains(&location.code.as_str()) {
                codes.push(&location.code);
            }
        }
    }
    index
}

/// Applies a value map to a string value, or to each string of an array.
fn map_value(values: Option<&BTreeMap<String, String>>, value: &Value) -> Value {
    let Some(values) = values else { return value.clone() };
    let mapped = |raw: &Value| match raw.as_str().and_then(|text| values.get(text)) {
        Some(replacement) => Value::String(replacement.clone()),
        None => raw.clone(),
    };
    match value {
        Value::Array(items) => Value::Array(items.iter().map(mapped).collect()),
        other => mapped(other),
    }
}

/// Returns the text of an id or user name cell, trimmed, or `None` when it is empty.
fn cell_text(cell: &Cell) -> Option<String> {
    let raw = match cell {
        Cell::Empty | Cell::Bool(_) => return None,
        Cell::Text(raw) => text::clean_text(raw),
        Cell::Number(number) => number_text(*number),
        Cell::Date(date) => dates::format_date(*date),
    };
    (!raw.is_empty()).then_some(raw)
}

/// Upper-cases an id that [`cell_text`] or [`json_text`] already trimmed and normalised to NFC,
/// by Unicode's rules. Ids that differ only in letter case then compare equal.
fn fold_id(id: String) -> String {
    id.to_uppercase()
}

fn json_text(value: &Value) -> Option<String> {
    let raw = match value {
        Value::String(raw) => text::clean_text(raw),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    (!raw.is_empty()).then_some(raw)
}

/// Writes a number cell as text: whole numbers without a fraction, so a phone number or an id
/// typed into a numeric cell keeps its digits.
fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        format!("{}", number as i64)
    } else {
        number.to_string()
    }
}

/// Returns whether a text cell is a number such as a phone or document number: digits of any script
/// with only `+`, `-`, `(`, `)`, `/`, `.` and spaces between them. Its digits are stored as ASCII,
/// so that it can be searched and dialled whichever digits it was typed in.
fn is_number_like(raw: &str) -> bool {
    let cleaned = text::clean_text(raw);
    let mut has_digit = false;
    for c in cleaned.chars() {
        if text::decimal_digit(c).is_some() {
            has_digit = true;
        } else if !matches!(c, '+' | '-' | '(' | ')' | '/' | '.' | ' ') {
            return false;
        }
    }
    has_digit
}

/// Reads a yes/no cell: yes, no, true, false, 1, 0 (in any accepted digits) or the Bangla
/// হ্যাঁ and না, ignoring case.
fn parse_yes_no(raw: &str, scripts: &[crate::config::DigitScript]) -> Option<bool> {
    let ascii = text::ascii_digits(&fold(raw), scripts).ok()?;
    match ascii.as_str() {
        "yes" | "y" | "true" | "1" | "হ্যাঁ" | "হ্যা" => Some(true),
        "no" | "n" | "false" | "0" | "না" => Some(false),
        _ => None,
    }
}

fn expected_name(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text { .. } | FieldKind::Textarea { .. } => "text",
        FieldKind::Number { .. } => "number",
        FieldKind::Date { .. } => "date",
        FieldKind::DateTime => "date_time",
        FieldKind::Select { .. } | FieldKind::Radio { .. } => "option",
        FieldKind::MultiSelect { .. } => "options",
        FieldKind::TickBox => "yes_no",
        FieldKind::Tally { .. } => "tally",
        FieldKind::Subform { .. } => "rows",
        FieldKind::Location { .. } => "location",
        _ => "text",
    }
}

fn digit_error(error: &DigitError) -> RowError {
    let found = match error {
        DigitError::Mixed { first, second } => format!("{}, {}", first.code(), second.code()),
        DigitError::NotAccepted { script } => script.code().to_owned(),
    };
    RowError::new(error.code()).with("scripts", found)
}

/// Converts a date error. A value in no known form gets the import's `date_format`, so that
/// its message names the form the mapping declared rather than only year-month-day.
fn date_error(error: &DateError, format: DateFormat) -> RowError {
    match error {
        DateError::Digits(digits) => digit_error(digits),
        DateError::Format => RowError::new(error.code()).with("date_format", format.message_key()),
        DateError::Impossible => RowError::new(error.code()),
    }
}

#[cfg(test)]
mod tests;
