//! Genesis presets: `development`, `dev-fast`, `local_testnet` and `staging`.
//!
//! Every preset holds the genesis allocation of docs/economics.md#allocation (10 billion VCAI), with the
//! release terms of each bucket as `pallet-vesting` schedules on the chain clock (a cliff is a
//! later starting tick).
//! Dev accounts are funded out of the initial-liquidity bucket, never on top of the supply.

use crate::{
	configs::{
		accounts::{GrantsAccount, TreasuryAccount},
		amm::{UsdvKind, Vcai},
	},
	AccountId, AssetConversionConfig, AssetsConfig, AuraConfig, BalancesConfig, BlockNumber, Buyback,
	BuybackConfig, ChainClockConfig, ChainTimes, ComputeMarketConfig, ComputeRegistryConfig,
	GovernanceConfig, GrandpaConfig, Rewards, RewardsConfig, RuntimeGenesisConfig, SlashingConfig,
	SudoConfig, SupplyConfig, VeVcai, Verification, VerificationConfig, VestingConfig, DAY_MS,
	EXISTENTIAL_DEPOSIT, FAST_TIMES, STANDARD_TIMES, VESTING_MONTH,
};
use alloc::{vec, vec::Vec};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	Perbill, Permill,
};
use vcity_primitives::{Balance, BuybackParams, StakeAdjustment, USDV, USDV_ASSET_ID, USDV_DECIMALS, VCAI};

/// Preset names, as `vcity-node --chain` and the chain-spec builder know them.
pub const DEV_PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// The development chain with a day of a minute ([`FAST_TIMES`]).
pub const DEV_FAST_PRESET: &str = "dev-fast";
pub const LOCAL_TESTNET_PRESET: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
pub const STAGING_PRESET: &str = "staging";

/// VCAI in existence at genesis.
pub const TOTAL_SUPPLY: Balance = 10_000_000_000 * VCAI;
/// VCAI each dev account receives, out of the initial-liquidity bucket.
pub const DEV_ACCOUNT_VCAI: Balance = 1_000_000 * VCAI;
/// USDV minted to each dev account.
pub const DEV_ACCOUNT_USDV: Balance = 1_000_000 * USDV;
/// Smallest USDV balance an account may hold.
pub const USDV_MIN_BALANCE: Balance = USDV / 100;

/// P_supply of the first period (docs/economics.md#controller: 50%).
pub const INITIAL_SUPPLY_SHARE: Perbill = Perbill::from_percent(50);

/// VCAI/USDV liquidity the dev and local presets seed the AMM with, out of the initial-liquidity
/// bucket (its USDV is minted to the bucket for the purpose): a cent per VCAI.
pub const DEV_POOL_VCAI: Balance = 50_000_000 * VCAI;
pub const DEV_POOL_USDV: Balance = 500_000 * USDV;
/// The price the stake tiers are set at, a cent per VCAI (the dev pool's): when VCAI trades
/// lower, a stake asks more VCAI so it keeps its worth in USDV (docs/economics.md#stake-adjustment).
pub const STAKE_REFERENCE_VCAI_PER_USDV: Balance = DEV_POOL_VCAI / (DEV_POOL_USDV / USDV);

/// Accounts that keep the existential deposit from genesis on, paid out of the initial-liquidity
/// bucket: the ve distributor, the buyback treasury, the rewards' pot and the grants account, so
/// none is ever reaped and every VCAI they receive can be paid on in full.
pub fn kept_alive_accounts() -> [AccountId; 4] {
	[VeVcai::distributor_account(), Buyback::treasury_account(), Rewards::pot_account(), GrantsAccount::get()]
}

/// How a bucket's VCAI is released.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Release {
	/// All of it is free at genesis.
	Unlocked,
	/// `at_tge` is free at genesis; the rest vests linearly over `months`, starting after
	/// `cliff_months`.
	Vesting { at_tge: Permill, cliff_months: BlockNumber, months: BlockNumber },
}

/// One line of the allocation table.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Bucket {
	pub name: &'static str,
	pub amount: Balance,
	pub release: Release,
}

/// docs/economics.md#allocation, in whole VCAI.
pub const ALLOCATION: [Bucket; 7] = [
	Bucket {
		name: "private-sale",
		amount: 2_350_000_000 * VCAI,
		release: Release::Vesting { at_tge: Permill::from_parts(219_100), cliff_months: 0, months: 12 },
	},
	Bucket {
		name: "public-sale",
		amount: 550_000_000 * VCAI,
		release: Release::Vesting { at_tge: Permill::from_parts(309_100), cliff_months: 0, months: 6 },
	},
	Bucket {
		name: "core-team",
		amount: 2_000_000_000 * VCAI,
		release: Release::Vesting { at_tge: Permill::zero(), cliff_months: 18, months: 42 },
	},
	Bucket { name: "reserve-governance", amount: 2_000_000_000 * VCAI, release: Release::Unlocked },
	Bucket {
		name: "strategic-advisors",
		amount: 1_000_000_000 * VCAI,
		release: Release::Vesting { at_tge: Permill::zero(), cliff_months: 0, months: 18 },
	},
	Bucket { name: "initial-liquidity", amount: 100_000_000 * VCAI, release: Release::Unlocked },
	Bucket { name: "ecosystem-incentive-pool", amount: 2_000_000_000 * VCAI, release: Release::Unlocked },
];

/// The bucket dev accounts are paid from.
const DEV_FUNDING_BUCKET: &str = "initial-liquidity";

/// The account holding a bucket. The treasury and the incentive pool are pallet accounts
/// (`configs::accounts`), so what spends them later has the same address; the others are custody
/// accounts derived from the bucket's name until the launch ceremony replaces them.
pub fn bucket_account(name: &str) -> AccountId {
	match name {
		"reserve-governance" => TreasuryAccount::get(),
		"ecosystem-incentive-pool" => Rewards::pool_account(),
		other => {
			let seed = [b"vcity/genesis/".as_slice(), other.as_bytes()].concat();
			AccountId::from(BlakeTwo256::hash(&seed).0)
		}
	}
}

/// A genesis balance: who and how much.
pub type GenesisBalance = (AccountId, Balance);
/// A genesis vesting schedule as `pallet-vesting` takes it: who, first tick, length in ticks of
/// the chain clock (`VESTING_MONTH` a month), and the part that is free at genesis.
pub type GenesisVesting = (AccountId, BlockNumber, BlockNumber, Balance);

/// Genesis balances and vesting schedules for the allocation, with `dev_accounts` each funded
/// with [`DEV_ACCOUNT_VCAI`] out of the initial-liquidity bucket.
pub fn allocation(dev_accounts: &[AccountId]) -> (Vec<GenesisBalance>, Vec<GenesisVesting>) {
	let kept_alive = kept_alive_accounts();
	let dev_total = DEV_ACCOUNT_VCAI
		.saturating_mul(dev_accounts.len() as Balance)
		.saturating_add(EXISTENTIAL_DEPOSIT.saturating_mul(kept_alive.len() as Balance));
	let mut balances = Vec::new();
	let mut vesting = Vec::new();
	for bucket in ALLOCATION {
		let who = bucket_account(bucket.name);
		let amount = if bucket.name == DEV_FUNDING_BUCKET {
			bucket.amount.saturating_sub(dev_total)
		} else {
			bucket.amount
		};
		balances.push((who.clone(), amount));
		if let Release::Vesting { at_tge, cliff_months, months } = bucket.release {
			let liquid = at_tge.mul_floor(amount);
			vesting.push((who, cliff_months * VESTING_MONTH, months * VESTING_MONTH, liquid));
		}
	}
	balances.extend(dev_accounts.iter().map(|who| (who.clone(), DEV_ACCOUNT_VCAI)));
	balances.extend(kept_alive.into_iter().map(|who| (who, EXISTENTIAL_DEPOSIT)));
	(balances, vesting)
}

fn genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	sudo: Option<AccountId>,
	dev_accounts: Vec<AccountId>,
	with_pool: bool,
	times: ChainTimes,
) -> Value {
	let (balances, vesting) = allocation(&dev_accounts);
	let treasury = bucket_account("reserve-governance");
	let liquidity = bucket_account("initial-liquidity");
	let mut usdv_accounts: Vec<(u32, AccountId, Balance)> =
		dev_accounts.iter().map(|who| (USDV_ASSET_ID, who.clone(), DEV_ACCOUNT_USDV)).collect();
	// The verification fees' account exists from the start, so the first fees, however small,
	// reach it and verifiers can be paid.
	usdv_accounts.push((USDV_ASSET_ID, Verification::pot(), USDV_MIN_BALANCE));
	let mut pools = Vec::new();
	if with_pool {
		// The pool's USDV and the minimum balance the bucket keeps, since the pool is funded by a
		// transfer that must leave the bucket's USDV account alive.
		usdv_accounts.push((USDV_ASSET_ID, liquidity.clone(), DEV_POOL_USDV + USDV_MIN_BALANCE));
		pools.push((Vcai::get(), UsdvKind::get(), liquidity, DEV_POOL_VCAI, DEV_POOL_USDV));
	}
	let config = RuntimeGenesisConfig {
		balances: BalancesConfig { balances, ..Default::default() },
		vesting: VestingConfig { vesting },
		aura: AuraConfig { authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect() },
		grandpa: GrandpaConfig {
			authorities: authorities.iter().map(|(_, grandpa)| (grandpa.clone(), 1)).collect(),
			..Default::default()
		},
		sudo: SudoConfig { key: sudo },
		assets: AssetsConfig {
			// USDV is sufficient: stablecoin-only accounts, escrows and treasuries need no VCAI.
			assets: vec![(USDV_ASSET_ID, treasury, true, USDV_MIN_BALANCE)],
			metadata: vec![(USDV_ASSET_ID, b"Vcity USD".to_vec(), b"USDV".to_vec(), USDV_DECIMALS)],
			accounts: usdv_accounts,
			..Default::default()
		},
		asset_conversion: AssetConversionConfig { pools },
		chain_clock: ChainClockConfig {
			day_ms: times.day_ms,
			period_ms: times.period_ms,
			..Default::default()
		},
		buyback: BuybackConfig {
			params: BuybackParams { twap_window: times.buyback_twap_window, ..Default::default() },
			..Default::default()
		},
		rewards: RewardsConfig {
			params: Default::default(),
			supply_share: INITIAL_SUPPLY_SHARE,
			..Default::default()
		},
		compute_registry: ComputeRegistryConfig {
			heartbeat_window_ms: times.heartbeat_window_ms,
			stake_tiers: default_stake_tiers(),
			stake_multiplier_percent: 100,
			stake_adjustment: StakeAdjustment {
				// Without a pool (staging) the price is left out until the launch's pool sets it.
				reference_vcai_per_usdv: if with_pool { STAKE_REFERENCE_VCAI_PER_USDV } else { 0 },
				..Default::default()
			},
			..Default::default()
		},
		slashing: SlashingConfig {
			params: pallet_slashing::SlashParams {
				deferral: times.slash_deferral,
				appeal_grace: times.slash_appeal_grace,
				repeat_window: times.slash_repeat_window,
				..Default::default()
			},
		},
		verification: VerificationConfig {
			params: pallet_verification::VerificationParams {
				commit_window: times.audit_commit_window,
				reveal_window: times.audit_reveal_window,
				..Default::default()
			},
			// Chains with dev accounts run agents that simulate their GPUs on a CPU: their
			// challenges pass on any host in seconds. Staging carries the production table with
			// challenges off: today's agent computes on the CPU and would miss every deadline;
			// governance turns them on once agents ship a GPU kernel.
			challenges: if with_pool {
				pallet_verification::ChallengeParams::for_cpu_hosts()
			} else {
				pallet_verification::ChallengeParams {
					daily_fraction: sp_runtime::Perbill::zero(),
					..Default::default()
				}
			},
		},
		compute_market: ComputeMarketConfig {
			ack_window: times.task_ack_window,
			start_window: times.task_start_window,
			price_floor: pallet_compute_market::DEFAULT_PRICE_FLOOR,
			dispute_window: times.task_dispute_window,
			resolution_window: times.task_resolution_window,
			fee_split_percent: [85, 88, 91, 1],
		},
		governance: GovernanceConfig { tracks: referendum_tracks(&times) },
		supply: SupplyConfig { stages: supply_stages(&times), ..Default::default() },
		..Default::default()
	};
	serde_json::to_value(config).unwrap_or_default()
}

/// The tracks whose settings differ from the production table: on a chain with its own
/// referendum periods, every track, with those periods and a deposit a dev account can pay.
fn referendum_tracks(
	times: &ChainTimes,
) -> Vec<(pallet_governance::TrackId, pallet_governance::TrackSettings<BlockNumber>)> {
	let Some([prepare, decision, confirm, enactment]) = times.referendum_blocks else { return Vec::new() };
	pallet_governance::DaoTrack::ALL
		.into_iter()
		.map(|track| {
			let production = track.production::<BlockNumber>(crate::DAYS);
			let settings = pallet_governance::TrackSettings {
				decision_deposit: 100 * VCAI,
				prepare_period: prepare,
				decision_period: decision,
				confirm_period: confirm,
				min_enactment_period: enactment,
				..production
			};
			(track.id(), settings)
		})
		.collect()
}

/// Revenue and locked VCAI per supply stage. A chain whose days are minutes reaches its stages in
/// minutes too: a hundredth of a USDV of revenue and a thousand VCAI locked; every other chain
/// has the whitepaper's 2,000,000 USDV and 500,000,000 VCAI.
fn supply_stages(times: &ChainTimes) -> pallet_supply::StageSizes {
	if times.day_ms < DAY_MS {
		pallet_supply::StageSizes { revenue: USDV / 100, equity: 1_000 * VCAI }
	} else {
		Default::default()
	}
}

/// Stake per GPU by memory per GPU, before the class factor Proof of Capacity pays (1.0×
/// consumer, 1.5× workstation, 2.0× data-centre): small cards, 16 GiB, 24 GiB and 48 GiB cards and
/// up. A data-centre card stakes 10,000 × 2.0 = 20,000 VCAI.
pub fn default_stake_tiers() -> Vec<(u32, Balance)> {
	vec![(0, 1_000 * VCAI), (16, 2_000 * VCAI), (24, 5_000 * VCAI), (48, 10_000 * VCAI)]
}

fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The well-known dev accounts (Alice, Bob, … and their stashes), funded in every preset.
pub fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

fn development(times: ChainTimes) -> Value {
	genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_accounts(),
		true,
		times,
	)
}

/// Four validators: GRANDPA needs n − ⌊(n−1)/3⌋ votes, so with four one may fail.
fn four_validators() -> Vec<(AuraId, GrandpaId)> {
	vec![
		authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	]
}

fn local_testnet() -> Value {
	genesis(
		four_validators(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_accounts(),
		true,
		STANDARD_TIMES,
	)
}

/// A rehearsal of the public genesis: the allocation and vesting as at launch, no sudo, no
/// funded dev accounts and no AMM pool (the launch seeds it with real USDV). The four validator keys are the well-known dev keys as placeholders: a
/// real network exports this spec (`vcity-node build-spec --chain staging`) and replaces the
/// `aura` and `grandpa` authorities with its operators' keys.
///
/// Without sudo the chain is fully governed: governed values, verdicts, minting and runtime
/// upgrades all pass referenda of veVCAI holders (docs/governance.md), with the production
/// tracks.
fn staging() -> Value {
	genesis(four_validators(), None, Vec::new(), false, STANDARD_TIMES)
}

/// The JSON of a preset, if the name is known.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_PRESET => development(STANDARD_TIMES),
		DEV_FAST_PRESET => development(FAST_TIMES),
		LOCAL_TESTNET_PRESET => local_testnet(),
		STAGING_PRESET => staging(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// Names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(DEV_PRESET),
		PresetId::from(DEV_FAST_PRESET),
		PresetId::from(LOCAL_TESTNET_PRESET),
		PresetId::from(STAGING_PRESET),
	]
}
