//! What every `vcity_*` JSON-RPC module shares, so that none depends on another's.
//!
//! The modules answer from their pallet's runtime API at the best block (or `at`), in JSON made
//! for JavaScript clients: amounts are decimal strings (VCAI has 18 decimals, far past what a JS
//! number holds), accounts SS58 addresses, enums lowerCamel strings. How primitives types render
//! lives beside them (`vcity_primitives::json`); this crate holds the parameters, the errors and
//! the reading of the client.

mod chain;
mod errors;
mod params;

pub use chain::ChainReader;
pub use errors::{codes, invalid, runtime_error};
pub use params::{
	page_limit, parse_account, parse_name, parse_ss58, PageJson, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT,
};

/// Bytes the chain keeps as text (DIDs, region codes, model names), for JSON.
pub fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests;
