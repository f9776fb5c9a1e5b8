//! Chain specifications, built from the runtime's genesis presets.

use sc_service::ChainType;
use vcity_runtime::{
	genesis_config_presets::{DEV_FAST_PRESET, DEV_PRESET, LOCAL_TESTNET_PRESET, STAGING_PRESET},
	WASM_BINARY,
};

/// A chain spec whose genesis comes from the runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// tokenSymbol and tokenDecimals, so wallets show VCAI balances right.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), "VCAI".into());
	properties.insert("tokenDecimals".into(), vcity_primitives::VCAI_DECIMALS.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn from_preset(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	let wasm =
		WASM_BINARY.ok_or_else(|| "the runtime's wasm was not built (SKIP_WASM_BUILD?)".to_string())?;
	Ok(ChainSpec::builder(wasm, Default::default())
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// One validator (Alice), sudo, funded dev accounts.
pub fn development() -> Result<ChainSpec, String> {
	from_preset("Vcity Development", "vcity_dev", ChainType::Development, DEV_PRESET)
}

/// The development chain with a day of a minute: days, buyback rounds and rewards periods pass
/// while you watch.
pub fn development_fast() -> Result<ChainSpec, String> {
	from_preset("Vcity Development (fast days)", "vcity_dev_fast", ChainType::Development, DEV_FAST_PRESET)
}

/// Four validators (Alice, Bob, Charlie, Dave) on one machine.
pub fn local_testnet() -> Result<ChainSpec, String> {
	from_preset("Vcity Local Testnet", "vcity_local", ChainType::Local, LOCAL_TESTNET_PRESET)
}

/// Four validators, no sudo.
pub fn staging() -> Result<ChainSpec, String> {
	from_preset("Vcity Staging", "vcity_staging", ChainType::Live, STAGING_PRESET)
}
