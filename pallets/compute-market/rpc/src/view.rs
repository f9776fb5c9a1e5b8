//! The JSON shapes of the market's RPC and their conversions from and to the runtime's types.
//! Balances are decimal strings (USDV base units, 6 decimals), accounts SS58 addresses, digests
//! `0x`-prefixed hex, enums lowerCamel strings.

use frame_support::BoundedVec;
use jsonrpsee::types::error::ErrorObjectOwned;
use serde::{Deserialize, Serialize};
use sp_core::crypto::{AccountId32, Ss58Codec};
use vcity_primitives::{
	Balance, Billing, BuiltinWorkload, Digest, GpuClass, NodeId, NodeOffer, NodeOfferPage, Placement, Quote,
	QuoteV1, TaskId, TaskInfo, TaskPage, TaskRequirements, TaskStatus, Workload,
};
use vcity_rpc_common::{invalid, text};

/// What a task needs. `region` alone restricts it to that region; with `maxRoundTripMs` it
/// bounds the estimated round trip to that region instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequirementsJson {
	pub gpus: u32,
	#[serde(default)]
	pub min_vram_per_gpu_gib: u32,
	/// `consumer` (default), `workstation` or `datacenter`.
	#[serde(default)]
	pub min_gpu_class: Option<String>,
	#[serde(default)]
	pub min_stage: u8,
	#[serde(default)]
	pub region: Option<String>,
	#[serde(default)]
	pub max_round_trip_ms: Option<u32>,
}

/// What the node runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WorkloadJson {
	MatrixProduct { seed: u64, size: u32, rounds: u32 },
	Container { image: String, command_hash: String },
}

/// One task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskInfoJson {
	pub id: TaskId,
	pub owner: String,
	pub requirements: RequirementsJson,
	pub seconds: u64,
	pub size_gpu_seconds: u64,
	/// Block number.
	pub deadline: u32,
	pub max_price_per_gpu_hour: String,
	pub workload: WorkloadJson,
	/// `perTask` or `metered`.
	pub billing: Billing,
	/// USDV still held for the task.
	pub escrow: String,
	/// `queued`, `assigned`, `acknowledged`, `running`, `delivered`, `disputed`, `settled` or
	/// `refunded`.
	pub status: TaskStatus,
	pub node: Option<NodeId>,
	pub scheduler: Option<NodeId>,
	pub price_per_gpu_hour: Option<String>,
	pub used_gpu_seconds: u64,
	pub result: Option<String>,
	pub paid: String,
	pub refunded: String,
	pub rating: Option<u8>,
}

/// A page of tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskPageJson {
	pub tasks: Vec<TaskInfoJson>,
	/// Pass as `page.cursor` to continue; absent on the last page.
	pub next_cursor: Option<TaskId>,
}

/// A node as the matching sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeOfferJson {
	pub node: NodeId,
	pub did: String,
	pub region: String,
	pub gpu_model: String,
	pub gpu_class: String,
	pub vram_per_gpu_gib: u32,
	pub free_gpus: u32,
	pub stage: u8,
	pub price_per_gpu_hour: String,
	pub reputation: u32,
}

/// A page of node offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeOfferPageJson {
	pub nodes: Vec<NodeOfferJson>,
	pub next_cursor: Option<NodeId>,
}

/// Price and candidates for a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuoteJson {
	/// Cheapest first, at most 20.
	pub candidates: Vec<NodeOfferJson>,
	pub lowest_cost: Option<String>,
	pub highest_cost: Option<String>,
	/// More online nodes remain than this quote looked at.
	pub truncated: bool,
	/// The cursor that goes on where this quote stopped.
	pub next_cursor: Option<NodeId>,
}

const CLASSES: [(GpuClass, &str); 3] = [
	(GpuClass::Consumer, "consumer"),
	(GpuClass::Workstation, "workstation"),
	(GpuClass::Datacenter, "datacenter"),
];

fn class_name(class: GpuClass) -> &'static str {
	CLASSES.iter().find(|(c, _)| *c == class).map_or("consumer", |(_, name)| name)
}

fn hex(digest: &Digest) -> String {
	format!("0x{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

impl From<&TaskRequirements> for RequirementsJson {
	fn from(r: &TaskRequirements) -> Self {
		let (region, max_round_trip_ms) = match &r.placement {
			Placement::Anywhere => (None, None),
			Placement::InRegion(region) => (Some(text(region)), None),
			Placement::Near { region, max_round_trip_ms } => (Some(text(region)), Some(*max_round_trip_ms)),
		};
		Self {
			gpus: r.gpus,
			min_vram_per_gpu_gib: r.min_vram_per_gpu_gib,
			min_gpu_class: Some(class_name(r.min_gpu_class).into()),
			min_stage: r.min_stage,
			region,
			max_round_trip_ms,
		}
	}
}

impl TryFrom<RequirementsJson> for TaskRequirements {
	type Error = ErrorObjectOwned;

	fn try_from(r: RequirementsJson) -> Result<Self, Self::Error> {
		let min_gpu_class = match r.min_gpu_class {
			None => GpuClass::Consumer,
			Some(name) => CLASSES
				.iter()
				.find(|(_, n)| *n == name)
				.map(|(class, _)| *class)
				.ok_or_else(|| invalid(format!("unknown GPU class {name:?}")))?,
		};
		let region = |code: String| {
			BoundedVec::try_from(code.into_bytes())
				.map_err(|_| invalid("region code longer than 32 bytes".into()))
		};
		let placement = match (r.region, r.max_round_trip_ms) {
			(None, None) => Placement::Anywhere,
			(Some(code), None) => Placement::InRegion(region(code)?),
			(Some(code), Some(max_round_trip_ms)) => {
				Placement::Near { region: region(code)?, max_round_trip_ms }
			}
			(None, Some(_)) => return Err(invalid("maxRoundTripMs needs a region to measure from".into())),
		};
		Ok(Self {
			gpus: r.gpus,
			min_vram_per_gpu_gib: r.min_vram_per_gpu_gib,
			min_gpu_class,
			min_stage: r.min_stage,
			placement,
		})
	}
}

impl From<&Workload> for WorkloadJson {
	fn from(w: &Workload) -> Self {
		match w {
			Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size, rounds }) => {
				Self::MatrixProduct { seed: *seed, size: *size, rounds: *rounds }
			}
			Workload::Container { image, command_hash } => {
				Self::Container { image: text(image), command_hash: hex(command_hash) }
			}
		}
	}
}

impl From<TaskInfo<AccountId32, Balance, u32>> for TaskInfoJson {
	fn from(t: TaskInfo<AccountId32, Balance, u32>) -> Self {
		Self {
			id: t.id,
			owner: t.owner.to_ss58check(),
			requirements: (&t.requirements).into(),
			seconds: t.seconds,
			size_gpu_seconds: t.size_gpu_seconds,
			deadline: t.deadline,
			max_price_per_gpu_hour: t.max_price_per_gpu_hour.to_string(),
			workload: (&t.workload).into(),
			billing: t.billing,
			escrow: t.escrow.to_string(),
			status: t.status,
			node: t.node,
			scheduler: t.scheduler,
			price_per_gpu_hour: t.price_per_gpu_hour.map(|p| p.to_string()),
			used_gpu_seconds: t.used_gpu_seconds,
			result: t.result.as_ref().map(hex),
			paid: t.paid.to_string(),
			refunded: t.refunded.to_string(),
			rating: t.rating,
		}
	}
}

impl From<TaskPage<AccountId32, Balance, u32>> for TaskPageJson {
	fn from(page: TaskPage<AccountId32, Balance, u32>) -> Self {
		Self { tasks: page.tasks.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }
	}
}

impl From<NodeOffer> for NodeOfferJson {
	fn from(o: NodeOffer) -> Self {
		Self {
			node: o.node,
			did: text(&vcity_primitives::node_did(o.node)),
			region: text(&o.region),
			gpu_model: text(&o.gpu_model),
			gpu_class: class_name(o.gpu_class).into(),
			vram_per_gpu_gib: o.vram_per_gpu_gib,
			free_gpus: o.free_gpus,
			stage: o.stage,
			price_per_gpu_hour: o.price_per_gpu_hour.to_string(),
			reputation: o.reputation,
		}
	}
}

impl From<NodeOfferPage> for NodeOfferPageJson {
	fn from(page: NodeOfferPage) -> Self {
		Self { nodes: page.nodes.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }
	}
}

/// An old block's quote: it scanned node ids and had no cursor to go on from.
impl From<QuoteV1<Balance>> for QuoteJson {
	fn from(q: QuoteV1<Balance>) -> Self {
		let truncated = q.truncated;
		Self {
			truncated,
			..Quote {
				candidates: q.candidates,
				lowest_cost: q.lowest_cost,
				highest_cost: q.highest_cost,
				next_cursor: None,
			}
			.into()
		}
	}
}

impl From<Quote<Balance>> for QuoteJson {
	fn from(q: Quote<Balance>) -> Self {
		Self {
			candidates: q.candidates.into_iter().map(Into::into).collect(),
			lowest_cost: q.lowest_cost.map(|c| c.to_string()),
			highest_cost: q.highest_cost.map(|c| c.to_string()),
			truncated: q.next_cursor.is_some(),
			next_cursor: q.next_cursor,
		}
	}
}
