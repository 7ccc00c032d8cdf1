//! Checks the message files under `locales/`: English and Bangla define the same ids, every
//! Bangla text is translated, and every error code the validator or the server can return has
//! a message.

use std::collections::BTreeSet;

use sathi_domain::i18n::Messages;

/// Every error code the validator (`FieldError::new`, and the `code()` of digit, number and
/// date errors) and the server (`ApiError::new` and its helpers) can return.
const ERROR_CODES: [&str; 40] = [
    // Field errors from sathi_domain::validation.
    "required",
    "unknown_field",
    "form_not_writable",
    "read_only_field",
    "too_long",
    "invalid_type",
    "invalid_number",
    "not_whole_number",
    "below_min",
    "above_max",
    "date_in_future",
    "unknown_option",
    "invalid_tally",
    "unknown_location",
    "location_too_coarse",
    "invalid_row_id",
    "row_not_found",
    // Digit, number and date parsing errors from sathi_domain::text and sathi_domain::dates.
    "mixed_digit_scripts",
    "digit_script_not_accepted",
    "invalid_date_format",
    "impossible_date",
    // Request errors from sathi_server.
    "validation_failed",
    "not_found",
    "forbidden",
    "unauthenticated",
    "invalid_request",
    "internal_error",
    "invalid_filter",
    "invalid_age_range",
    "invalid_credentials",
    "account_locked",
    "version_conflict",
    "password_too_short",
    "username_taken",
    "unknown_role",
    "unknown_agency",
    "unknown_locale",
    "already_closed",
    "not_closed",
    "closure_reason_required",
];

#[test]
fn english_and_bangla_define_same_ids() {
    let messages = Messages::load();
    let english: BTreeSet<String> = messages.ids("en").into_iter().collect();
    let bangla: BTreeSet<String> = messages.ids("bn").into_iter().collect();
    assert!(!english.is_empty(), "locales/en/sathi.ftl defines no messages");

    let missing_in_bangla: Vec<&String> = english.difference(&bangla).collect();
    assert!(missing_in_bangla.is_empty(), "locales/bn/sathi.ftl lacks {missing_in_bangla:?}");
    let missing_in_english: Vec<&String> = bangla.difference(&english).collect();
    assert!(missing_in_english.is_empty(), "locales/en/sathi.ftl lacks {missing_in_english:?}");
}

#[test]
fn bangla_messages_differ_from_english() {
    let messages = Messages::load();
    for id in messages.ids("en") {
        let english = messages.format("en", &id, &[]);
        let bangla = messages.format("bn", &id, &[]);
        assert_ne!(bangla, english, "message {id} is not translated into Bangla");
    }
}

#[test]
fn every_error_code_has_message() {
    let messages = Messages::load();
    for locale in ["en", "bn"] {
        let ids: BTreeSet<String> = messages.ids(locale).into_iter().collect();
        for code in ERROR_CODES {
            let id = format!("error-{code}");
            assert!(ids.contains(&id), "locales/{locale}/sathi.ftl has no message {id}");
        }
    }
}

#[test]
fn plural_of_one_is_singular() {
    let messages = Messages::load();
    let format_one = |id: &str, name: &str| messages.format("en", id, &[(name, "1".to_owned())]);

    let locations = format_one("error-locations_invalid", "count");
    assert!(locations.starts_with("The locations file has 1 problem,"), "{locations}");
    let config = format_one("error-config_invalid", "count");
    assert!(config.starts_with("The configuration has 1 problem,"), "{config}");
    let in_use = format_one("error-locations_in_use", "count");
    assert!(in_use.contains("leaves out 1 location that"), "{in_use}");
    let cases = messages.format(
        "en",
        "error-location_in_use",
        &[("value", "BD-CTG".to_owned()), ("cases", "1".to_owned())],
    );
    assert!(cases.contains("location of 1 case."), "{cases}");
    let disabled = format_one("error-account_disabled", "count");
    assert!(disabled.contains("The 1 change from this device"), "{disabled}");
    let none = messages.format("en", "error-account_disabled", &[("count", "0".to_owned())]);
    assert_eq!(none, "This account has been disabled. Ask your supervisor.");
}

#[test]
fn counts_keep_their_digits() {
    let messages = Messages::load();
    let many = messages.format("en", "error-locations_invalid", &[("count", "12".to_owned())]);
    assert!(many.starts_with("The locations file has 12 problems,"), "{many}");
    let bangla = messages.format("bn", "error-locations_invalid", &[("count", "12".to_owned())]);
    assert!(bangla.contains("১২টি সমস্যা"), "{bangla}");
    let bangla_none = messages.format("bn", "error-account_disabled", &[("count", "0".to_owned())]);
    assert!(!bangla_none.contains("টি পরিবর্তন"), "{bangla_none}");
    let row = messages.format("en", "error-import_duplicate_row", &[("row", "007".to_owned())]);
    assert!(row.contains("row 007 of"), "a leading zero stays: {row}");
}
