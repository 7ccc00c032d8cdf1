//! Assembles a [`Configuration`] from the contents of the files under `config/`.
//!
//! The caller reads the files; this module only parses them, so it stays free of IO and the
//! same code checks a directory on disk and a configuration uploaded over HTTP.

use crate::config::{Agency, Configuration, Deployment, Form, Location, Lookup};
use crate::permissions::Role;

/// The file names a configuration directory contains, relative to it.
pub const DEPLOYMENT: &str = "deployment.json";
pub const LOOKUPS: &str = "lookups.json";
pub const LOCATIONS: &str = "locations.json";
pub const AGENCIES: &str = "agencies.json";
pub const ROLES: &str = "roles.json";
/// Directory of form files, one form per `*.json` file.
pub const FORMS_DIR: &str = "forms";

#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    #[error("configuration file '{0}' is missing")]
    Missing(String),
    #[error("configuration file '{file}' is invalid: {source}")]
    Invalid {
        file: String,
        #[source]
        source: serde_json::Error,
    },
}

/// Parses a configuration from `(relative path, contents)` pairs, such as
/// `("forms/basic_identity.json", "...")`. Forms are ordered by their `order` field.
/// Returns the first problem; [`parse_all`] returns every one.
pub fn parse(files: &[(String, String)]) -> Result<Configuration, ConfigFileError> {
    parse_all(files).map_err(|mut errors| errors.swap_remove(0))
}

/// Parses a configuration like [`parse`], but reports every missing and invalid file rather
/// than only the first, so an administrator can fix an uploaded configuration in one pass.
/// The error list is never empty.
pub fn parse_all(files: &[(String, String)]) -> Result<Configuration, Vec<ConfigFileError>> {
    let mut errors = Vec::new();
    let deployment: Option<Deployment> = collect(parse_one(files, DEPLOYMENT), &mut errors);
    let lookups: Option<Vec<Lookup>> = collect(parse_one(files, LOOKUPS), &mut errors);
    let locations: Option<Vec<Location>> = collect(parse_one(files, LOCATIONS), &mut errors);
    let agencies: Option<Vec<Agency>> = collect(parse_one(files, AGENCIES), &mut errors);
    let roles: Option<Vec<Role>> = collect(parse_one(files, ROLES), &mut errors);

    let prefix = format!("{FORMS_DIR}/");
    let mut forms = Vec::new();
    for (name, contents) in files {
        if name.starts_with(&prefix) && name.ends_with(".json") {
            match serde_json::from_str::<Form>(contents) {
                Ok(form) => forms.push(form),
                Err(source) => errors.push(ConfigFileError::Invalid { file: name.clone(), source }),
            }
        }
    }
    forms.sort_by_key(|form| form.order);

    match (deployment, lookups, locations, agencies, roles) {
        (Some(deployment), Some(lookups), Some(locations), Some(agencies), Some(roles))
            if errors.is_empty() =>
        {
            Ok(Configuration { deployment, lookups, locations, agencies, roles, forms })
        }
        _ => Err(errors),
    }
}

fn collect<T>(result: Result<T, ConfigFileError>, errors: &mut Vec<ConfigFileError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}

fn parse_one<T: serde::de::DeserializeOwned>(
    files: &[(String, String)],
    name: &str,
) -> Result<T, ConfigFileError> {
    let (_, contents) = files
        .iter()
        .find(|(file, _)| file == name)
        .ok_or_else(|| ConfigFileError::Missing(name.to_owned()))?;
    serde_json::from_str(contents)
        .map_err(|source| ConfigFileError::Invalid { file: name.to_owned(), source })
}

/// Splits a configuration back into files, the inverse of [`parse`].
pub fn to_files(config: &Configuration) -> Vec<(String, String)> {
    let pretty = |value: &dyn erased::Json| value.to_pretty();
    let mut files = vec![
        (DEPLOYMENT.to_owned(), pretty(&config.deployment)),
        (LOOKUPS.to_owned(), pretty(&config.lookups)),
        (LOCATIONS.to_owned(), pretty(&config.locations)),
        (AGENCIES.to_owned(), pretty(&config.agencies)),
        (ROLES.to_owned(), pretty(&config.roles)),
    ];
    for form in &config.forms {
        files.push((format!("{FORMS_DIR}/{:02}-{}.json", form.order, form.id), pretty(form)));
    }
    files
}

mod erased {
    pub trait Json {
        fn to_pretty(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_pretty(&self) -> String {
            let mut text = serde_json::to_string_pretty(self).expect("configuration serialises to JSON");
            text.push('\n');
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_all_reports_every_file() {
        let files = vec![
            (DEPLOYMENT.to_owned(), "{".to_owned()),
            (LOOKUPS.to_owned(), "[]".to_owned()),
            (LOCATIONS.to_owned(), "[]".to_owned()),
            (AGENCIES.to_owned(), "[]".to_owned()),
            ("forms/10-basic.json".to_owned(), "[]".to_owned()),
        ];
        let errors = parse_all(&files).expect_err("three files are wrong");
        let described: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{described:?}");
        assert!(described[0].starts_with("configuration file 'deployment.json' is invalid"), "{described:?}");
        assert_eq!(described[1], "configuration file 'roles.json' is missing");
        assert!(
            described[2].starts_with("configuration file 'forms/10-basic.json' is invalid"),
            "{described:?}"
        );
    }
}
