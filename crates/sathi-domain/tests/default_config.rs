//! Checks the default Cox's Bazar configuration under `config/`: it parses, passes
//! `Configuration::validate`, and contains the camps, agencies, roles, forms and fields that the
//! server and the importers rely on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sathi_domain::config::{Configuration, Field, FieldKind, LocationLevel};
use sathi_domain::config_files;
use sathi_domain::permissions::{Action, FormAccess};

fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config")
}

/// Reads every `*.json` file under `config/` as `(path relative to config/, contents)`.
fn read_config_files() -> Vec<(String, String)> {
    let root = config_dir();
    let mut files = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("failed to read {}: {error}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "json") {
                let relative = path.strip_prefix(&root).expect("path under config/");
                let name = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let contents = std::fs::read_to_string(&path)
                    .unwrap_or_else(|error| panic!("failed to read {name}: {error}"));
                files.push((name, contents));
            }
        }
    }
    files.sort();
    files
}

fn load() -> Configuration {
    let files = read_config_files();
    config_files::parse(&files)
        .unwrap_or_else(|error| panic!("failed to parse the default configuration: {error}"))
}

fn type_name(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text { .. } => "text",
        FieldKind::Textarea { .. } => "textarea",
        FieldKind::Number { .. } => "number",
        FieldKind::Date { .. } => "date",
        FieldKind::DateTime => "date_time",
        FieldKind::Select { .. } => "select",
        FieldKind::MultiSelect { .. } => "multi_select",
        FieldKind::Radio { .. } => "radio",
        FieldKind::TickBox => "tick_box",
        FieldKind::Tally { .. } => "tally",
        FieldKind::Subform { .. } => "subform",
        FieldKind::Separator => "separator",
        FieldKind::Photo => "photo",
        FieldKind::Audio => "audio",
        FieldKind::Document => "document",
        FieldKind::Signature => "signature",
        FieldKind::Location { .. } => "location",
        FieldKind::Calculated { .. } => "calculated",
        FieldKind::System { .. } => "system",
    }
}

const ALL_TYPES: [&str; 19] = [
    "text",
    "textarea",
    "number",
    "date",
    "date_time",
    "select",
    "multi_select",
    "radio",
    "tick_box",
    "tally",
    "subform",
    "separator",
    "photo",
    "audio",
    "document",
    "signature",
    "location",
    "calculated",
    "system",
];

/// Calls `visit` on every field of every form, subform row fields included.
fn for_each_field(config: &Configuration, mut visit: impl FnMut(&str, &Field)) {
    fn walk(form_id: &str, fields: &[Field], visit: &mut impl FnMut(&str, &Field)) {
        for field in fields {
            visit(form_id, field);
            if let FieldKind::Subform { fields: row_fields, .. } = &field.kind {
                walk(form_id, row_fields, visit);
            }
        }
    }
    for form in &config.forms {
        walk(&form.id, &form.fields, &mut visit);
    }
}

#[test]
fn default_config_validates() {
    let config = load();
    let problems = config.validate();
    let listing: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{} problems in config/:\n{}", problems.len(), listing.join("\n"));
}

#[test]
fn form_file_names_match_order_and_id() {
    let config = load();
    let on_disk: BTreeSet<String> = read_config_files()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name.starts_with("forms/"))
        .collect();
    let expected: BTreeSet<String> =
        config.forms.iter().map(|form| format!("forms/{:02}-{}.json", form.order, form.id)).collect();
    assert_eq!(on_disk, expected);
}

#[test]
fn deployment_settings() {
    let deployment = load().deployment;
    assert_eq!(deployment.config_version, "2026.12.0");
    assert_eq!(deployment.time_zone, "Asia/Dhaka");
    assert_eq!(deployment.utc_offset_minutes, 360);
    assert_eq!(deployment.locales, ["en", "bn"]);
    assert_eq!(deployment.display_id_prefix, "CXB");
    assert_eq!(deployment.login.max_failed_attempts, 5);
    assert_eq!(deployment.login.lockout_minutes, 15);
    assert_eq!(deployment.login.session_hours, 12);
    assert_eq!(deployment.login.min_password_chars, 10);
}

#[test]
fn locations_have_34_camps() {
    let config = load();
    let ukhia = "BD-CTG-CXB-UKH";
    let teknaf = "BD-CTG-CXB-TKF";
    let mut expected: Vec<String> = [
        "C01E", "C01W", "C02E", "C02W", "C03", "C04", "C04X", "C05", "C06", "C07", "C08E", "C08W", "C09",
        "C10", "C11", "C12", "C13", "C14", "C15", "C16", "C17", "C18", "C19", "C20", "C20X", "KRC",
    ]
    .iter()
    .map(|camp| format!("{ukhia}-{camp}"))
    .chain(
        ["C21", "C22", "C23", "C24", "C25", "C26", "C27", "NRC"]
            .iter()
            .map(|camp| format!("{teknaf}-{camp}")),
    )
    .collect();
    expected.sort();

    let mut camps: Vec<String> = config
        .locations
        .iter()
        .filter(|location| location.level == LocationLevel::Camp)
        .map(|location| location.code.clone())
        .collect();
    camps.sort();
    assert_eq!(camps.len(), 34);
    assert_eq!(camps, expected);

    let upazilas: Vec<&str> = config
        .locations
        .iter()
        .filter(|location| location.level == LocationLevel::Upazila)
        .map(|location| location.code.as_str())
        .collect();
    assert_eq!(upazilas, [ukhia, teknaf]);

    let unions = config.locations.iter().filter(|location| location.level == LocationLevel::Union).count();
    assert_eq!(unions, 12, "5 unions in Ukhia and 7 in Teknaf");
}

#[test]
fn every_camp_has_5_to_12_blocks() {
    let config = load();
    let mut blocks_per_camp: BTreeMap<&str, usize> = config
        .locations
        .iter()
        .filter(|location| location.level == LocationLevel::Camp)
        .map(|location| (location.code.as_str(), 0))
        .collect();
    for location in config.locations.iter().filter(|location| location.level == LocationLevel::Block) {
        let parent = location.parent.as_deref().expect("a block has a parent");
        let count = blocks_per_camp
            .get_mut(parent)
            .unwrap_or_else(|| panic!("block {} is not in a camp", location.code));
        *count += 1;
        assert!(
            location.code.starts_with(&format!("{parent}-")),
            "block code {} must extend its camp's code",
            location.code
        );
    }
    for (camp, count) in blocks_per_camp {
        assert!((5..=12).contains(&count), "camp {camp} has {count} blocks");
    }
}

#[test]
fn camp_names_use_bengali_digits() {
    let config = load();
    for location in config.locations.iter().filter(|location| location.level == LocationLevel::Camp) {
        let bangla = location.name.get("bn");
        assert!(
            !bangla.chars().any(|c| c.is_ascii_digit()),
            "{}: Bangla name '{bangla}' has ASCII digits",
            location.code
        );
    }
    let camp_15 =
        config.locations.iter().find(|location| location.code == "BD-CTG-CXB-UKH-C15").expect("camp 15");
    assert_eq!(camp_15.name.get("bn"), "ক্যাম্প ১৫");
}

#[test]
fn agencies_cover_key_services() {
    let config = load();
    assert_eq!(config.agencies.len(), 15);
    let providers = |service: &str| {
        config.agencies.iter().filter(|agency| agency.services.iter().any(|s| s == service)).count()
    };
    assert!(providers("psychosocial_support") >= 3);
    for service in ["family_tracing_reunification", "legal", "gbv_services", "health"] {
        assert!(providers(service) >= 1, "no agency provides {service}");
    }
}

#[test]
fn roles_are_the_six_standard_roles() {
    let config = load();
    let ids: Vec<&str> = config.roles.iter().map(|role| role.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "caseworker",
            "supervisor",
            "agency_admin",
            "service_provider",
            "information_management_officer",
            "system_admin"
        ]
    );
}

#[test]
fn imo_and_system_admin_read_no_records() {
    let config = load();
    for role_id in ["information_management_officer", "system_admin"] {
        let role = config.role(role_id).expect("role exists");
        for action in [Action::Read, Action::Write, Action::Export] {
            assert!(!role.can(action), "{role_id} must not have {action:?}");
        }
        for form in &config.forms {
            assert_eq!(
                role.form_access(&form.id),
                FormAccess::None,
                "{role_id} must not see form {}",
                form.id
            );
        }
    }
    let imo = config.role("information_management_officer").expect("IMO role");
    assert!(imo.can(Action::ViewAggregates));
}

#[test]
fn only_supervisor_overrides_consent() {
    let config = load();
    let overriding: Vec<&str> = config
        .roles
        .iter()
        .filter(|role| role.can(Action::OverrideConsent))
        .map(|role| role.id.as_str())
        .collect();
    assert_eq!(overriding, ["supervisor"]);
}

#[test]
fn forms_in_order() {
    let config = load();
    let ids: Vec<&str> = config.forms.iter().map(|form| form.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "basic_identity",
            "protection_concerns",
            "consent",
            "family_details",
            "care_arrangements",
            "assessment",
            "case_plan",
            "services",
            "follow_up",
            "tracing",
            "notes",
            "closure",
            "record_owner",
            "attachments",
        ]
    );
}

#[test]
fn every_field_type_is_used() {
    let config = load();
    let mut used = BTreeSet::new();
    for_each_field(&config, |_, field| {
        used.insert(type_name(&field.kind));
    });
    let missing: Vec<&str> = ALL_TYPES.iter().copied().filter(|name| !used.contains(name)).collect();
    assert!(missing.is_empty(), "field types not used by any form: {missing:?}");
}

/// The top-level fields the server indexes, with the form and type each must have.
#[test]
fn indexed_fields_have_fixed_ids_and_types() {
    let config = load();
    let expected = [
        ("basic_identity", "registration_date", "date"),
        ("basic_identity", "name_first", "text"),
        ("basic_identity", "name_middle", "text"),
        ("basic_identity", "name_last", "text"),
        ("basic_identity", "name_nickname", "text"),
        ("basic_identity", "sex", "select"),
        ("basic_identity", "date_of_birth", "date"),
        ("basic_identity", "age", "number"),
        ("basic_identity", "date_of_birth_estimated", "tick_box"),
        ("basic_identity", "current_age", "calculated"),
        ("basic_identity", "location_current", "location"),
        ("basic_identity", "phone", "text"),
        ("basic_identity", "languages", "multi_select"),
        ("protection_concerns", "risk_level", "select"),
        ("protection_concerns", "protection_status", "select"),
        ("protection_concerns", "urgent_protection_concern", "radio"),
        ("protection_concerns", "protection_concerns", "multi_select"),
        ("protection_concerns", "displacement_status", "select"),
        ("consent", "consent_for_services", "tick_box"),
        ("consent", "consent_for_sharing", "tick_box"),
        ("consent", "consent_for_tracing", "tick_box"),
        ("consent", "consent_source", "select"),
        ("consent", "consent_sharing_scope", "multi_select"),
        ("consent", "consent_withholding_reason", "textarea"),
        ("consent", "legitimate_basis", "multi_select"),
        ("family_details", "family_members", "subform"),
        ("care_arrangements", "care_arrangements_history", "subform"),
        ("assessment", "assessment_requested_on", "date"),
        ("assessment", "assessment_completed_on", "date"),
        ("assessment", "case_plan_due_date", "date"),
        ("case_plan", "case_plan_interventions", "subform"),
        ("case_plan", "case_plan_approved_on", "date"),
        ("services", "services_provided", "subform"),
        ("follow_up", "followups", "subform"),
        ("tracing", "separation_date", "date"),
        ("tracing", "separation_cause", "select"),
        ("tracing", "separation_location", "text"),
        ("tracing", "tracing_actions", "subform"),
        ("tracing", "child_wishes", "textarea"),
        ("notes", "case_notes", "subform"),
        ("closure", "closure_reason", "select"),
        ("closure", "closure_date", "date"),
        ("closure", "closure_assessment", "textarea"),
        ("record_owner", "case_id", "system"),
        ("record_owner", "display_id", "system"),
        ("record_owner", "owner", "system"),
        ("record_owner", "owner_agency", "system"),
        ("record_owner", "assigned_users", "system"),
        ("record_owner", "created_by", "system"),
        ("record_owner", "created_at", "system"),
        ("record_owner", "previous_owners", "system"),
        ("record_owner", "status", "system"),
        ("record_owner", "stage", "system"),
    ];
    for (form_id, field_id, type_expected) in expected {
        let (form, field) = config.field(field_id).unwrap_or_else(|| panic!("field {field_id} is missing"));
        assert_eq!(form.id, form_id, "field {field_id} is in the wrong form");
        assert_eq!(type_name(&field.kind), type_expected, "field {field_id} has the wrong type");
    }

    for field_id in
        ["registration_date", "name_first", "sex", "location_current", "risk_level", "protection_concerns"]
    {
        assert!(config.field(field_id).expect("field exists").1.required, "{field_id} must be required");
    }
    for field_id in ["registration_date", "date_of_birth", "closure_date"] {
        let field = config.field(field_id).expect("field exists").1;
        assert!(
            matches!(field.kind, FieldKind::Date { not_future: true }),
            "{field_id} must reject future dates"
        );
    }
    let age = config.field("age").expect("age").1;
    assert!(matches!(age.kind, FieldKind::Number { min: Some(0.0), max: Some(25.0), decimal: false }));
    assert!(config.field("current_age").expect("current_age").1.read_only);
    assert!(config.field("case_plan_approved_on").expect("case_plan_approved_on").1.read_only);
}

#[test]
fn lookup_labels_are_translated() {
    let config = load();
    let mut total = 0;
    let mut differing = 0;
    for lookup in &config.lookups {
        for option in &lookup.options {
            let english = option.label.0.get("en").map(String::as_str).unwrap_or("");
            let bangla = option.label.0.get("bn").map(String::as_str).unwrap_or("");
            assert!(!english.trim().is_empty(), "{}.{} has no English label", lookup.id, option.id);
            assert!(!bangla.trim().is_empty(), "{}.{} has no Bangla label", lookup.id, option.id);
            total += 1;
            if english != bangla {
                differing += 1;
            }
        }
    }
    assert!(
        differing * 10 >= total * 9,
        "only {differing} of {total} options have a Bangla label that differs from English"
    );
}

#[test]
fn sex_female_is_mohila_in_bangla() {
    let config = load();
    let sex = config.lookup("sex").expect("sex lookup");
    let ids: Vec<&str> = sex.options.iter().map(|option| option.id.as_str()).collect();
    assert_eq!(ids, ["female", "male", "other"]);
    let female = sex.options.iter().find(|option| option.id == "female").expect("female option");
    assert_eq!(female.label.get("bn"), "মহিলা");
}

#[test]
fn risk_levels_are_high_medium_low() {
    let config = load();
    let ids: Vec<&str> = config
        .lookup("risk_level")
        .expect("risk_level lookup")
        .options
        .iter()
        .map(|option| option.id.as_str())
        .collect();
    assert_eq!(ids, ["high", "medium", "low"]);
}

#[test]
fn tracing_fields_show_only_for_separated_children() {
    let config = load();
    let tracing = config.form("tracing").expect("tracing form");
    for field in &tracing.fields {
        let condition = serde_json::to_string(&field.visible_if).expect("condition serialises");
        assert!(
            condition.contains("\"separated\"") && condition.contains("\"unaccompanied\""),
            "tracing field {} must be hidden unless the child is separated or unaccompanied",
            field.id
        );
    }
}
