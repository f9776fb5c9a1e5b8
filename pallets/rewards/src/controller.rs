//! The supply/demand controller (docs/economics.md#controller), in parts per billion:
//! P_supply(t) = clip(P_supply(t−1) + k · (U(t−1) − U_target), 0, 1).
//!
//! Above the target, supply is scarce and the supply side's share grows; below it, demand is
//! short and users' rebates grow. With k = 0.1 and U_target = 80%, U = 60% lowers P_supply by
//! 2 points and U = 95% raises it by 1.5 points.

use sp_runtime::{PerThing, Perbill};

/// P_supply of the next period from the current one and the utilization of the period that
/// ended. Without a utilization (nothing was available) P_supply stays. The step k · |U − U_target|
/// is rounded toward zero, the same way up and down.
pub fn next_supply_share(
	current: Perbill,
	utilization: Option<Perbill>,
	target: Perbill,
	gain: Perbill,
) -> Perbill {
	let Some(utilization) = utilization else { return current };
	let (u, target, current) = (utilization.deconstruct(), target.deconstruct(), current.deconstruct());
	let next = if u >= target {
		current.saturating_add(gain.mul_floor(u - target))
	} else {
		current.saturating_sub(gain.mul_floor(target - u))
	};
	Perbill::from_parts(next.min(Perbill::ACCURACY))
}
