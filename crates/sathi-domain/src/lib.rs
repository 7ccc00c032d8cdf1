//! Sathi's rules with no IO: the configuration model, record validation, permissions,
//! calendar dates in the deployment's zone, and text normalisation.
//!
//! Everything here is deterministic given its inputs (the caller passes "now"), so the server
//! and the conformance vectors shared with the web client can check the same behaviour.

pub mod config;
pub mod config_files;
pub mod dates;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod merge;
pub mod permissions;
pub mod principal;
pub mod reports;
pub mod spreadsheet;
pub mod text;
pub mod validation;
pub mod workflow;
