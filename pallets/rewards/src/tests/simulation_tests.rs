//! Fifty periods of random supply and demand, checked against a brute-force ledger kept beside
//! the pallet: every total and share is recomputed from the raw beats, deliveries and spend.

use super::*;
use frame_support::{assert_noop, BoundedVec};
use vcity_primitives::{stage_factor, CapacityProof, CapacityRewards, GpuClass, RewardsParams};

/// xorshift64: deterministic, so a failure replays.
struct Rng(u64);
impl Rng {
	fn below(&mut self, bound: u64) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0 % bound
	}
}

const NODES: u64 = 12;
const USERS: u64 = 8;
const PERIODS: u32 = 50;
const SUSPENDED: NodeId = 5;
const SUSPENDED_FROM: PeriodIndex = 20;
const BANNED: NodeId = 7;
const BANNED_FROM: PeriodIndex = 30;

fn owner(node: NodeId) -> AccountId {
	100 + AccountId::from(node)
}

fn user(i: u64) -> AccountId {
	200 + AccountId::from(i)
}

/// The node's fixed spec: GPUs, GiB per GPU, class, stake in percent of the requirement.
fn spec(node: NodeId) -> (u64, u32, GpuClass, u128) {
	let gpus = [1, 2, 4, 8][(node % 4) as usize];
	let (gib, class) = [
		(16, GpuClass::Consumer),
		(24, GpuClass::Workstation),
		(48, GpuClass::Workstation),
		(80, GpuClass::Datacenter),
	][((node / 4) % 4) as usize];
	let stake_percent = [50, 100, 150, 300][((node / 2) % 4) as usize];
	(gpus, gib, class, stake_percent)
}

/// The documented PoC weight of one beat, computed here from the parameters independently of the pallet.
fn expected_capacity(params: &RewardsParams, node: NodeId, seconds: u64) -> u128 {
	let (gpus, gib, class, stake_percent) = spec(node);
	let class = params.gpu_class.of(class) as u128;
	let multi = stage_factor(&params.multi_gpu, gib * gpus as u32) as u128;
	let stake = (stake_percent * 10).min(1_500);
	(gpus * seconds) as u128 * class * multi * stake / 1_000_000
}

#[derive(Default, Clone, Copy)]
struct Brute {
	capacity: u128,
	windows: u128,
	delivery: u128,
}

#[test]
fn fifty_random_periods_pay_shares_by_points_and_never_more_than_released() {
	test(|| {
		let mut rng = Rng(0x5eed_cafe);
		let params = RewardsParams::default();
		let mut brute: BTreeMap<(PeriodIndex, NodeId), Brute> = BTreeMap::new();
		for node in 0..NODES {
			add_node(node, owner(node));
		}
		for period in 0..PERIODS {
			assert_eq!(current_period(), period);
			if period == SUSPENDED_FROM {
				set_status(SUSPENDED, NodeStatus::Suspended);
			}
			if period == BANNED_FROM {
				set_status(BANNED, NodeStatus::Banned);
			}
			for node in 0..NODES {
				// The registry takes no beat from a suspended or banned node.
				let barred = (node == SUSPENDED && period >= SUSPENDED_FROM)
					|| (node == BANNED && period >= BANNED_FROM);
				if barred || rng.below(5) == 0 {
					continue;
				}
				let (gpus, gib, class, stake_percent) = spec(node);
				for _ in 0..rng.below(8) {
					let seconds = 60 + rng.below(541);
					Rewards::capacity_proven(CapacityProof {
						node,
						gpu_seconds: gpus * seconds,
						gpu_class: class,
						total_vram_gib: gib * gpus as u32,
						stake: 1_000 * stake_percent,
						required_stake: 100_000,
					});
					let b = brute.entry((period, node)).or_default();
					b.capacity += expected_capacity(&params, node, seconds);
					b.windows += 1;
				}
				if rng.below(3) == 0 {
					let seconds = 1 + rng.below(7_200);
					let quality = Perbill::from_percent(20 + rng.below(81) as u32);
					deliver(node, seconds.into(), quality);
					brute.entry((period, node)).or_default().delivery +=
						quality.mul_floor(seconds as u128 * 1_000);
				}
			}
			for i in 0..USERS {
				if rng.below(2) == 0 {
					add_spend(period, user(i), 1 + rng.below(10_000_000) as Balance);
				}
			}
			let available = rng.below(10_000_000);
			set_usage(period, available, rng.below(available + 1));
			close_period();
		}

		// The snapshots hold the brute-force totals.
		for period in 0..PERIODS {
			let r = Periods::<Test>::get(period).unwrap();
			let capacity: u128 =
				brute.iter().filter(|((p, _), _)| *p == period).map(|(_, b)| b.capacity * b.windows).sum();
			let delivery: u128 =
				brute.iter().filter(|((p, _), _)| *p == period).map(|(_, b)| b.delivery).sum();
			assert_eq!((r.capacity_points, r.delivery_points), (capacity, delivery), "period {period}");
		}

		// Every node claims all its periods, ten at a time; each share matches its points share.
		let mut paid: Balance = 0;
		for node in 0..NODES {
			let earned: Vec<PeriodIndex> = (0..PERIODS)
				.filter(|p| brute.get(&(*p, node)).is_some_and(|b| b.windows + b.delivery > 0))
				.collect();
			for &period in &earned {
				let (r, b) = (Periods::<Test>::get(period).unwrap(), brute[&(period, node)]);
				let pending = Rewards::pending_node_rewards(node);
				let amount = pending.periods.iter().find(|p| p.period == period).unwrap().amount;
				let expected = r.capacity_pot as f64 * (b.capacity * b.windows) as f64
					/ r.capacity_points as f64
					+ if r.delivery_points > 0 {
						r.delivery_pot as f64 * b.delivery as f64 / r.delivery_points as f64
					} else {
						0.0
					};
				assert!(
					(amount as f64 - expected).abs() <= expected * 1e-12 + 2.0,
					"node {node} period {period}"
				);
			}
			for chunk in earned.chunks(10) {
				let list = BoundedVec::truncate_from(chunk.to_vec());
				let before = balance(owner(node));
				match node {
					SUSPENDED => {
						assert_noop!(
							Rewards::claim_node_rewards(RuntimeOrigin::signed(owner(node)), node, list),
							Error::<Test>::NodeSuspended
						);
					}
					BANNED => {
						assert_noop!(
							Rewards::claim_node_rewards(
								RuntimeOrigin::signed(owner(node)),
								node,
								list.clone()
							),
							Error::<Test>::NodeBanned
						);
						assert_ok!(Rewards::forfeit_rewards(RuntimeOrigin::signed(user(0)), node, list));
					}
					_ => {
						assert_ok!(Rewards::claim_node_rewards(
							RuntimeOrigin::signed(owner(node)),
							node,
							list
						));
						paid += balance(owner(node)) - before;
					}
				}
			}
			if node == SUSPENDED {
				assert_eq!(balance(owner(node)), 0, "a suspended node gets nothing");
			}
		}

		// Every user claims every period they spent in.
		for i in 0..USERS {
			let spent: Vec<PeriodIndex> =
				(0..PERIODS).filter(|p| MockUsage::spend_of(*p, &user(i)) > 0).collect();
			assert_eq!(Rewards::pending_rebates(&user(i)).periods.len(), spent.len());
			for chunk in spent.chunks(10) {
				let before = balance(user(i));
				assert_ok!(Rewards::claim_rebates(
					RuntimeOrigin::signed(user(i)),
					BoundedVec::truncate_from(chunk.to_vec())
				));
				paid += balance(user(i)) - before;
			}
		}

		// Σ claimed ≤ Σ released to incentives; the rest (rounding, the suspended node's share,
		// the carry) is still in the pot.
		let incentives: Balance = Periods::<Test>::iter_values().map(|r| r.released - r.to_grants).sum();
		assert!(paid <= incentives);
		assert_eq!(balance(pot()), EXISTENTIAL_DEPOSIT + incentives - paid);
		let claimed: Balance = Periods::<Test>::iter_values().map(|r| r.claimed).sum();
		assert_eq!(claimed, paid);
		let forfeited: Balance = Periods::<Test>::iter_values().map(|r| r.forfeited).sum();
		assert!(forfeited > 0, "the banned node had earned before its ban");
		// The rounding lost to claims is a few base units per period and share, no more.
		let unclaimed_suspended: Balance = Rewards::pending_node_rewards(SUSPENDED).total;
		let dust = incentives - paid - unclaimed_suspended - Carry::<Test>::get();
		assert!(dust < (PERIODS as u128) * (NODES + USERS) as u128 * 3, "dust {dust}");
	});
}
