//! BLAKE2b-256, the chain's digest, and its `0x…` hex form as results travel to the chain.

use blake2::{digest::consts::U32, Blake2b, Digest};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::{fmt, str::FromStr};

/// BLAKE2b with a 32-byte output.
pub type Blake2b256 = Blake2b<U32>;

/// A 32-byte digest, written as `0x` and 64 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hash32(pub [u8; 32]);

impl Hash32 {
	pub fn of(data: &[u8]) -> Self {
		Self(Blake2b256::digest(data).into())
	}

	pub fn finish(hasher: Blake2b256) -> Self {
		Self(hasher.finalize().into())
	}
}

impl fmt::Display for Hash32 {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "0x{}", hex::encode(self.0))
	}
}

#[derive(Debug, thiserror::Error)]
pub enum ParseHashError {
	#[error("a 32-byte hash is written 0x and 64 hex digits")]
	MissingPrefix,
	#[error("a 32-byte hash is written 0x and 64 hex digits: {0}")]
	Hex(#[from] hex::FromHexError),
}

impl FromStr for Hash32 {
	type Err = ParseHashError;

	fn from_str(text: &str) -> Result<Self, Self::Err> {
		let digits = text.strip_prefix("0x").ok_or(ParseHashError::MissingPrefix)?;
		let mut bytes = [0u8; 32];
		hex::decode_to_slice(digits, &mut bytes)?;
		Ok(Self(bytes))
	}
}

impl Serialize for Hash32 {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(self)
	}
}

impl<'de> Deserialize<'de> for Hash32 {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = String::deserialize(deserializer)?;
		text.parse().map_err(de::Error::custom)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_form_round_trips_and_rejects_other_shapes() {
		let hash = Hash32::of(b"hi\n");
		let text = hash.to_string();
		assert_eq!(text, "0xde9543b2ae1b2b87434a730727db17f5ac8b8c020b84a5cb8c5fbcc1423443ba");
		assert_eq!(text.parse::<Hash32>().expect("parses"), hash);
		assert!(text[2..].parse::<Hash32>().is_err());
		assert!("0x1234".parse::<Hash32>().is_err());
	}
}
