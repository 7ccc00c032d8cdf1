//! Attachment uploads and downloads: resumable chunks, offsets, hash verification, scope and
//! the size limit, on both backends.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

backend_tests!(
    upload_resumes_after_broken_connection,
    chunk_at_wrong_offset_is_rejected,
    hash_mismatch_discards_and_restarts,
    out_of_scope_attachment_reads_as_missing,
    download_only_when_verified,
    registration_is_idempotent,
    size_limit_error_in_both_languages,
    field_type_and_content_type_are_checked,
    read_only_role_downloads_but_cannot_upload,
    unreadable_form_reads_as_missing,
    audit_names_attachments_by_id_only,
    unfinished_upload_expires_and_can_restart,
);

const CHUNK: usize = 64 * 1024;

/// A file of `length` bytes that differ from chunk to chunk, so a chunk sent twice or out of
/// order changes the hash.
fn file_bytes(length: usize) -> Vec<u8> {
    (0..length).map(|index| u8::try_from((index * 7 + index / 251) % 256).expect("below 256")).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A registration of `bytes` as a JPEG photo of `case_id`.
fn photo(id: &str, case_id: &str, bytes: &[u8]) -> Value {
    json!({
        "id": id,
        "case_id": case_id,
        "field_id": "photo_child",
        "file_name": "child.jpg",
        "content_type": "image/jpeg",
        "size": bytes.len(),
        "sha256": sha256_hex(bytes),
    })
}

async fn register(app: &TestApp, client: &Client, body: &Value) -> (StatusCode, Value) {
    send(client.post(app.api("/attachments")).json(body)).await
}

async fn patch_chunk(
    app: &TestApp,
    client: &Client,
    id: &str,
    offset: usize,
    bytes: &[u8],
) -> (StatusCode, Value) {
    send(
        client
            .patch(app.api(&format!("/attachments/{id}")))
            .header("content-type", "application/offset+octet-stream")
            .header("upload-offset", offset.to_string())
            .body(bytes.to_vec()),
    )
    .await
}

/// Sends `bytes[from..]` in chunks and returns the response to the last one.
async fn upload_from(
    app: &TestApp,
    client: &Client,
    id: &str,
    bytes: &[u8],
    from: usize,
) -> (StatusCode, Value) {
    let mut offset = from;
    let mut last = (StatusCode::OK, Value::Null);
    while offset < bytes.len() {
        let end = (offset + CHUNK).min(bytes.len());
        last = patch_chunk(app, client, id, offset, &bytes[offset..end]).await;
        assert_eq!(last.0, StatusCode::OK, "chunk at {offset} failed: {}", last.1);
        offset = end;
    }
    last
}

async fn progress(app: &TestApp, client: &Client, id: &str) -> (StatusCode, Value) {
    send(client.get(app.api(&format!("/attachments/{id}")))).await
}

/// Downloads the content and returns the status, the headers and the raw bytes.
async fn download(
    app: &TestApp,
    client: &Client,
    id: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response =
        client.get(app.api(&format!("/attachments/{id}/content"))).send().await.expect("download failed");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("failed to read the download").to_vec();
    (status, headers, bytes)
}

/// Starts a server with one caseworker who owns one case; returns the app, the client and the case id.
async fn caseworker_with_case(backend: Backend) -> (TestApp, Client, String) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.a", "caseworker", AGENCY_A, "en").await;
    let client = app.login("cw.a", PASSWORD).await;
    let case = app.create_case(&client, child("Nasima")).await;
    let case_id = case["id"].as_str().expect("a created case has an id").to_owned();
    (app, client, case_id)
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn upload_resumes_after_broken_connection(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(3 * CHUNK + 1000);
    let id = new_id();

    let (status, body) = register(&app, &client, &photo(&id, &case_id, &bytes)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["received"], 0);
    assert_eq!(body["status"], "uploading");
    let (status, body) = patch_chunk(&app, &client, &id, 0, &bytes[..CHUNK]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["received"], CHUNK);
    drop(client);

    // The device comes back with a new connection and requests the progress.
    let client = app.login("cw.a", PASSWORD).await;
    let (status, body) = progress(&app, &client, &id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["received"], CHUNK);
    assert_eq!(body["status"], "uploading", "a partial upload is not synced");
    let received = usize::try_from(body["received"].as_u64().expect("received is a number")).expect("fits");

    let (_, last) = upload_from(&app, &client, &id, &bytes, received).await;
    assert_eq!(last["status"], "verified", "{last}");
    assert_eq!(last["received"], bytes.len());
    assert!(last["verified_at"].is_string(), "{last}");

    let (status, _, downloaded) = download(&app, &client, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(downloaded.len(), bytes.len());
    assert!(downloaded == bytes, "the downloaded file differs from the uploaded one");
}

async fn chunk_at_wrong_offset_is_rejected(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(2 * CHUNK);
    let id = new_id();
    register(&app, &client, &photo(&id, &case_id, &bytes)).await;
    patch_chunk(&app, &client, &id, 0, &bytes[..CHUNK]).await;

    // The same chunk again, as after a lost response: the server already holds it.
    let response = client
        .patch(app.api(&format!("/attachments/{id}")))
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "0")
        .body(bytes[..CHUNK].to_vec())
        .send()
        .await
        .expect("the request did not reach the server");
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let header = response.headers().get("upload-offset").map(|value| value.to_str().unwrap_or("").to_owned());
    assert_eq!(header.as_deref(), Some("65536"));
    let body: Value = response.json().await.expect("the 409 body is JSON");
    assert_eq!(body["error"]["code"], "upload_offset_mismatch");
    assert_eq!(body["received"], CHUNK);

    // Skipping ahead is rejected the same way.
    let (status, body) = patch_chunk(&app, &client, &id, CHUNK + 10, &bytes[CHUNK + 10..]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["received"], CHUNK);

    // A chunk longer than the rest of the registered size is rejected whole.
    let (status, body) = patch_chunk(&app, &client, &id, CHUNK, &bytes[..CHUNK + 1]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "chunk_past_end");

    // Nothing was duplicated: the rest completes the file exactly.
    let (_, last) = upload_from(&app, &client, &id, &bytes, CHUNK).await;
    assert_eq!(last["status"], "verified", "{last}");
    let (_, _, downloaded) = download(&app, &client, &id).await;
    assert!(downloaded == bytes, "the downloaded file differs from the uploaded one");

    // A verified upload takes no more bytes.
    let (status, body) = patch_chunk(&app, &client, &id, bytes.len(), b"x").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "attachment_already_verified");
}

async fn hash_mismatch_discards_and_restarts(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(CHUNK + 500);
    let id = new_id();
    register(&app, &client, &photo(&id, &case_id, &bytes)).await;

    let mut damaged = bytes.clone();
    damaged[CHUNK + 10] ^= 0xff;
    patch_chunk(&app, &client, &id, 0, &damaged[..CHUNK]).await;
    let (status, body) = patch_chunk(&app, &client, &id, CHUNK, &damaged[CHUNK..]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "hash_mismatch");

    let (_, body) = progress(&app, &client, &id).await;
    assert_eq!(body["received"], 0, "the damaged bytes are discarded");
    assert_eq!(body["status"], "uploading");
    let (status, _, _) = download(&app, &client, &id).await;
    assert_eq!(status, StatusCode::CONFLICT, "a damaged file is never served");

    let (_, last) = upload_from(&app, &client, &id, &bytes, 0).await;
    assert_eq!(last["status"], "verified", "{last}");
    let (_, _, downloaded) = download(&app, &client, &id).await;
    assert!(downloaded == bytes, "the downloaded file differs from the uploaded one");
}

async fn out_of_scope_attachment_reads_as_missing(backend: Backend) {
    let (app, owner, case_id) = caseworker_with_case(backend).await;
    app.create_user("cw.b", "caseworker", AGENCY_B, "en").await;
    let stranger = app.login("cw.b", PASSWORD).await;
    let bytes = file_bytes(1000);
    let id = new_id();
    register(&app, &owner, &photo(&id, &case_id, &bytes)).await;
    upload_from(&app, &owner, &id, &bytes, 0).await;
    let missing = new_id();

    let (hidden_status, hidden) = progress(&app, &stranger, &id).await;
    let (missing_status, absent) = progress(&app, &stranger, &missing).await;
    assert_eq!(hidden_status, StatusCode::NOT_FOUND);
    assert_eq!((hidden_status, &hidden), (missing_status, &absent));

    let (hidden_status, _, hidden) = download(&app, &stranger, &id).await;
    let (missing_status, _, absent) = download(&app, &stranger, &missing).await;
    assert_eq!(hidden_status, StatusCode::NOT_FOUND);
    assert_eq!(hidden_status, missing_status);
    assert_eq!(hidden, absent, "the bodies must be byte-identical");

    let (hidden_status, hidden) = patch_chunk(&app, &stranger, &id, 0, b"x").await;
    let (missing_status, absent) = patch_chunk(&app, &stranger, &missing, 0, b"x").await;
    assert_eq!(hidden_status, StatusCode::NOT_FOUND);
    assert_eq!((hidden_status, &hidden), (missing_status, &absent));

    // Registering a file on someone else's case is the same as on a case that does not exist.
    let (hidden_status, hidden) = register(&app, &stranger, &photo(&new_id(), &case_id, &bytes)).await;
    let (missing_status, absent) = register(&app, &stranger, &photo(&new_id(), &new_id(), &bytes)).await;
    assert_eq!(hidden_status, StatusCode::NOT_FOUND);
    assert_eq!((hidden_status, &hidden), (missing_status, &absent));
}

async fn download_only_when_verified(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(CHUNK + 1);
    let id = new_id();
    register(&app, &client, &photo(&id, &case_id, &bytes)).await;
    patch_chunk(&app, &client, &id, 0, &bytes[..CHUNK]).await;

    let (status, _, body) = download(&app, &client, &id).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let body: Value = serde_json::from_slice(&body).expect("the error is JSON");
    assert_eq!(body["error"]["code"], "attachment_not_verified");

    // Every byte arrived, but it counts only once the server checked size and hash.
    let (_, last) = patch_chunk(&app, &client, &id, CHUNK, &bytes[CHUNK..]).await;
    assert_eq!(last["status"], "verified");
    let (status, headers, downloaded) = download(&app, &client, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(downloaded == bytes, "the downloaded file differs from the uploaded one");
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    let disposition = headers["content-disposition"].to_str().expect("the header is ASCII");
    assert!(disposition.starts_with("attachment; filename=\"child.jpg\""), "{disposition}");
}

async fn registration_is_idempotent(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(CHUNK * 2);
    let id = new_id();
    let registration = photo(&id, &case_id, &bytes);
    let (status, _) = register(&app, &client, &registration).await;
    assert_eq!(status, StatusCode::CREATED);
    patch_chunk(&app, &client, &id, 0, &bytes[..CHUNK]).await;

    let (status, body) = register(&app, &client, &registration).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["received"], CHUNK, "a repeated registration returns the progress");

    let mut other = registration.clone();
    other["sha256"] = json!(sha256_hex(b"another file"));
    let (status, body) = register(&app, &client, &other).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "attachment_id_taken");
}

async fn size_limit_error_in_both_languages(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    app.create_user("cw.bn", "caseworker", AGENCY_A, "bn").await;
    let bangla = app.login("cw.bn", PASSWORD).await;
    let bangla_case = app.create_case(&bangla, child("Rahima")).await;
    let bangla_case_id = bangla_case["id"].as_str().expect("a created case has an id");
    let too_large = |case: &str| {
        let mut body = photo(&new_id(), case, b"x");
        body["size"] = json!(10 * 1024 * 1024 + 1);
        body
    };

    let (status, body) = register(&app, &client, &too_large(&case_id)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "attachment_too_large");
    assert_eq!(body["error"]["message"], "The file is too large. The largest file allowed is 10 MB.");

    let (status, body) = register(&app, &bangla, &too_large(bangla_case_id)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["message"], "ফাইলটি খুব বড়। সর্বোচ্চ ১০ এমবি পর্যন্ত ফাইল দেওয়া যায়।");

    // Exactly the limit is accepted.
    let mut at_limit = photo(&new_id(), &case_id, b"x");
    at_limit["size"] = json!(10 * 1024 * 1024);
    let (status, body) = register(&app, &client, &at_limit).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // A chunk larger than 256 KiB is rejected before it is stored.
    let id = at_limit["id"].as_str().expect("the id is a string");
    let (status, body) = patch_chunk(&app, &client, id, 0, &vec![0; 256 * 1024 + 1]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "chunk_too_large");
}

async fn field_type_and_content_type_are_checked(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(100);

    let mut text_field = photo(&new_id(), &case_id, &bytes);
    text_field["field_id"] = json!("name_first");
    let (status, body) = register(&app, &client, &text_field).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "not_an_attachment_field");

    let mut script = photo(&new_id(), &case_id, &bytes);
    script["content_type"] = json!("image/svg+xml");
    let (status, body) = register(&app, &client, &script).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "attachment_type_not_allowed");

    let mut pdf = photo(&new_id(), &case_id, &bytes);
    pdf["field_id"] = json!("documents");
    pdf["content_type"] = json!("application/pdf");
    let (status, body) = register(&app, &client, &pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let id = pdf["id"].as_str().expect("the id is a string");
    let (status, body) = send(
        client
            .patch(app.api(&format!("/attachments/{id}")))
            .header("content-type", "application/octet-stream")
            .header("upload-offset", "0")
            .body(bytes.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!(body["error"]["code"], "chunk_content_type");
}

async fn read_only_role_downloads_but_cannot_upload(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    app.create_user("admin.a", "agency_admin", AGENCY_A, "en").await;
    let admin = app.login("admin.a", PASSWORD).await;
    let bytes = file_bytes(1000);
    let id = new_id();
    register(&app, &client, &photo(&id, &case_id, &bytes)).await;

    let (status, body) = patch_chunk(&app, &admin, &id, 0, &bytes).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = register(&app, &admin, &photo(&new_id(), &case_id, &bytes)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    upload_from(&app, &client, &id, &bytes, 0).await;
    let (status, _, downloaded) = download(&app, &admin, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(downloaded == bytes, "the downloaded file differs from the uploaded one");
}

/// A service provider with an open referral reads the case, but the role may not read the
/// attachments form, so its files answer like missing ones.
async fn unreadable_form_reads_as_missing(backend: Backend) {
    let (app, owner, case_id) = caseworker_with_case(backend).await;
    let owner_id = app
        .state
        .store
        .user_by_username("cw.a")
        .await
        .expect("the owner loads")
        .expect("the owner exists")
        .id;
    let provider = app.create_user("sp.a", "service_provider", AGENCY_A, "en").await;
    let case = sathi_domain::ids::CaseId(case_id.parse().expect("the case id is a UUID"));
    app.state
        .store
        .insert_referral_row(
            &sathi_store::NewReferral {
                id: sathi_domain::ids::ReferralId(uuid::Uuid::now_v7()),
                case_id: case,
                from_user_id: owner_id,
                to_user_id: provider.id,
                to_agency_id: AGENCY_A.to_owned(),
                service_type: "health".to_owned(),
                status: "accepted".to_owned(),
                shared_forms: Vec::new(),
                now: time::OffsetDateTime::now_utc(),
            },
            AGENCY_A,
            "internal",
        )
        .await
        .expect("failed to create a referral");
    let provider_client = app.login("sp.a", PASSWORD).await;
    let (status, _) = send(provider_client.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(status, StatusCode::OK, "the referred provider reads the case");

    let bytes = file_bytes(1000);
    let id = new_id();
    register(&app, &owner, &photo(&id, &case_id, &bytes)).await;
    upload_from(&app, &owner, &id, &bytes, 0).await;

    let (hidden_status, hidden) = progress(&app, &provider_client, &id).await;
    let (missing_status, absent) = progress(&app, &provider_client, &new_id()).await;
    assert_eq!(hidden_status, StatusCode::NOT_FOUND);
    assert_eq!((hidden_status, &hidden), (missing_status, &absent));
    let (status, _, _) = download(&app, &provider_client, &id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn audit_names_attachments_by_id_only(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(1000);
    let id = new_id();
    let mut registration = photo(&id, &case_id, &bytes);
    registration["file_name"] = json!("Nasima Akter.jpg");
    register(&app, &client, &registration).await;
    upload_from(&app, &client, &id, &bytes, 0).await;
    download(&app, &client, &id).await;

    let case = sathi_domain::ids::CaseId(case_id.parse().expect("the case id is a UUID"));
    let entries = app.state.store.audit_entries(Some(case), 100).await.expect("failed to read the audit log");
    for action in ["attachment.upload", "attachment.verified", "attachment.download"] {
        let entry = entries
            .iter()
            .find(|entry| entry.action == action)
            .unwrap_or_else(|| panic!("no {action} entry in the audit log"));
        assert_eq!(entry.outcome, "ok");
        assert_eq!(entry.detail, json!({ "attachment_id": id }));
    }
    let logged = serde_json::to_string(&entries.iter().map(|entry| &entry.detail).collect::<Vec<_>>())
        .expect("details serialise");
    assert!(!logged.contains("Nasima"), "the audit log holds a file name: {logged}");
}

/// An upload left half-done for longer than a device may stay offline is deleted by the hourly
/// purge; a verified file is kept, and the device that still holds the half-done file registers
/// it again and completes it.
async fn unfinished_upload_expires_and_can_restart(backend: Backend) {
    let (app, client, case_id) = caseworker_with_case(backend).await;
    let bytes = file_bytes(3 * CHUNK);
    let unfinished = new_id();
    assert_eq!(register(&app, &client, &photo(&unfinished, &case_id, &bytes)).await.0, StatusCode::CREATED);
    assert_eq!(patch_chunk(&app, &client, &unfinished, 0, &bytes[..CHUNK]).await.0, StatusCode::OK);
    let done = new_id();
    let small = file_bytes(1000);
    assert_eq!(register(&app, &client, &photo(&done, &case_id, &small)).await.0, StatusCode::CREATED);
    assert_eq!(upload_from(&app, &client, &done, &small, 0).await.1["status"], "verified");

    let soon = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let purged = sathi_server::retention::purge_once(&app.state, soon).await.expect("purge");
    assert_eq!(purged.uploads, 0, "an upload younger than the retention was deleted");
    let later = time::OffsetDateTime::now_utc()
        + sathi_server::retention::MUTATION_RETENTION
        + time::Duration::days(1);
    let purged = sathi_server::retention::purge_once(&app.state, later).await.expect("purge");
    assert_eq!(purged.uploads, 1, "the half-done upload was not the only one deleted");
    // The purge as of that later day also ended the session, which had expired by then.
    let client = app.login("cw.a", PASSWORD).await;

    assert_eq!(progress(&app, &client, &unfinished).await.0, StatusCode::NOT_FOUND);
    let (status, kept) = progress(&app, &client, &done).await;
    assert_eq!(status, StatusCode::OK, "the verified file was deleted: {kept}");
    assert_eq!(kept["status"], "verified");

    let (status, again) = register(&app, &client, &photo(&unfinished, &case_id, &bytes)).await;
    assert_eq!(status, StatusCode::CREATED, "the expired upload could not be registered again: {again}");
    assert_eq!(again["received"], 0, "the expired upload kept bytes");
    assert_eq!(upload_from(&app, &client, &unfinished, &bytes, 0).await.1["status"], "verified");
}
