//! Values through the API: calendar dates, "today" and ages in Asia/Dhaka, instants stored in
//! UTC, Unicode NFC and search folding of Bangla names, emoji, length in characters, and digit
//! scripts.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, code_points, send, with};
use reqwest::{Client, StatusCode};
use sathi_domain::dates::format_date;
use serde_json::{Value, json};
use time::Date;
use time::format_description::well_known::Rfc3339;

backend_tests!(dates_ages_and_instants, bangla_text_and_digits);

/// Posts a new case and returns the status and body, for cases expected to fail.
async fn try_create(app: &TestApp, client: &Client, data: Value) -> (StatusCode, Value) {
    send(client.post(app.api("/cases")).json(&json!({"data": data}))).await
}

/// Returns the code of the first field error of a rejected write, and its path.
fn first_field_error(body: &Value) -> (String, String) {
    let field = &body["error"]["fields"][0];
    (field["code"].as_str().unwrap_or("").to_owned(), field["path"].as_str().unwrap_or("").to_owned())
}

/// Returns `date` moved back by `years` calendar years. `years` is a multiple of 4 in the
/// callers, so 29 February stays a valid date in every year this suite can run.
fn years_before(date: Date, years: i32) -> Date {
    Date::from_calendar_date(date.year() - years, date.month(), date.day())
        .expect("the same day exists four years apart")
}

/// Dates round-trip unchanged, the future is judged in Asia/Dhaka, an age gives an estimated
/// date of birth, ages use calendar arithmetic, instants are stored in UTC, and a Bangla
/// interface never changes stored values.
async fn dates_ages_and_instants(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.en", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.bn", "caseworker", AGENCY_A, "bn").await;
    let english = app.login("cw.en", PASSWORD).await;
    let bangla = app.login("cw.bn", PASSWORD).await;
    let today = app.today();

    // Calendar dates stay the same calendar dates through create, read and list filters.
    let dated = app
        .create_case(
            &english,
            with(
                child("Amina"),
                json!({
                    "registration_date": "2016-02-29",
                    "date_of_birth": "2000-01-01",
                    "case_plan_due_date": "2026-12-04",
                }),
            ),
        )
        .await;
    let dated_id = dated["id"].as_str().expect("a created case has an id").to_owned();
    let (_, read_back) = send(english.get(app.api(&format!("/cases/{dated_id}")))).await;
    for (field, expected) in [
        ("registration_date", "2016-02-29"),
        ("date_of_birth", "2000-01-01"),
        ("case_plan_due_date", "2026-12-04"),
    ] {
        assert_eq!(read_back["data"][field], expected, "{field} did not round-trip unchanged");
    }
    let leap_day = [("registered_from", "2016-02-29"), ("registered_to", "2016-02-29")];
    let registered = app.list_ids(&english, &leap_day).await;
    assert_eq!(registered, vec![dated_id.clone()], "the registration date filter misses 2016-02-29");

    // "Today" is the date in Asia/Dhaka: today is accepted and tomorrow is in the future.
    let tomorrow = today.next_day().expect("tomorrow exists");
    let (status, body) =
        try_create(&app, &english, with(child("Amina"), json!({"registration_date": format_date(tomorrow)})))
            .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "tomorrow in Dhaka was accepted as a registration date"
    );
    assert_eq!(
        first_field_error(&body),
        ("date_in_future".to_owned(), "registration_date".to_owned()),
        "a future registration date has the wrong error: {body}"
    );
    let (status, body) =
        try_create(&app, &english, with(child("Amina"), json!({"registration_date": format_date(today)})))
            .await;
    assert_eq!(status, StatusCode::CREATED, "today in Dhaka was rejected as a registration date: {body}");

    // An age gives an estimated date of birth, counted back from the registration date.
    let estimated = app.create_case(&english, with(child("Amina"), json!({"age": "৭"}))).await;
    assert_eq!(
        estimated["data"]["date_of_birth"], "2017-06-20",
        "age 7 on 2024-06-20 should give 2017-06-20"
    );
    assert_eq!(
        estimated["data"]["date_of_birth_estimated"],
        json!(true),
        "the date of birth is not marked estimated"
    );

    // Calendar arithmetic: the age goes up on the birthday, not a day before.
    let birthday_today = years_before(today, 8);
    let birthday_tomorrow = years_before(tomorrow, 12);
    for (date_of_birth, expected_age) in [(birthday_today, 8), (birthday_tomorrow, 11)] {
        let case = app
            .create_case(&english, with(child("Amina"), json!({"date_of_birth": format_date(date_of_birth)})))
            .await;
        assert_eq!(
            case["calculated"]["current_age"],
            json!(expected_age),
            "a child born {date_of_birth} should be {expected_age} on {today}"
        );
    }

    // An instant with an offset is stored as the same instant in UTC.
    let note = json!({"date": "2026-03-01T09:30:00+06:00", "subject": "Home visit", "text": "Visited"});
    let with_note = app.create_case(&english, with(child("Amina"), json!({"case_notes": [note]}))).await;
    assert_eq!(
        with_note["data"]["case_notes"][0]["date"], "2026-03-01T03:30:00Z",
        "09:30 at +06:00 should be stored as 03:30 UTC"
    );
    let local_time = json!({"date": "2026-03-01T09:30:00", "subject": "Home visit", "text": "Visited"});
    let (status, body) =
        try_create(&app, &english, with(child("Amina"), json!({"case_notes": [local_time]}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a time without an offset was accepted: {body}");
    assert_eq!(
        first_field_error(&body).0,
        "invalid_date_format",
        "a time without an offset has the wrong code"
    );

    // Change-time filters compare instants, whatever offset the caller writes them in.
    let dhaka = time::UtcOffset::from_hms(6, 0, 0).expect("+06:00 is a valid offset");
    let ten_minutes_ago = (time::OffsetDateTime::now_utc() - time::Duration::minutes(10)).to_offset(dhaka);
    let ten_minutes_ago = ten_minutes_ago.format(&Rfc3339).expect("an instant formats as RFC 3339");
    let changed_since = app.list_ids(&english, &[("updated_from", &ten_minutes_ago)]).await;
    assert!(
        changed_since.contains(&dated_id),
        "updated_from {ten_minutes_ago} misses a case changed just now"
    );
    let changed_before = app.list_ids(&english, &[("updated_to", &ten_minutes_ago)]).await;
    assert!(
        changed_before.is_empty(),
        "updated_to {ten_minutes_ago} lists cases changed later: {changed_before:?}"
    );

    // A Bangla interface with Bengali digits typed in still stores and sends ASCII ISO values.
    let typed_in_bangla = with(child("আমিনা"), json!({"registration_date": "২০২৪-০৬-২০", "age": "৭"}));
    let response = bangla.post(app.api("/cases")).json(&json!({"data": typed_in_bangla})).send().await;
    let response = response.expect("the create request failed");
    assert_eq!(response.status(), StatusCode::CREATED, "the Bangla user's create failed");
    let raw = response.text().await.expect("the create response has a body");
    let bengali_digits: Vec<char> = raw.chars().filter(|c| ('\u{09E6}'..='\u{09EF}').contains(c)).collect();
    assert!(bengali_digits.is_empty(), "the JSON for a Bangla user contains Bengali digits: {raw}");
    let created: Value = serde_json::from_str(&raw).expect("the create response is JSON");
    assert_eq!(
        created["data"]["registration_date"], "2024-06-20",
        "the Bangla-typed date is not stored as ISO"
    );
    assert_eq!(created["data"]["age"], json!(7), "the Bangla-typed age is not stored as a number");
    let (_, listed) = send(bangla.get(app.api("/cases")).query(&[("q", "আমিনা")])).await;
    assert_eq!(
        listed["cases"][0]["age"],
        json!(created["calculated"]["current_age"]),
        "the list shows another age than the case"
    );
}

/// One pair of spellings that differ in code points but are the same name after NFC.
struct NfcPair {
    label: &'static str,
    typed: &'static str,
    other_form: &'static str,
    stored: &'static str,
}

const NFC_PAIRS: [NfcPair; 4] = [
    NfcPair {
        label: "YYA",
        typed: "\u{09B8}\u{09BE}\u{09DF}\u{09B0}\u{09BE}",
        other_form: "\u{09B8}\u{09BE}\u{09AF}\u{09BC}\u{09B0}\u{09BE}",
        stored: "U+09B8 U+09BE U+09AF U+09BC U+09B0 U+09BE",
    },
    NfcPair {
        label: "RRA",
        typed: "\u{09AA}\u{09BE}\u{09B0}\u{09AD}\u{09C0}\u{09A8} \u{09AE}\u{09CB}\u{09DC}\u{09B2}",
        other_form: "\u{09AA}\u{09BE}\u{09B0}\u{09AD}\u{09C0}\u{09A8} \u{09AE}\u{09CB}\u{09A1}\u{09BC}\u{09B2}",
        stored: "U+09AA U+09BE U+09B0 U+09AD U+09C0 U+09A8 U+0020 U+09AE U+09CB U+09A1 U+09BC U+09B2",
    },
    NfcPair {
        label: "vowel sign O",
        typed: "\u{09AE}\u{09CB}\u{09AE}\u{09BF}\u{09A8}",
        other_form: "\u{09AE}\u{09C7}\u{09BE}\u{09AE}\u{09BF}\u{09A8}",
        stored: "U+09AE U+09CB U+09AE U+09BF U+09A8",
    },
    NfcPair {
        label: "vowel sign AU",
        typed: "\u{09AE}\u{09CC}\u{09B8}\u{09C1}\u{09AE}\u{09C0}",
        other_form: "\u{09AE}\u{09C7}\u{09D7}\u{09B8}\u{09C1}\u{09AE}\u{09C0}",
        stored: "U+09AE U+09CC U+09B8 U+09C1 U+09AE U+09C0",
    },
];

/// Spellings that NFC keeps apart but search must treat as one name.
const SEARCH_FOLDS: [(&str, &str, &str); 2] = [
    ("khanda ta typed as TA, VIRAMA, ZWJ", "\u{0987}\u{09CE}", "\u{0987}\u{09A4}\u{09CD}\u{200D}"),
    (
        "ZWNJ pasted inside a name",
        "\u{09B0}\u{09C1}\u{09AE}\u{09BE}\u{09A8}\u{09BE}",
        "\u{09B0}\u{09C1}\u{200C}\u{09AE}\u{09BE}\u{09A8}\u{09BE}",
    ),
];

/// Bangla names are stored in NFC and found by either spelling, search folds what NFC does
/// not, emoji survive, limits count characters, and digit scripts are never guessed.
async fn bangla_text_and_digits(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.en", "caseworker", AGENCY_A, "en").await;
    let client = app.login("cw.en", PASSWORD).await;

    for pair in &NFC_PAIRS {
        let case = app.create_case(&client, child(pair.typed)).await;
        let id = case["id"].as_str().expect("a created case has an id").to_owned();
        let stored = case["data"]["name_first"].as_str().expect("name_first is stored");
        assert_eq!(code_points(stored), pair.stored, "the {} name is not stored in NFC", pair.label);
        for query in [pair.typed, pair.other_form] {
            let found = app.list_ids(&client, &[("q", query)]).await;
            assert!(found.contains(&id), "searching {} ({}) misses the case", pair.label, code_points(query));
        }
    }

    for (label, one, other) in SEARCH_FOLDS {
        let typed_one = app.create_case(&client, child(one)).await;
        let typed_other = app.create_case(&client, child(other)).await;
        let stored_other = typed_other["data"]["name_first"].as_str().expect("name_first is stored");
        assert_eq!(
            code_points(stored_other),
            code_points(other),
            "{label}: the stored name changed beyond NFC"
        );
        for query in [one, other] {
            let found = app.list_ids(&client, &[("q", query)]).await;
            for (case, typed) in [(&typed_one, one), (&typed_other, other)] {
                let id = case["id"].as_str().expect("a created case has an id").to_owned();
                assert!(
                    found.contains(&id),
                    "{label}: searching {} misses the case typed {}",
                    code_points(query),
                    code_points(typed)
                );
            }
        }
    }

    // Two records of one child typed two ways store identical names and are both found by
    // the full name typed either way, and no other record is.
    let sayra_a = "\u{09B8}\u{09BE}\u{09DF}\u{09B0}\u{09BE}";
    let sayra_b = "\u{09B8}\u{09BE}\u{09AF}\u{09BC}\u{09B0}\u{09BE}";
    let mut duplicates = Vec::new();
    for given in [sayra_a, sayra_b] {
        let data = with(child(given), json!({"name_last": "আক্তার", "date_of_birth": "2013-09-09"}));
        duplicates.push(app.create_case(&client, data).await);
    }
    assert_eq!(
        duplicates[0]["data"]["name_first"], duplicates[1]["data"]["name_first"],
        "the two spellings of সায়রা are stored differently"
    );
    let mut expected: Vec<String> = duplicates
        .iter()
        .map(|case| case["id"].as_str().expect("a created case has an id").to_owned())
        .collect();
    expected.sort();
    for given in [sayra_a, sayra_b] {
        let mut found = app.list_ids(&client, &[("q", &format!("{given} আক্তার"))]).await;
        found.sort();
        assert_eq!(found, expected, "searching '{} আক্তার' finds other records", code_points(given));
    }

    // Emoji in a note are kept as typed: 14 characters, 37 bytes in UTF-8.
    let note_text = "মা 👍 ভালো আছেন";
    let note = json!({"date": "2026-03-01T09:30:00+06:00", "subject": "মোমিন", "text": note_text});
    let momin = app
        .create_case(&client, with(child("মোমিন"), json!({"name_last": "শেখ", "case_notes": [note]})))
        .await;
    let stored_note = momin["data"]["case_notes"][0]["text"].as_str().expect("the note text is stored");
    assert_eq!(stored_note, note_text, "the note with an emoji changed");
    assert_eq!(stored_note.chars().count(), 14, "the stored note should be 14 code points");

    // Length limits count characters: 100 Bangla letters are 300 bytes and still fit.
    let hundred = "ক".repeat(100);
    let (status, body) = try_create(&app, &client, child(&hundred)).await;
    assert_eq!(status, StatusCode::CREATED, "a 100-character Bangla first name was rejected: {body}");
    let (status, body) = try_create(&app, &client, child(&"ক".repeat(101))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 101-character first name was accepted");
    assert_eq!(
        first_field_error(&body),
        ("too_long".to_owned(), "name_first".to_owned()),
        "a 101-character first name has the wrong error"
    );

    // Digits: one script per value, Bengali accepted, Arabic-Indic not, never guessed.
    for (age, code) in [("1৫", "mixed_digit_scripts"), ("٧", "digit_script_not_accepted")] {
        let (status, body) = try_create(&app, &client, with(child("Amina"), json!({"age": age}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "age {age:?} was accepted: {body}");
        assert_eq!(
            first_field_error(&body),
            (code.to_owned(), "age".to_owned()),
            "age {age:?} has the wrong error"
        );
    }
    let eight = app.create_case(&client, with(child("Amina"), json!({"age": " ৮ "}))).await;
    assert_eq!(eight["data"]["age"], json!(8), "age ' ৮ ' is not stored as the number 8");
}
