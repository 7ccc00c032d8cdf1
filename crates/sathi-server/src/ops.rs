//! Monitoring and operations endpoints: health, Prometheus metrics, the configuration in force.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    pub version: String,
    pub config_version: i64,
}

/// Report whether the server and its database are working; for monitoring, no login needed.
#[utoipa::path(get, path = "/health", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database_ok = state.store.ping().await.is_ok();
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        Json(Health {
            status: if database_ok { "ok" } else { "database_unavailable" }.to_owned(),
            database: state.store.backend().to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            config_version: state.configuration().version,
        }),
    )
}

#[derive(Serialize, ToSchema)]
pub struct ConfigurationResponse {
    pub version: i64,
    /// Forms, lookups, locations, agencies, roles and deployment settings, every text in every
    /// locale, as in the files under `config/`.
    #[schema(value_type = Object)]
    pub configuration: serde_json::Value,
}

/// The configuration in force, which the client renders forms from.
#[utoipa::path(get, path = "/config", tag = "configuration",
    responses((status = 200, body = ConfigurationResponse), (status = 401, body = ErrorBody)))]
pub async fn configuration(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<ConfigurationResponse>> {
    let loaded = state.configuration();
    let configuration = serde_json::to_value(&loaded.config).map_err(ApiError::internal)?;
    Ok(Json(ConfigurationResponse { version: loaded.version, configuration }))
}
