//! The chain's properties as `system_properties` serves them: the chain spec's (token symbol,
//! decimals, address format), and the VCAI denomination factor the DAO's repricings set,
//! read from the best block's state when the node starts (docs/governance.md "Repricing").
//!
//! A chain spec's properties are fixed when the node reads it; the factor can change with a
//! repricing referendum. A node started after the repricing's enactment serves the new factor,
//! and `vcity_supplyQuotas` serves it live.

use crate::service::FullClient;
use sc_chain_spec::{ChainSpec, ChainType, GetExtension, Properties};
use sc_client_api::HeaderBackend;
use sp_api::ProvideRuntimeApi;
use sp_runtime::BuildStorage;

/// The property wallets multiply a displayed amount by (÷ 10^18).
pub const DENOMINATION_PROPERTY: &str = "vcaiDenominationFactor";

/// A chain spec whose properties also carry the denomination factor.
struct WithDenomination {
	spec: Box<dyn ChainSpec>,
	factor: u128,
}

/// Wraps `spec` with the factor the chain's best block holds; leaves it as it is if the runtime
/// does not answer (a runtime from before the DAO).
pub fn with_denomination(spec: Box<dyn ChainSpec>, client: &FullClient) -> Box<dyn ChainSpec> {
	use pallet_governance_runtime_api::GovernanceApi;
	let best = client.info().best_hash;
	match client.runtime_api().supply_quotas(best) {
		Ok(quotas) => Box::new(WithDenomination { spec, factor: quotas.denomination.factor }),
		Err(_) => spec,
	}
}

impl BuildStorage for WithDenomination {
	fn assimilate_storage(&self, storage: &mut sp_core::storage::Storage) -> Result<(), String> {
		self.spec.as_storage_builder().assimilate_storage(storage)
	}
}

impl ChainSpec for WithDenomination {
	fn name(&self) -> &str {
		self.spec.name()
	}
	fn id(&self) -> &str {
		self.spec.id()
	}
	fn chain_type(&self) -> ChainType {
		self.spec.chain_type()
	}
	fn boot_nodes(&self) -> &[sc_network::config::MultiaddrWithPeerId] {
		self.spec.boot_nodes()
	}
	fn telemetry_endpoints(&self) -> &Option<sc_telemetry::TelemetryEndpoints> {
		self.spec.telemetry_endpoints()
	}
	fn protocol_id(&self) -> Option<&str> {
		self.spec.protocol_id()
	}
	fn fork_id(&self) -> Option<&str> {
		self.spec.fork_id()
	}
	fn properties(&self) -> Properties {
		let mut properties = self.spec.properties();
		// A decimal string: the factor passes what a JSON number holds exactly.
		properties.insert(DENOMINATION_PROPERTY.into(), self.factor.to_string().into());
		properties
	}
	fn extensions(&self) -> &dyn GetExtension {
		self.spec.extensions()
	}
	fn extensions_mut(&mut self) -> &mut dyn GetExtension {
		self.spec.extensions_mut()
	}
	fn add_boot_node(&mut self, addr: sc_network::config::MultiaddrWithPeerId) {
		self.spec.add_boot_node(addr)
	}
	fn as_json(&self, raw: bool) -> Result<String, String> {
		self.spec.as_json(raw)
	}
	fn as_storage_builder(&self) -> &dyn BuildStorage {
		self.spec.as_storage_builder()
	}
	fn cloned_box(&self) -> Box<dyn ChainSpec> {
		Box::new(WithDenomination { spec: self.spec.cloned_box(), factor: self.factor })
	}
	fn set_storage(&mut self, storage: sp_core::storage::Storage) {
		self.spec.set_storage(storage)
	}
	fn code_substitutes(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
		self.spec.code_substitutes()
	}
}
