//! `sathi config export-locations` and `sathi config import-locations`, run as the built binary
//! on a temporary SQLite database.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `sathi config <arguments> --data-dir <data_dir>` and returns its output.
fn run_config(data_dir: &Path, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sathi"))
        .arg("config")
        .args(arguments)
        .arg("--data-dir")
        .arg(data_dir)
        .env("SATHI_LOG", "warn")
        .env_remove("SATHI_DATABASE_URL")
        .env_remove("SATHI_DATA_DIR")
        .output()
        .expect("the sathi binary starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn locations_export_edit_import() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let data_dir = directory.path().join("data");
    let csv_path = directory.path().join("locations.csv");
    let csv_file = csv_path.to_str().expect("the path is UTF-8");

    let exported = run_config(&data_dir, &["export-locations", csv_file]);
    assert!(exported.status.success(), "the export failed: {}", text(&exported.stderr));
    assert!(
        text(&exported.stdout).starts_with("Exported 332 locations of configuration version 1"),
        "{}",
        text(&exported.stdout)
    );

    let mut csv = std::fs::read_to_string(&csv_path).expect("the export was written");
    csv.push_str("BD-CTG-CXB-UKH-C01E-Z,block,BD-CTG-CXB-UKH-C01E,Block Z,ব্লক জেড\n");
    std::fs::write(&csv_path, &csv).expect("the edited file is written");
    let imported = run_config(&data_dir, &["import-locations", csv_file]);
    assert!(imported.status.success(), "the import failed: {}", text(&imported.stderr));
    assert!(text(&imported.stdout).starts_with("Imported 333 locations from"), "{}", text(&imported.stdout));
    assert!(text(&imported.stdout).contains("as configuration version 2"), "{}", text(&imported.stdout));

    csv.push_str("BD-CTG-CXB-UKH-C01E-Y,block,BD-CTG-CXB-UKH-C01E,Block Y,\n");
    std::fs::write(&csv_path, &csv).expect("the bad file is written");
    let rejected = run_config(&data_dir, &["import-locations", csv_file]);
    assert!(!rejected.status.success(), "a file with an empty Bangla name was imported");
    let errors = text(&rejected.stderr);
    assert!(errors.contains("Row 334, column name_bn: the name is empty."), "{errors}");
    assert!(errors.contains("The locations file has 1 problem"), "{errors}");

    let json_path = directory.path().join("locations.json");
    let exported = run_config(&data_dir, &["export-locations", json_path.to_str().unwrap()]);
    assert!(exported.status.success(), "the JSON export failed: {}", text(&exported.stderr));
    assert!(
        text(&exported.stdout).starts_with("Exported 333 locations of configuration version 2"),
        "{}",
        text(&exported.stdout)
    );

    let unknown = run_config(&data_dir, &["import-locations", "locations.txt"]);
    assert!(!unknown.status.success(), "a file of unknown format was read");
    assert!(text(&unknown.stderr).contains("name the file .csv or .json"), "{}", text(&unknown.stderr));
}
