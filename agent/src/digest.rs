//! BLAKE2b-256, the chain's digest. Its `0x…` form, as results travel to the chain, is the API's
//! [`Hash32`].

use blake2::{digest::consts::U32, Blake2b, Digest};

pub use vcity_agent_api::Hash32;

/// BLAKE2b with a 32-byte output.
pub type Blake2b256 = Blake2b<U32>;

/// The digest of `data`.
pub fn hash_of(data: &[u8]) -> Hash32 {
	Hash32(Blake2b256::digest(data).into())
}

/// The digest of what `hasher` was fed.
pub fn finished_hash(hasher: Blake2b256) -> Hash32 {
	Hash32(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn blake2b_256_in_the_api_s_form() {
		let hash = hash_of(b"hi\n");
		let text = hash.to_string();
		assert_eq!(text, "0xde9543b2ae1b2b87434a730727db17f5ac8b8c020b84a5cb8c5fbcc1423443ba");
		assert_eq!(text.parse::<Hash32>().expect("parses"), hash);
		assert!(text[2..].parse::<Hash32>().is_err());
		assert!("0x1234".parse::<Hash32>().is_err());
	}
}
