//! Text rules for values people type: Unicode NFC, trimming, length in characters, digit scripts,
//! plain decimal numbers, and the search key that finds a child's name however it was spelled.
//!
//! Stored text is NFC and otherwise exactly what was typed, emoji included. The search key
//! ([`name_search_key`]) is derived from stored text for lookups and duplicate checks and never
//! replaces it. Burmese text in the legacy Zawgyi encoding is not detected here. This module does no IO.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::config::DigitScript;

/// Returns `input` in Unicode Normalization Form C.
///
/// NFC gives one encoding to letters that can be typed two ways, such as ো (U+09CB, or U+09C7
/// U+09BE) and য় (U+09DF, or U+09AF U+09BC). U+09DF is a composition exclusion, so the NFC form of
/// য় is the two-code-point sequence U+09AF U+09BC.
pub fn nfc(input: &str) -> String {
    input.nfc().collect()
}

/// Normalises a typed value for storage: NFC, then removes leading and trailing whitespace and
/// invisible characters.
///
/// Whitespace is any Unicode `White_Space` character, which includes U+00A0 (no-break space). The
/// invisible characters are U+200B (zero-width space), U+2060 (word joiner) and U+FEFF (byte order
/// mark). ZWJ and ZWNJ stay even at the ends, because a trailing ZWJ is part of the legacy khanda
/// ta spelling ত্‍. Text between the first and last kept character is not changed, except that
/// U+0000 is removed everywhere.
pub fn clean_text(input: &str) -> String {
    // U+0000 carries no text, and PostgreSQL cannot store it in text or JSON values.
    nfc(input).replace('\0', "").trim_matches(is_trimmed_at_ends).to_owned()
}

fn is_trimmed_at_ends(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Cleans a free text that people write on a case (a note, reason or comment): removes control
/// characters other than newline and tab, and the bidirectional embedding, override and isolate
/// characters (U+202A to U+202E, U+2066 to U+2069), then applies [`clean_text`]. Returns `None`
/// for a text that is empty afterwards, and `Err(max_chars)` for one longer than `max_chars`
/// characters.
pub fn clean_free_text(input: &str, max_chars: usize) -> Result<Option<String>, usize> {
    let kept: String = input.chars().filter(|c| !is_removed_from_free_text(*c)).collect();
    let cleaned = clean_text(&kept);
    if cleaned.is_empty() {
        return Ok(None);
    }
    if char_count(&cleaned) > max_chars {
        return Err(max_chars);
    }
    Ok(Some(cleaned))
}

fn is_removed_from_free_text(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Counts the Unicode scalar values in `input`, the unit of every length limit.
///
/// 👍 counts as one. An emoji that a renderer draws from several code points (a flag, a skin tone,
/// a ZWJ sequence) counts as several. Pass NFC text so both encodings of a letter count the same.
pub fn char_count(input: &str) -> usize {
    input.chars().count()
}

/// The script of a Unicode decimal digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigitScriptName {
    /// 0-9, U+0030 to U+0039.
    Ascii,
    /// ০-৯, U+09E6 to U+09EF, used for Bangla.
    Bengali,
    /// ०-९, U+0966 to U+096F.
    Devanagari,
    /// ٠-٩, U+0660 to U+0669, used with Arabic.
    ArabicIndic,
    /// ۰-۹, U+06F0 to U+06F9, used with Persian and Urdu. A different set from [`Self::ArabicIndic`].
    ExtendedArabicIndic,
    /// ၀-၉, U+1040 to U+1049, used with Burmese.
    Myanmar,
    /// Any other decimal digit (general category Nd), such as fullwidth ０ or Myanmar Shan ႐.
    Other,
}

impl DigitScriptName {
    /// Returns the stable snake_case code, equal to the serde name of the matching [`DigitScript`].
    pub fn code(self) -> &'static str {
        match self {
            DigitScriptName::Ascii => "ascii",
            DigitScriptName::Bengali => "bengali",
            DigitScriptName::Devanagari => "devanagari",
            DigitScriptName::ArabicIndic => "arabic_indic",
            DigitScriptName::ExtendedArabicIndic => "extended_arabic_indic",
            DigitScriptName::Myanmar => "myanmar",
            DigitScriptName::Other => "other",
        }
    }
}

impl fmt::Display for DigitScriptName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.code())
    }
}

impl From<DigitScript> for DigitScriptName {
    fn from(script: DigitScript) -> Self {
        match script {
            DigitScript::Bengali => DigitScriptName::Bengali,
            DigitScript::Myanmar => DigitScriptName::Myanmar,
            DigitScript::ArabicIndic => DigitScriptName::ArabicIndic,
        }
    }
}

/// A value whose digits cannot be converted to ASCII without guessing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigitError {
    #[error("value mixes {first} and {second} digits. Type every digit in one script")]
    Mixed { first: DigitScriptName, second: DigitScriptName },
    #[error("{script} digits are not accepted in this deployment. Type ASCII digits or an accepted script")]
    NotAccepted { script: DigitScriptName },
}

impl DigitError {
    /// Returns the stable error code the client translates.
    pub fn code(&self) -> &'static str {
        match self {
            DigitError::Mixed { .. } => "mixed_digit_scripts",
            DigitError::NotAccepted { .. } => "digit_script_not_accepted",
        }
    }
}

/// The first code point (digit zero) of every run of Unicode decimal digits (general category Nd).
///
/// Each run contains 0 to 9 at consecutive code points. Generated from the Unicode Character Database
/// 15.1.0 as shipped in Python 3.13 `unicodedata`. Digits of scripts added in later Unicode versions
/// are not in the table, so [`ascii_digits`] passes them through and [`parse_number`] rejects them.
const DECIMAL_DIGIT_ZEROS: [u32; 68] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50,
    0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
    0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
    0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0,
];

/// Returns the script and value (0-9) of `c` when it is a Unicode decimal digit.
///
/// Other numeric characters, such as ½, ² or Roman numerals, are not decimal digits.
pub fn decimal_digit(c: char) -> Option<(DigitScriptName, u32)> {
    let code_point = u32::from(c);
    // The table is sorted, so the only run that can contain `c` starts at the last zero at or below it.
    let index = DECIMAL_DIGIT_ZEROS.partition_point(|&zero| zero <= code_point).checked_sub(1)?;
    let zero = DECIMAL_DIGIT_ZEROS[index];
    let value = code_point - zero;
    (value < 10).then(|| (script_of_zero(zero), value))
}

fn script_of_zero(zero: u32) -> DigitScriptName {
    match zero {
        0x30 => DigitScriptName::Ascii,
        0x660 => DigitScriptName::ArabicIndic,
        0x6F0 => DigitScriptName::ExtendedArabicIndic,
        0x966 => DigitScriptName::Devanagari,
        0x9E6 => DigitScriptName::Bengali,
        0x1040 => DigitScriptName::Myanmar,
        _ => DigitScriptName::Other,
    }
}

/// Converts every decimal digit in `input` to ASCII and passes other characters through unchanged.
///
/// ASCII digits are always accepted, other scripts only when listed in `accepted`. Digits are
/// checked from left to right and the first problem is returned: a digit of a script that is not
/// accepted is [`DigitError::NotAccepted`], and a digit of another script than the first digit is
/// [`DigitError::Mixed`]. So `1৫` is `Mixed` when Bengali is accepted and `1٧` is `NotAccepted`
/// when Arabic-Indic is not. The value is never guessed.
pub fn ascii_digits(input: &str, accepted: &[DigitScript]) -> Result<String, DigitError> {
    let mut first_script = None;
    let mut output = String::with_capacity(input.len());

    for c in input.chars() {
        let Some((script, value)) = decimal_digit(c) else {
            output.push(c);
            continue;
        };

        let is_accepted = script == DigitScriptName::Ascii
            || accepted.iter().any(|&allowed| DigitScriptName::from(allowed) == script);
        if !is_accepted {
            return Err(DigitError::NotAccepted { script });
        }
        match first_script {
            None => first_script = Some(script),
            Some(first) if first != script => return Err(DigitError::Mixed { first, second: script }),
            Some(_) => {}
        }

        output.push(char::from_digit(value, 10).expect("a decimal digit's value is below 10"));
    }

    Ok(output)
}

/// A typed number that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error(transparent)]
    Digits(#[from] DigitError),
    #[error("invalid number: expected digits with an optional leading '-' and an optional '.' and digits")]
    Invalid,
}

impl NumberError {
    /// Returns the stable error code the client translates.
    pub fn code(&self) -> &'static str {
        match self {
            NumberError::Digits(error) => error.code(),
            NumberError::Invalid => "invalid_number",
        }
    }
}

/// Parses a typed decimal number such as ` ৮ `, `-3.5` or `০.৫`.
///
/// The value is trimmed like [`clean_text`] and its digits converted with [`ascii_digits`]. What
/// remains must be an optional `-`, one or more digits, and optionally `.` followed by one or more
/// digits. The decimal separator is `.` only, because Bangla writing in Bangladesh also uses the full
/// stop as the decimal point. So `+5`, `.5`, `5.`, `1,000`, `1 000`, `1e5`, `0x10`, `NaN` and `inf`
/// are [`NumberError::Invalid`], as is a number too large for `f64`.
///
/// NOTE: the Arabic decimal separator `٫` (U+066B) is rejected even when Arabic-Indic digits are accepted.
pub fn parse_number(input: &str, accepted: &[DigitScript]) -> Result<f64, NumberError> {
    let ascii = ascii_digits(&clean_text(input), accepted)?;
    if !is_plain_decimal(&ascii) {
        return Err(NumberError::Invalid);
    }

    let value: f64 = ascii.parse().map_err(|_| NumberError::Invalid)?;
    if value.is_finite() { Ok(value) } else { Err(NumberError::Invalid) }
}

fn is_plain_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// Builds the key that finds a child's name whichever way it was typed or spelled.
///
/// Two names with the same key are treated as the same name by search and duplicate checks. The
/// key is built in this order:
///
/// 1. NFC, then lowercase.
/// 2. Khanda ta typed the legacy way, ত + virama + ZWJ (U+09A4 U+09CD U+200D), becomes ৎ (U+09CE).
/// 3. Invisible characters are removed: ZWSP, ZWNJ, ZWJ, word joiner, BOM and soft hyphen.
/// 4. Latin diacritics (combining marks U+0300 to U+036F after canonical decomposition) are
///    removed, so é becomes e and ḥ becomes h. Letters with no decomposition are spelled out:
///    ß→ss, æ→ae, œ→oe, ø→o, ł→l, đ→d, ð→d, þ→th, ı→i.
/// 5. Bangla long and short vowels are merged, because names are spelled both ways (পারভীন and
///    পারভিন): ী→ি, ূ→ু, ঈ→ই, ঊ→উ.
/// 6. Apostrophes are removed (Ma'ruf and Maruf match). Every other character that is not a
///    letter, digit or combining mark (punctuation, symbols, emoji, danda) separates words.
/// 7. In each word, ত + virama at the end of the word becomes ৎ, since it is a second way to
///    write khanda ta.
/// 8. In each word, Latin transliteration variants are merged by three rules applied in order:
///    `ee`→`i`, then `e`→`a` and `u`→`o`, then a run of one repeated ASCII letter becomes one
///    letter. So Mohammed, Muhammad, Mohamad and Mohamed all become `mohamad`, Noor and Nur become
///    `nor`, and Kareem becomes `karim`.
///
/// The key is the words joined by one space.
///
/// Some variants are deliberately not merged, because each pair also separates different names.
/// They are য় and য (different sounds, as in যাকির Zakir), ঙ and ং, শ/ষ/স, ন and ণ, জ and য,
/// chandrabindu and its absence, and repeated Bangla letters (মমতা). In Latin script they are a and
/// o, q and k, and z and j. Bangla and Latin spellings of one name (মোহাম্মদ, Mohammed) get
/// different keys.
pub fn name_search_key(name: &str) -> String {
    let lowercase = nfc(name).to_lowercase();
    let khanda_ta = lowercase.replace("\u{09A4}\u{09CD}\u{200D}", "\u{09CE}");
    let folded = nfc(&fold_characters(&khanda_ta));

    let words: Vec<String> = folded.split_whitespace().map(fold_word).collect();
    words.join(" ")
}

/// Returns the distinct words of [`name_search_key`] in their first order, for prefix search.
pub fn search_tokens(name: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for word in name_search_key(name).split(' ').filter(|word| !word.is_empty()) {
        if !tokens.iter().any(|token| token == word) {
            tokens.push(word.to_owned());
        }
    }
    tokens
}

/// Applies steps 3 to 6 of [`name_search_key`] and returns canonically decomposed text.
fn fold_characters(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            '\u{0300}'..='\u{036F}' => {}
            '\'' | '\u{2018}' | '\u{2019}' | '\u{02BB}' | '\u{02BC}' | '`' | '\u{00B4}' => {}
            'ß' => output.push_str("ss"),
            'æ' => output.push_str("ae"),
            'œ' => output.push_str("oe"),
            'þ' => output.push_str("th"),
            'ø' => output.push('o'),
            'ł' => output.push('l'),
            'đ' | 'ð' => output.push('d'),
            'ı' => output.push('i'),
            '\u{09C0}' => output.push('\u{09BF}'),
            '\u{09C2}' => output.push('\u{09C1}'),
            '\u{0988}' => output.push('\u{0987}'),
            '\u{098A}' => output.push('\u{0989}'),
            c if c.is_alphanumeric() || is_combining_mark(c) => output.push(c),
            _ => output.push(' '),
        }
    }
    output
}

/// Applies steps 7 and 8 of [`name_search_key`] to one word.
fn fold_word(word: &str) -> String {
    let word = match word.strip_suffix("\u{09A4}\u{09CD}") {
        Some(stem) => format!("{stem}\u{09CE}"),
        None => word.to_owned(),
    };

    let long_i_folded = word.replace("ee", "i");
    let mut output = String::with_capacity(long_i_folded.len());
    for c in long_i_folded.chars() {
        let c = match c {
            'e' => 'a',
            'u' => 'o',
            other => other,
        };
        if c.is_ascii_alphabetic() && output.ends_with(c) {
            continue;
        }
        output.push(c);
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    const BENGALI: &[DigitScript] = &[DigitScript::Bengali];

    fn code_points(text: &str) -> Vec<u32> {
        text.chars().map(u32::from).collect()
    }

    // Both ways of typing the same Bangla letters are stored identically.

    #[test]
    fn nfc_unifies_precomposed_yya() {
        let precomposed = "\u{09B8}\u{09BE}\u{09DF}\u{09B0}\u{09BE}";
        let decomposed = "\u{09B8}\u{09BE}\u{09AF}\u{09BC}\u{09B0}\u{09BE}";
        assert_eq!(code_points(&nfc(precomposed)), [0x09B8, 0x09BE, 0x09AF, 0x09BC, 0x09B0, 0x09BE]);
        assert_eq!(nfc(precomposed), nfc(decomposed));
    }

    #[test]
    fn nfc_unifies_precomposed_rra_in_full_name() {
        let precomposed = "\u{09AA}\u{09BE}\u{09B0}\u{09AD}\u{09C0}\u{09A8} \u{09AE}\u{09CB}\u{09DC}\u{09B2}";
        let decomposed =
            "\u{09AA}\u{09BE}\u{09B0}\u{09AD}\u{09C0}\u{09A8} \u{09AE}\u{09CB}\u{09A1}\u{09BC}\u{09B2}";
        let expected =
            [0x09AA, 0x09BE, 0x09B0, 0x09AD, 0x09C0, 0x09A8, 0x0020, 0x09AE, 0x09CB, 0x09A1, 0x09BC, 0x09B2];
        assert_eq!(code_points(&nfc(precomposed)), expected);
        assert_eq!(nfc(precomposed), nfc(decomposed));
    }

    #[test]
    fn nfc_composes_vowel_sign_o() {
        let composed = "\u{09AE}\u{09CB}\u{09AE}\u{09BF}\u{09A8}";
        let split = "\u{09AE}\u{09C7}\u{09BE}\u{09AE}\u{09BF}\u{09A8}";
        assert_eq!(code_points(&nfc(split)), [0x09AE, 0x09CB, 0x09AE, 0x09BF, 0x09A8]);
        assert_eq!(nfc(composed), nfc(split));
    }

    #[test]
    fn nfc_composes_vowel_sign_au() {
        let composed = "\u{09AE}\u{09CC}\u{09B8}\u{09C1}\u{09AE}\u{09C0}";
        let split = "\u{09AE}\u{09C7}\u{09D7}\u{09B8}\u{09C1}\u{09AE}\u{09C0}";
        assert_eq!(code_points(&nfc(split)), [0x09AE, 0x09CC, 0x09B8, 0x09C1, 0x09AE, 0x09C0]);
        assert_eq!(nfc(composed), nfc(split));
    }

    #[test]
    fn nfc_pairs_share_search_key() {
        assert_eq!(name_search_key("\u{09B8}\u{09BE}\u{09DF}\u{09B0}\u{09BE}"), name_search_key("সায়রা"));
        assert_eq!(
            name_search_key("মোমিন"),
            name_search_key("\u{09AE}\u{09C7}\u{09BE}\u{09AE}\u{09BF}\u{09A8}")
        );
    }

    #[test]
    fn khanda_ta_legacy_encoding_shares_search_key() {
        let khanda_ta = "\u{0987}\u{09CE}";
        let legacy = "\u{0987}\u{09A4}\u{09CD}\u{200D}";
        assert_ne!(nfc(khanda_ta), nfc(legacy), "NFC alone does not unify khanda ta");
        assert_eq!(name_search_key(legacy), name_search_key(khanda_ta));
        assert_eq!(name_search_key(legacy), khanda_ta);
    }

    #[test]
    fn khanda_ta_legacy_encoding_inside_word() {
        assert_eq!(name_search_key("উত\u{09CD}\u{200D}সব"), "উৎসব");
    }

    #[test]
    fn final_hasanta_ta_shares_khanda_ta_key() {
        assert_eq!(name_search_key("ইত\u{09CD}"), "ইৎ");
        // Inside a word, ত + virama is a conjunct and stays.
        assert_eq!(name_search_key("উত্তম"), "উত্তম");
    }

    #[test]
    fn search_key_drops_zwnj() {
        let pasted = "\u{09B0}\u{09C1}\u{200C}\u{09AE}\u{09BE}\u{09A8}\u{09BE}";
        assert_eq!(name_search_key(pasted), name_search_key("রুমানা"));
        assert_eq!(name_search_key(pasted), "রুমানা");
    }

    #[test]
    fn search_key_drops_zwsp_and_zwj() {
        assert_eq!(name_search_key("রু\u{200B}মা\u{200D}না\u{FEFF}"), "রুমানা");
    }

    #[test]
    fn bangla_long_and_short_vowels_share_search_key() {
        assert_eq!(name_search_key("পারভীন"), name_search_key("পারভিন"));
        assert_eq!(name_search_key("নূর"), name_search_key("নুর"));
        assert_eq!(name_search_key("ঈমান"), name_search_key("ইমান"));
        assert_eq!(name_search_key("ঊর্মি"), name_search_key("উর্মি"));
    }

    #[test]
    fn bangla_yya_and_ya_keep_distinct_keys() {
        assert_ne!(name_search_key("য়াকুব"), name_search_key("যাকুব"));
    }

    #[test]
    fn bangla_repeated_letters_not_collapsed() {
        assert_eq!(name_search_key("মমতা"), "মমতা");
    }

    #[test]
    fn mohammed_spellings_share_search_key() {
        for spelling in ["Mohammed", "Muhammad", "Mohamad", "Mohammad", "Mohamed", "MUHAMMED", "Muḥammad"] {
            assert_eq!(name_search_key(spelling), "mohamad", "spelling {spelling}");
        }
    }

    #[test]
    fn latin_long_vowel_spellings_share_search_key() {
        assert_eq!(name_search_key("Kareem"), name_search_key("Karim"));
        assert_eq!(name_search_key("Noor"), name_search_key("Nur"));
        assert_eq!(name_search_key("Hussain"), name_search_key("Hossain"));
    }

    #[test]
    fn latin_a_and_o_keep_distinct_keys() {
        assert_ne!(name_search_key("Rana"), name_search_key("Rona"));
    }

    #[test]
    fn latin_diacritics_removed_from_search_key() {
        assert_eq!(name_search_key("José Ñúñez"), "josa nonaz");
        assert_eq!(name_search_key("Łukasz Strauß"), "lokasz straos");
    }

    #[test]
    fn punctuation_separates_words_in_search_key() {
        assert_eq!(name_search_key("  Nur-Jahan,   BEGUM. "), "nor jahan bagom");
        assert_eq!(name_search_key("রুমানা। আক্তার"), "রুমানা আক্তার");
    }

    #[test]
    fn apostrophe_removed_from_search_key() {
        assert_eq!(name_search_key("Ma'ruf"), "marof");
        assert_eq!(name_search_key("Ma\u{2019}ruf"), "marof");
    }

    #[test]
    fn search_key_of_blank_name_is_empty() {
        assert_eq!(name_search_key(" \u{00A0}-- "), "");
        assert!(search_tokens("  ").is_empty());
    }

    #[test]
    fn search_tokens_are_distinct_words() {
        assert_eq!(search_tokens("Mohammed Muhammad Arif"), ["mohamad", "arif"]);
    }

    // Text is full Unicode, emoji included, and lengths count characters.

    #[test]
    fn emoji_counts_as_one_character() {
        assert_eq!(char_count("👍"), 1);
        let notes = "মা 👍 ভালো আছেন";
        assert_eq!(char_count(notes), 14);
        assert_eq!(notes.len(), 37);
    }

    #[test]
    fn clean_text_keeps_emoji_and_inner_spacing() {
        assert_eq!(clean_text("মা 👍 ভালো  আছেন"), "মা 👍 ভালো  আছেন");
    }

    #[test]
    fn clean_text_trims_invisible_characters_at_ends() {
        assert_eq!(clean_text("\u{00A0}\u{200B} রুমানা\t\u{FEFF}\n"), "রুমানা");
    }

    #[test]
    fn clean_text_applies_nfc() {
        assert_eq!(
            clean_text(" \u{09AE}\u{09C7}\u{09BE}\u{09AE}\u{09BF}\u{09A8} "),
            "\u{09AE}\u{09CB}\u{09AE}\u{09BF}\u{09A8}"
        );
    }

    #[test]
    fn clean_text_keeps_trailing_zero_width_joiner() {
        assert_eq!(clean_text("ইত\u{09CD}\u{200D} "), "ইত\u{09CD}\u{200D}");
    }

    // Bengali digits are accepted and stored as ASCII. Mixed or unaccepted scripts are rejected.

    #[test]
    fn bengali_digits_become_ascii() {
        assert_eq!(ascii_digits("০১৭০০০০০০০২", BENGALI).unwrap(), "01700000002");
        assert_eq!(ascii_digits("১৫/০৬/২০১৭", BENGALI).unwrap(), "15/06/2017");
    }

    #[test]
    fn mixed_ascii_and_bengali_digits_rejected() {
        let error = ascii_digits("1৫", BENGALI).unwrap_err();
        assert_eq!(
            error,
            DigitError::Mixed { first: DigitScriptName::Ascii, second: DigitScriptName::Bengali }
        );
        assert_eq!(error.code(), "mixed_digit_scripts");
    }

    #[test]
    fn arabic_indic_digit_rejected_when_not_accepted() {
        let error = ascii_digits("٧", BENGALI).unwrap_err();
        assert_eq!(error, DigitError::NotAccepted { script: DigitScriptName::ArabicIndic });
        assert_eq!(error.code(), "digit_script_not_accepted");
    }

    #[test]
    fn arabic_indic_digit_converted_when_accepted() {
        assert_eq!(ascii_digits("٧", &[DigitScript::ArabicIndic]).unwrap(), "7");
    }

    #[test]
    fn unaccepted_script_reported_before_mixing() {
        let error = ascii_digits("1٧", BENGALI).unwrap_err();
        assert_eq!(error, DigitError::NotAccepted { script: DigitScriptName::ArabicIndic });
    }

    #[test]
    fn bengali_digit_rejected_when_only_ascii_accepted() {
        let error = ascii_digits("৭", &[]).unwrap_err();
        assert_eq!(error, DigitError::NotAccepted { script: DigitScriptName::Bengali });
    }

    #[test]
    fn digit_scripts_never_accepted_are_named() {
        let all = [DigitScript::Bengali, DigitScript::Myanmar, DigitScript::ArabicIndic];
        let cases = [
            ("७", DigitScriptName::Devanagari),
            ("۷", DigitScriptName::ExtendedArabicIndic),
            ("１", DigitScriptName::Other),
            ("႑", DigitScriptName::Other),
        ];
        for (input, script) in cases {
            assert_eq!(ascii_digits(input, &all), Err(DigitError::NotAccepted { script }), "input {input}");
        }
    }

    #[test]
    fn myanmar_digits_converted_when_accepted() {
        assert_eq!(ascii_digits("၁၂", &[DigitScript::Myanmar]).unwrap(), "12");
    }

    #[test]
    fn numeric_characters_that_are_not_digits_pass_through() {
        assert_eq!(ascii_digits("½ ² Ⅷ", &[]).unwrap(), "½ ² Ⅷ");
        assert_eq!(decimal_digit('½'), None);
    }

    #[test]
    fn digit_table_covers_every_run_end() {
        assert_eq!(decimal_digit('\u{09EF}'), Some((DigitScriptName::Bengali, 9)));
        assert_eq!(decimal_digit('\u{09F0}'), None);
        assert_eq!(decimal_digit('\u{1FBF9}'), Some((DigitScriptName::Other, 9)));
        assert_eq!(decimal_digit('/'), None);
    }

    #[test]
    fn number_with_spaces_and_bengali_digit_parses() {
        assert_eq!(parse_number(" ৮ ", BENGALI), Ok(8.0));
        assert_eq!(parse_number("১২", BENGALI), Ok(12.0));
        assert_eq!(parse_number("-০.৫", BENGALI), Ok(-0.5));
    }

    #[test]
    fn number_with_mixed_digits_rejected() {
        let error = parse_number("1৫", BENGALI).unwrap_err();
        assert_eq!(error.code(), "mixed_digit_scripts");
    }

    #[test]
    fn number_with_unaccepted_digit_rejected() {
        let error = parse_number("٧", BENGALI).unwrap_err();
        assert_eq!(error.code(), "digit_script_not_accepted");
    }

    #[test]
    fn number_outside_plain_decimal_syntax_rejected() {
        let rejected = [
            "", " ", "-", "1e5", "0x10", "1,000", "1 000", "NaN", "inf", "1..2", "1.2.3", ".5", "5.", "+5",
            "--1",
        ];
        for input in rejected {
            assert_eq!(parse_number(input, BENGALI), Err(NumberError::Invalid), "input {input:?}");
        }
        assert_eq!(NumberError::Invalid.code(), "invalid_number");
    }

    #[test]
    fn number_too_large_for_f64_rejected() {
        let huge = "9".repeat(400);
        assert_eq!(parse_number(&huge, &[]), Err(NumberError::Invalid));
    }
}

#[cfg(test)]
mod free_text_tests {
    use super::clean_free_text;

    #[test]
    fn free_text_drops_controls_and_overrides() {
        let cleaned = clean_free_text(" a\u{0}b\u{1b}[2J\u{7}c\u{202E}d\ne\tf ", 100);
        assert_eq!(cleaned, Ok(Some("ab[2Jcd\ne\tf".to_owned())));
    }

    #[test]
    fn free_text_limits_characters() {
        assert_eq!(clean_free_text(&"ক".repeat(2000), 2000).map(|text| text.is_some()), Ok(true));
        assert_eq!(clean_free_text(&"ক".repeat(2001), 2000), Err(2000));
        assert_eq!(clean_free_text(" \u{0} ", 10), Ok(None));
    }
}
