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
pub fn parse(files: &[(String, String)]) -> Result<Configuration, ConfigFileError> {
    let deployment: Deployment = parse_one(files, DEPLOYMENT)?;
    let lookups: Vec<Lookup> = parse_one(files, LOOKUPS)?;
    let locations: Vec<Location> = parse_one(files, LOCATIONS)?;
    let agencies: Vec<Agency> = parse_one(files, AGENCIES)?;
    let roles: Vec<Role> = parse_one(files, ROLES)?;

    let prefix = format!("{FORMS_DIR}/");
    let mut forms = Vec::new();
    for (name, contents) in files {
        if name.starts_with(&prefix) && name.ends_with(".json") {
            let form: Form = serde_json::from_str(contents)
                .map_err(|source| ConfigFileError::Invalid { file: name.clone(), source })?;
            forms.push(form);
        }
    }
    forms.sort_by_key(|form| form.order);

    Ok(Configuration { deployment, lookups, locations, agencies, roles, forms })
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
