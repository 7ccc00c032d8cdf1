//! The default child protection configuration, embedded so that one binary is all a
//! deployment needs. It is stored as version 1 at first start.

/// Every file under `config/`, by path relative to it. A test checks this list against the
/// directory, so a new form file cannot be forgotten here.
pub const FILES: [(&str, &str); 19] = [
    ("deployment.json", include_str!("../../../config/deployment.json")),
    ("lookups.json", include_str!("../../../config/lookups.json")),
    ("locations.json", include_str!("../../../config/locations.json")),
    ("agencies.json", include_str!("../../../config/agencies.json")),
    ("roles.json", include_str!("../../../config/roles.json")),
    ("forms/10-basic_identity.json", include_str!("../../../config/forms/10-basic_identity.json")),
    ("forms/20-protection_concerns.json", include_str!("../../../config/forms/20-protection_concerns.json")),
    ("forms/30-consent.json", include_str!("../../../config/forms/30-consent.json")),
    ("forms/40-family_details.json", include_str!("../../../config/forms/40-family_details.json")),
    ("forms/50-care_arrangements.json", include_str!("../../../config/forms/50-care_arrangements.json")),
    ("forms/60-assessment.json", include_str!("../../../config/forms/60-assessment.json")),
    ("forms/70-case_plan.json", include_str!("../../../config/forms/70-case_plan.json")),
    ("forms/80-services.json", include_str!("../../../config/forms/80-services.json")),
    ("forms/90-follow_up.json", include_str!("../../../config/forms/90-follow_up.json")),
    ("forms/100-tracing.json", include_str!("../../../config/forms/100-tracing.json")),
    ("forms/110-notes.json", include_str!("../../../config/forms/110-notes.json")),
    ("forms/120-closure.json", include_str!("../../../config/forms/120-closure.json")),
    ("forms/130-record_owner.json", include_str!("../../../config/forms/130-record_owner.json")),
    ("forms/140-attachments.json", include_str!("../../../config/forms/140-attachments.json")),
];

/// Parses the embedded configuration; it is checked by tests, so failure is a build defect.
pub fn configuration() -> sathi_domain::config::Configuration {
    let files: Vec<(String, String)> =
        FILES.iter().map(|(name, contents)| ((*name).to_owned(), (*contents).to_owned())).collect();
    sathi_domain::config_files::parse(&files).expect("the embedded default configuration parses")
}
