//! The problems [`super::Configuration::validate`] can find, as data: a stable code and the values
//! each message names. The server words a problem in the reader's language with
//! `error-config_<code>` from `locales/*/sathi.ftl`, and the command line prints it in English.

use std::fmt;

/// One kind of configuration problem, with the values its message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    MissingText { locale: String },
    DuplicateId { id: String },
    InvalidId { id: String },
    NoLocale,
    NoEnglish,
    OutOfRange { min: i64, max: i64 },
    AtLeastOne,
    NoAgeRange,
    AgeRangeReversed { min: u32 },
    AgeRangeAfterOpen,
    AgeRangeOverlap { min: u32, max: u32 },
    TooManyDays { days: u32, max: u32 },
    TimeframeNotOption { lookup: String },
    NoOptions,
    DuplicateLocation,
    ParentMissing,
    ParentUnknown { parent: String },
    LevelNotBelowParent,
    CodePrefix { parent: String },
    UnknownService { service: String },
    UnknownForm { form: String },
    DuplicateField,
    UnknownLookup { lookup: String },
    EmptySubform,
    RowTitleUnknown { field: String },
    NestedSubform,
    MinAboveMax,
    CalculationSource { field: String },
    CalculatedNotReadOnly,
    SystemNotReadOnly,
    ConditionFieldUnknown { field: String },
    IncludesNotMultiSelect { field: String },
    IncludesNotOption { value: String, lookup: String },
    DuplicateImportAlias { alias: String, field: String },
}

impl ProblemKind {
    /// Returns the stable code, such as `unknown_lookup`.
    pub fn code(&self) -> &'static str {
        use ProblemKind::*;
        match self {
            MissingText { .. } => "missing_text",
            DuplicateId { .. } => "duplicate_id",
            InvalidId { .. } => "invalid_id",
            NoLocale => "no_locale",
            NoEnglish => "no_english",
            OutOfRange { .. } => "out_of_range",
            AtLeastOne => "at_least_one",
            NoAgeRange => "no_age_range",
            AgeRangeReversed { .. } => "age_range_reversed",
            AgeRangeAfterOpen => "age_range_after_open",
            AgeRangeOverlap { .. } => "age_range_overlap",
            TooManyDays { .. } => "too_many_days",
            TimeframeNotOption { .. } => "timeframe_not_option",
            NoOptions => "no_options",
            DuplicateLocation => "duplicate_location",
            ParentMissing => "parent_missing",
            ParentUnknown { .. } => "parent_unknown",
            LevelNotBelowParent => "level_not_below_parent",
            CodePrefix { .. } => "code_prefix",
            UnknownService { .. } => "unknown_service",
            UnknownForm { .. } => "unknown_form",
            DuplicateField => "duplicate_field",
            UnknownLookup { .. } => "unknown_lookup",
            EmptySubform => "empty_subform",
            RowTitleUnknown { .. } => "row_title_unknown",
            NestedSubform => "nested_subform",
            MinAboveMax => "min_above_max",
            CalculationSource { .. } => "calculation_source",
            CalculatedNotReadOnly => "calculated_not_read_only",
            SystemNotReadOnly => "system_not_read_only",
            ConditionFieldUnknown { .. } => "condition_field_unknown",
            IncludesNotMultiSelect { .. } => "includes_not_multi_select",
            IncludesNotOption { .. } => "includes_not_option",
            DuplicateImportAlias { .. } => "duplicate_import_alias",
        }
    }

    /// Returns the values the message names, by the names the messages use.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        use ProblemKind::*;
        match self {
            MissingText { locale } => vec![("locale", locale.clone())],
            DuplicateId { id } | InvalidId { id } => vec![("id", id.clone())],
            OutOfRange { min, max } => vec![("min", min.to_string()), ("max", max.to_string())],
            AgeRangeReversed { min } => vec![("min", min.to_string())],
            AgeRangeOverlap { min, max } => vec![("min", min.to_string()), ("max", max.to_string())],
            TooManyDays { days, max } => vec![("days", days.to_string()), ("max", max.to_string())],
            TimeframeNotOption { lookup } | UnknownLookup { lookup } => vec![("lookup", lookup.clone())],
            ParentUnknown { parent } | CodePrefix { parent } => vec![("parent", parent.clone())],
            UnknownService { service } => vec![("service", service.clone())],
            UnknownForm { form } => vec![("form", form.clone())],
            RowTitleUnknown { field }
            | CalculationSource { field }
            | ConditionFieldUnknown { field }
            | IncludesNotMultiSelect { field } => vec![("field", field.clone())],
            IncludesNotOption { value, lookup } => vec![("value", value.clone()), ("lookup", lookup.clone())],
            DuplicateImportAlias { alias, field } => vec![("alias", alias.clone()), ("field", field.clone())],
            NoLocale
            | NoEnglish
            | AtLeastOne
            | NoAgeRange
            | AgeRangeAfterOpen
            | NoOptions
            | DuplicateLocation
            | ParentMissing
            | LevelNotBelowParent
            | DuplicateField
            | EmptySubform
            | NestedSubform
            | MinAboveMax
            | CalculatedNotReadOnly
            | SystemNotReadOnly => Vec::new(),
        }
    }
}

/// The message in English, as `sathi config validate` prints it.
impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProblemKind::*;
        match self {
            MissingText { locale } => write!(f, "missing text in locale '{locale}'"),
            DuplicateId { id } => write!(f, "duplicate id '{id}'"),
            InvalidId { id } => write!(f, "id '{id}' must use only a-z, 0-9, '_' and '-'"),
            NoLocale => write!(f, "at least one locale is required"),
            NoEnglish => write!(f, "English ('en') is required as the fallback locale"),
            OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            AtLeastOne => write!(f, "must be at least 1"),
            NoAgeRange => write!(f, "at least one age range is required"),
            AgeRangeReversed { min } => write!(f, "the minimum {min} is above the maximum"),
            AgeRangeAfterOpen => write!(f, "follows a range with no maximum, so the two overlap"),
            AgeRangeOverlap { min, max } => write!(
                f,
                "starts at {min} but the range before ends at {max}: ranges must ascend without overlapping"
            ),
            TooManyDays { days, max } => write!(f, "{days} days is more than the maximum of {max}"),
            TimeframeNotOption { lookup } => write!(f, "not an option of lookup '{lookup}'"),
            NoOptions => write!(f, "a lookup needs at least one option"),
            DuplicateLocation => write!(f, "location codes must be unique"),
            ParentMissing => write!(f, "only a country may have no parent"),
            ParentUnknown { parent } => write!(f, "parent '{parent}' does not exist"),
            LevelNotBelowParent => write!(f, "a location's level must be below its parent's"),
            CodePrefix { parent } => write!(f, "code must start with the parent's code '{parent}-'"),
            UnknownService { service } => write!(f, "unknown service type '{service}'"),
            UnknownForm { form } => write!(f, "unknown form '{form}'"),
            DuplicateField => write!(f, "field ids must be unique across all forms"),
            UnknownLookup { lookup } => write!(f, "unknown lookup '{lookup}'"),
            EmptySubform => write!(f, "a subform needs at least one field"),
            RowTitleUnknown { field } => write!(f, "row title field '{field}' is not in the subform"),
            NestedSubform => write!(f, "subforms cannot be nested"),
            MinAboveMax => write!(f, "min is greater than max"),
            CalculationSource { field } => write!(f, "calculation source '{field}' is not a date field"),
            CalculatedNotReadOnly => write!(f, "a calculated field must be read_only"),
            SystemNotReadOnly => write!(f, "a system field must be read_only"),
            ConditionFieldUnknown { field } => write!(f, "condition refers to unknown field '{field}'"),
            IncludesNotMultiSelect { field } => {
                write!(f, "'includes' needs a multi_select field, '{field}' is not one")
            }
            IncludesNotOption { value, lookup } => {
                write!(f, "'{value}' is not an option of lookup '{lookup}'")
            }
            DuplicateImportAlias { alias, field } => {
                write!(
                    f,
                    "the import alias '{alias}' also names the field '{field}', so keep it on one field only"
                )
            }
        }
    }
}
