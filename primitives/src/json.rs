//! How the runtime's figures render in JSON for clients (the RPC): 128-bit amounts, weights and
//! points as decimal strings. They pass 2^53, past which a JavaScript number rounds, long before
//! they are large, and a string keeps every digit.
//!
//! Use with `#[serde(with = "crate::json::decimal")]` (or `decimal_option` for an `Option`).
//! The types the RPC returns as they are render with `rename_all = "camelCase"`: fields and enum
//! variants in lowerCamel, the names JavaScript clients and `docs/rpc.md` use. Types that also
//! make up genesis JSON (`BuybackParams`, `RewardsParams`) keep that shape, and the RPC crates
//! convert them.

use core::str::FromStr;
use serde::de::Error;

/// A number as a decimal string: `"1000000"`.
pub mod decimal {
	use alloc::string::String;
	use core::{fmt::Display, str::FromStr};
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<T: Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(value)
	}

	pub fn deserialize<'de, T: FromStr, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
		super::parse(&String::deserialize(deserializer)?)
	}
}

/// An optional number as a decimal string or `null`.
pub mod decimal_option {
	use alloc::string::{String, ToString};
	use core::{fmt::Display, str::FromStr};
	use serde::{Deserialize, Deserializer, Serialize, Serializer};

	pub fn serialize<T: Display, S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
		value.as_ref().map(|v| v.to_string()).serialize(serializer)
	}

	pub fn deserialize<'de, T: FromStr, D: Deserializer<'de>>(
		deserializer: D,
	) -> Result<Option<T>, D::Error> {
		Option::<String>::deserialize(deserializer)?.map(|text| super::parse(&text)).transpose()
	}
}

fn parse<T: FromStr, E: Error>(text: &str) -> Result<T, E> {
	text.parse().map_err(|_| E::custom(format_args!("{text:?} is not a decimal integer")))
}

#[cfg(test)]
mod tests {
	use crate::Balance;
	use serde::{Deserialize, Serialize};

	#[derive(Serialize, Deserialize, Debug, PartialEq)]
	struct Amounts {
		#[serde(with = "super::decimal")]
		amount: Balance,
		#[serde(default, with = "super::decimal_option")]
		price: Option<Balance>,
	}

	#[test]
	fn amounts_keep_all_128_bits_and_none_is_null() {
		let most = Amounts { amount: Balance::MAX, price: None };
		let json = serde_json::to_string(&most).unwrap();
		assert_eq!(json, r#"{"amount":"340282366920938463463374607431768211455","price":null}"#);
		assert_eq!(serde_json::from_str::<Amounts>(&json).unwrap(), most);
		let priced = Amounts { amount: 0, price: Some(7) };
		assert_eq!(serde_json::to_string(&priced).unwrap(), r#"{"amount":"0","price":"7"}"#);
		assert_eq!(serde_json::from_str::<Amounts>(r#"{"amount":"0"}"#).unwrap().price, None);
	}

	#[test]
	fn numbers_and_non_decimal_strings_are_refused() {
		for bad in
			[r#"{"amount":5}"#, r#"{"amount":"5x"}"#, r#"{"amount":"-1"}"#, r#"{"amount":"0","price":"1.5"}"#]
		{
			assert!(serde_json::from_str::<Amounts>(bad).is_err(), "{bad}");
		}
	}
}
