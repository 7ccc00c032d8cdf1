//! Errors as the API returns them: a stable code, the field paths, and a message in the
//! caller's language. The operator's log gets the cause; the response never does.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sathi_domain::config::Configuration;
use sathi_domain::i18n::Messages;
use sathi_domain::validation::FieldError;
use sathi_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error before translation. It travels to the `localize_errors` middleware as a response
/// extension, which renders it once the caller's locale is known.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub params: Vec<(&'static str, String)>,
    pub fields: Vec<FieldError>,
    /// The Fluent message id of the message, when it is not `error-<code>`.
    pub message_id: Option<&'static str>,
    /// Machine-readable facts about a lost compare-and-set or a duplicate, sent beside the code.
    /// Boxed to keep `ApiResult` small.
    pub state: Box<ErrorState>,
}

/// The current state of a record that made a request fail, for the client to act on.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ErrorState {
    /// The record's status now, after a transition that expected another one (`state_changed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_status: Option<String>,
    /// The record's version now (`state_changed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// The id of the existing record that blocks a new one (`approval_pending`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
    /// When the caller stopped owning the case, RFC 3339 (`not_owner_since`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        ApiError {
            status,
            code,
            params: Vec::new(),
            fields: Vec::new(),
            message_id: None,
            state: Box::default(),
        }
    }

    /// A compare-and-set transition lost: 409 `state_changed` with the record's status and
    /// version now. When the status is still `expected_status`, only the version moved on, and
    /// the message asks for a reload instead of naming the unchanged status.
    pub fn state_changed(current_status: &str, version: i64, expected_status: &str) -> Self {
        let mut error = Self::new(StatusCode::CONFLICT, "state_changed").with("status", current_status);
        error.state.current_status = Some(current_status.to_owned());
        error.state.version = Some(version);
        if current_status == expected_status {
            error = error.with_message("error-state_changed_version");
        }
        error
    }

    /// Renders the message from the Fluent message `id` in place of `error-<code>`, for a code
    /// that needs a different message in another situation.
    pub fn with_message(mut self, id: &'static str) -> Self {
        self.message_id = Some(id);
        self
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// "Not found" and "not permitted to see" are the same answer, so no caller can probe
    /// for records outside their scope.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden")
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated")
    }

    /// Returns 400 `invalid_parameter` for the query parameter `name` set to `value`. The
    /// message lists the values `allowed`.
    pub fn invalid_parameter(name: &'static str, value: &str, allowed: &[&str]) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_parameter")
            .with("name", name)
            .with("value", value)
            .with("allowed", allowed.join(", "))
    }

    pub fn bad_request(message_id: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request").with_message(message_id)
    }

    /// 422 `text_too_long` for the free text `field` over `max` characters. The message names
    /// the field for `comment`, `flag_text`, `note` and `reason`, and "the text" for any other.
    pub fn text_too_long(field: &'static str, max: usize) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "text_too_long").with("field", field).with("max", max)
    }

    /// A request body over [`crate::MAX_BODY_BYTES`], counted on the wire or decompressed.
    pub fn payload_too_large() -> Self {
        Self::payload_too_large_of(crate::MAX_BODY_BYTES)
    }

    /// A request body over `max_bytes`, the limit of a route that takes larger bodies.
    pub fn payload_too_large_of(max_bytes: usize) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            .with("max_mb", max_bytes / (1024 * 1024))
    }

    pub fn validation(fields: Vec<FieldError>) -> Self {
        ApiError { fields, ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed") }
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::now_v7().simple().to_string()[20..].to_owned();
        tracing::error!(%reference, %error, "request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error").with("reference", reference)
    }

    /// Renders the JSON body in `locale`.
    pub fn render(&self, messages: &Messages, locale: &str) -> ErrorBody {
        self.render_with(messages, locale, None)
    }

    /// Renders the JSON body in `locale`; with the configuration, allowed options are listed
    /// by their labels in that locale rather than by id.
    pub fn render_with(
        &self,
        messages: &Messages,
        locale: &str,
        config: Option<&Configuration>,
    ) -> ErrorBody {
        let params: Vec<(&str, String)> =
            self.params.iter().map(|(name, value)| (*name, value.clone())).collect();
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: match self.message_id {
                    Some(id) => messages.format(locale, id, &params),
                    None => messages.format(locale, &format!("error-{}", self.code), &params),
                },
                fields: self
                    .fields
                    .iter()
                    .map(|field| render_field(messages, locale, config, field))
                    .collect(),
                state: (*self.state).clone(),
            },
        }
    }
}

pub(crate) fn render_field(
    messages: &Messages,
    locale: &str,
    config: Option<&Configuration>,
    field: &FieldError,
) -> FieldErrorBody {
    let lookup = field.params.get("lookup").and_then(|id| config.and_then(|config| config.lookup(id)));
    let mut params: Vec<(&str, String)> = Vec::new();
    for (name, value) in &field.params {
        let shown = match (name.as_str(), lookup) {
            ("expected", _) => messages.format(locale, &format!("type-{value}"), &[]),
            ("min_level", _) => messages.format(locale, &format!("level-{value}"), &[]),
            ("scripts", _) => value
                .split(", ")
                .map(|script| messages.format(locale, &format!("script-{script}"), &[]))
                .collect::<Vec<_>>()
                .join(", "),
            ("allowed", Some(lookup)) => {
                let labels: Vec<&str> =
                    lookup.options.iter().map(|option| option.label.get(locale)).collect();
                labels.join(", ")
            }
            _ => value.clone(),
        };
        params.push((name.as_str(), shown));
    }
    FieldErrorBody {
        code: field.code.clone(),
        path: field.path.clone(),
        message: messages.format(locale, &format!("error-{}", field.code), &params),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, such as `validation_failed` or `not_found`.
    pub code: String,
    /// The message in the caller's language.
    pub message: String,
    /// One entry per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorBody>,
    #[serde(flatten)]
    pub state: ErrorState,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldErrorBody {
    pub code: String,
    /// Field path: `name_first`, or `family_members/<row id>/relation` inside a subform.
    pub path: String,
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, Json(serde_json::json!({"error": {"code": self.code}}))).into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::VersionConflict => Self::new(StatusCode::CONFLICT, "version_conflict"),
            other => Self::internal(other),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose parse errors come back as `invalid_request` in the caller's language.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A path parameter; a malformed id gets the same error as a missing record.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query parameters whose parse errors come back as `invalid_request`.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection;
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE || exceeds_body_limit(&rejection) {
            return ApiError::payload_too_large();
        }
        match &rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::bad_request("error-request_not_json"),
            JsonRejection::JsonSyntaxError(_) => ApiError::bad_request("error-request_json_invalid"),
            _ => unreadable_request(None, &rejection.body_text()),
        }
    }
}

/// Returns 400 `invalid_request` for a request part that serde could not read. The message is in
/// the reader's language, built from the parts of serde's English text: the field or parameter,
/// and for an unknown value the values allowed. `prefix` names the part, such as `mapping`.
pub fn unreadable_request(prefix: Option<&str>, detail: &str) -> ApiError {
    // axum puts its own sentence before serde's text, which may start with the path.
    let detail = [
        "Failed to deserialize the JSON body into the target type: ",
        "Failed to deserialize query string: ",
    ]
    .iter()
    .find_map(|start| detail.strip_prefix(start))
    .unwrap_or(detail);

    let (path, message) = match detail.split_once(": ") {
        Some((path, message)) if !path.contains(' ') => (Some(path).filter(|path| *path != "."), message),
        _ => (None, detail),
    };
    let named = |name: Option<&str>| match (prefix, name) {
        (Some(prefix), Some(name)) => format!("{prefix}.{name}"),
        (Some(prefix), None) => prefix.to_owned(),
        (None, Some(name)) => name.to_owned(),
        (None, None) => String::new(),
    };
    // The names and values serde quotes in backticks, in order.
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();

    let error = ApiError::new(StatusCode::BAD_REQUEST, "invalid_request");
    for (start, message_id) in
        [("missing field", "error-request_field_missing"), ("unknown field", "error-request_field_unknown")]
    {
        if message.starts_with(start) && !quoted.is_empty() {
            let field = match path {
                Some(path) => format!("{path}.{}", quoted[0]),
                None => quoted[0].to_owned(),
            };
            return error.with_message(message_id).with("field", named(Some(&field)));
        }
    }
    if message.starts_with("unknown variant") && !quoted.is_empty() {
        let field = named(path);
        let error = if field.is_empty() {
            error.with_message("error-request_value_not_allowed")
        } else {
            error.with_message("error-request_value_unknown").with("field", field)
        };
        return error.with("value", quoted[0]).with("allowed", quoted[1..].join(", "));
    }
    let field = named(path);
    if field.is_empty() {
        error.with_message("error-request_unreadable")
    } else {
        error.with_message("error-request_field_unreadable").with("field", field)
    }
}

/// Returns whether reading the body stopped at the body limit. A body sent in chunks has no
/// Content-Length, so the limit layer only stops it while it is read, and axum reports that as a
/// failure to buffer the body (400) rather than as 413.
fn exceeds_body_limit(rejection: &axum::extract::rejection::JsonRejection) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(rejection);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        ApiError::not_found()
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        unreadable_request(None, &rejection.body_text())
    }
}

/// Cleans a free text that people write on a case with [`sathi_domain::text::clean_free_text`]
/// (NFC, no control characters except newline and tab, no bidi embedding characters) and treats
/// an empty one as absent. A text longer than `max` characters is 422 `text_too_long` naming
/// `field`.
pub fn clean_free_text(raw: Option<&str>, max: usize, field: &'static str) -> ApiResult<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    sathi_domain::text::clean_free_text(raw, max).map_err(|max| ApiError::text_too_long(field, max))
}
