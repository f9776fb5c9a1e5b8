//! Counts every request by route (the pattern, not the path, so ids do not multiply series) and
//! status, for `/metrics`.

use axum::{
	extract::{MatchedPath, Request, State},
	middleware::Next,
	response::Response,
};
use std::sync::Arc;

use crate::metrics::Metrics;

pub async fn count_requests(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
	let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
	let response = next.run(request).await;
	metrics.count_request(&route, response.status().as_u16());
	response
}
