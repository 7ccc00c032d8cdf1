//! `docs/openapi.json` is the OpenAPI document generated from the handlers. This test fails
//! when the committed file differs from what the code generates; regenerate it with
//! `SATHI_UPDATE_DOCS=1 cargo test -p sathi-server --test openapi_file`.

use std::path::PathBuf;

#[test]
fn committed_openapi_document_matches_code() {
    let generated =
        sathi_server::openapi_document().to_pretty_json().expect("the document serialises") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var_os("SATHI_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().expect("docs has a parent"))
            .expect("docs folder can be created");
        std::fs::write(&path, &generated).expect("docs/openapi.json can be written");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date; regenerate it with \
         SATHI_UPDATE_DOCS=1 cargo test -p sathi-server --test openapi_file"
    );
}
