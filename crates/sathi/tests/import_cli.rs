//! `sathi import`, run as the built binary on a temporary SQLite database with the worked
//! example `bangla-digits-import.csv`.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `sathi <arguments> --data-dir <data_dir>` with `SATHI_PASSWORD` set, and returns its output.
fn run(data_dir: &Path, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sathi"))
        .args(arguments)
        .arg("--data-dir")
        .arg(data_dir)
        .env("SATHI_LOG", "warn")
        .env("SATHI_PASSWORD", "a long test password")
        .env_remove("SATHI_DATABASE_URL")
        .env_remove("SATHI_DATA_DIR")
        .output()
        .expect("the sathi binary starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn add_user(data_dir: &Path, username: &str, role: &str) {
    let added = run(
        data_dir,
        &[
            "user",
            "add",
            "--username",
            username,
            "--full-name",
            "Test user",
            "--agency",
            "lli",
            "--role",
            role,
        ],
    );
    assert!(added.status.success(), "adding {username} failed: {}", text(&added.stderr));
}

#[test]
fn cli_import_checks_then_imports() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let data_dir = directory.path().join("data");
    add_user(&data_dir, "admin.mizan", "agency_admin");
    add_user(&data_dir, "cw.rahima", "caseworker");

    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../sathi-server/tests/data/bangla-digits-import.csv");
    let mapping = directory.path().join("mapping.json");
    std::fs::write(
        &mapping,
        r#"{"columns": [
            {"column": "full_name_bn", "field": "name_first"},
            {"column": "sex", "field": "sex"},
            {"column": "age_years", "field": "age"},
            {"column": "date_of_birth", "field": "date_of_birth"},
            {"column": "household_size", "field": "household_size"},
            {"column": "phone", "field": "phone"}
        ], "external_id_column": "case_ref", "owner": "cw.rahima"}"#,
    )
    .expect("the mapping is written");
    let report = directory.path().join("report.csv");
    let arguments = |dry_run: bool| {
        let mut list = vec![
            "import",
            "--username",
            "admin.mizan",
            "--format",
            "csv",
            "--mapping",
            mapping.to_str().expect("UTF-8 path"),
            "--report",
            report.to_str().expect("UTF-8 path"),
        ];
        if dry_run {
            list.push("--dry-run");
        }
        list.push(example.to_str().expect("UTF-8 path"));
        list
    };

    let checked = run(&data_dir, &arguments(true));
    assert!(checked.status.success(), "the dry run failed: {}", text(&checked.stderr));
    assert!(
        text(&checked.stdout).contains("Dry run: 4 created, 0 updated, 0 unchanged, 3 rejected."),
        "{}",
        text(&checked.stdout)
    );
    assert!(!text(&checked.stdout).contains("Import:"), "a dry run imported: {}", text(&checked.stdout));
    assert!(text(&checked.stderr).contains("Checked 7 of 7 rows"), "no progress: {}", text(&checked.stderr));

    let imported = run(&data_dir, &arguments(false));
    assert!(!imported.status.success(), "rejected rows must make the exit status fail");
    assert!(
        text(&imported.stdout).contains("Import: 4 created, 0 updated, 0 unchanged, 3 rejected."),
        "{}",
        text(&imported.stdout)
    );
    let written = std::fs::read_to_string(&report).expect("the report was written");
    assert!(written.starts_with('\u{feff}'), "the report has no byte order mark");
    assert!(written.contains("IMP-007"), "the report lacks row 7: {written}");

    let again = run(&data_dir, &arguments(false));
    assert!(
        text(&again.stdout).contains("Import: 0 created, 0 updated, 4 unchanged, 3 rejected."),
        "the same file imported twice changed cases: {}",
        text(&again.stdout)
    );
}
