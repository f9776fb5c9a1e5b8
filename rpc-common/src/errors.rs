//! The errors every module answers with.

use jsonrpsee::types::error::{ErrorObject, ErrorObjectOwned};

/// JSON-RPC error codes of the `vcity_*` methods.
pub mod codes {
	/// A parameter is malformed: not a DID or SS58 address, an unknown name, a page out of bounds.
	pub const INVALID_PARAMS: i32 = -32602;
	/// The runtime API call failed.
	pub const RUNTIME_ERROR: i32 = 1;
}

/// An `INVALID_PARAMS` error with `message`.
pub fn invalid(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(codes::INVALID_PARAMS, message, None::<()>)
}

/// A `RUNTIME_ERROR` error: the runtime API call failed.
pub fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(codes::RUNTIME_ERROR, format!("runtime API call failed: {e}"), None::<()>)
}
