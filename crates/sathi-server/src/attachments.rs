//! Attachments over HTTP: register an upload, append chunks, read the progress, download.
//!
//! A device registers a file with its size and SHA-256, then sends it in chunks of at most
//! 256 KiB with `Upload-Offset`. After a broken connection it requests the progress and resumes
//! from `received`. The store applies the case's scope; this layer checks the role's action
//! grants, the field's type and form access, the size limit and the content type.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sathi_domain::config::{Configuration, FieldKind};
use sathi_domain::ids::CaseId;
use sathi_domain::permissions::{Action, FormAccess};
use sathi_store::{
    Append, Attachment, AttachmentId, AttachmentStatus, AuditEntry, NewAttachment, Registration,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, ErrorBody, ErrorDetail};
use crate::state::AppState;

/// Largest chunk one `PATCH` may carry. A chunk this size crosses a slow 3G link in a few
/// seconds, so a dropped connection loses little.
pub const MAX_CHUNK_BYTES: usize = 256 * 1024;

/// The content type of a chunk, as in the tus resumable upload protocol.
pub const CHUNK_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// The header naming where a chunk starts, and where the server's copy ends in a 409 response.
pub const UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");

/// Maximum length of a stored file name, in characters.
const MAX_FILE_NAME_CHARS: usize = 200;

#[derive(Deserialize, ToSchema)]
pub struct RegisterAttachmentRequest {
    /// The attachment id the device made (UUID); the field's value lists it.
    #[schema(value_type = String, format = Uuid)]
    pub id: AttachmentId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    /// A photo, audio, document or signature field of the case.
    pub field_id: String,
    pub file_name: String,
    /// Images (JPEG, PNG, WebP, HEIC, GIF), PDF or audio, as the field's type allows.
    pub content_type: String,
    /// Length of the file in bytes, at most the deployment's `max_attachment_bytes`.
    pub size: i64,
    /// SHA-256 of the whole file, 64 hexadecimal digits.
    pub sha256: String,
}

/// An attachment's metadata and upload progress.
#[derive(Serialize, ToSchema)]
pub struct AttachmentView {
    #[schema(value_type = String, format = Uuid)]
    pub id: AttachmentId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    pub field_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Bytes the server holds; the next chunk starts here.
    pub received: i64,
    /// `uploading` or `verified`. Only `verified` means the server checked the size and hash.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub verified_at: Option<OffsetDateTime>,
}

/// The 409 response to a chunk that does not start where the server's copy ends.
#[derive(Serialize, ToSchema)]
pub struct OffsetMismatchBody {
    pub error: ErrorDetail,
    /// Bytes the server holds; send the next chunk from here.
    pub received: i64,
    pub status: String,
}

impl From<Attachment> for AttachmentView {
    fn from(attachment: Attachment) -> Self {
        AttachmentView {
            id: attachment.id,
            case_id: attachment.case_id,
            field_id: attachment.field_id,
            file_name: attachment.file_name,
            content_type: attachment.content_type,
            size: attachment.size,
            sha256: attachment.sha256,
            received: attachment.received,
            status: attachment.status.as_str().to_owned(),
            created_at: attachment.created_at,
            verified_at: attachment.verified_at,
        }
    }
}

/// Register an attachment upload, or read the progress of one registered before.
#[utoipa::path(post, path = "/attachments", tag = "attachments", request_body = RegisterAttachmentRequest,
    responses((status = 200, body = AttachmentView, description = "Registered before with the same metadata"),
        (status = 201, body = AttachmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The id is taken by an attachment with other metadata"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register_attachment(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<RegisterAttachmentRequest>,
) -> ApiResult<(StatusCode, Json<AttachmentView>)> {
    require(&caller, Action::Write)?;
    let loaded = state.configuration();
    let principal = crate::referrals::case_principal(&state, &caller.principal, request.case_id).await?;
    let kind = attachment_field(&loaded.config, &principal, &request.field_id, FormAccess::ReadWrite)
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not_an_attachment_field"))?;
    check_metadata(&loaded.config, kind, &request)?;

    let new = NewAttachment {
        id: request.id,
        case_id: request.case_id,
        field_id: request.field_id,
        file_name: clean_file_name(&request.file_name),
        content_type: request.content_type.to_ascii_lowercase(),
        size: request.size,
        sha256: request.sha256.to_ascii_lowercase(),
        now: OffsetDateTime::now_utc(),
    };
    let registration = state.store.register_attachment(&caller.principal, &new).await?;
    let Some(registration) = registration else {
        audit(&state, &caller, "attachment.upload", new.case_id, new.id, "not_found").await?;
        return Err(ApiError::not_found());
    };
    let (status, attachment) = match registration {
        Registration::Created(attachment) => {
            audit(&state, &caller, "attachment.upload", new.case_id, new.id, "ok").await?;
            (StatusCode::CREATED, attachment)
        }
        Registration::Existing(attachment) => (StatusCode::OK, attachment),
        Registration::IdTaken => {
            audit(&state, &caller, "attachment.upload", new.case_id, new.id, "id_taken").await?;
            return Err(ApiError::new(StatusCode::CONFLICT, "attachment_id_taken"));
        }
    };
    Ok((status, Json(attachment.into())))
}

/// Read an attachment's metadata and how many bytes the server holds.
#[utoipa::path(get, path = "/attachments/{id}", tag = "attachments", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = AttachmentView), (status = 404, body = ErrorBody)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<AttachmentId>,
) -> ApiResult<Json<AttachmentView>> {
    let attachment = readable(&state, &caller, id).await?;
    Ok(Json(attachment.into()))
}

/// Append a chunk at `Upload-Offset`. When the last byte arrives the server checks the size
/// and SHA-256: a match marks the attachment `verified`; a mismatch discards the bytes.
#[utoipa::path(patch, path = "/attachments/{id}", tag = "attachments",
    params(("id" = String, Path, format = Uuid),
        ("Upload-Offset" = i64, Header, description = "Where this chunk starts: the `received` of the attachment")),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream",
        description = "At most 256 KiB of the file"),
    responses((status = 200, body = AttachmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = OffsetMismatchBody, description = "The chunk does not start at `received`"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`hash_mismatch`: the bytes were discarded; upload again from 0")))]
pub async fn append_attachment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<AttachmentId>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    require(&caller, Action::Write)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("");
    if !content_type.eq_ignore_ascii_case(CHUNK_CONTENT_TYPE) {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "chunk_content_type"));
    }
    if body.len() > MAX_CHUNK_BYTES {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "chunk_too_large")
            .with("max_kib", MAX_CHUNK_BYTES / 1024));
    }
    let offset = headers
        .get(UPLOAD_OFFSET)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok())
        .filter(|offset| *offset >= 0)
        .ok_or_else(|| ApiError::bad_request("error-request_upload_offset"))?;

    // Form access first, from the metadata in read scope, so a caller who may not write this
    // field's form learns nothing more than a caller who may not see the case.
    let current = readable(&state, &caller, id).await?;
    let loaded = state.configuration();
    let principal = crate::referrals::case_principal(&state, &caller.principal, current.case_id).await?;
    if attachment_field(&loaded.config, &principal, &current.field_id, FormAccess::ReadWrite).is_none() {
        return Err(ApiError::forbidden());
    }

    let appended = state
        .store
        .append_attachment(&caller.principal, id, offset, &body, OffsetDateTime::now_utc())
        .await?;
    let Some(appended) = appended else {
        // Readable but outside the write scope.
        return Err(ApiError::forbidden());
    };
    match appended {
        Append::Stored(attachment) => {
            if attachment.status == AttachmentStatus::Verified {
                audit(&state, &caller, "attachment.verified", attachment.case_id, id, "ok").await?;
                tracing::info!(attachment_id = %id, case_id = %attachment.case_id, "attachment verified");
            }
            Ok(Json(AttachmentView::from(attachment)).into_response())
        }
        Append::WrongOffset(attachment) => Ok(offset_mismatch(&state, &caller, &attachment)),
        Append::TooLong(_) => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "chunk_past_end")),
        Append::HashMismatch(attachment) => {
            audit(&state, &caller, "attachment.verified", attachment.case_id, id, "hash_mismatch").await?;
            tracing::warn!(attachment_id = %id, case_id = %attachment.case_id, "attachment hash mismatch; bytes discarded");
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "hash_mismatch"))
        }
    }
}

/// Download the file of a verified attachment.
#[utoipa::path(get, path = "/attachments/{id}/content", tag = "attachments", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>,
            description = "The file, with its content type"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Not verified yet")))]
pub async fn attachment_content(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<AttachmentId>,
) -> ApiResult<Response> {
    let attachment = readable(&state, &caller, id).await?;
    if attachment.status != AttachmentStatus::Verified {
        return Err(ApiError::new(StatusCode::CONFLICT, "attachment_not_verified"));
    }
    let Some((attachment, bytes)) = state.store.attachment_content(&caller.principal, id).await? else {
        return Err(ApiError::not_found());
    };
    audit(&state, &caller, "attachment.download", attachment.case_id, id, "ok").await?;

    let content_type = HeaderValue::from_str(&attachment.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&attachment.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    Ok((headers, bytes).into_response())
}

fn require(caller: &Caller, action: Action) -> ApiResult<()> {
    if caller.principal.can(action) { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// Reads an attachment the caller may read: its case in read scope, its field's form readable.
/// Anything else is the same 404 as a missing attachment.
async fn readable(state: &AppState, caller: &Caller, id: AttachmentId) -> ApiResult<Attachment> {
    let Some(attachment) = state.store.attachment(&caller.principal, id, Action::Read).await? else {
        return Err(ApiError::not_found());
    };
    let loaded = state.configuration();
    let principal = crate::referrals::case_principal(state, &caller.principal, attachment.case_id).await?;
    match attachment_field(&loaded.config, &principal, &attachment.field_id, FormAccess::Read) {
        Some(_) => Ok(attachment),
        None => Err(ApiError::not_found()),
    }
}

/// Returns the type of `field_id` if it is an attachment field whose form the principal (limited
/// to the shared forms for a referral's recipient) has at least `access` to.
fn attachment_field<'c>(
    config: &'c Configuration,
    principal: &sathi_domain::principal::Principal,
    field_id: &str,
    access: FormAccess,
) -> Option<&'c FieldKind> {
    let (form, field) = config.field(field_id)?;
    let is_attachment = matches!(
        field.kind,
        FieldKind::Photo | FieldKind::Audio | FieldKind::Document | FieldKind::Signature
    );
    (is_attachment && !field.read_only && principal.form_access(&form.id) >= access).then_some(&field.kind)
}

/// Checks the size, hash and content type a device declares for a file.
fn check_metadata(
    config: &Configuration,
    kind: &FieldKind,
    request: &RegisterAttachmentRequest,
) -> ApiResult<()> {
    let max = config.deployment.max_attachment_bytes;
    if request.size <= 0 {
        return Err(ApiError::bad_request("error-request_attachment_size"));
    }
    if u64::try_from(request.size).unwrap_or(u64::MAX) > max {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "attachment_too_large")
            .with("max_mb", format_megabytes(max)));
    }
    let is_hex = request.sha256.len() == 64 && request.sha256.bytes().all(|byte| byte.is_ascii_hexdigit());
    if !is_hex {
        return Err(ApiError::bad_request("error-request_attachment_sha256"));
    }
    if !content_type_allowed(kind, &request.content_type.to_ascii_lowercase()) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "attachment_type_not_allowed"));
    }
    Ok(())
}

/// Image types phones produce. SVG is left out because it can carry script.
const IMAGE_TYPES: &[&str] =
    &["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "image/gif"];
const AUDIO_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/webm",
    "audio/wav",
    "audio/x-wav",
    "audio/amr",
    "audio/3gpp",
];

fn content_type_allowed(kind: &FieldKind, content_type: &str) -> bool {
    let image = IMAGE_TYPES.contains(&content_type);
    match kind {
        FieldKind::Photo | FieldKind::Signature => image,
        FieldKind::Audio => AUDIO_TYPES.contains(&content_type),
        FieldKind::Document => image || content_type == "application/pdf",
        _ => false,
    }
}

/// Writes a byte count in mebibytes with at most one decimal, such as `10` or `2.5`.
fn format_megabytes(bytes: u64) -> String {
    let tenths = (bytes * 10).div_ceil(1024 * 1024);
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Keeps a file name for display: control characters, path separators and quotes are replaced,
/// and the length is capped.
fn clean_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() || matches!(c, '/' | '\\' | '"') { '_' } else { c })
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() { "attachment".to_owned() } else { trimmed.to_owned() }
}

/// Builds `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>` (RFC 6266), so
/// a Bangla file name arrives intact and no name can end the header value early.
fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Renders the 409 of a chunk at the wrong offset, with the server's `received` in the body
/// and in `Upload-Offset`, so the device resumes from there.
fn offset_mismatch(state: &AppState, caller: &Caller, attachment: &Attachment) -> Response {
    let code = if attachment.status == AttachmentStatus::Verified {
        "attachment_already_verified"
    } else {
        "upload_offset_mismatch"
    };
    let params = [("received", attachment.received.to_string())];
    let body = OffsetMismatchBody {
        error: ErrorDetail {
            code: code.to_owned(),
            message: state.messages.format(caller.locale(), &format!("error-{code}"), &params),
            fields: Vec::new(),
            state: Default::default(),
        },
        received: attachment.received,
        status: attachment.status.as_str().to_owned(),
    };
    let mut response = (StatusCode::CONFLICT, Json(body)).into_response();
    response.headers_mut().insert(UPLOAD_OFFSET, HeaderValue::from(attachment.received));
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_str(caller.locale()).unwrap_or(HeaderValue::from_static("en")),
    );
    response
}

/// Appends an audit entry naming the attachment by id; never its file name.
async fn audit(
    state: &AppState,
    caller: &Caller,
    action: &str,
    case_id: CaseId,
    attachment_id: AttachmentId,
    outcome: &str,
) -> ApiResult<()> {
    state
        .store
        .audit(&AuditEntry {
            user_id: Some(caller.user.id),
            action: action.to_owned(),
            case_id: Some(case_id),
            outcome: outcome.to_owned(),
            detail: serde_json::json!({ "attachment_id": attachment_id }),
            at: OffsetDateTime::now_utc(),
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_disposition_keeps_bangla_and_quotes_out() {
        let header = content_disposition("জন্ম \"সনদ\".pdf");
        assert!(header.starts_with("attachment; filename=\"_"), "{header}");
        assert!(!header["attachment; filename=\"".len()..].contains("\";\"\""), "{header}");
        assert!(header.contains("filename*=UTF-8''%E0%A6%9C"), "{header}");
        assert!(header.is_ascii(), "{header}");
    }

    #[test]
    fn file_name_loses_separators_and_controls() {
        assert_eq!(clean_file_name("../a/b\\c\n.jpg"), ".._a_b_c_.jpg");
        assert_eq!(clean_file_name("   "), "attachment");
    }

    #[test]
    fn megabytes_are_rounded_up_to_tenths() {
        assert_eq!(format_megabytes(10 * 1024 * 1024), "10");
        assert_eq!(format_megabytes(2 * 1024 * 1024 + 1), "2.1");
    }
}
