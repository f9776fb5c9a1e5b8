//! Random runtime calls for the fuzzer.
//!
//! Calls decoded from random bytes nearly always fail their first check (an unknown node, a task
//! in the wrong state, a signer who is not the node's operator), so a fuzzer fed with them
//! spends its time in argument decoding and never reaches settlement, audits, slashing or
//! rewards. This generator builds each call the way a user of the chain would, then bends it:
//!
//! - **Ids come from live state.** Node, task, job, case and referendum ids are read from
//!   storage (a random id below the next one, or one of a few keys of an index), and sometimes
//!   pushed to the edges: 0, the next id, `u64::MAX`.
//! - **Arguments sit on boundaries.** Amounts, counts and windows are drawn among 0, 1, the
//!   type's maximum, the runtime's limits (its `Config` constants, the existential deposit,
//!   USDV's minimum balance) and the values either side of them; otherwise a typical value.
//! - **Terms that succeed are common.** A registration offers the stake the schedule asks, a
//!   task asks for what a live node offers at a price that node accepts, a verifier commits to
//!   an answer it can reveal later. Later calls then find state to work on.
//! - **Each call names its natural signer** (the node's owner or operator, the task's owner, the
//!   verifier drawn), which [`signed_call`] mostly uses, so ownership checks pass; otherwise a
//!   random account signs, for the refusals.
//! - **Privileged calls become proposals.** A signed origin is refused by every governed call,
//!   which is checked too, but governed calls mostly reach the chain as referenda on their track.
//! - **A few calls are noise**: bytes decoded as a call, or a structured call whose encoding was
//!   mutated.
//!
//! Storage is only read, never written, and never iterated beyond a few keys, so drawing a call
//! costs the same on a fresh chain and on a long-fuzzed one.
//
// LEAD: the fuzzer's Cargo.toml lacks seven crates this file names (all in the workspace's
// dependencies, default features): pallet-grandpa, pallet-preimage, pallet-referenda,
// pallet-scheduler, pallet-sudo, pallet-utility and pallet-vesting.
// LEAD: `signed_call` picks the signer each call is meant for (the operator of the task's node,
// the owner of the node, the verifier drawn); with `call` and a random signer, the calls past
// an ownership check reach the code behind it about one time in eight.

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use codec::{Compact, DecodeLimit, Encode};
use frame_support::{
	traits::{schedule::DispatchTime, tokens::fungible::NativeOrWithId, Bounded, Get},
	weights::Weight,
	BoundedVec,
};
use pallet_compute_market::{self as market, TaskState};
use pallet_compute_registry::{self as registry, NodeState};
use pallet_governance::DaoOrigin;
use pallet_verification::JobSubject;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	FixedU128, MultiAddress, MultiSignature, Perbill, Permill,
};
use vcity_primitives::{
	answer_commitment, gpu_class, matrix_min_seconds, multi_gpu_stage, Balance, Billing, BuiltinWorkload,
	CheckAnswer, Clock, Digest, GpuClass, GpuModel, GpuSeconds, GpuSpec, Health, HeartbeatMetrics, JobId,
	Moment, NodeId, NodeKind, NodeRoles, PeriodIndex, Placement, Region, ResultStatement, SlashCaseId,
	StatementSubject, TaskId, TaskRequirements, Workload, MAX_MATRIX_SIZE, MAX_MULTI_GPU_STAGE,
	MAX_STAKE_GRACE_PERIODS, USDV, USDV_ASSET_ID, VCAI,
};
use vcity_runtime::{
	configs::{
		accounts::{GrantsAccount, TreasuryAccount},
		amm::{AssetKind, PoolLocator},
	},
	genesis_config_presets::{bucket_account, STAKE_REFERENCE_VCAI_PER_USDV, USDV_MIN_BALANCE},
	AccountId, Address, BlockNumber, ChainClock, OriginCaller, Runtime, RuntimeCall, EXISTENTIAL_DEPOSIT,
	MILLI_SECS_PER_BLOCK, VESTING_TICK_MS,
};

/// What the generator may refer to: the fuzzer's signing accounts (never the sudo key). It must
/// hold at least one account.
pub struct World<'a> {
	pub accounts: &'a [AccountId],
}

/// One call: mostly a structured call of one of the runtime's pallets, with arguments drawn
/// among boundary values and live ids read from storage, sometimes fully random.
pub fn call(u: &mut Unstructured, world: &World) -> Result<RuntimeCall> {
	Ok(draw(u, world, false)?.call)
}

/// One call and a world account to sign it: mostly the account the call is meant for (the
/// node's owner or operator, the task's owner), so it gets past its ownership checks and into
/// the code behind them; a tenth of the time, and whenever that account is not one of the
/// world's, any world account.
pub fn signed_call(u: &mut Unstructured, world: &World) -> Result<(AccountId, RuntimeCall)> {
	let Draw { signer, call } = draw(u, world, false)?;
	let natural = signer.filter(|who| world.accounts.contains(who));
	let signer = match natural {
		Some(who) if !chance(u, 10)? => who,
		_ => world_account(u, world)?,
	};
	Ok((signer, call))
}

/// A call and the account whose signature lets it past its first check, if one does.
struct Draw {
	signer: Option<AccountId>,
	call: RuntimeCall,
}

impl Draw {
	fn by(signer: Option<AccountId>, call: RuntimeCall) -> Self {
		Self { signer, call }
	}

	fn anyone(call: RuntimeCall) -> Self {
		Self { signer: None, call }
	}
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Area {
	Registry,
	Market,
	Verification,
	Slashing,
	Rewards,
	VeVcai,
	VeVoting,
	Referenda,
	Preimage,
	Governed,
	Balances,
	Assets,
	PoolAssets,
	Amm,
	Vesting,
	Utility,
	Sudo,
	Scheduler,
	System,
	Grandpa,
	Noise,
}

impl Area {
	/// Whether the area's calls may sit inside a batch, a sudo or a schedule: areas that wrap
	/// calls themselves stay out, so nesting is one level deep.
	fn flat(self) -> bool {
		!matches!(self, Area::Utility | Area::Sudo | Area::Scheduler | Area::Noise)
	}
}

/// Draws per thousand. The chain's own pallets take two thirds: their state machines are where
/// the invariants live. The FRAME pallets are there for what they move (VCAI, USDV, the pool)
/// and for the origins they must refuse.
const AREAS: [(u32, Area); 21] = [
	(170, Area::Registry),
	(190, Area::Market),
	(90, Area::Verification),
	(45, Area::Slashing),
	(45, Area::Rewards),
	(70, Area::VeVcai),
	(35, Area::VeVoting),
	(45, Area::Referenda),
	(15, Area::Preimage),
	(25, Area::Governed),
	(60, Area::Balances),
	(50, Area::Assets),
	(10, Area::PoolAssets),
	(50, Area::Amm),
	(20, Area::Vesting),
	(35, Area::Utility),
	(10, Area::Sudo),
	(8, Area::Scheduler),
	(10, Area::System),
	(2, Area::Grandpa),
	(15, Area::Noise),
];

fn draw(u: &mut Unstructured, w: &World, nested: bool) -> Result<Draw> {
	let areas = AREAS.iter().filter(|(_, area)| !nested || area.flat());
	let total: u32 = areas.clone().map(|(weight, _)| *weight).sum();
	let mut roll = u.int_in_range(0..=total - 1)?;
	let mut picked = Area::System;
	for (weight, area) in areas {
		if roll < *weight {
			picked = *area;
			break;
		}
		roll -= *weight;
	}
	match picked {
		Area::Registry => registry_call(u, w),
		Area::Market => market_call(u, w),
		Area::Verification => verification_call(u, w),
		Area::Slashing => slashing_call(u),
		Area::Rewards => rewards_call(u, w),
		Area::VeVcai => ve_vcai_call(u, w),
		Area::VeVoting => ve_voting_call(u, w),
		Area::Referenda => referenda_call(u, w, nested),
		Area::Preimage => preimage_call(u, w),
		Area::Governed => Ok(Draw::anyone(governed(u, w)?.1)),
		Area::Balances => balances_call(u, w),
		Area::Assets => assets_call(u, w),
		Area::PoolAssets => pool_assets_call(u, w),
		Area::Amm => amm_call(u, w),
		Area::Vesting => vesting_call(u, w),
		Area::Utility => utility_call(u, w),
		Area::Sudo => sudo_call(u, w),
		Area::Scheduler => scheduler_call(u, w),
		Area::System => system_call(u),
		Area::Grandpa => grandpa_call(u),
		Area::Noise => noise(u, w),
	}
}

// ---------------------------------------------------------------------------------------------
// Shared draws: chances, boundary values, accounts, ids.
// ---------------------------------------------------------------------------------------------

fn chance(u: &mut Unstructured, percent: u8) -> Result<bool> {
	Ok(u.int_in_range(0..=99u8)? < percent)
}

fn one_of<T: Clone>(u: &mut Unstructured, items: &[T]) -> Result<T> {
	Ok(u.choose(items)?.clone())
}

/// One of `items`, or `default` when there are none.
fn pick_or<T: Copy>(u: &mut Unstructured, items: &[T], default: T) -> Result<T> {
	if items.is_empty() {
		return Ok(default);
	}
	Ok(*u.choose(items)?)
}

/// Up to `max` bytes, fewer when the input runs short.
fn bytes(u: &mut Unstructured, max: usize) -> Result<Vec<u8>> {
	let len = u.int_in_range(0..=max)?.min(u.len());
	Ok(u.bytes(len)?.to_vec())
}

macro_rules! near {
	($name:ident, $t:ty) => {
		/// One of `limits` or a value either side of one; otherwise 0, 1, the type's maximum or
		/// anything.
		fn $name(u: &mut Unstructured, limits: &[$t]) -> Result<$t> {
			Ok(match u.int_in_range(0..=9u8)? {
				0 => 0,
				1 => 1,
				2 => <$t>::MAX,
				3 => u.arbitrary()?,
				4 => pick_or(u, limits, 0)?.saturating_sub(1),
				5 => pick_or(u, limits, 0)?.saturating_add(1),
				_ => pick_or(u, limits, 0)?,
			})
		}
	};
}
near!(near_u32, u32);
near!(near_u64, u64);
near!(near_u128, u128);

fn perbill(u: &mut Unstructured, limits: &[Perbill]) -> Result<Perbill> {
	let parts: Vec<u32> = limits.iter().map(|p| p.deconstruct()).chain([1_000_000_000]).collect();
	Ok(Perbill::from_parts(near_u32(u, &parts)?))
}

fn permill(u: &mut Unstructured, limits: &[Permill]) -> Result<Permill> {
	let parts: Vec<u32> = limits.iter().map(|p| p.deconstruct()).chain([1_000_000]).collect();
	Ok(Permill::from_parts(near_u32(u, &parts)?))
}

/// VCAI: the existential deposit and either side of it, the extremes, or a typical amount.
fn vcai(u: &mut Unstructured) -> Result<Balance> {
	Ok(match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => 1,
		2 => EXISTENTIAL_DEPOSIT - 1,
		3 => EXISTENTIAL_DEPOSIT,
		4 => EXISTENTIAL_DEPOSIT + 1,
		5 => Balance::MAX,
		6 => Balance::MAX / 2,
		7 => u.arbitrary()?,
		_ => u.int_in_range(1..=1_000_000u128)? * VCAI,
	})
}

/// USDV: its minimum balance and either side of it, the extremes, or a typical amount.
fn usdv(u: &mut Unstructured) -> Result<Balance> {
	Ok(match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => 1,
		2 => USDV_MIN_BALANCE - 1,
		3 => USDV_MIN_BALANCE,
		4 => USDV_MIN_BALANCE + 1,
		5 => Balance::MAX,
		6 => Balance::MAX / 2,
		7 => u.arbitrary()?,
		_ => u.int_in_range(1..=10_000u128)? * USDV,
	})
}

fn world_account(u: &mut Unstructured, w: &World) -> Result<AccountId> {
	one_of(u, w.accounts)
}

/// An account nobody has used: it holds nothing, so whatever it is sent must meet the minimums.
fn fresh_account(u: &mut Unstructured) -> Result<AccountId> {
	Ok(AccountId::new(u.arbitrary()?))
}

/// The keyless accounts the chain's pallets pay from and into, and the AMM pool's.
fn chain_accounts() -> Vec<AccountId> {
	use vcity_runtime::{Buyback, Rewards, VeVcai, Verification};
	let mut accounts = vec![
		TreasuryAccount::get(),
		GrantsAccount::get(),
		Buyback::treasury_account(),
		VeVcai::distributor_account(),
		Rewards::pot_account(),
		Rewards::pool_account(),
		Verification::pot(),
	];
	let pool = <PoolLocator as pallet_asset_conversion::PoolLocator<
		AccountId,
		AssetKind,
		(AssetKind, AssetKind),
	>>::pool_address(&NativeOrWithId::Native, &NativeOrWithId::WithId(USDV_ASSET_ID));
	accounts.extend(pool);
	accounts
}

/// A recipient: mostly a world account, sometimes one of the chain's own or a fresh one.
fn account(u: &mut Unstructured, w: &World) -> Result<AccountId> {
	match u.int_in_range(0..=19u8)? {
		0 => fresh_account(u),
		1 | 2 => one_of(u, &chain_accounts()),
		_ => world_account(u, w),
	}
}

/// An address: mostly an account id; the other forms the runtime's lookup refuses.
fn address(u: &mut Unstructured, w: &World) -> Result<Address> {
	Ok(match u.int_in_range(0..=29u8)? {
		0 => MultiAddress::Index(()),
		1 => MultiAddress::Raw(bytes(u, 40)?),
		2 => MultiAddress::Address32(u.arbitrary()?),
		3 => MultiAddress::Address20(u.arbitrary()?),
		_ => MultiAddress::Id(account(u, w)?),
	})
}

fn now_ms() -> Moment {
	<ChainClock as Clock>::now_ms()
}

fn block() -> BlockNumber {
	frame_system::Pallet::<Runtime>::block_number()
}

/// An id below `next` (the next one an index gives out), or one at the edges.
fn id_below(u: &mut Unstructured, next: u64) -> Result<u64> {
	Ok(match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => next,
		2 => next.saturating_add(1),
		3 => u64::MAX,
		_ => u.int_in_range(1..=next.saturating_sub(1).max(1))?,
	})
}

// ---------------------------------------------------------------------------------------------
// Nodes.
// ---------------------------------------------------------------------------------------------

type NodeRecord = registry::NodeOf<Runtime>;

fn node_id(u: &mut Unstructured) -> Result<NodeId> {
	id_below(u, registry::NextNodeId::<Runtime>::get())
}

fn node(id: NodeId) -> Option<NodeRecord> {
	registry::Nodes::<Runtime>::get(id)
}

fn operator_of(id: NodeId) -> Option<AccountId> {
	node(id).map(|n| n.operator)
}

/// A registered node `keep` accepts, looked for among a few random ids.
fn find_node(
	u: &mut Unstructured,
	tries: u32,
	keep: impl Fn(&NodeRecord) -> bool,
) -> Result<Option<(NodeId, NodeRecord)>> {
	let next = registry::NextNodeId::<Runtime>::get();
	if next <= 1 {
		return Ok(None);
	}
	for _ in 0..tries {
		let id = u.int_in_range(1..=next - 1)?;
		if let Some(record) = node(id).filter(|n| keep(n)) {
			return Ok(Some((id, record)));
		}
	}
	Ok(None)
}

/// A node `keep` accepts, mostly; otherwise any id, registered or not.
fn pick_node(
	u: &mut Unstructured,
	keep: impl Fn(&NodeRecord) -> bool,
) -> Result<(NodeId, Option<NodeRecord>)> {
	if !chance(u, 15)? {
		if let Some((id, record)) = find_node(u, 6, keep)? {
			return Ok((id, Some(record)));
		}
	}
	let id = node_id(u)?;
	Ok((id, node(id)))
}

fn owned_by_world(w: &World, n: &NodeRecord) -> bool {
	w.accounts.contains(&n.owner)
}

/// World accounts that run a node, with the node: the keys heartbeats, acknowledgements and
/// answers must come from.
fn operators(w: &World) -> Vec<(AccountId, NodeId)> {
	w.accounts
		.iter()
		.filter_map(|who| registry::NodeOfOperator::<Runtime>::get(who).map(|id| (who.clone(), id)))
		.collect()
}

/// A world account other than `owner` that runs no node yet: an operator key a registration
/// or a change of operator accepts.
fn free_operator(u: &mut Unstructured, w: &World, owner: &AccountId) -> Result<Option<AccountId>> {
	let free: Vec<AccountId> = w
		.accounts
		.iter()
		.filter(|who| *who != owner && !registry::NodeOfOperator::<Runtime>::contains_key(*who))
		.cloned()
		.collect();
	if free.is_empty() {
		return Ok(None);
	}
	Ok(Some(one_of(u, &free)?))
}

const GPU_MODELS: &[&[u8]] = &[
	b"NVIDIA H100 80GB HBM3",
	b"NVIDIA A100-SXM4-40GB",
	b"AMD Instinct MI300X",
	b"NVIDIA L40S",
	b"Tesla T4",
	b"NVIDIA RTX A6000",
	b"NVIDIA GeForce RTX 4090",
	b"Fake H1000",
];

const REGIONS: &[&[u8]] = &[
	b"eu-west",
	b"eu-central",
	b"us-east",
	b"us-west",
	b"ap-south",
	b"ap-northeast",
	b"sa-east",
	b"au-southeast",
	b"EU-WEST",
	b"mars-1",
];

fn gpu_spec(u: &mut Unstructured) -> Result<GpuSpec> {
	let max_gpus = <Runtime as registry::Config>::MaxGpusPerNode::get();
	let max_vram = <Runtime as registry::Config>::MaxVramPerGpuGib::get();
	let model = match u.int_in_range(0..=19u8)? {
		0 => GpuModel::default(),
		1 => GpuModel::truncate_from(vec![b'A'; 64]),
		2 => GpuModel::truncate_from(bytes(u, 70)?),
		_ => GpuModel::truncate_from(one_of(u, GPU_MODELS)?.to_vec()),
	};
	let count = match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => max_gpus,
		2 => max_gpus + 1,
		3 => u32::MAX,
		_ => pick_or(u, &[1, 1, 2, 4, 8], 1)?,
	};
	let vram_per_gpu_gib = match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => max_vram,
		2 => max_vram + 1,
		_ => pick_or(u, &[8, 16, 24, 40, 48, 80, 141, 192], 80)?,
	};
	Ok(GpuSpec { model, count, vram_per_gpu_gib })
}

fn roles(u: &mut Unstructured) -> Result<NodeRoles> {
	let (compute, verifier, scheduler) = match u.int_in_range(0..=19u8)? {
		0 => (false, false, false),
		1..=3 => (false, true, false),
		4 | 5 => (false, false, true),
		6 | 7 => (true, true, false),
		8 => (true, true, true),
		9 => (true, false, true),
		_ => (true, false, false),
	};
	Ok(NodeRoles { compute, verifier, scheduler })
}

fn region(u: &mut Unstructured) -> Result<Region> {
	Ok(match u.int_in_range(0..=19u8)? {
		0 => Region::default(),
		1 => Region::truncate_from(vec![b'x'; 32]),
		2 => Region::truncate_from(bytes(u, 40)?),
		_ => Region::truncate_from(one_of(u, REGIONS)?.to_vec()),
	})
}

/// The market's lowest price for a class (1 without market parameters).
fn price_floor(class: GpuClass) -> Balance {
	market::Params::<Runtime>::get().map_or(1, |p| p.price_floor.of(class))
}

/// A price per GPU-hour around `floor`, mostly at or above it.
fn price(u: &mut Unstructured, floor: Balance) -> Result<Balance> {
	Ok(match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => 1,
		2 => floor.saturating_sub(1),
		3 => floor,
		4 => floor.saturating_add(1),
		5 => Balance::MAX,
		6 => u.arbitrary()?,
		_ => floor.max(1).saturating_mul(u.int_in_range(1..=40u128)?),
	})
}

fn metrics(u: &mut Unstructured) -> Result<HeartbeatMetrics> {
	let load_percent = match u.int_in_range(0..=19u8)? {
		0 => 101,
		1 => u8::MAX,
		2 => 100,
		_ => u.int_in_range(0..=100u8)?,
	};
	let health = match u.int_in_range(0..=19u8)? {
		0 => Health::Failing,
		1 | 2 => Health::Degraded,
		_ => Health::Healthy,
	};
	Ok(HeartbeatMetrics { load_percent, health })
}

fn registry_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	match u.int_in_range(0..=99u8)? {
		0..=21 => register_node(u, w),
		22..=51 => heartbeat(u, w),
		52..=57 => bond_extra(u, w),
		58..=63 => update_price(u, w),
		64..=67 => update_region(u, w),
		68..=72 => change_operator(u, w),
		73..=80 => owner_step(u, w, OwnerStep::Deregister),
		81..=87 => owner_step(u, w, OwnerStep::Withdraw),
		88..=93 => owner_step(u, w, OwnerStep::Reap),
		_ => Ok(Draw::anyone(registry_governed(u)?)),
	}
}

fn register_node(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let owner = world_account(u, w)?;
	let gpu = gpu_spec(u)?;
	let floor = price_floor(gpu_class(&gpu.model));
	let operator = match u.int_in_range(0..=19u8)? {
		0 => owner.clone(),
		1 => fresh_account(u)?,
		2 => world_account(u, w)?,
		_ => match free_operator(u, w, &owner)? {
			Some(who) => who,
			None => fresh_account(u)?,
		},
	};
	// Mostly exactly the stake required: what a real owner offers, and what registers.
	let stake = match registry::Pallet::<Runtime>::required_stake(&gpu) {
		Ok(required) => match u.int_in_range(0..=9u8)? {
			0..=5 => required,
			6 => required.saturating_add(1),
			7 => required.saturating_sub(1),
			8 => required.saturating_mul(2),
			_ => vcai(u)?,
		},
		Err(_) => vcai(u)?,
	};
	let kind = if chance(u, 50)? { NodeKind::Stable } else { NodeKind::Flexible };
	let call = registry::Call::register_node {
		kind,
		roles: roles(u)?,
		gpu,
		region: region(u)?,
		price_per_gpu_hour: price(u, floor)?,
		operator,
		stake,
	};
	Ok(Draw::by(Some(owner), RuntimeCall::ComputeRegistry(call)))
}

/// A beat from a world account that runs a node, for its own node: the beat the pool admits
/// and the fee waiver covers. Sometimes a beat for another node, or by a stranger.
fn heartbeat(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let running = operators(w);
	let (signer, node) = if !running.is_empty() && !chance(u, 10)? {
		let (who, id) = one_of(u, &running)?;
		(Some(who), id)
	} else {
		let id = node_id(u)?;
		(operator_of(id), id)
	};
	let call = registry::Call::heartbeat { node, metrics: metrics(u)? };
	Ok(Draw::by(signer, RuntimeCall::ComputeRegistry(call)))
}

fn bond_extra(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let (node, record) = pick_node(u, |n| owned_by_world(w, n) && n.state == NodeState::Active)?;
	// Often the top-up that brings the node back to its requirement after a raise or a slash.
	let amount = match (&record, u.int_in_range(0..=5u8)?) {
		(Some(n), 0..=2) => registry::Pallet::<Runtime>::required_stake_of_node(&n.gpu)
			.map(|required| required.saturating_sub(n.stake).max(1))
			.unwrap_or(VCAI),
		_ => vcai(u)?,
	};
	let call = registry::Call::bond_extra { node, amount };
	Ok(Draw::by(record.map(|n| n.owner), RuntimeCall::ComputeRegistry(call)))
}

fn update_price(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let (node, record) = pick_node(u, |n| owned_by_world(w, n))?;
	let class = record.as_ref().map_or(GpuClass::Consumer, |n| gpu_class(&n.gpu.model));
	let call = registry::Call::update_price { node, price_per_gpu_hour: price(u, price_floor(class))? };
	Ok(Draw::by(record.map(|n| n.owner), RuntimeCall::ComputeRegistry(call)))
}

fn update_region(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let (node, record) = pick_node(u, |n| owned_by_world(w, n))?;
	let call = registry::Call::update_region { node, region: region(u)? };
	Ok(Draw::by(record.map(|n| n.owner), RuntimeCall::ComputeRegistry(call)))
}

fn change_operator(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let (node, record) = pick_node(u, |n| owned_by_world(w, n))?;
	let owner = record.map(|n| n.owner);
	let operator = match (u.int_in_range(0..=9u8)?, &owner) {
		(0, Some(owner)) => owner.clone(),
		(1, _) => fresh_account(u)?,
		// Likely the key of another node: refused as in use.
		(2, _) => world_account(u, w)?,
		(_, Some(owner)) => match free_operator(u, w, owner)? {
			Some(who) => who,
			None => fresh_account(u)?,
		},
		_ => world_account(u, w)?,
	};
	let call = registry::Call::change_operator { node, operator };
	Ok(Draw::by(owner, RuntimeCall::ComputeRegistry(call)))
}

#[derive(Clone, Copy)]
enum OwnerStep {
	Deregister,
	Withdraw,
	Reap,
}

/// The steps out of the register, each for a node in the state it needs.
fn owner_step(u: &mut Unstructured, w: &World, step: OwnerStep) -> Result<Draw> {
	let (node, record) = pick_node(u, |n| {
		owned_by_world(w, n)
			&& match step {
				OwnerStep::Deregister => n.state == NodeState::Active,
				OwnerStep::Withdraw => {
					matches!(n.state, NodeState::Unbonding { .. } | NodeState::Suspended { .. })
				}
				OwnerStep::Reap => n.state == NodeState::Exited,
			}
	})?;
	let call = match step {
		OwnerStep::Deregister => registry::Call::deregister { node },
		OwnerStep::Withdraw => registry::Call::withdraw_unbonded { node },
		OwnerStep::Reap => registry::Call::reap_node { node },
	};
	Ok(Draw::by(record.map(|n| n.owner), RuntimeCall::ComputeRegistry(call)))
}

fn multiplier(u: &mut Unstructured) -> Result<FixedU128> {
	let min = <Runtime as registry::Config>::MinStakeMultiplier::get();
	let max = <Runtime as registry::Config>::MaxStakeMultiplier::get();
	Ok(match u.int_in_range(0..=9u8)? {
		0 => min,
		1 => max,
		2 => FixedU128::from_inner(min.into_inner().saturating_sub(1)),
		3 => FixedU128::from_inner(max.into_inner().saturating_add(1)),
		4 => FixedU128::from_inner(0),
		5 => FixedU128::from_inner(u128::MAX),
		_ => FixedU128::from_rational(u.int_in_range(10..=1_000u128)?, 100),
	})
}

/// The schedule in force with one part bent: no tier, a first tier above 0 GiB, a tier's stake
/// at a boundary, eight ascending tiers, or a single cheap one.
fn stake_schedule(u: &mut Unstructured) -> Result<registry::StakeSchedule> {
	let mut schedule = registry::Schedule::<Runtime>::get();
	match u.int_in_range(0..=5u8)? {
		0 => schedule.tiers = BoundedVec::new(),
		1 => {
			if let Some(tier) = schedule.tiers.get_mut(0) {
				tier.min_vram_per_gpu_gib = near_u32(u, &[0, 16])?;
			}
		}
		2 => {
			let stake = near_u128(u, &[VCAI, 1_000 * VCAI])?;
			if let Some(tier) = schedule.tiers.last_mut() {
				tier.stake_per_gpu = stake;
			}
		}
		3 => {
			let mut tiers = Vec::new();
			for i in 0..8u32 {
				tiers.push(registry::StakeTier {
					min_vram_per_gpu_gib: i * 16,
					stake_per_gpu: VCAI.saturating_mul(u.int_in_range(1..=100_000u128)?),
				});
			}
			schedule.tiers = BoundedVec::truncate_from(tiers);
		}
		4 => {
			schedule.tiers = BoundedVec::truncate_from(vec![registry::StakeTier {
				min_vram_per_gpu_gib: 0,
				stake_per_gpu: near_u128(u, &[VCAI])?,
			}])
		}
		_ => {}
	}
	if chance(u, 30)? {
		schedule.multiplier = multiplier(u)?;
	}
	Ok(schedule)
}

fn stake_adjustment(u: &mut Unstructured) -> Result<vcity_primitives::StakeAdjustment> {
	let mut params = registry::StakeAdjustmentParams::<Runtime>::get();
	match u.int_in_range(0..=4u8)? {
		0 => params.max_step = perbill(u, &[Perbill::zero(), Perbill::from_percent(50)])?,
		1 => params.grace_periods = near_u32(u, &[0, MAX_STAKE_GRACE_PERIODS])?,
		2 => params.reference_vcai_per_usdv = near_u128(u, &[0, STAKE_REFERENCE_VCAI_PER_USDV])?,
		3 => params.demand_gain = perbill(u, &[Perbill::zero()])?,
		_ => {}
	}
	Ok(params)
}

fn registry_governed(u: &mut Unstructured) -> Result<RuntimeCall> {
	let min_window = <Runtime as registry::Config>::MinHeartbeatWindowMs::get();
	let max_window = <Runtime as registry::Config>::MaxHeartbeatWindowMs::get();
	let call = match u.int_in_range(0..=3u8)? {
		0 => registry::Call::set_stake_schedule { schedule: stake_schedule(u)? },
		1 => registry::Call::set_stake_multiplier { multiplier: multiplier(u)? },
		2 => registry::Call::set_heartbeat_window { window_ms: near_u64(u, &[min_window, max_window])? },
		_ => registry::Call::set_stake_adjustment { params: stake_adjustment(u)? },
	};
	Ok(RuntimeCall::ComputeRegistry(call))
}

// ---------------------------------------------------------------------------------------------
// Tasks.
// ---------------------------------------------------------------------------------------------

type TaskRecord = market::TaskOf<Runtime>;

fn task_id(u: &mut Unstructured) -> Result<TaskId> {
	id_below(u, market::NextTaskId::<Runtime>::get())
}

/// A task `keep` accepts, looked for among a few ids, mostly recent ones: ended tasks are
/// forgotten after a while, so the live ones sit near the next id.
fn find_task(
	u: &mut Unstructured,
	tries: u32,
	keep: impl Fn(&TaskRecord) -> bool,
) -> Result<Option<(TaskId, TaskRecord)>> {
	let next = market::NextTaskId::<Runtime>::get();
	if next <= 1 {
		return Ok(None);
	}
	let recent = next.saturating_sub(64).max(1);
	for _ in 0..tries {
		let low = if chance(u, 75)? { recent } else { 1 };
		let id = u.int_in_range(low..=next - 1)?;
		if let Some(task) = market::Tasks::<Runtime>::get(id).filter(|t| keep(t)) {
			return Ok(Some((id, task)));
		}
	}
	Ok(None)
}

/// A task `keep` accepts, mostly; otherwise any id.
fn pick_task(
	u: &mut Unstructured,
	keep: impl Fn(&TaskRecord) -> bool,
) -> Result<(TaskId, Option<TaskRecord>)> {
	if !chance(u, 15)? {
		if let Some((id, task)) = find_task(u, 8, keep)? {
			return Ok((id, Some(task)));
		}
	}
	let id = task_id(u)?;
	Ok((id, market::Tasks::<Runtime>::get(id)))
}

/// A task some node holds GPUs for whose state `keep` accepts: from the index of tasks in
/// hand first, since that is where assigned, acknowledged and running tasks are.
fn in_hand(
	u: &mut Unstructured,
	keep: impl Fn(&TaskState<BlockNumber>) -> bool,
) -> Result<Option<(TaskId, TaskRecord)>> {
	let held: Vec<(NodeId, TaskId)> = market::TasksInHand::<Runtime>::iter_keys().take(16).collect();
	if !held.is_empty() {
		for _ in 0..4 {
			let (_, id) = one_of(u, &held)?;
			if let Some(task) = market::Tasks::<Runtime>::get(id).filter(|t| keep(&t.state)) {
				return Ok(Some((id, task)));
			}
		}
	}
	find_task(u, 4, |t| keep(&t.state))
}

/// A queued task: from the queue's index, or among recent ids.
fn queued_task(u: &mut Unstructured) -> Result<Option<(TaskId, TaskRecord)>> {
	let queued: Vec<TaskId> = market::QueuedTasks::<Runtime>::iter_keys().take(16).collect();
	if !queued.is_empty() && chance(u, 80)? {
		let id = one_of(u, &queued)?;
		if let Some(task) = market::Tasks::<Runtime>::get(id) {
			return Ok(Some((id, task)));
		}
	}
	find_task(u, 4, |t| t.state == TaskState::Queued)
}

/// A queued task and a live compute node with GPUs enough for it; the market checks the rest.
fn assignment(u: &mut Unstructured) -> Result<(TaskId, NodeId)> {
	let Some((task, record)) = queued_task(u)? else { return Ok((task_id(u)?, node_id(u)?)) };
	let gpus = record.requirements.gpus;
	let fits = |n: &NodeRecord| n.roles.compute && n.state == NodeState::Active && n.gpu.count >= gpus;
	let node = match find_node(u, 6, fits)? {
		Some((id, _)) => id,
		None => node_id(u)?,
	};
	Ok((task, node))
}

fn placement(u: &mut Unstructured) -> Result<Placement> {
	Ok(match u.int_in_range(0..=3u8)? {
		0 => Placement::Anywhere,
		1 => Placement::InRegion(region(u)?),
		_ => Placement::Near { region: region(u)?, max_round_trip_ms: near_u32(u, &[0, 50, 400])? },
	})
}

/// What `node` can run: never more GPUs, memory, class or stage than it has, in its region or
/// near it.
fn requirements_for(u: &mut Unstructured, node: &NodeRecord) -> Result<TaskRequirements> {
	let class = gpu_class(&node.gpu.model);
	let classes: Vec<GpuClass> = [GpuClass::Consumer, GpuClass::Workstation, GpuClass::Datacenter]
		.into_iter()
		.filter(|c| *c <= class)
		.collect();
	let stage = multi_gpu_stage(node.gpu.total_vram_gib());
	let vram = node.gpu.vram_per_gpu_gib;
	let placement = match u.int_in_range(0..=9u8)? {
		0..=4 => Placement::Anywhere,
		5 | 6 => Placement::InRegion(node.region.clone()),
		7 | 8 => Placement::Near {
			region: node.region.clone(),
			max_round_trip_ms: pick_or(u, &[0, 20, 50, 150, 400, u32::MAX], 400)?,
		},
		_ => placement(u)?,
	};
	Ok(TaskRequirements {
		gpus: u.int_in_range(1..=node.gpu.count.clamp(1, 64))?,
		min_vram_per_gpu_gib: pick_or(u, &[0, vram / 2, vram], 0)?,
		min_gpu_class: pick_or(u, &classes, GpuClass::Consumer)?,
		min_stage: u.int_in_range(0..=stage)?,
		placement,
	})
}

/// Requirements with no node in mind, at and beyond what the registry admits.
fn requirements(u: &mut Unstructured) -> Result<TaskRequirements> {
	let max_gpus = <Runtime as market::Config>::MaxGpusPerNode::get();
	let max_vram = <Runtime as market::Config>::MaxVramPerGpuGib::get();
	Ok(TaskRequirements {
		gpus: near_u32(u, &[1, 8, max_gpus])?,
		min_vram_per_gpu_gib: near_u32(u, &[16, 80, max_vram])?,
		min_gpu_class: one_of(u, &[GpuClass::Consumer, GpuClass::Workstation, GpuClass::Datacenter])?,
		min_stage: u.int_in_range(0..=MAX_MULTI_GPU_STAGE + 1)?,
		placement: placement(u)?,
	})
}

fn workload(u: &mut Unstructured) -> Result<Workload> {
	if chance(u, 75)? {
		let size = match u.int_in_range(0..=9u8)? {
			0 => 0,
			1 => MAX_MATRIX_SIZE,
			2 => MAX_MATRIX_SIZE + 1,
			_ => pick_or(u, &[16, 64, 128, 256, 512], 64)?,
		};
		let rounds = match u.int_in_range(0..=9u8)? {
			0 => 0,
			1 => u32::MAX,
			_ => u.int_in_range(1..=4u32)?,
		};
		return Ok(Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: u.arbitrary()?, size, rounds }));
	}
	let image = match u.int_in_range(0..=5u8)? {
		0 => Vec::new(),
		1 => vec![b'i'; 256],
		_ => b"example/job:1".to_vec(),
	};
	Ok(Workload::Container { image: BoundedVec::truncate_from(image), command_hash: u.arbitrary()? })
}

/// Seconds for a task: mostly enough for its workload at the reference rate and for the
/// smallest escrow, else at the limits.
fn task_seconds(
	u: &mut Unstructured,
	requirements: &TaskRequirements,
	max_price: Balance,
	workload: &Workload,
) -> Result<u64> {
	let longest = <Runtime as market::Config>::MaxTaskSeconds::get();
	let work = match workload {
		Workload::Builtin(BuiltinWorkload::MatrixProduct { size, rounds, .. }) => {
			matrix_min_seconds(*size, *rounds)
		}
		Workload::Container { .. } => 0,
	};
	let per_hour = max_price.saturating_mul(Balance::from(requirements.gpus.max(1)));
	let min_escrow: Balance = <Runtime as market::Config>::MinTaskEscrow::get();
	let escrow_seconds = if per_hour == 0 { 0 } else { min_escrow.saturating_mul(3_600).div_ceil(per_hour) };
	let least = work.max(u64::try_from(escrow_seconds).unwrap_or(u64::MAX)).max(1);
	Ok(match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => longest,
		2 => longest + 1,
		3 => u64::MAX,
		4 => least.saturating_sub(1),
		5 => least,
		_ => least.max(pick_or(u, &[60, 300, 600, 1_800, 3_600, 7_200], 600)?),
	})
}

/// A deadline: mostly one that leaves a node time to take the task and run it, else at the
/// edges of what the market accepts.
fn deadline(
	u: &mut Unstructured,
	seconds: u64,
	params: Option<&market::MarketParams<BlockNumber>>,
) -> Result<BlockNumber> {
	let now = block();
	let ack = params.map_or(10, |p| p.ack_window);
	let run = u32::try_from(market::blocks_for(seconds, MILLI_SECS_PER_BLOCK)).unwrap_or(u32::MAX);
	let earliest = now.saturating_add(ack).saturating_add(run);
	let furthest = now.saturating_add(<Runtime as market::Config>::MaxDeadlineBlocks::get());
	Ok(match u.int_in_range(0..=11u8)? {
		0 => now,
		1 => now.saturating_add(1),
		2 => earliest.saturating_sub(1),
		3 => earliest,
		4 => furthest,
		5 => furthest.saturating_add(1),
		_ => earliest.saturating_add(u.int_in_range(1..=400u32)?),
	})
}

/// The digest a node delivers: one fixed per task most of the time, so verifiers that recompute
/// agree with it; sometimes another.
fn result_digest(u: &mut Unstructured, task: TaskId) -> Result<Digest> {
	Ok(match u.int_in_range(0..=9u8)? {
		0 => [0; 32],
		1 => u.arbitrary()?,
		_ => honest_digest(task),
	})
}

fn honest_digest(subject: u64) -> Digest {
	BlakeTwo256::hash(&(b"vcity-fuzz/result", subject).encode()).0
}

/// Metered GPU-seconds around what the run allows: what was reported, what has elapsed, the
/// task's size.
fn usage(u: &mut Unstructured, task: Option<&TaskRecord>) -> Result<GpuSeconds> {
	let Some(task) = task else { return near_u64(u, &[3_600]) };
	let size = task.size_gpu_seconds();
	let (elapsed, used) = match task.state {
		TaskState::Running { started_ms, used_gpu_seconds, .. } => {
			let seconds = now_ms().saturating_sub(started_ms).div_ceil(1_000);
			(seconds.saturating_mul(u64::from(task.requirements.gpus)), used_gpu_seconds)
		}
		_ => (0, 0),
	};
	Ok(match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => used.saturating_sub(1),
		2 => used,
		3 => elapsed.saturating_add(1),
		4 => size.saturating_add(1),
		5 => u64::MAX,
		6 => size,
		_ => elapsed.min(size).max(used),
	})
}

fn market_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	match u.int_in_range(0..=99u8)? {
		0..=19 => submit_task(u, w),
		20..=23 => cancel_task(u),
		24..=31 => assign_tasks(u),
		32..=37 => assign_directly(u),
		38..=45 => node_step(u, NodeStep::Acknowledge),
		46..=48 => node_step(u, NodeStep::Decline),
		49..=55 => node_step(u, NodeStep::Start),
		56..=59 => node_step(u, NodeStep::Usage),
		60..=69 => node_step(u, NodeStep::Complete),
		70..=72 => node_step(u, NodeStep::Fail),
		73..=80 => rate_task(u),
		81..=85 => dispute_task(u),
		86..=89 => {
			let (task, _) = pick_task(u, |t| {
				matches!(t.state, TaskState::Delivered { .. } | TaskState::Disputed { .. })
			})?;
			Ok(Draw::anyone(RuntimeCall::ComputeMarket(market::Call::settle { task })))
		}
		90..=94 => {
			let now = block();
			let (task, _) = pick_task(u, |t| {
				(t.state == TaskState::Queued || t.state.occupies_gpus()) && t.deadline < now
			})?;
			Ok(Draw::anyone(RuntimeCall::ComputeMarket(market::Call::expire_task { task })))
		}
		_ => Ok(Draw::anyone(market_governed(u)?)),
	}
}

/// A task mostly shaped after a live compute node, at a price it takes, so a scheduler or the
/// owner can assign it and the rest of its life follows.
fn submit_task(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let owner = world_account(u, w)?;
	let params = market::Params::<Runtime>::get();
	let target = if chance(u, 85)? {
		find_node(u, 6, |n| n.state == NodeState::Active && n.roles.compute)?
	} else {
		None
	};
	let requirements = match &target {
		Some((_, node)) => requirements_for(u, node)?,
		None => requirements(u)?,
	};
	let floor = params.map_or(1, |p| p.price_floor.of(requirements.min_gpu_class));
	let max_price_per_gpu_hour = match &target {
		Some((_, node)) if chance(u, 80)? => {
			node.price_per_gpu_hour.max(floor).saturating_mul(pick_or(u, &[1, 1, 2, 3], 1)?)
		}
		_ => price(u, floor)?,
	};
	let workload = workload(u)?;
	let seconds = task_seconds(u, &requirements, max_price_per_gpu_hour, &workload)?;
	let deadline = deadline(u, seconds, params.as_ref())?;
	let billing = if chance(u, 70)? { Billing::PerTask } else { Billing::Metered };
	let call = market::Call::submit_task {
		requirements,
		seconds,
		deadline,
		max_price_per_gpu_hour,
		workload,
		billing,
	};
	Ok(Draw::by(Some(owner), RuntimeCall::ComputeMarket(call)))
}

fn cancel_task(u: &mut Unstructured) -> Result<Draw> {
	let (task, record) = pick_task(u, |t| {
		matches!(t.state, TaskState::Queued | TaskState::Acknowledged { .. } | TaskState::Running { .. })
	})?;
	let call = market::Call::cancel_task { task };
	Ok(Draw::by(record.map(|t| t.owner), RuntimeCall::ComputeMarket(call)))
}

/// A batch from the operator of an online scheduler node: a few real pairs, or a full batch.
fn assign_tasks(u: &mut Unstructured) -> Result<Draw> {
	let scheduler = find_node(u, 8, |n| n.roles.scheduler && n.state == NodeState::Active)?;
	let most = <Runtime as market::Config>::MaxAssignmentsPerBatch::get();
	let count = match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => most,
		_ => u.int_in_range(1..=4u32)?,
	};
	let mut assignments = Vec::new();
	for i in 0..count {
		// Beyond a few, pairs cost no reads: a full batch is about its length, not its fit.
		assignments.push(if i < 4 { assignment(u)? } else { (task_id(u)?, node_id(u)?) });
	}
	let call = market::Call::assign_tasks { assignments: BoundedVec::truncate_from(assignments) };
	Ok(Draw::by(scheduler.map(|(_, n)| n.operator), RuntimeCall::ComputeMarket(call)))
}

fn assign_directly(u: &mut Unstructured) -> Result<Draw> {
	let (task, node) = assignment(u)?;
	let owner = market::Tasks::<Runtime>::get(task).map(|t| t.owner);
	let call = market::Call::assign_directly { task, node };
	Ok(Draw::by(owner, RuntimeCall::ComputeMarket(call)))
}

#[derive(Clone, Copy)]
enum NodeStep {
	Acknowledge,
	Decline,
	Start,
	Usage,
	Complete,
	Fail,
}

/// A step of the node a task is with, signed by its operator, for a task in the state it needs.
fn node_step(u: &mut Unstructured, step: NodeStep) -> Result<Draw> {
	let wanted = |state: &TaskState<BlockNumber>| match step {
		NodeStep::Acknowledge | NodeStep::Decline => matches!(state, TaskState::Assigned { .. }),
		NodeStep::Start => matches!(state, TaskState::Acknowledged { .. }),
		NodeStep::Usage | NodeStep::Complete => matches!(state, TaskState::Running { .. }),
		NodeStep::Fail => matches!(state, TaskState::Acknowledged { .. } | TaskState::Running { .. }),
	};
	let (task, record) = match in_hand(u, wanted)? {
		Some((id, record)) => (id, Some(record)),
		None => {
			let id = task_id(u)?;
			(id, market::Tasks::<Runtime>::get(id))
		}
	};
	let signer = record.as_ref().and_then(|t| t.state.engagement()).and_then(|e| operator_of(e.node));
	let call = match step {
		NodeStep::Acknowledge => market::Call::acknowledge_task { task },
		NodeStep::Decline => market::Call::decline_task { task },
		NodeStep::Start => market::Call::start_task { task },
		NodeStep::Usage => market::Call::report_usage { task, used_gpu_seconds: usage(u, record.as_ref())? },
		NodeStep::Complete => market::Call::complete_task {
			task,
			result: result_digest(u, task)?,
			used_gpu_seconds: usage(u, record.as_ref())?,
		},
		NodeStep::Fail => market::Call::report_failure { task },
	};
	Ok(Draw::by(signer, RuntimeCall::ComputeMarket(call)))
}

fn rate_task(u: &mut Unstructured) -> Result<Draw> {
	let (task, record) = pick_task(u, |t| matches!(t.state, TaskState::Delivered { .. }))?;
	let stars = match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => 6,
		2 => u8::MAX,
		_ => u.int_in_range(1..=5u8)?,
	};
	let call = market::Call::rate_task { task, stars };
	Ok(Draw::by(record.map(|t| t.owner), RuntimeCall::ComputeMarket(call)))
}

fn dispute_task(u: &mut Unstructured) -> Result<Draw> {
	let (task, record) = pick_task(u, |t| matches!(t.state, TaskState::Delivered { .. }))?;
	let call = market::Call::dispute_task { task };
	Ok(Draw::by(record.map(|t| t.owner), RuntimeCall::ComputeMarket(call)))
}

fn market_params(u: &mut Unstructured) -> Result<market::MarketParams<BlockNumber>> {
	let [consumer, workstation, datacenter] = market::DEFAULT_PRICE_FLOOR;
	let mut params = market::Params::<Runtime>::get().unwrap_or(market::MarketParams {
		ack_window: 10,
		start_window: 300,
		dispute_window: 600,
		resolution_window: 100_800,
		fee_split: market::FeeSplit::DEFAULT,
		price_floor: market::PriceFloor { consumer, workstation, datacenter },
	});
	let min_ack = <Runtime as market::Config>::MinAckWindow::get();
	let longest = <Runtime as market::Config>::MaxDeadlineBlocks::get();
	match u.int_in_range(0..=8u8)? {
		0 => params.ack_window = near_u32(u, &[min_ack, longest])?,
		1 => params.start_window = near_u32(u, &[1, longest])?,
		2 => params.dispute_window = near_u32(u, &[1, params.resolution_window])?,
		3 => params.resolution_window = near_u32(u, &[params.dispute_window, longest])?,
		4 => params.fee_split.node_gold = permill(u, &[params.fee_split.node_silver])?,
		5 => params.fee_split.node_bronze = permill(u, &[params.fee_split.node_silver])?,
		6 => params.fee_split.scheduler = permill(u, &[Permill::from_percent(9)])?,
		7 => params.price_floor.consumer = near_u128(u, &[1, params.price_floor.workstation])?,
		_ => params.price_floor.datacenter = near_u128(u, &[params.price_floor.workstation])?,
	}
	Ok(params)
}

fn market_governed(u: &mut Unstructured) -> Result<RuntimeCall> {
	let call = if chance(u, 50)? {
		market::Call::set_params { params: market_params(u)? }
	} else {
		let (task, _) = pick_task(u, |t| matches!(t.state, TaskState::Disputed { .. }))?;
		market::Call::resolve_dispute { task, upheld: u.arbitrary()? }
	};
	Ok(RuntimeCall::ComputeMarket(call))
}

// ---------------------------------------------------------------------------------------------
// Verification.
// ---------------------------------------------------------------------------------------------

type Job = pallet_verification::JobOf<Runtime>;

/// Answers a verifier (or a challenged node) may give a job. The same choice gives the same
/// answer whoever answers, so three verifiers picking at random often form a quorum: for the
/// delivered digest (the result passes), against it (a false result), or split.
const ANSWER_CHOICES: u8 = 3;

fn candidate(job: &Job, choice: u8) -> CheckAnswer {
	let claimed = match &job.subject {
		JobSubject::Delivery { claimed, .. } => *claimed,
		JobSubject::Capacity { .. } => honest_digest(job.node),
	};
	let keyed = BlakeTwo256::hash(&(b"vcity-fuzz/keyed", job.key, choice).encode()).0;
	match choice {
		0 => CheckAnswer { digest: claimed, keyed },
		1 => CheckAnswer { digest: BlakeTwo256::hash(&claimed).0, keyed },
		_ => CheckAnswer { digest: claimed, keyed },
	}
}

/// The salt of a choice: derived, so the reveal can find what was committed without memory.
fn salt(job: JobId, node: NodeId, choice: u8) -> [u8; 32] {
	BlakeTwo256::hash(&(b"vcity-fuzz/salt", job, node, choice).encode()).0
}

fn open_job(u: &mut Unstructured) -> Result<Option<(JobId, Job)>> {
	let jobs: Vec<(JobId, Job)> = pallet_verification::Jobs::<Runtime>::iter().take(8).collect();
	if jobs.is_empty() {
		return Ok(None);
	}
	Ok(Some(one_of(u, &jobs)?))
}

fn job_id(u: &mut Unstructured) -> Result<JobId> {
	id_below(u, pallet_verification::NextJobId::<Runtime>::get())
}

/// A node that answers `job`: a drawn verifier, or the node its challenge is for.
fn answerer(u: &mut Unstructured, job: &Job) -> Result<NodeId> {
	let nodes: Vec<NodeId> = job.seats.iter().chain(job.node_seat()).map(|seat| seat.verifier).collect();
	if nodes.is_empty() {
		return node_id(u);
	}
	one_of(u, &nodes)
}

fn verification_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_verification::Call as V;
	match u.int_in_range(0..=99u8)? {
		0..=14 => {
			let (node, record) = pick_node(u, |n| n.roles.verifier && n.state == NodeState::Active)?;
			let signer = controller(u, record)?;
			Ok(Draw::by(signer, RuntimeCall::Verification(V::join_pool { node })))
		}
		15..=19 => {
			let size = pallet_verification::PoolSize::<Runtime>::get();
			let node = match size {
				0 => node_id(u)?,
				_ => match pallet_verification::PoolSlot::<Runtime>::get(u.int_in_range(0..=size - 1)?) {
					Some(node) => node,
					None => node_id(u)?,
				},
			};
			let signer = controller(u, self::node(node))?;
			Ok(Draw::by(signer, RuntimeCall::Verification(V::leave_pool { node })))
		}
		20..=49 => commit_answer(u),
		50..=79 => reveal_answer(u),
		80..=87 => prove_misconduct(u, w),
		88..=94 => attach_attestation(u),
		_ => Ok(Draw::anyone(verification_governed(u)?)),
	}
}

/// The node's owner or its operator: either may put it in the pool or attest it.
fn controller(u: &mut Unstructured, record: Option<NodeRecord>) -> Result<Option<AccountId>> {
	let Some(record) = record else { return Ok(None) };
	Ok(Some(if chance(u, 50)? { record.owner } else { record.operator }))
}

fn commit_answer(u: &mut Unstructured) -> Result<Draw> {
	let Some((job, record)) = open_job(u)? else {
		let call = pallet_verification::Call::commit_answer { job: job_id(u)?, commitment: u.arbitrary()? };
		return Ok(Draw::anyone(RuntimeCall::Verification(call)));
	};
	let node = answerer(u, &record)?;
	let commitment = if chance(u, 90)? {
		let choice = u.int_in_range(0..=ANSWER_CHOICES - 1)?;
		answer_commitment(job, node, &candidate(&record, choice), &salt(job, node, choice))
	} else {
		u.arbitrary()?
	};
	let call = pallet_verification::Call::commit_answer { job, commitment };
	Ok(Draw::by(operator_of(node), RuntimeCall::Verification(call)))
}

/// A reveal that matches the commitment when one of the candidate answers was committed.
fn reveal_answer(u: &mut Unstructured) -> Result<Draw> {
	let Some((job, record)) = open_job(u)? else {
		let call = pallet_verification::Call::reveal_answer {
			job: job_id(u)?,
			answer: CheckAnswer { digest: u.arbitrary()?, keyed: u.arbitrary()? },
			salt: u.arbitrary()?,
		};
		return Ok(Draw::anyone(RuntimeCall::Verification(call)));
	};
	let node = answerer(u, &record)?;
	let committed = record
		.seats
		.iter()
		.chain(record.node_seat())
		.find(|seat| seat.verifier == node)
		.and_then(|s| s.commitment);
	let known = (0..ANSWER_CHOICES).find(|&choice| {
		committed == Some(answer_commitment(job, node, &candidate(&record, choice), &salt(job, node, choice)))
	});
	let (answer, salt) = match known {
		Some(choice) if !chance(u, 5)? => (candidate(&record, choice), salt(job, node, choice)),
		_ => (CheckAnswer { digest: u.arbitrary()?, keyed: u.arbitrary()? }, u.arbitrary()?),
	};
	let call = pallet_verification::Call::reveal_answer { job, answer, salt };
	Ok(Draw::by(operator_of(node), RuntimeCall::Verification(call)))
}

/// Keys the fuzzer's accounts may be derived from: the well-known dev keys and `//Fuzz1` to
/// `//Fuzz8`. A misconduct proof needs statements an operator's key really signed.
fn known_pair(who: &AccountId) -> Option<&'static sp_core::sr25519::Pair> {
	use sp_core::Pair as _;
	static PAIRS: OnceLock<Vec<(AccountId, sp_core::sr25519::Pair)>> = OnceLock::new();
	// Deriving a key from its URI stretches the dev seed: done once, not per signature.
	let pairs = PAIRS.get_or_init(|| {
		let fuzz =
			(1..=8).filter_map(|i| sp_core::sr25519::Pair::from_string(&format!("//Fuzz{i}"), None).ok());
		Sr25519Keyring::iter()
			.map(|k| k.pair())
			.chain(fuzz)
			.map(|pair| (AccountId::from(pair.public()), pair))
			.collect()
	});
	pairs.iter().find(|(id, _)| id == who).map(|(_, pair)| pair)
}

/// A signature of `who` over `payload` when the fuzzer knows its key, else a random one.
fn sign_as(u: &mut Unstructured, who: Option<&AccountId>, payload: &[u8]) -> Result<MultiSignature> {
	use sp_core::Pair as _;
	if let Some(pair) = who.and_then(known_pair) {
		if !chance(u, 5)? {
			return Ok(MultiSignature::from(pair.sign(payload)));
		}
	}
	Ok(MultiSignature::from(sp_core::sr25519::Signature::from_raw(u.arbitrary()?)))
}

/// A proof against a node whose operator key the fuzzer holds: two statements of one subject
/// that differ, or one that differs from what the node delivered on chain.
fn prove_misconduct(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let (node, record) = pick_node(u, |n| known_pair(&n.operator).is_some())?;
	let operator = record.map(|n| n.operator);
	let subject = match u.int_in_range(0..=9u8)? {
		0..=5 => {
			let delivered: Vec<TaskId> =
				market::TasksOfNode::<Runtime>::iter_key_prefix(node).take(8).collect();
			StatementSubject::Task(if delivered.is_empty() { task_id(u)? } else { one_of(u, &delivered)? })
		}
		6..=8 => {
			let answered: Vec<JobId> = pallet_verification::Jobs::<Runtime>::iter()
				.take(8)
				.filter(|(_, job)| job.answers(node))
				.map(|(id, _)| id)
				.collect();
			StatementSubject::Job(if answered.is_empty() { job_id(u)? } else { one_of(u, &answered)? })
		}
		_ => StatementSubject::Task(task_id(u)?),
	};
	let genesis = frame_system::Pallet::<Runtime>::block_hash(0u32);
	let first = ResultStatement {
		subject,
		digest: match subject {
			StatementSubject::Task(task) if chance(u, 30)? => honest_digest(task),
			_ => u.arbitrary()?,
		},
	};
	let first_signature = sign_as(u, operator.as_ref(), &first.signing_payload(genesis.as_ref()))?;
	let second = if chance(u, 50)? {
		let statement = ResultStatement {
			subject: if chance(u, 90)? { subject } else { StatementSubject::Job(job_id(u)?) },
			digest: if chance(u, 90)? { BlakeTwo256::hash(&first.digest).0 } else { first.digest },
		};
		let signature = sign_as(u, operator.as_ref(), &statement.signing_payload(genesis.as_ref()))?;
		Some((statement, signature))
	} else {
		None
	};
	let call = pallet_verification::Call::prove_misconduct { node, first: (first, first_signature), second };
	// Whoever finds it reports it; a node's own people earn no cut, which is checked too.
	Ok(Draw::by(Some(world_account(u, w)?), RuntimeCall::Verification(call)))
}

fn attach_attestation(u: &mut Unstructured) -> Result<Draw> {
	use pallet_verification::{TeeKind, MAX_REPORT_BYTES};
	let (node, record) = pick_node(u, |n| !matches!(n.state, NodeState::Exited | NodeState::Banned))?;
	let signer = controller(u, record)?;
	let report = match u.int_in_range(0..=19u8)? {
		0 => Vec::new(),
		1 => vec![7; MAX_REPORT_BYTES as usize],
		_ => bytes(u, 64)?,
	};
	let tee = one_of(u, &[TeeKind::NvidiaCc, TeeKind::IntelTdx, TeeKind::AmdSevSnp])?;
	let call = pallet_verification::Call::attach_attestation {
		node,
		tee,
		report: BoundedVec::truncate_from(report),
	};
	Ok(Draw::by(signer, RuntimeCall::Verification(call)))
}

fn verification_params(u: &mut Unstructured) -> Result<pallet_verification::VerificationParams<BlockNumber>> {
	use pallet_verification::{MAX_FEE_SHARE, MAX_VERIFIERS_PER_JOB};
	let mut params = pallet_verification::Params::<Runtime>::get();
	match u.int_in_range(0..=8u8)? {
		0 => params.verifiers_per_job = near_u32(u, &[1, MAX_VERIFIERS_PER_JOB])?,
		1 => params.quorum = near_u32(u, &[params.verifiers_per_job / 2 + 1, params.verifiers_per_job])?,
		2 => params.commit_window = near_u32(u, &[1, params.commit_window])?,
		3 => params.reveal_window = near_u32(u, &[1, params.reveal_window])?,
		4 => params.fee_share = permill(u, &[MAX_FEE_SHARE])?,
		5 => params.audit_fraction = perbill(u, &[Perbill::zero()])?,
		6 => params.dispute_deposit = usdv(u)?,
		7 => params.answer_reward = usdv(u)?,
		_ => params.max_work_seconds = near_u64(u, &[1, 3_600])?,
	}
	Ok(params)
}

fn challenge_params(u: &mut Unstructured) -> Result<pallet_verification::ChallengeParams> {
	use pallet_verification::{MAX_MEMORY_KIB_PER_GIB, MAX_MEMORY_READS_PER_ITEM};
	let mut params = pallet_verification::Challenges::<Runtime>::get();
	let mut spec = params.consumer;
	match u.int_in_range(0..=6u8)? {
		0 => params.daily_fraction = perbill(u, &[Perbill::zero()])?,
		1 => spec.size = near_u32(u, &[1, MAX_MATRIX_SIZE])?,
		2 => spec.rounds_per_gpu = near_u32(u, &[1, 3_600])?,
		3 => spec.deadline_seconds = near_u32(u, &[1, 60])?,
		4 => spec.verify_seconds_per_gpu = near_u32(u, &[1, 120])?,
		5 => spec.memory_kib_per_gib = near_u32(u, &[0, MAX_MEMORY_KIB_PER_GIB])?,
		_ => spec.memory_reads_per_item = near_u32(u, &[0, MAX_MEMORY_READS_PER_ITEM])?,
	}
	match u.int_in_range(0..=2u8)? {
		0 => params.consumer = spec,
		1 => params.workstation = spec,
		_ => params.datacenter = spec,
	}
	Ok(params)
}

fn verification_governed(u: &mut Unstructured) -> Result<RuntimeCall> {
	use pallet_verification::Call as V;
	let call = match u.int_in_range(0..=3u8)? {
		0 => V::set_params { params: verification_params(u)? },
		1 => V::set_challenge_params { params: challenge_params(u)? },
		2 => {
			let mut policy = pallet_verification::TeePolicy::<Runtime>::get();
			if chance(u, 50)? {
				policy.attested_challenge_share = perbill(u, &[Perbill::zero()])?;
			} else {
				policy.max_validity = near_u32(u, &[policy.max_validity])?;
			}
			V::set_attestation_policy { policy }
		}
		_ => {
			let (node, _) = pick_node(u, |n| n.state != NodeState::Exited)?;
			let attached = pallet_verification::Attestations::<Runtime>::get(node);
			let report_hash = match attached {
				Some(attestation) if chance(u, 90)? => attestation.report_hash,
				_ => u.arbitrary()?,
			};
			let max_validity = pallet_verification::TeePolicy::<Runtime>::get().max_validity;
			V::judge_attestation {
				node,
				report_hash,
				accepted: u.arbitrary()?,
				valid_for: near_u32(u, &[max_validity])?,
			}
		}
	};
	Ok(RuntimeCall::Verification(call))
}

// ---------------------------------------------------------------------------------------------
// Slashing and rewards.
// ---------------------------------------------------------------------------------------------

/// A pending case and its node, mostly; otherwise an id at the edges.
fn pick_case(u: &mut Unstructured) -> Result<(SlashCaseId, Option<NodeId>)> {
	let open: Vec<(SlashCaseId, NodeId)> =
		pallet_slashing::Cases::<Runtime>::iter().take(8).map(|(id, case)| (id, case.node)).collect();
	if !open.is_empty() && chance(u, 85)? {
		let (id, node) = one_of(u, &open)?;
		return Ok((id, Some(node)));
	}
	Ok((id_below(u, pallet_slashing::NextCaseId::<Runtime>::get())?, None))
}

fn slashing_call(u: &mut Unstructured) -> Result<Draw> {
	let (case, node) = pick_case(u)?;
	match u.int_in_range(0..=9u8)? {
		0..=4 => {
			let owner = node.and_then(self::node).map(|n| n.owner);
			Ok(Draw::by(owner, RuntimeCall::Slashing(pallet_slashing::Call::appeal { case })))
		}
		5..=7 => Ok(Draw::anyone(RuntimeCall::Slashing(pallet_slashing::Call::execute_slash { case }))),
		_ => Ok(Draw::anyone(slashing_governed(u)?)),
	}
}

fn slash_params(u: &mut Unstructured) -> Result<pallet_slashing::SlashParams<BlockNumber>> {
	use pallet_slashing::{
		FractionRange, MAX_REPEATS_TO_LAST, MAX_REPORTER_CUT, MINOR_BOUNDS, MODERATE_BOUNDS,
	};
	let min_deferral = <Runtime as pallet_slashing::Config>::MinDeferral::get();
	let max_deferral = <Runtime as pallet_slashing::Config>::MaxDeferral::get();
	let max_grace = <Runtime as pallet_slashing::Config>::MaxAppealGrace::get();
	let max_repeat = <Runtime as pallet_slashing::Config>::MaxRepeatWindow::get();
	let mut params = pallet_slashing::Params::<Runtime>::get();
	match u.int_in_range(0..=7u8)? {
		0 => {
			let first = perbill(u, &[MINOR_BOUNDS.0, MINOR_BOUNDS.1])?;
			params.minor = FractionRange { first, last: perbill(u, &[first, MINOR_BOUNDS.1])? };
		}
		1 => {
			let first = perbill(u, &[MODERATE_BOUNDS.0, MODERATE_BOUNDS.1])?;
			params.moderate = FractionRange { first, last: perbill(u, &[first, MODERATE_BOUNDS.1])? };
		}
		2 => params.repeats_to_last = near_u32(u, &[1, MAX_REPEATS_TO_LAST])?,
		3 => params.deferral = near_u32(u, &[min_deferral, max_deferral])?,
		4 => params.appeal_grace = near_u32(u, &[0, max_grace])?,
		5 => params.repeat_window = near_u32(u, &[1, max_repeat])?,
		6 => params.appeal_deposit = vcai(u)?,
		_ => params.reporter_cut = perbill(u, &[MAX_REPORTER_CUT])?,
	}
	Ok(params)
}

fn slashing_governed(u: &mut Unstructured) -> Result<RuntimeCall> {
	let call = if chance(u, 60)? {
		let (case, _) = pick_case(u)?;
		pallet_slashing::Call::decide_appeal { case, upheld: u.arbitrary()? }
	} else {
		pallet_slashing::Call::set_params { params: slash_params(u)? }
	};
	Ok(RuntimeCall::Slashing(call))
}

/// Closed periods mostly (the ones claims pay), the open one, the next, or the extremes.
fn period(u: &mut Unstructured) -> Result<PeriodIndex> {
	let open = pallet_rewards::OpenPeriod::<Runtime>::get();
	Ok(match u.int_in_range(0..=9u8)? {
		0 => open,
		1 => open.saturating_add(1),
		2 => u32::MAX,
		3 => 0,
		_ => open.saturating_sub(u.int_in_range(1..=8u32)?),
	})
}

fn periods<S: Get<u32>>(u: &mut Unstructured) -> Result<BoundedVec<PeriodIndex, S>> {
	let count = match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => S::get(),
		_ => u.int_in_range(1..=3u32)?,
	};
	let mut periods = Vec::new();
	for _ in 0..count {
		periods.push(period(u)?);
	}
	Ok(BoundedVec::truncate_from(periods))
}

fn rewards_params(u: &mut Unstructured) -> Result<vcity_primitives::RewardsParams> {
	// The pallet's bound on a factor (10x).
	const MAX_FACTOR_PERMILLE: u32 = 10_000;
	let mut params = pallet_rewards::Params::<Runtime>::get();
	match u.int_in_range(0..=7u8)? {
		0 => params.release_percent = perbill(u, &[Perbill::zero()])?,
		1 => params.capacity_share = perbill(u, &[Perbill::zero()])?,
		2 => params.gpu_class.datacenter = near_u32(u, &[1_000, MAX_FACTOR_PERMILLE])?,
		3 => params.gpu_class.consumer = near_u32(u, &[0, 1_000, MAX_FACTOR_PERMILLE])?,
		4 => {
			let permille = near_u32(u, &[1_000, MAX_FACTOR_PERMILLE])?;
			if let Some(stage) = params.multi_gpu.last_mut() {
				stage.permille = permille;
			}
		}
		5 => {
			let from_gib = near_u32(u, &[0, 96])?;
			if let Some(stage) = params.multi_gpu.get_mut(1) {
				stage.from_gib = from_gib;
			}
		}
		6 => params.delivery_per_fee = perbill(u, &[Perbill::from_percent(70)])?,
		_ => params.rebate_per_fee = perbill(u, &[Perbill::from_percent(70)])?,
	}
	Ok(params)
}

fn rewards_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_rewards::Call as R;
	match u.int_in_range(0..=9u8)? {
		0..=4 => {
			let (node, record) = pick_node(u, |n| owned_by_world(w, n))?;
			let call = R::claim_node_rewards { node, periods: periods(u)? };
			Ok(Draw::by(record.map(|n| n.owner), RuntimeCall::Rewards(call)))
		}
		5..=6 => {
			let call = R::claim_rebates { periods: periods(u)? };
			Ok(Draw::by(Some(world_account(u, w)?), RuntimeCall::Rewards(call)))
		}
		7..=8 => {
			let (node, _) = pick_node(u, |n| n.state == NodeState::Banned)?;
			Ok(Draw::anyone(RuntimeCall::Rewards(R::forfeit_rewards { node, periods: periods(u)? })))
		}
		_ => Ok(Draw::anyone(RuntimeCall::Rewards(R::set_params { params: rewards_params(u)? }))),
	}
}

// ---------------------------------------------------------------------------------------------
// veVCAI and its votes.
// ---------------------------------------------------------------------------------------------

/// An account with a lock, mostly (the one that can grow, extend, withdraw or vote); otherwise
/// any world account.
fn locker(u: &mut Unstructured, w: &World) -> Result<AccountId> {
	let holders: Vec<AccountId> = pallet_ve_vcai::Locks::<Runtime>::iter_keys()
		.take(16)
		.filter(|who| w.accounts.contains(who))
		.collect();
	if !holders.is_empty() && chance(u, 80)? {
		return one_of(u, &holders);
	}
	world_account(u, w)
}

/// An unlock time: a whole number of days ahead (up to and past the longest lock), inside its
/// day or at its first millisecond or just before; or the extremes.
fn unlock_time(u: &mut Unstructured) -> Result<Moment> {
	let today = <ChainClock as Clock>::day_index();
	let longest = <Runtime as pallet_ve_vcai::Config>::MaxLockDays::get();
	let days = match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => longest,
		2 => longest.saturating_add(1),
		_ => pick_or(u, &[1, 2, 7, 30, 365], 7)?,
	};
	let start = <ChainClock as Clock>::day_start_ms(today.saturating_add(days));
	Ok(match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => u64::MAX,
		2 => start.saturating_sub(1),
		3 => now_ms(),
		4 => start,
		_ => start.saturating_add(<ChainClock as Clock>::day_ms() / 2),
	})
}

fn lock_amount(u: &mut Unstructured) -> Result<Balance> {
	let least: Balance = <Runtime as pallet_ve_vcai::Config>::MinLockAmount::get();
	Ok(match u.int_in_range(0..=9u8)? {
		0 => least.saturating_sub(1),
		1 => least,
		2 | 3 => vcai(u)?,
		_ => VCAI.saturating_mul(pick_or(u, &[10, 1_000, 100_000], 1_000)?),
	})
}

fn ve_vcai_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_ve_vcai::Call as Ve;
	let call = match u.int_in_range(0..=99u8)? {
		0..=29 => {
			let who = world_account(u, w)?;
			let call = Ve::create_lock { amount: lock_amount(u)?, unlock_time: unlock_time(u)? };
			return Ok(Draw::by(Some(who), RuntimeCall::VeVcai(call)));
		}
		30..=44 => Ve::increase_amount { amount: lock_amount(u)? },
		45..=57 => Ve::extend_unlock { unlock_time: unlock_time(u)? },
		58..=69 => Ve::withdraw {},
		70..=84 => Ve::claim {},
		_ => {
			let who = world_account(u, w)?;
			let call = Ve::drop_rewards { amount: vcai(u)? };
			return Ok(Draw::by(Some(who), RuntimeCall::VeVcai(call)));
		}
	};
	Ok(Draw::by(Some(locker(u, w)?), RuntimeCall::VeVcai(call)))
}

/// A referendum index: mostly one of the last few, else the next one or the extremes.
fn poll(u: &mut Unstructured) -> Result<u32> {
	let count = pallet_referenda::ReferendumCount::<Runtime>::get();
	Ok(match u.int_in_range(0..=9u8)? {
		0 => count,
		1 => u32::MAX,
		_ if count == 0 => 0,
		2 => u.int_in_range(0..=count - 1)?,
		_ => count - 1 - u.int_in_range(0..=3u32)?.min(count - 1),
	})
}

fn ve_voting_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_ve_voting::{Call as Votes, VoteChoice};
	let voter = locker(u, w)?;
	let call = match u.int_in_range(0..=9u8)? {
		0..=5 => Votes::vote {
			poll: poll(u)?,
			choice: one_of(u, &[VoteChoice::Aye, VoteChoice::Aye, VoteChoice::Nay, VoteChoice::Abstain])?,
		},
		6..=7 => Votes::remove_vote { poll: poll(u)? },
		_ => Votes::cleanup_poll { poll: poll(u)?, max: near_u32(u, &[16, 1_000])? },
	};
	Ok(Draw::by(Some(voter), RuntimeCall::VeVoting(call)))
}

// ---------------------------------------------------------------------------------------------
// Governance: governed calls, referenda, preimages.
// ---------------------------------------------------------------------------------------------

/// The track a governed call belongs on.
#[derive(Clone, Copy)]
enum Track {
	Root,
	Dao(DaoOrigin),
}

impl Track {
	fn caller(self) -> OriginCaller {
		match self {
			Track::Root => OriginCaller::system(frame_system::RawOrigin::Root),
			Track::Dao(origin) => OriginCaller::Governance(origin),
		}
	}
}

const DAO_ORIGINS: [DaoOrigin; 6] = [
	DaoOrigin::Parameters,
	DaoOrigin::StrategicIssuance,
	DaoOrigin::Repricing,
	DaoOrigin::TreasurySpending,
	DaoOrigin::Appeal,
	DaoOrigin::Canceller,
];

/// A governed call and the track that may make it. Only the chain's governed calls: a proposal
/// that mints or burns through a FRAME pallet's root call would be the DAO's right, and would
/// only hide a real break of the supply invariants.
fn governed(u: &mut Unstructured, w: &World) -> Result<(Track, RuntimeCall)> {
	use DaoOrigin::*;
	Ok(match u.int_in_range(0..=17u8)? {
		0 | 1 => (Track::Dao(Parameters), registry_governed(u)?),
		2 | 3 => (
			Track::Dao(Parameters),
			RuntimeCall::ComputeMarket(market::Call::set_params { params: market_params(u)? }),
		),
		4 => {
			let (task, _) = pick_task(u, |t| matches!(t.state, TaskState::Disputed { .. }))?;
			let call = market::Call::resolve_dispute { task, upheld: u.arbitrary()? };
			(Track::Dao(Appeal), RuntimeCall::ComputeMarket(call))
		}
		5 | 6 => (Track::Dao(Parameters), verification_governed(u)?),
		7 => (
			Track::Dao(Parameters),
			RuntimeCall::Slashing(pallet_slashing::Call::set_params { params: slash_params(u)? }),
		),
		8 => {
			let (case, _) = pick_case(u)?;
			let call = pallet_slashing::Call::decide_appeal { case, upheld: u.arbitrary()? };
			(Track::Dao(Appeal), RuntimeCall::Slashing(call))
		}
		9 => (
			Track::Dao(Parameters),
			RuntimeCall::Rewards(pallet_rewards::Call::set_params { params: rewards_params(u)? }),
		),
		10 => (Track::Dao(Parameters), buyback_governed(u)?),
		11 => {
			let day = <ChainClock as Clock>::day_ms();
			let max_days: u32 = <Runtime as pallet_chain_clock::Config>::MaxPeriodDays::get();
			let max_days = Moment::from(max_days);
			let length_ms = near_u64(u, &[day, 7 * day, day.saturating_mul(max_days)])?;
			(
				Track::Dao(Parameters),
				RuntimeCall::ChainClock(pallet_chain_clock::Call::set_period_length { length_ms }),
			)
		}
		12 => (Track::Root, set_track(u)?),
		13 | 14 => (Track::Dao(StrategicIssuance), strategic_issuance(u, w)?),
		15 => {
			let numerator = near_u64(u, &[1, 2, 10, 1_000])?;
			let denominator = near_u64(u, &[1, 2, 10, 1_000])?;
			(
				Track::Dao(Repricing),
				RuntimeCall::Supply(pallet_supply::Call::reprice { numerator, denominator }),
			)
		}
		16 => {
			use pallet_supply::TreasuryAsset;
			let (asset, amount) = if chance(u, 50)? {
				(TreasuryAsset::Vcai, vcai(u)?)
			} else {
				(TreasuryAsset::Usdv, usdv(u)?)
			};
			let call = pallet_supply::Call::spend { asset, to: account(u, w)?, amount };
			(Track::Dao(TreasurySpending), RuntimeCall::Supply(call))
		}
		_ => {
			if chance(u, 50)? {
				let call = pallet_referenda::Call::cancel { index: poll(u)? };
				(Track::Dao(Canceller), RuntimeCall::Referenda(call))
			} else {
				let pool_id = (NativeOrWithId::Native, NativeOrWithId::WithId(USDV_ASSET_ID));
				let fee = permill(u, &[Permill::from_percent(10)])?;
				let call = pallet_asset_conversion::Call::set_pool_fee { pool_id, fee };
				(Track::Dao(Parameters), RuntimeCall::AssetConversion(call))
			}
		}
	})
}

fn buyback_governed(u: &mut Unstructured) -> Result<RuntimeCall> {
	let mut params = pallet_buyback::Params::<Runtime>::get();
	let min_window = <Runtime as pallet_buyback::Config>::MinTwapWindow::get();
	let max_window = <Runtime as pallet_buyback::Config>::MaxTwapWindow::get();
	let max_interval = <Runtime as pallet_buyback::Config>::MaxIntervalDays::get();
	match u.int_in_range(0..=3u8)? {
		0 => params.interval_days = near_u32(u, &[1, max_interval])?,
		1 => params.twap_window = near_u32(u, &[min_window, max_window])?,
		2 => params.max_slippage = perbill(u, &[Perbill::from_percent(50)])?,
		_ => params.max_chunk = usdv(u)?,
	}
	Ok(RuntimeCall::Buyback(pallet_buyback::Call::set_params { params }))
}

fn set_track(u: &mut Unstructured) -> Result<RuntimeCall> {
	use pallet_governance::DaoTrack;
	let id = match u.int_in_range(0..=9u8)? {
		0 => DaoTrack::ALL.len() as u16,
		1 => u16::MAX,
		_ => u.int_in_range(0..=DaoTrack::ALL.len() as u16 - 1)?,
	};
	let track = DaoTrack::from_id(id).unwrap_or(DaoTrack::Parameters);
	let mut settings = pallet_governance::Pallet::<Runtime>::settings(track);
	match u.int_in_range(0..=6u8)? {
		0 => settings.max_deciding = near_u32(u, &[0, 1, settings.max_deciding])?,
		1 => settings.decision_deposit = vcai(u)?,
		2 => settings.prepare_period = near_u32(u, &[0, 1, settings.prepare_period])?,
		3 => settings.decision_period = near_u32(u, &[settings.confirm_period, settings.decision_period])?,
		4 => settings.confirm_period = near_u32(u, &[0, settings.decision_period])?,
		5 => settings.min_enactment_period = near_u32(u, &[0, 1])?,
		_ => settings.min_turnout = perbill(u, &[Perbill::zero(), settings.min_turnout])?,
	}
	Ok(RuntimeCall::Governance(pallet_governance::Call::set_track { track: id, settings }))
}

/// Grants to partners: mostly world accounts, a few of them, above the existential deposit.
fn strategic_issuance(u: &mut Unstructured, w: &World) -> Result<RuntimeCall> {
	let most = <Runtime as pallet_supply::Config>::MaxPartners::get();
	let longest = <Runtime as pallet_supply::Config>::MaxVestingDays::get();
	let count = match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => most,
		_ => u.int_in_range(1..=3u32)?,
	};
	let mut grants = Vec::new();
	for _ in 0..count {
		let amount =
			if chance(u, 70)? { VCAI.saturating_mul(u.int_in_range(1..=1_000_000u128)?) } else { vcai(u)? };
		grants.push((account(u, w)?, amount));
	}
	let cliff_days = near_u32(u, &[0, 30, longest])?;
	let vesting_days = near_u32(u, &[1, 365, longest.saturating_sub(cliff_days)])?;
	let call = pallet_supply::Call::strategic_issuance {
		grants: BoundedVec::truncate_from(grants),
		terms: pallet_supply::VestingTerms { cliff_days, vesting_days },
	};
	Ok(RuntimeCall::Supply(call))
}

/// The origin a proposal asks for: mostly its call's track, sometimes another (its enactment
/// then fails), or one no track takes.
fn proposal(u: &mut Unstructured, w: &World) -> Result<(OriginCaller, RuntimeCall)> {
	let (track, call) = governed(u, w)?;
	let origin = match u.int_in_range(0..=9u8)? {
		0 => Track::Root.caller(),
		1 => Track::Dao(one_of(u, &DAO_ORIGINS)?).caller(),
		2 => OriginCaller::system(frame_system::RawOrigin::Signed(world_account(u, w)?)),
		_ => track.caller(),
	};
	Ok((origin, call))
}

fn enactment(u: &mut Unstructured) -> Result<DispatchTime<BlockNumber>> {
	Ok(match u.int_in_range(0..=9u8)? {
		0 => DispatchTime::At(0),
		1 => DispatchTime::After(u32::MAX),
		2 => DispatchTime::At(block().saturating_add(u.int_in_range(0..=50u32)?)),
		_ => DispatchTime::After(u.int_in_range(0..=10u32)?),
	})
}

/// What a proposer does in one transaction: notes the call's preimage unless it is inlined,
/// submits it, and places the decision deposit, so the referendum can be decided.
fn propose(u: &mut Unstructured, w: &World) -> Result<Draw> {
	let who = world_account(u, w)?;
	let (origin, call) = proposal(u, w)?;
	let encoded = call.encode();
	let len = encoded.len() as u32;
	let hash = BlakeTwo256::hash(&encoded);
	let mut calls = Vec::new();
	let proposal = if encoded.len() <= 128 && chance(u, 50)? {
		Bounded::Inline(BoundedVec::truncate_from(encoded))
	} else {
		// Noting twice fails, and with it the whole batch.
		if !pallet_preimage::RequestStatusFor::<Runtime>::contains_key(hash) {
			calls.push(RuntimeCall::Preimage(pallet_preimage::Call::note_preimage { bytes: encoded }));
		}
		Bounded::Lookup { hash, len }
	};
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	calls.push(RuntimeCall::Referenda(pallet_referenda::Call::submit {
		proposal_origin: Box::new(origin),
		proposal,
		enactment_moment: enactment(u)?,
	}));
	if chance(u, 85)? {
		calls.push(RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit { index }));
	}
	Ok(Draw::by(Some(who), RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })))
}

/// A submitter or depositor of a referendum, if it is still ongoing.
fn submitter(index: u32) -> Option<AccountId> {
	match pallet_referenda::ReferendumInfoFor::<Runtime>::get(index)? {
		pallet_referenda::ReferendumInfo::Ongoing(status) => Some(status.submission_deposit.who),
		_ => None,
	}
}

fn noted_hash(u: &mut Unstructured) -> Result<sp_core::H256> {
	let noted: Vec<sp_core::H256> =
		pallet_preimage::RequestStatusFor::<Runtime>::iter_keys().take(8).collect();
	if !noted.is_empty() && chance(u, 80)? {
		return one_of(u, &noted);
	}
	Ok(sp_core::H256(u.arbitrary()?))
}

fn referenda_call(u: &mut Unstructured, w: &World, nested: bool) -> Result<Draw> {
	use pallet_referenda::Call as Ref;
	let call = match u.int_in_range(0..=99u8)? {
		0..=44 if !nested => return propose(u, w),
		0..=49 => {
			// A bare submission whose proposal may name no preimage or the wrong length.
			let (origin, call) = proposal(u, w)?;
			let encoded = call.encode();
			let len = match u.int_in_range(0..=3u8)? {
				0 => near_u32(u, &[encoded.len() as u32])?,
				_ => encoded.len() as u32,
			};
			// A preimage noted from random bytes may decode to any call: it goes to the parameters
			// track only, so a root call the DAO may rightly make (a mint) never passes as a break.
			let (hash, origin) = if chance(u, 70)? {
				(BlakeTwo256::hash(&encoded), origin)
			} else {
				(noted_hash(u)?, Track::Dao(DaoOrigin::Parameters).caller())
			};
			Ref::submit {
				proposal_origin: Box::new(origin),
				proposal: Bounded::Lookup { hash, len },
				enactment_moment: enactment(u)?,
			}
		}
		50..=64 => Ref::place_decision_deposit { index: poll(u)? },
		65..=69 => Ref::refund_decision_deposit { index: poll(u)? },
		70..=74 => Ref::refund_submission_deposit { index: poll(u)? },
		75..=79 => {
			let index = poll(u)?;
			let maybe_hash = if chance(u, 70)? { Some(noted_hash(u)?) } else { None };
			let call = Ref::set_metadata { index, maybe_hash };
			return Ok(Draw::by(submitter(index), RuntimeCall::Referenda(call)));
		}
		80..=84 => Ref::cancel { index: poll(u)? },
		85..=89 => Ref::kill { index: poll(u)? },
		90..=94 => Ref::nudge_referendum { index: poll(u)? },
		_ => Ref::one_fewer_deciding { track: near_u32(u, &[0, 6])? as u16 },
	};
	Ok(Draw::by(Some(world_account(u, w)?), RuntimeCall::Referenda(call)))
}

fn preimage_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_preimage::Call as P;
	let call = match u.int_in_range(0..=9u8)? {
		0..=2 => P::note_preimage { bytes: bytes(u, 64)? },
		3..=4 => P::note_preimage { bytes: proposal(u, w)?.1.encode() },
		5..=6 => P::unnote_preimage { hash: noted_hash(u)? },
		7 => P::request_preimage { hash: noted_hash(u)? },
		8 => P::unrequest_preimage { hash: noted_hash(u)? },
		_ => P::ensure_updated { hashes: vec![noted_hash(u)?, noted_hash(u)?] },
	};
	Ok(Draw::by(Some(world_account(u, w)?), RuntimeCall::Preimage(call)))
}

// ---------------------------------------------------------------------------------------------
// VCAI, USDV and the AMM.
// ---------------------------------------------------------------------------------------------

fn balances_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_balances::{AdjustmentDirection, Call as B};
	let who = world_account(u, w)?;
	let free = pallet_balances::Pallet::<Runtime>::free_balance(&who);
	// The signer's own balance and what keeps it alive, often: where transfers change shape.
	let value = match u.int_in_range(0..=9u8)? {
		0 => free,
		1 => free.saturating_sub(EXISTENTIAL_DEPOSIT),
		2 => free.saturating_sub(EXISTENTIAL_DEPOSIT).saturating_add(1),
		_ => vcai(u)?,
	};
	let call = match u.int_in_range(0..=99u8)? {
		0..=34 => B::transfer_allow_death { dest: address(u, w)?, value },
		35..=62 => B::transfer_keep_alive { dest: address(u, w)?, value },
		63..=72 => B::transfer_all { dest: address(u, w)?, keep_alive: u.arbitrary()? },
		// The runtime's call filter refuses it whatever the signer.
		73..=76 => B::burn { value, keep_alive: u.arbitrary()? },
		77..=79 => B::upgrade_accounts { who: vec![account(u, w)?, account(u, w)?] },
		80..=84 => B::force_transfer { source: address(u, w)?, dest: address(u, w)?, value },
		85..=89 => B::force_set_balance { who: address(u, w)?, new_free: value },
		90..=94 => B::force_unreserve { who: address(u, w)?, amount: value },
		_ => B::force_adjust_total_issuance {
			direction: if u.arbitrary()? {
				AdjustmentDirection::Increase
			} else {
				AdjustmentDirection::Decrease
			},
			delta: value,
		},
	};
	Ok(Draw::by(Some(who), RuntimeCall::Balances(call)))
}

/// USDV's id mostly; ids of no asset otherwise.
fn asset_id(u: &mut Unstructured) -> Result<Compact<u32>> {
	Ok(Compact(match u.int_in_range(0..=19u8)? {
		0 => 0,
		1 => u32::MAX,
		2 => USDV_ASSET_ID + 1,
		3 => u.arbitrary()?,
		_ => USDV_ASSET_ID,
	}))
}

/// USDV calls: the holders' transfers and approvals, account deposits and refunds (a refund
/// may burn), and the issuer's and owner's calls, which the treasury alone may make.
fn assets_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_assets::Call as A;
	let who = world_account(u, w)?;
	let held = pallet_assets::Pallet::<Runtime>::balance(USDV_ASSET_ID, &who);
	let amount = match u.int_in_range(0..=9u8)? {
		0 => held,
		1 => held.saturating_sub(USDV_MIN_BALANCE),
		2 => held.saturating_sub(USDV_MIN_BALANCE).saturating_add(1),
		_ => usdv(u)?,
	};
	let id = asset_id(u)?;
	let call = match u.int_in_range(0..=99u8)? {
		0..=27 => A::transfer { id, target: address(u, w)?, amount },
		28..=41 => A::transfer_keep_alive { id, target: address(u, w)?, amount },
		42..=48 => A::transfer_all { id, dest: address(u, w)?, keep_alive: u.arbitrary()? },
		49..=54 => A::approve_transfer { id, delegate: address(u, w)?, amount },
		55..=57 => A::cancel_approval { id, delegate: address(u, w)? },
		58..=63 => A::transfer_approved { id, owner: address(u, w)?, destination: address(u, w)?, amount },
		64..=68 => A::touch { id },
		69..=74 => A::refund { id, allow_burn: u.arbitrary()? },
		75..=76 => A::touch_other { id, who: address(u, w)? },
		77..=78 => A::refund_other { id, who: address(u, w)? },
		79..=82 => A::mint { id, beneficiary: address(u, w)?, amount },
		83..=85 => A::burn { id, who: address(u, w)?, amount },
		86..=87 => A::create { id: Compact(u.arbitrary()?), admin: address(u, w)?, min_balance: usdv(u)? },
		88 => A::force_create {
			id,
			owner: address(u, w)?,
			is_sufficient: u.arbitrary()?,
			min_balance: usdv(u)?,
		},
		89 => A::freeze { id, who: address(u, w)? },
		90 => A::thaw { id, who: address(u, w)? },
		91 => A::block { id, who: address(u, w)? },
		92 => A::set_metadata { id, name: bytes(u, 60)?, symbol: bytes(u, 8)?, decimals: u.arbitrary()? },
		93 => A::start_destroy { id },
		94 => A::transfer_ownership { id, owner: address(u, w)? },
		95 => A::set_min_balance { id, min_balance: usdv(u)? },
		96 => A::freeze_asset { id },
		97 => A::force_transfer { id, source: address(u, w)?, dest: address(u, w)?, amount },
		_ => A::set_team { id, issuer: address(u, w)?, admin: address(u, w)?, freezer: address(u, w)? },
	};
	Ok(Draw::by(Some(who), RuntimeCall::Assets(call)))
}

/// The liquidity token of the VCAI/USDV pool, if the pool exists.
fn lp_token() -> Option<u32> {
	pallet_asset_conversion::Pools::<Runtime>::get((
		NativeOrWithId::Native,
		NativeOrWithId::WithId(USDV_ASSET_ID),
	))
	.map(|pool| pool.lp_token)
}

fn lp_balance(who: &AccountId) -> Balance {
	lp_token().map_or(0, |lp| pallet_assets::Pallet::<Runtime, pallet_assets::Instance1>::balance(lp, who))
}

/// Liquidity tokens moved by their holders: they are assets like any other to `pallet-assets`.
fn pool_assets_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_assets::Call as A;
	let who = world_account(u, w)?;
	let held = lp_balance(&who);
	let amount = match u.int_in_range(0..=5u8)? {
		0 => held,
		1 => held / 2,
		2 => held.saturating_add(1),
		_ => near_u128(u, &[held])?,
	};
	let id = match lp_token() {
		Some(lp) if chance(u, 90)? => lp,
		_ => u.arbitrary()?,
	};
	let call: pallet_assets::Call<Runtime, pallet_assets::Instance1> = match u.int_in_range(0..=9u8)? {
		0..=3 => A::transfer { id, target: address(u, w)?, amount },
		4 => A::transfer_keep_alive { id, target: address(u, w)?, amount },
		5 => A::transfer_all { id, dest: address(u, w)?, keep_alive: u.arbitrary()? },
		6 => A::approve_transfer { id, delegate: address(u, w)?, amount },
		7 => A::touch { id },
		8 => A::refund { id, allow_burn: u.arbitrary()? },
		_ => A::transfer_approved { id, owner: address(u, w)?, destination: address(u, w)?, amount },
	};
	Ok(Draw::by(Some(who), RuntimeCall::PoolAssets(call)))
}

fn asset_kind(u: &mut Unstructured) -> Result<AssetKind> {
	Ok(match u.int_in_range(0..=9u8)? {
		0..=4 => NativeOrWithId::Native,
		5..=8 => NativeOrWithId::WithId(USDV_ASSET_ID),
		_ => NativeOrWithId::WithId(u.arbitrary()?),
	})
}

/// An amount to trade against a reserve: from dust to more than the pool holds.
fn trade_amount(u: &mut Unstructured, reserve: Balance, unit: Balance) -> Result<Balance> {
	Ok(match u.int_in_range(0..=11u8)? {
		0 => 0,
		1 => 1,
		2 => reserve,
		3 => reserve.saturating_mul(2),
		4 => Balance::MAX,
		5 => reserve / 10,
		6 => u.arbitrary()?,
		_ => unit.saturating_mul(u.int_in_range(1..=10_000u128)?),
	})
}

fn amm_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_asset_conversion::Call as Amm;
	let native = NativeOrWithId::Native;
	let stable = NativeOrWithId::WithId(USDV_ASSET_ID);
	let who = world_account(u, w)?;
	let (vcai_reserve, usdv_reserve) =
		pallet_asset_conversion::Pallet::<Runtime>::get_reserves(native.clone(), stable.clone())
			.unwrap_or((0, 0));
	let reserve_of = |kind: &AssetKind| match kind {
		NativeOrWithId::Native => (vcai_reserve, VCAI),
		_ => (usdv_reserve, USDV),
	};
	let call = match u.int_in_range(0..=99u8)? {
		0..=54 => {
			let path = match u.int_in_range(0..=11u8)? {
				0..=4 => vec![native.clone(), stable.clone()],
				5..=9 => vec![stable.clone(), native.clone()],
				10 => vec![native.clone()],
				_ => vec![asset_kind(u)?, asset_kind(u)?, asset_kind(u)?],
			};
			let (in_reserve, in_unit) = reserve_of(&path[0]);
			let (out_reserve, out_unit) = reserve_of(&path[path.len() - 1]);
			let path = path.into_iter().map(Box::new).collect();
			let send_to = account(u, w)?;
			let keep_alive = u.arbitrary()?;
			if chance(u, 60)? {
				Amm::swap_exact_tokens_for_tokens {
					path,
					amount_in: trade_amount(u, in_reserve, in_unit)?,
					amount_out_min: near_u128(u, &[0])?,
					send_to,
					keep_alive,
				}
			} else {
				Amm::swap_tokens_for_exact_tokens {
					path,
					amount_out: trade_amount(u, out_reserve, out_unit)?,
					amount_in_max: if chance(u, 70)? { Balance::MAX } else { near_u128(u, &[in_reserve])? },
					send_to,
					keep_alive,
				}
			}
		}
		55..=69 => {
			// Mostly at the pool's ratio, so both amounts are taken.
			let amount1 = trade_amount(u, vcai_reserve, VCAI)?;
			let ratio = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
				amount1,
				usdv_reserve,
				vcai_reserve.max(1),
				sp_runtime::Rounding::Up,
			);
			let amount2 = match ratio {
				Some(amount) if chance(u, 80)? => amount.max(1),
				_ => trade_amount(u, usdv_reserve, USDV)?,
			};
			let (asset1, asset2) = if chance(u, 90)? {
				(native.clone(), stable.clone())
			} else {
				(asset_kind(u)?, asset_kind(u)?)
			};
			Amm::add_liquidity {
				asset1: Box::new(asset1),
				asset2: Box::new(asset2),
				amount1_desired: amount1,
				amount2_desired: amount2,
				amount1_min: near_u128(u, &[0, amount1])?,
				amount2_min: near_u128(u, &[0, amount2])?,
				mint_to: account(u, w)?,
			}
		}
		70..=81 => {
			let held = lp_balance(&who);
			let burn = match u.int_in_range(0..=7u8)? {
				0 => held,
				1 => held / 2,
				2 => held.saturating_add(1),
				_ => near_u128(u, &[held, 1])?,
			};
			Amm::remove_liquidity {
				asset1: Box::new(native.clone()),
				asset2: Box::new(stable.clone()),
				lp_token_burn: burn,
				amount1_min_receive: near_u128(u, &[0])?,
				amount2_min_receive: near_u128(u, &[0])?,
				withdraw_to: account(u, w)?,
			}
		}
		82..=86 => Amm::create_pool { asset1: Box::new(asset_kind(u)?), asset2: Box::new(asset_kind(u)?) },
		87..=90 => Amm::touch { asset1: Box::new(asset_kind(u)?), asset2: Box::new(asset_kind(u)?) },
		91..=95 => Amm::create_pool_with_fee {
			creator: account(u, w)?,
			asset1: Box::new(asset_kind(u)?),
			asset2: Box::new(asset_kind(u)?),
			fee: permill(u, &[Permill::from_percent(10)])?,
		},
		_ => Amm::set_pool_fee {
			pool_id: (asset_kind(u)?, asset_kind(u)?),
			fee: permill(u, &[Permill::from_percent(10)])?,
		},
	};
	Ok(Draw::by(Some(who), RuntimeCall::AssetConversion(call)))
}

// ---------------------------------------------------------------------------------------------
// Vesting.
// ---------------------------------------------------------------------------------------------

/// Vesting's clock: 6-second ticks of the timestamp since the chain's first block.
fn vesting_tick() -> BlockNumber {
	let Some(start) = pallet_chain_clock::Calendar::<Runtime>::get().start_ms else { return 0 };
	BlockNumber::try_from(now_ms().saturating_sub(start) / VESTING_TICK_MS).unwrap_or(BlockNumber::MAX)
}

fn vesting_schedule(u: &mut Unstructured) -> Result<pallet_vesting::VestingInfo<Balance, BlockNumber>> {
	let least = <Runtime as pallet_vesting::Config>::MinVestedTransfer::get();
	let locked = match u.int_in_range(0..=9u8)? {
		0 => least.saturating_sub(1),
		1 => least,
		2 => vcai(u)?,
		_ => VCAI.saturating_mul(u.int_in_range(1..=10_000u128)?),
	};
	let per_block = match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => 1,
		2 => locked,
		3 => Balance::MAX,
		_ => (locked / u.int_in_range(1..=100_000u128)?).max(1),
	};
	let now = vesting_tick();
	let starting_block = match u.int_in_range(0..=9u8)? {
		0 => 0,
		1 => BlockNumber::MAX,
		2 => now,
		_ => now.saturating_add(u.int_in_range(0..=100_000u32)?),
	};
	Ok(pallet_vesting::VestingInfo::new(locked, per_block, starting_block))
}

fn vesting_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_vesting::Call as Vest;
	let who = world_account(u, w)?;
	let call = match u.int_in_range(0..=19u8)? {
		0..=5 => Vest::vest {},
		6..=8 => {
			// The genesis buckets vest on schedules; anyone may release what has vested.
			let bucket = one_of(u, &["private-sale", "public-sale", "core-team", "strategic-advisors"])?;
			let target =
				if chance(u, 70)? { MultiAddress::Id(bucket_account(bucket)) } else { address(u, w)? };
			Vest::vest_other { target }
		}
		9..=14 => Vest::vested_transfer { target: address(u, w)?, schedule: vesting_schedule(u)? },
		15..=16 => Vest::merge_schedules {
			schedule1_index: near_u32(u, &[0, 1])?,
			schedule2_index: near_u32(u, &[0, 1, 27])?,
		},
		17..=18 => Vest::force_vested_transfer {
			source: address(u, w)?,
			target: address(u, w)?,
			schedule: vesting_schedule(u)?,
		},
		_ => {
			Vest::force_remove_vesting_schedule { target: address(u, w)?, schedule_index: near_u32(u, &[0])? }
		}
	};
	Ok(Draw::by(Some(who), RuntimeCall::Vesting(call)))
}

// ---------------------------------------------------------------------------------------------
// Wrappers: utility, sudo, scheduler; and system, grandpa, noise.
// ---------------------------------------------------------------------------------------------

/// An origin a root call may dispatch as.
fn pallets_origin(u: &mut Unstructured, w: &World) -> Result<OriginCaller> {
	Ok(match u.int_in_range(0..=3u8)? {
		0 => OriginCaller::system(frame_system::RawOrigin::Root),
		1 => OriginCaller::system(frame_system::RawOrigin::Signed(world_account(u, w)?)),
		2 => OriginCaller::system(frame_system::RawOrigin::None),
		_ => OriginCaller::Governance(one_of(u, &DAO_ORIGINS)?),
	})
}

fn weight(u: &mut Unstructured) -> Result<Weight> {
	Ok(Weight::from_parts(near_u64(u, &[1_000_000_000])?, near_u64(u, &[65_536])?))
}

/// A wrapper of flat calls (one level): the batch takes the first inner call's natural signer.
fn utility_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_utility::Call as Util;
	let count = if chance(u, 5)? { 0 } else { u.int_in_range(1..=4u32)? };
	let mut signer = None;
	let mut calls = Vec::new();
	for _ in 0..count {
		let inner = draw(u, w, true)?;
		signer = signer.or(inner.signer);
		calls.push(inner.call);
	}
	let call = match u.int_in_range(0..=99u8)? {
		0..=29 => Util::batch { calls },
		30..=59 => Util::batch_all { calls },
		60..=79 => Util::force_batch { calls },
		80..=85 => {
			let call = first_or_remark(u, &calls)?;
			Util::as_derivative { index: near_u32(u, &[0, 1])? as u16, call }
		}
		86..=91 => {
			let main = first_or_remark(u, &calls)?;
			let fallback = Box::new(draw(u, w, true)?.call);
			Util::if_else { main, fallback }
		}
		92..=94 => {
			let call = first_or_remark(u, &calls)?;
			Util::dispatch_as { as_origin: Box::new(pallets_origin(u, w)?), call }
		}
		95..=97 => {
			let call = first_or_remark(u, &calls)?;
			Util::with_weight { call, weight: weight(u)? }
		}
		_ => {
			let call = first_or_remark(u, &calls)?;
			Util::dispatch_as_fallible { as_origin: Box::new(pallets_origin(u, w)?), call }
		}
	};
	Ok(Draw::by(signer, RuntimeCall::Utility(call)))
}

/// The first of `calls` for a wrapper of one call, or a remark when there is none.
fn first_or_remark(u: &mut Unstructured, calls: &[RuntimeCall]) -> Result<Box<RuntimeCall>> {
	Ok(Box::new(match calls.first() {
		Some(call) => call.clone(),
		None => system_call(u)?.call,
	}))
}

/// Sudo from a world account, which never holds the key: every one must be refused.
fn sudo_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_sudo::Call as Sudo;
	let call = match u.int_in_range(0..=9u8)? {
		0..=3 => Sudo::sudo { call: Box::new(draw(u, w, true)?.call) },
		4 => Sudo::sudo_unchecked_weight { call: Box::new(draw(u, w, true)?.call), weight: weight(u)? },
		5..=6 => Sudo::sudo_as { who: address(u, w)?, call: Box::new(draw(u, w, true)?.call) },
		7..=8 => Sudo::set_key { new: address(u, w)? },
		_ => Sudo::remove_key {},
	};
	Ok(Draw::by(Some(world_account(u, w)?), RuntimeCall::Sudo(call)))
}

/// The scheduler takes only root: these must be refused.
fn scheduler_call(u: &mut Unstructured, w: &World) -> Result<Draw> {
	use pallet_scheduler::Call as Sched;
	let when = block().saturating_add(u.int_in_range(0..=20u32)?);
	let periodic = if chance(u, 30)? { Some((near_u32(u, &[1])?, near_u32(u, &[1, 10])?)) } else { None };
	let call = match u.int_in_range(0..=5u8)? {
		0..=1 => Sched::schedule {
			when,
			maybe_periodic: periodic,
			priority: u.arbitrary()?,
			call: Box::new(draw(u, w, true)?.call),
		},
		2 => Sched::schedule_named_after {
			id: u.arbitrary()?,
			after: near_u32(u, &[0, 1])?,
			maybe_periodic: periodic,
			priority: u.arbitrary()?,
			call: Box::new(draw(u, w, true)?.call),
		},
		3 => Sched::cancel { when, index: near_u32(u, &[0])? },
		4 => Sched::cancel_named { id: u.arbitrary()? },
		_ => Sched::set_retry { task: (when, 0), retries: u.arbitrary()?, period: near_u32(u, &[1])? },
	};
	Ok(Draw::by(Some(world_account(u, w)?), RuntimeCall::Scheduler(call)))
}

fn system_call(u: &mut Unstructured) -> Result<Draw> {
	use frame_system::Call as Sys;
	let call = match u.int_in_range(0..=9u8)? {
		0..=3 => Sys::remark { remark: bytes(u, 64)? },
		4..=5 => Sys::remark_with_event { remark: bytes(u, 64)? },
		6 => Sys::set_heap_pages { pages: near_u64(u, &[64])? },
		7 => Sys::kill_storage { keys: vec![bytes(u, 48)?] },
		8 => Sys::authorize_upgrade { code_hash: sp_core::H256(u.arbitrary()?) },
		_ => Sys::apply_authorized_upgrade { code: bytes(u, 64)? },
	};
	Ok(Draw::anyone(RuntimeCall::System(call)))
}

fn grandpa_call(u: &mut Unstructured) -> Result<Draw> {
	let call = pallet_grandpa::Call::note_stalled {
		delay: near_u32(u, &[1, 100])?,
		best_finalized_block_number: near_u32(u, &[block()])?,
	};
	Ok(Draw::anyone(RuntimeCall::Grandpa(call)))
}

/// Nesting a random decoding may reach: enough for a batch of batches, not for a blow-up.
const NOISE_DEPTH: u32 = 8;

/// Bytes decoded as a call, or a structured call with a few bytes of its encoding changed: the
/// decoder and the argument checks meet what no builder above would write.
fn noise(u: &mut Unstructured, w: &World) -> Result<Draw> {
	if chance(u, 40)? {
		let data = bytes(u, 160)?;
		return Ok(match RuntimeCall::decode_with_depth_limit(NOISE_DEPTH, &mut &data[..]) {
			Ok(call) => Draw::anyone(call),
			Err(_) => system_call(u)?,
		});
	}
	let base = draw(u, w, true)?;
	let mut encoded = base.call.encode();
	for _ in 0..u.int_in_range(1..=4u8)? {
		if encoded.is_empty() {
			break;
		}
		let at = u.int_in_range(0..=encoded.len() - 1)?;
		encoded[at] ^= u.int_in_range(1..=u8::MAX)?;
	}
	Ok(match RuntimeCall::decode_with_depth_limit(NOISE_DEPTH, &mut &encoded[..]) {
		Ok(call) => Draw::by(base.signer, call),
		Err(_) => base,
	})
}
