//! The 32-byte digests the API carries: a task's result and a container's command hash.

use alloc::string::String;
use core::{fmt, str::FromStr};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A 32-byte digest (BLAKE2b-256, the chain's), written `0x` and 64 hex digits: lowercase when
/// written, either case when read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hash32(pub [u8; 32]);

impl fmt::Display for Hash32 {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("0x")?;
		self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
	}
}

/// Text that is not `0x` and 64 hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseHashError;

impl fmt::Display for ParseHashError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("a 32-byte hash is written 0x and 64 hex digits")
	}
}

impl core::error::Error for ParseHashError {}

impl FromStr for Hash32 {
	type Err = ParseHashError;

	fn from_str(text: &str) -> Result<Self, Self::Err> {
		let digits = text.strip_prefix("0x").filter(|digits| digits.len() == 64).ok_or(ParseHashError)?;
		let mut bytes = [0u8; 32];
		for (byte, pair) in bytes.iter_mut().zip(digits.as_bytes().chunks(2)) {
			let high = hex_value(pair[0]).ok_or(ParseHashError)?;
			let low = hex_value(pair[1]).ok_or(ParseHashError)?;
			*byte = (high << 4) | low;
		}
		Ok(Self(bytes))
	}
}

fn hex_value(digit: u8) -> Option<u8> {
	match digit {
		b'0'..=b'9' => Some(digit - b'0'),
		b'a'..=b'f' => Some(digit - b'a' + 10),
		b'A'..=b'F' => Some(digit - b'A' + 10),
		_ => None,
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
	use alloc::{format, string::ToString};

	#[test]
	fn hex_form_round_trips_and_rejects_other_shapes() {
		let mut bytes = [0u8; 32];
		bytes.iter_mut().zip(0u8..).for_each(|(byte, i)| *byte = i.wrapping_mul(37));
		let hash = Hash32(bytes);
		let text = hash.to_string();
		assert_eq!(text.len(), 66);
		assert_eq!(text.parse::<Hash32>(), Ok(hash));
		assert_eq!(text.to_uppercase().replacen("0X", "0x", 1).parse::<Hash32>(), Ok(hash));
		for other in
			[&text[2..], "0x1234", &format!("0x{}", "zz".repeat(32)), &format!("0x{}é", "a".repeat(62))]
		{
			assert_eq!(other.parse::<Hash32>(), Err(ParseHashError), "{other}");
		}
	}
}
