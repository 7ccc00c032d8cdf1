use std::path::Path;

use serde_json::json;
use time::macros::date;

use super::*;
use crate::config_files;

/// Reads the default configuration from `config/` in the source tree.
fn config() -> Configuration {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut files = Vec::new();
    for folder in ["", "forms"] {
        for entry in std::fs::read_dir(root.join(folder)).expect("config folder is readable") {
            let path = entry.expect("config entry").path();
            if path.extension().is_some_and(|extension| extension == "json") {
                let name = if folder.is_empty() {
                    path.file_name().expect("file name").to_string_lossy().into_owned()
                } else {
                    format!("{folder}/{}", path.file_name().expect("file name").to_string_lossy())
                };
                files.push((name, std::fs::read_to_string(&path).expect("config file is readable")));
            }
        }
    }
    config_files::parse(&files).expect("the default configuration parses")
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| normalize_header(name)).collect()
}

fn text_cells(values: &[&str]) -> Vec<Cell> {
    values.iter().map(|value| Cell::Text((*value).to_owned())).collect()
}

/// The mapping of the worked example `bangla-digits-import.csv`.
fn example_mapping() -> Mapping {
    let column =
        |column: &str, field: &str| ColumnMapping { column: column.to_owned(), field: field.to_owned() };
    Mapping {
        columns: vec![
            column("full_name_bn", "name_first"),
            column("full_name_en", "name_other_spellings"),
            column("sex", "sex"),
            column("age_years", "age"),
            column("date_of_birth", "date_of_birth"),
            column("household_size", "household_size"),
            column("phone", "phone"),
        ],
        external_id_column: Some("case_ref".to_owned()),
        owner: Some("cw.rahima".to_owned()),
        ..Mapping::default()
    }
}

const EXAMPLE_HEADERS: [&str; 9] = [
    "\u{feff}case_ref",
    "full_name_bn",
    "full_name_en",
    "sex",
    "age_years",
    "date_of_birth",
    "household_size",
    "phone",
    "upazila",
];

fn codes(errors: &[RowError]) -> Vec<(String, String)> {
    errors.iter().map(|error| (error.field.clone().unwrap_or_default(), error.code.clone())).collect()
}

#[test]
fn header_loses_bom_and_spaces() {
    assert_eq!(normalize_header("\u{feff}case_ref"), "case_ref");
    assert_eq!(normalize_header("  age_years \t"), "age_years");
}

#[test]
fn external_id_ignores_letter_case() {
    let config = config();
    let mapping = Mapping { case_id_column: Some("case".to_owned()), ..example_mapping() };
    let mut columns = EXAMPLE_HEADERS.to_vec();
    columns.push("case");
    let importer = Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&columns)).expect("valid");
    let read = |external: Cell, case: &str| {
        let mut cells = text_cells(&["", "নাম", "", "female", "", "", "", "", "", case]);
        cells[0] = external;
        importer.read_row(1, &cells)
    };

    // " d-1 " is trimmed, "e" + U+0301 becomes "é" (NFC) before upper-casing, and "ß" has no
    // one-letter capital, so Unicode upper-cases it to "SS".
    for (cell, expected) in
        [(" d-1 ", "D-1"), ("D-1", "D-1"), ("cas-e\u{301}", "CAS-É"), ("straße-7", "STRASSE-7")]
    {
        let row = read(Cell::Text(cell.to_owned()), "");
        assert_eq!(row.external_id.as_deref(), Some(expected), "cell {cell:?}");
    }
    assert_eq!(read(Cell::Number(1207.0), "").external_id.as_deref(), Some("1207"));
    assert_eq!(read(Cell::Empty, "cxb-4f7k2q").case_ref.as_deref(), Some("CXB-4F7K2Q"));
}

#[test]
fn excel_serials_in_both_date_systems() {
    assert_eq!(excel_serial_date(42901.0, false), Some(date!(2017 - 06 - 15)));
    assert_eq!(excel_serial_date(42901.75, false), Some(date!(2017 - 06 - 15)));
    assert_eq!(excel_serial_date(41439.0, true), Some(date!(2017 - 06 - 15)));
    assert_eq!(excel_serial_date(1.0, false), Some(date!(1900 - 01 - 01)));
    assert_eq!(excel_serial_date(59.0, false), Some(date!(1900 - 02 - 28)));
    assert_eq!(excel_serial_date(60.0, false), None, "29 February 1900 never existed");
    assert_eq!(excel_serial_date(61.0, false), Some(date!(1900 - 03 - 01)));
    assert_eq!(excel_serial_date(0.0, true), Some(date!(1904 - 01 - 01)));
    assert_eq!(excel_serial_date(-1.0, false), None);
}

#[test]
fn date_format_names_are_the_contract_strings() {
    let parsed: DateFormat = serde_json::from_value(json!("dd.mm.yyyy")).expect("known format");
    assert_eq!(parsed, DateFormat::DayDot);
    assert_eq!(serde_json::to_value(DateFormat::default()).expect("serialises"), json!("dd/mm/yyyy"));
    assert!(serde_json::from_value::<DateFormat>(json!("d/m/y")).is_err());
}

#[test]
fn bangla_digit_rows_convert_as_the_example_states() {
    let config = config();
    let mapping = example_mapping();
    let importer = Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS))
        .expect("the example mapping is valid");
    let row = importer.read_row(
        2,
        &text_cells(&[
            "IMP-002",
            "আরিফ হোসেন",
            "Arif Hossain",
            "male",
            "৭",
            "১৫/০৬/২০১৭",
            "১২",
            "০১৭০০০০০০০২",
            "Ukhiya",
        ]),
    );
    assert!(row.errors.is_empty(), "unexpected errors: {:?}", row.errors);
    assert_eq!(row.external_id.as_deref(), Some("IMP-002"));
    assert_eq!(row.values["date_of_birth"], json!("2017-06-15"));
    assert_eq!(row.values["phone"], json!("01700000002"));
    assert_eq!(row.values["sex"], json!("male"));

    let validator = Validator::new(&config, date!(2024 - 06 - 20));
    let write = importer.validate_create(&row, &validator, date!(2024 - 06 - 20)).expect("the row is valid");
    assert_eq!(write.data["age"], json!(7));
    assert_eq!(write.data["household_size"], json!(12));
    assert_eq!(write.data["registration_date"], json!("2024-06-20"));
    assert!(!write.data.contains_key("location_current"), "an unmapped required field stays empty");
}

#[test]
fn lookup_matches_label_in_any_locale() {
    let config = config();
    let mapping = example_mapping();
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    for (cell, expected) in [("মহিলা", "female"), ("Male", "male"), (" FEMALE ", "female"), ("পুরুষ", "male")]
    {
        let row = importer.read_row(1, &text_cells(&["X", "নাম", "", cell, "", "", "", "", ""]));
        assert_eq!(row.values["sex"], json!(expected), "cell {cell:?}");
    }
}

#[test]
fn unknown_option_lists_allowed_values() {
    let config = config();
    let mapping = example_mapping();
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let row = importer.read_row(1, &text_cells(&["X", "নাম", "", "girl", "", "", "", "", ""]));
    assert_eq!(codes(&row.errors), vec![("sex".to_owned(), "unknown_option".to_owned())]);
    assert_eq!(row.errors[0].params["allowed"], "female, male, other");
    assert_eq!(row.errors[0].params["value"], "girl");
    assert_eq!(row.errors[0].column.as_deref(), Some("sex"));
}

#[test]
fn bad_rows_report_every_error() {
    let config = config();
    let mapping = example_mapping();
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let validator = Validator::new(&config, date!(2024 - 06 - 20));
    let check = |cells: &[&str]| {
        let row = importer.read_row(1, &text_cells(cells));
        importer
            .validate_create(&row, &validator, date!(2024 - 06 - 20))
            .err()
            .map(|errors| codes(&errors))
            .unwrap_or_default()
    };
    let mixed = check(&[
        "IMP-005",
        "নাসরিন সুলতানা",
        "Nasrin Sultana",
        "female",
        "1৫",
        "০৩/০২/২০০৯",
        "2",
        "01700000005",
        "Ukhiya",
    ]);
    assert_eq!(mixed, vec![("age".to_owned(), "mixed_digit_scripts".to_owned())]);
    let arabic = check(&[
        "IMP-006",
        "জাহিদ করিম",
        "Zahid Karim",
        "male",
        "٧",
        "01/09/2016",
        "6",
        "01700000006",
        "Ukhiya",
    ]);
    assert_eq!(arabic, vec![("age".to_owned(), "digit_script_not_accepted".to_owned())]);
    let impossible = check(&[
        "IMP-007",
        "শাপলা খাতুন",
        "Shapla Khatun",
        "female",
        "৯",
        "৩১/০২/২০১৫",
        "৩",
        "01700000007",
        "Teknaf",
    ]);
    assert_eq!(impossible, vec![("date_of_birth".to_owned(), "impossible_date".to_owned())]);
    let two = check(&["IMP-008", "", "", "girl", "1৫", "31/02/2015", "", "", ""]);
    assert_eq!(
        two,
        vec![
            ("sex".to_owned(), "unknown_option".to_owned()),
            ("date_of_birth".to_owned(), "impossible_date".to_owned()),
            ("age".to_owned(), "mixed_digit_scripts".to_owned()),
            ("name_first".to_owned(), "required".to_owned()),
        ],
        "conversion errors come first; the validator's errors about other fields follow"
    );
}

#[test]
fn mapped_required_field_left_empty_is_an_error() {
    let config = config();
    let mapping = example_mapping();
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let validator = Validator::new(&config, date!(2024 - 06 - 20));
    let row = importer.read_row(1, &text_cells(&["IMP-009", "", "", "female", "7", "", "", "", ""]));
    let errors = importer.validate_create(&row, &validator, date!(2024 - 06 - 20)).expect_err("no name");
    assert_eq!(codes(&errors), vec![("name_first".to_owned(), "required".to_owned())]);
    assert_eq!(errors[0].column.as_deref(), Some("full_name_bn"));
}

#[test]
fn month_first_format_reads_month_first() {
    let config = config();
    let mapping = Mapping { date_format: DateFormat::MonthSlash, ..example_mapping() };
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let row = importer.read_row(1, &text_cells(&["X", "নাম", "", "female", "", "06/15/2017", "", "", ""]));
    assert_eq!(row.values["date_of_birth"], json!("2017-06-15"));
    let swapped = importer.read_row(1, &text_cells(&["X", "নাম", "", "female", "", "15/06/2017", "", "", ""]));
    assert_eq!(codes(&swapped.errors), vec![("date_of_birth".to_owned(), "impossible_date".to_owned())]);
    let iso = importer.read_row(1, &text_cells(&["X", "নাম", "", "female", "", "2017-06-15", "", "", ""]));
    assert_eq!(iso.values["date_of_birth"], json!("2017-06-15"), "ISO dates are accepted in every format");
}

#[test]
fn tick_box_reads_yes_and_no_words() {
    let config = config();
    let mapping = Mapping {
        columns: vec![ColumnMapping {
            column: "consent".to_owned(),
            field: "consent_for_sharing".to_owned(),
        }],
        external_id_column: Some("id".to_owned()),
        owner: Some("cw.rahima".to_owned()),
        ..Mapping::default()
    };
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&["id", "consent"])).expect("valid");
    for (cell, expected) in
        [("yes", true), ("হ্যাঁ", true), ("TRUE", true), ("১", true), ("না", false), ("0", false), ("No", false)]
    {
        let row = importer.read_row(1, &text_cells(&["X", cell]));
        assert_eq!(row.values["consent_for_sharing"], json!(expected), "cell {cell:?}");
    }
    let row = importer.read_row(1, &text_cells(&["X", "maybe"]));
    assert_eq!(
        codes(&row.errors),
        vec![("consent_for_sharing".to_owned(), "import_invalid_yes_no".to_owned())]
    );
}

#[test]
fn multi_select_splits_on_semicolons() {
    let config = config();
    let mapping = Mapping {
        columns: vec![ColumnMapping {
            column: "concerns".to_owned(),
            field: "protection_concerns".to_owned(),
        }],
        external_id_column: Some("id".to_owned()),
        owner: Some("cw.rahima".to_owned()),
        ..Mapping::default()
    };
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&["id", "concerns"])).expect("valid");
    let row = importer.read_row(1, &text_cells(&["X", "separated; শিশুশ্রম ;"]));
    assert_eq!(row.values["protection_concerns"], json!(["separated", "child_labour"]));
}

#[test]
fn location_matches_code_or_name() {
    let config = config();
    let mapping = Mapping {
        columns: vec![ColumnMapping { column: "camp".to_owned(), field: "location_current".to_owned() }],
        external_id_column: Some("id".to_owned()),
        owner: Some("cw.rahima".to_owned()),
        ..Mapping::default()
    };
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&["id", "camp"])).expect("valid");
    for cell in ["BD-CTG-CXB-UKH-C01E", "bd-ctg-cxb-ukh-c01e", "Camp 1E", "ক্যাম্প ১ পূর্ব"]
    {
        let row = importer.read_row(1, &text_cells(&["X", cell]));
        assert_eq!(row.values["location_current"], json!("BD-CTG-CXB-UKH-C01E"), "cell {cell:?}");
    }
    let row = importer.read_row(1, &text_cells(&["X", "Nowhere"]));
    assert_eq!(codes(&row.errors), vec![("location_current".to_owned(), "unknown_location".to_owned())]);
}

#[test]
fn csv_formula_mark_is_removed() {
    let config = config();
    let mapping = example_mapping();
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let row = importer.read_row(1, &text_cells(&["X", "'=HYPERLINK(1)", "", "female", "", "", "", "", ""]));
    assert_eq!(row.values["name_first"], json!("=HYPERLINK(1)"));
    let xlsx =
        Importer::new(&config, &mapping, ImportFormat::Xlsx, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let row = xlsx.read_row(1, &text_cells(&["X", "'=HYPERLINK(1)", "", "female", "", "", "", "", ""]));
    assert_eq!(row.values["name_first"], json!("'=HYPERLINK(1)"), "workbook text is kept as it is");
}

#[test]
fn mapping_problems_are_all_listed() {
    let config = config();
    let mapping = Mapping {
        columns: vec![
            ColumnMapping { column: "missing".to_owned(), field: "name_first".to_owned() },
            ColumnMapping { column: "sex".to_owned(), field: "no_such_field".to_owned() },
            ColumnMapping { column: "upazila".to_owned(), field: "photo_child".to_owned() },
            ColumnMapping { column: "age_years".to_owned(), field: "age".to_owned() },
            ColumnMapping { column: "phone".to_owned(), field: "age".to_owned() },
        ],
        ..Mapping::default()
    };
    let problems = Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS))
        .err()
        .expect("the mapping is invalid");
    let found: Vec<(&str, &str)> =
        problems.iter().map(|problem| (problem.subject.as_str(), problem.code)).collect();
    assert_eq!(
        found,
        vec![
            ("missing", "import_unknown_column"),
            ("no_such_field", "import_unknown_field"),
            ("photo_child", "import_field_not_importable"),
            ("age", "import_field_mapped_twice"),
            ("external_id_column", "import_mapping_no_id"),
            ("owner", "import_mapping_no_owner"),
        ]
    );
}

#[test]
fn suggestion_matches_ids_and_labels() {
    let config = config();
    let suggested =
        suggest_mapping(&config, &headers(&["Case ID", "name_first", "লিঙ্গ", "Date of birth", "upazila"]));
    assert_eq!(suggested.case_id_column.as_deref(), Some("Case ID"));
    let pairs: Vec<(&str, &str)> =
        suggested.columns.iter().map(|entry| (entry.column.as_str(), entry.field.as_str())).collect();
    assert_eq!(
        pairs,
        vec![("name_first", "name_first"), ("লিঙ্গ", "sex"), ("Date of birth", "date_of_birth")]
    );
}

#[test]
fn suggestion_finds_id_columns() {
    let config = config();
    for (case_header, external_header) in [
        ("Case ID", "External ID"),
        ("Sathi ID", "External id"),
        ("কেস আইডি", "Old case number"),
        ("sathi case id", "পুরোনো কেস নম্বর"),
    ] {
        let suggested = suggest_mapping(&config, &headers(&[external_header, "Name", case_header]));
        assert_eq!(suggested.case_id_column.as_deref(), Some(case_header), "case id of {case_header}");
        assert_eq!(
            suggested.external_id_column.as_deref(),
            Some(external_header),
            "external id of {external_header}"
        );
    }
    let first_only = suggest_mapping(&config, &headers(&["External ID", "Old case number"]));
    assert_eq!(first_only.external_id_column.as_deref(), Some("External ID"));
    assert!(first_only.columns.is_empty(), "an id column fills no field: {:?}", first_only.columns);
}

#[test]
fn date_error_names_mapping_format() {
    let config = config();
    for (format, key) in [
        (DateFormat::DaySlash, "day_slash"),
        (DateFormat::MonthSlash, "month_slash"),
        (DateFormat::DayDash, "day_dash"),
        (DateFormat::DayDot, "day_dot"),
    ] {
        let mapping = Mapping { date_format: format, ..example_mapping() };
        let importer =
            Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
        for value in ["2020/13/01", "1/5/20", "5 May 2020", "2020-5-1"] {
            let row = importer.read_row(1, &text_cells(&["X", "নাম", "", "female", "", value, "", "", ""]));
            assert_eq!(row.errors.len(), 1, "{value} in {key}: {:?}", row.errors);
            assert_eq!(row.errors[0].code, "invalid_date_format", "{value} in {key}");
            assert_eq!(row.errors[0].params.get("date_format").map(String::as_str), Some(key), "{value}");
        }
    }
    let mapping = Mapping { date_format: DateFormat::Iso, ..example_mapping() };
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let row = importer.read_row(1, &text_cells(&["X", "নাম", "", "female", "", "15/06/2017", "", "", ""]));
    assert_eq!(row.errors[0].params.get("date_format").map(String::as_str), Some("iso"));
}

#[test]
fn suggestion_uses_import_aliases() {
    let config = config();
    let suggested = suggest_mapping(&config, &headers(&["নাম", "বয়স", "লিঙ্গ", "Date of birth", "Camp"]));
    let pairs: Vec<(&str, &str)> =
        suggested.columns.iter().map(|entry| (entry.column.as_str(), entry.field.as_str())).collect();
    assert_eq!(
        pairs,
        vec![
            ("নাম", "name_first"),
            ("বয়স", "age"),
            ("লিঙ্গ", "sex"),
            ("Date of birth", "date_of_birth"),
            ("Camp", "location_current")
        ]
    );

    // "বয়স" with য় as one code point (U+09DF) folds to the same NFC text as য + nukta.
    let more = headers(&[" MOBILE NO ", "ব\u{9df}স", "Gender", "Household members", "Risk", "Concerns"]);
    let fields: Vec<String> =
        suggest_mapping(&config, &more).columns.into_iter().map(|entry| entry.field).collect();
    assert_eq!(fields, ["phone", "age", "sex", "household_size", "risk_level", "protection_concerns"]);
    assert_eq!(
        suggest_mapping(&config, &headers(&["Name", "Name"])).columns.len(),
        1,
        "a field is suggested once"
    );
}

#[test]
fn update_skips_empty_cells_and_detects_no_change() {
    let config = config();
    let mapping = example_mapping();
    let importer =
        Importer::new(&config, &mapping, ImportFormat::Csv, &headers(&EXAMPLE_HEADERS)).expect("valid");
    let validator = Validator::new(&config, date!(2024 - 06 - 20));
    let row = importer.read_row(1, &text_cells(&["IMP-001", "রুমানা আক্তার", "", "female", "7", "", "5", "", ""]));
    let created = importer.validate_create(&row, &validator, date!(2024 - 06 - 20)).expect("valid");
    assert_eq!(
        created.data["date_of_birth_estimated"],
        json!(true),
        "an age alone estimates the date of birth"
    );

    let again = importer.validate_update(&row, &created.data, &validator).expect("valid");
    assert!(again.changes.is_empty(), "the same row changes nothing: {:?}", again.changes);

    let changed =
        importer.read_row(1, &text_cells(&["IMP-001", "রুমানা আক্তার", "", "female", "7", "", "6", "", ""]));
    let update = importer.validate_update(&changed, &created.data, &validator).expect("valid");
    let paths: Vec<&str> = update.changes.iter().map(|change| change.path.as_str()).collect();
    assert_eq!(paths, vec!["household_size"]);
}

#[test]
fn incumbent_record_maps_fields_values_and_subform() {
    let config = config();
    let incumbent: IncumbentMapping = serde_json::from_value(json!({
        "fields": {"relation_notes": null, "sex_of_child": "sex"},
        "values": {"sex": {"F": "female"}},
        "subforms": {"family_details_section": {
            "field": "family_members",
            "fields": {"relation_name": "name"},
            "values": {"relation": {"mom": "mother"}}
        }}
    }))
    .expect("the mapping parses");
    let mapping =
        Mapping { incumbent: Some(incumbent), owner: Some("cw.rahima".to_owned()), ..Mapping::default() };
    let importer = Importer::new(&config, &mapping, ImportFormat::IncumbentJson, &[]).expect("valid");
    let record = json!({
        "id": "a1b2",
        "data": {
            "name_first": "Rumana",
            "sex_of_child": "F",
            "date_of_birth": "2017-06-15",
            "protection_concerns": ["separated", "Child labour"],
            "relation_notes": "ignored",
            "unknown_key": 3,
            "family_details_section": [
                {"unique_id": "0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01", "relation_name": "Amina", "relation": "mom", "relation_is_alive": "yes"}
            ]
        }
    });
    let row = importer.read_record(1, &record);
    assert!(row.errors.is_empty(), "unexpected errors: {:?}", row.errors);
    assert_eq!(row.external_id.as_deref(), Some("A1B2"), "record ids are upper-cased");
    assert_eq!(row.values["sex"], json!("female"));
    assert_eq!(row.values["protection_concerns"], json!(["separated", "child_labour"]));
    assert_eq!(
        row.values["family_members"],
        json!([{"unique_id": "0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01", "name": "Amina", "relation": "mother"}])
    );
    assert!(!row.values.contains_key("relation_notes"));
}

#[test]
fn subform_row_id_must_be_unique_uuid() {
    let config = config();
    let incumbent: IncumbentMapping = serde_json::from_value(json!({
        "subforms": {"family_details_section": {"field": "family_members", "fields": {"relation_name": "name"}}}
    }))
    .expect("the mapping parses");
    let mapping =
        Mapping { incumbent: Some(incumbent), owner: Some("cw.rahima".to_owned()), ..Mapping::default() };
    let importer = Importer::new(&config, &mapping, ImportFormat::IncumbentJson, &[]).expect("valid");
    let record = json!({
        "id": "R-1",
        "data": {"family_details_section": [
            {"unique_id": " 0C4B2D7E6F1A4B9E9C3D2A5E8F7B1C01 ", "relation_name": "Amina"},
            {"unique_id": "0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01", "relation_name": "Amina again"},
            {"unique_id": "row-1", "relation_name": "Karim"},
            {"relation_name": "Salma"},
            {"unique_id": 12, "relation_name": "Jamal"}
        ]}
    });
    let row = importer.read_record(1, &record);
    let cells: Vec<Option<&str>> = row.errors.iter().map(|error| error.cell.as_deref()).collect();
    assert_eq!(
        cells,
        [Some("0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01"), Some("row-1"), None, Some("12")],
        "the first id, without hyphens and in capitals, is a valid UUID and the second repeats it"
    );
    for error in &row.errors {
        assert_eq!(error.code, "import_invalid_row_id");
        assert_eq!(error.column.as_deref(), Some("family_details_section"));
        assert_eq!(error.field.as_deref(), Some("family_members"));
    }
}
