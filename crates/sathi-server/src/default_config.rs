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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    #[test]
    fn embedded_files_are_every_file_of_config_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        let mut on_disk = BTreeSet::new();
        for folder in ["", "forms"] {
            for entry in std::fs::read_dir(root.join(folder)).expect("config folder is readable") {
                let path = entry.expect("config entry is readable").path();
                if path.extension().is_some_and(|extension| extension == "json") {
                    let name = path.file_name().expect("a file has a name").to_string_lossy().into_owned();
                    on_disk.insert(if folder.is_empty() { name } else { format!("{folder}/{name}") });
                }
            }
        }
        let embedded: BTreeSet<String> = FILES.iter().map(|(name, _)| (*name).to_owned()).collect();
        assert_eq!(embedded, on_disk, "default_config::FILES must list exactly the JSON files under config/");
    }

    #[test]
    fn embedded_configuration_is_valid() {
        let problems = configuration().validate();
        assert!(problems.is_empty(), "the default configuration has problems: {problems:?}");
    }
}
