//! Messages a person reads, in every configured locale, from the Fluent files under `locales/`.
//!
//! The same `.ftl` files serve the web client. Bangla numbers are shown with Bengali digits;
//! stored and transmitted values never pass through here, so they stay ASCII and ISO.

use std::collections::BTreeMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The locales Sathi ships messages for, with their Fluent source. Adding a locale means adding
/// a folder under `locales/` and a line here; a test checks every key exists in every locale.
pub const LOCALES: [(&str, &str); 2] = [
    ("en", include_str!("../../../locales/en/sathi.ftl")),
    ("bn", include_str!("../../../locales/bn/sathi.ftl")),
];

pub const DEFAULT_LOCALE: &str = "en";

pub struct Messages {
    bundles: BTreeMap<&'static str, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages").field("locales", &self.bundles.keys()).finish()
    }
}

impl Messages {
    /// Parses the embedded message files; a syntax error in them is a build defect, so it panics.
    pub fn load() -> Self {
        let bundles = LOCALES
            .iter()
            .map(|(locale, source)| {
                let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(_, errors)| {
                    panic!("locales/{locale}/sathi.ftl is invalid: {errors:?}")
                });
                let language: LanguageIdentifier =
                    locale.parse().expect("locale codes are valid language tags");
                let mut bundle = FluentBundle::new_concurrent(vec![language]);
                // Isolation marks would end up in JSON error messages and CLI output.
                bundle.set_use_isolating(false);
                if *locale == "bn" {
                    bundle.set_formatter(Some(bengali_number_formatter));
                }
                bundle.add_resource(resource).expect("message ids are unique within a locale");
                (*locale, bundle)
            })
            .collect();
        Messages { bundles }
    }

    pub fn has_locale(&self, locale: &str) -> bool {
        self.bundles.contains_key(locale)
    }

    /// Formats message `id` in `locale`, falling back to English, then to the id itself so a
    /// missing message is visible rather than blank.
    pub fn format(&self, locale: &str, id: &str, args: &[(&str, String)]) -> String {
        for candidate in [locale, DEFAULT_LOCALE] {
            let Some(bundle) = self.bundles.get(candidate) else { continue };
            let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else { continue };
            let mut fluent_args = FluentArgs::new();
            for (name, value) in args {
                // A count goes in as a number, because a Fluent plural such as `[1]` or `[one]`
                // never matches the string "1". The Bangla formatter gives it Bengali digits.
                if let Some(count) = as_count(value) {
                    fluent_args.set(*name, FluentValue::from(count));
                    continue;
                }
                // Numbers and dates get the reader's digits; ids and codes stay as they are.
                let is_numeric = value.parse::<f64>().is_ok() || is_iso_date(value);
                let shown = if is_numeric { localize_digits(value, candidate) } else { value.clone() };
                fluent_args.set(*name, FluentValue::from(shown));
            }
            let mut errors = Vec::new();
            return bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
        }
        id.to_owned()
    }

    /// Message ids defined in `locale`, for completeness tests.
    pub fn ids(&self, locale: &str) -> Vec<String> {
        let source =
            LOCALES.iter().find(|(code, _)| *code == locale).map(|(_, source)| *source).unwrap_or("");
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, _)| resource);
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(message) => Some(message.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }
}

fn bengali_number_formatter<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(number) => Some(to_bengali_digits(&number.as_string())),
        _ => None,
    }
}

/// Returns `value` as a whole number when it is one written plainly: ASCII digits with an
/// optional leading `-`, no leading zero and at most 15 digits, so that it prints back as
/// written. Returns `None` for anything else, such as `007`, `1.5` or `1e3`.
fn as_count(value: &str) -> Option<i64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let is_plain = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|byte| byte.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if is_plain { value.parse().ok() } else { None }
}

/// A date (`2026-12-04`) or a time of day (`05:42`), whose digits a reader sees in their script.
fn is_iso_date(value: &str) -> bool {
    let date = value.len() == 10 && value.chars().all(|c| c.is_ascii_digit() || c == '-');
    let time = value.len() == 5 && value.chars().all(|c| c.is_ascii_digit() || c == ':');
    date || time
}

/// Replaces ASCII digits with Bengali digits, for display only.
pub fn to_bengali_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(digit) if c.is_ascii_digit() => char::from_u32(0x09E6 + digit).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Shows `text`'s digits the way readers of `locale` expect.
pub fn localize_digits(text: &str, locale: &str) -> String {
    if locale == "bn" { to_bengali_digits(text) } else { text.to_owned() }
}
