//! Parameters several modules take: SS58 addresses, pages and names of enum variants.

use crate::invalid;
use jsonrpsee::types::error::ErrorObjectOwned;
use serde::{
	de::{value::Error as NameError, DeserializeOwned, IntoDeserializer},
	Deserialize, Serialize,
};
use sp_core::crypto::{AccountId32, Ss58Codec};

/// Items per page when the caller does not say.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// Most items per page.
pub const MAX_PAGE_LIMIT: u32 = 500;

/// Which page: start at the node or task id `cursor`, at most `limit` items (default 50, max
/// 500).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageJson {
	pub cursor: Option<u64>,
	pub limit: Option<u32>,
}

/// Checks the page size.
pub fn page_limit(page: &Option<PageJson>) -> Result<u32, ErrorObjectOwned> {
	let limit = page.as_ref().and_then(|p| p.limit).unwrap_or(DEFAULT_PAGE_LIMIT);
	if limit == 0 || limit > MAX_PAGE_LIMIT {
		return Err(invalid(format!("page limit must be 1..={MAX_PAGE_LIMIT}, got {limit}")));
	}
	Ok(limit)
}

/// Reads the SS58 address a parameter gives as `role` (an account, an owner), or names what
/// was wrong with it.
pub fn parse_ss58(role: &str, value: &str) -> Result<AccountId32, ErrorObjectOwned> {
	AccountId32::from_ss58check(value)
		.map_err(|_| invalid(format!("{role} {value:?} is not an SS58 address")))
}

/// Reads an account's SS58 address.
pub fn parse_account(value: &str) -> Result<AccountId32, ErrorObjectOwned> {
	parse_ss58("account", value)
}

/// Reads the variant of an enum that `name` names in the JSON (`"online"`), with the names the
/// type renders itself with, or names what was wrong: `unknown status "sleeping"`.
pub fn parse_name<T: DeserializeOwned>(what: &str, name: &str) -> Result<T, ErrorObjectOwned> {
	T::deserialize(name.into_deserializer())
		.map_err(|_: NameError| invalid(format!("unknown {what} {name:?}")))
}
