//! The bearer secret in front of `/v1/`: without it, or with another one, `401` and nothing
//! happens; while the agent stops, `503`.

use axum::{
	extract::{Request, State},
	http::{header::AUTHORIZATION, HeaderMap},
	middleware::Next,
	response::{IntoResponse, Response},
};

use super::{error::ApiError, AppState};

pub async fn require_secret(State(state): State<AppState>, request: Request, next: Next) -> Response {
	let authorized = bearer_token(request.headers()).is_some_and(|token| state.secret.matches(token));
	if !authorized {
		state.metrics.unauthorized.inc();
		return ApiError::Unauthorized.into_response();
	}
	if state.shutdown.is_stopped() {
		return ApiError::ShuttingDown.into_response();
	}
	next.run(request).await
}

/// The token of `Authorization: Bearer <token>` (the scheme in any case, as RFC 9110 allows).
fn bearer_token(headers: &HeaderMap) -> Option<&[u8]> {
	let value = headers.get(AUTHORIZATION)?.as_bytes();
	let space = value.iter().position(|byte| *byte == b' ')?;
	let (scheme, token) = value.split_at(space);
	scheme.eq_ignore_ascii_case(b"bearer").then(|| token.trim_ascii())
}
