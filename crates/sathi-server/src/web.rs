//! Serves the web client: the files `npm run build` writes to `web/dist`, embedded in release
//! builds and read from disk in debug builds, so one binary is all a deployment needs.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

/// Serves a file of the client, or the app shell for client-side routes such as `/cases/…`.
pub async fn serve_asset(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    if let Some(response) = asset_response(path) {
        return response;
    }
    // A path without a file extension is a client route; the app shell handles it.
    let is_route = !path.rsplit('/').next().unwrap_or("").contains('.');
    if is_route && let Some(response) = asset_response("index.html") {
        return response;
    }
    if Assets::get("index.html").is_none() {
        return (
            StatusCode::NOT_FOUND,
            "The web client is not built. Run `npm ci && npm run build` in web/, then restart sathi.",
        )
            .into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}

fn asset_response(path: &str) -> Option<Response> {
    let file = Assets::get(path)?;
    let mime = file.metadata.mimetype();
    // Vite puts a content hash in every file name under assets/, so those never change; the
    // shell, the manifest and the service worker must be revalidated to pick up a new release.
    let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut response = Response::new(Body::from(file.data.into_owned()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Some(response)
}
