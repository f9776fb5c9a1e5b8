use super::*;
use sp_runtime::Perbill;
use vcity_primitives::{Balance, BuybackParams, BuybackRecord, TreasuryView, USDV, VCAI};

/// A round that sold 98,765.4321 USDV for about 2,467,913.58 VCAI, about 24.99 VCAI per USDV,
/// within 3% of its time-weighted quote.
fn sample_record() -> BuybackRecord {
	BuybackRecord {
		day: 42,
		block: 604_801,
		usdv_in: 98_765 * USDV + 432_100,
		vcai_out: 2_467_913 * VCAI + 580_246_913_580_246_913,
		twap: 25_012_345_678_901_234_567,
		spot: 24_950_000_000_000_000_000,
		min_out: 2_396_244_474_946_910_836_676_214,
	}
}

#[test]
fn a_round_renders_exact_integers_and_the_price_it_paid() {
	let record = sample_record();
	// vcai_out × 10^6 / usdv_in = 24,987,624,999,687,654,687.50…: the price is rounded down.
	let price: Balance = 24_987_624_999_687_654_687;
	assert_eq!(record.vcai_out * USDV / record.usdv_in, price);
	assert_ne!(record.vcai_out * USDV % record.usdv_in, 0);
	// The price is past what a JSON number keeps exactly: a number would round it.
	assert_ne!(price as f64 as u128, price);

	let json = serde_json::to_value(BuybackJson::from(record)).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"day": 42,
			"block": 604_801,
			"usdvIn": "98765432100",
			"vcaiOut": "2467913580246913580246913",
			"twap": "25012345678901234567",
			"spot": "24950000000000000000",
			"minOut": "2396244474946910836676214",
			"price": "24987624999687654687",
		})
	);
	let back: BuybackJson = serde_json::from_value(json).unwrap();
	assert_eq!(back.price, price);
	assert_eq!(back.round, record);
}

// Rounds that sold nothing are never recorded, but the RPC must answer rather than panic if one is.
#[test]
fn a_record_without_usdv_converts_to_a_zero_price_without_dividing_by_zero() {
	let round = BuybackRecord { usdv_in: 0, vcai_out: 5 * VCAI, ..sample_record() };
	let json = serde_json::to_value(BuybackJson::from(round)).unwrap();
	assert_eq!(json["price"], "0");
	assert_eq!(json["vcaiOut"], "5000000000000000000");
}

#[test]
fn the_treasury_renders_amounts_as_decimal_strings_and_missing_prices_as_null() {
	// Books that balance: revenue + other income = swapped + held; 5 base units await the drop.
	let view = TreasuryView {
		usdv_held: 12_345 * USDV + 678_901,
		usdv_available: 12_345 * USDV + 668_901,
		revenue: 1_250_000 * USDV,
		revenue_today: 7 * USDV,
		other_income: 1,
		usdv_swapped: 1_237_654 * USDV + 321_100,
		vcai_bought: 30_941_387 * VCAI + 5,
		vcai_other_income: 0,
		vcai_dropped: 30_941_387 * VCAI,
		next_round_day: 43,
		twap: None,
		spot: Some(25 * VCAI),
	};
	let json = serde_json::to_value(&view).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"usdvHeld": "12345678901",
			"usdvAvailable": "12345668901",
			"revenue": "1250000000000",
			"revenueToday": "7000000",
			"otherIncome": "1",
			"usdvSwapped": "1237654321100",
			"vcaiBought": "30941387000000000000000005",
			"vcaiOtherIncome": "0",
			"vcaiDropped": "30941387000000000000000000",
			"nextRoundDay": 43,
			"twap": null,
			"spot": "25000000000000000000",
		})
	);
	let back: TreasuryView = serde_json::from_value(json).unwrap();
	assert_eq!(back.twap, None);
	assert_eq!(back.vcai_bought, view.vcai_bought);
	assert_eq!(back, view);

	let priced = serde_json::to_value(TreasuryView { twap: Some(Balance::MAX), spot: None, ..view }).unwrap();
	assert_eq!(priced["twap"], "340282366920938463463374607431768211455");
	assert_eq!(priced["spot"], serde_json::Value::Null);
}

#[test]
fn params_render_the_slippage_in_exact_billionths() {
	let json = serde_json::to_value(ParamsJson::from(BuybackParams::default())).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"intervalDays": 1,
			"maxSlippagePerbill": 30_000_000,
			"maxChunk": "100000000000",
			"twapWindow": 600,
		})
	);

	// A share with no exact percentage keeps every part.
	let params = BuybackParams {
		interval_days: 7,
		max_slippage: Perbill::from_parts(12_345_679),
		max_chunk: Balance::MAX,
		twap_window: 14_400,
	};
	let json = serde_json::to_value(ParamsJson::from(params)).unwrap();
	assert_eq!(json["intervalDays"], 7);
	assert_eq!(json["maxSlippagePerbill"], 12_345_679);
	assert_eq!(json["maxChunk"], "340282366920938463463374607431768211455");
	assert_eq!(json["twapWindow"], 14_400);
	let back: ParamsJson = serde_json::from_value(json).unwrap();
	assert_eq!(back.max_slippage_perbill, 12_345_679);
}
