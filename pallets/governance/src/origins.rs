//! Checks that a call was dispatched by a passed referendum of one particular track.

use crate::DaoOrigin;
use frame_support::traits::EnsureOrigin;

macro_rules! ensure_dao_origin {
	($(#[$doc:meta])* $name:ident, $variant:ident) => {
		$(#[$doc])*
		pub struct $name;

		impl<O: From<DaoOrigin> + Into<Result<DaoOrigin, O>>> EnsureOrigin<O> for $name {
			type Success = ();

			fn try_origin(origin: O) -> Result<(), O> {
				match origin.into() {
					Ok(DaoOrigin::$variant) => Ok(()),
					Ok(other) => Err(O::from(other)),
					Err(origin) => Err(origin),
				}
			}

			#[cfg(feature = "runtime-benchmarks")]
			fn try_successful_origin() -> Result<O, ()> {
				Ok(O::from(DaoOrigin::$variant))
			}
		}
	};
}

ensure_dao_origin!(
	/// A passed referendum of the parameters track.
	EnsureParameters,
	Parameters
);
ensure_dao_origin!(
	/// A passed referendum of the strategic issuance track.
	EnsureStrategicIssuance,
	StrategicIssuance
);
ensure_dao_origin!(
	/// A passed referendum of the repricing track.
	EnsureRepricing,
	Repricing
);
ensure_dao_origin!(
	/// A passed referendum of the treasury spending track.
	EnsureTreasurySpending,
	TreasurySpending
);
ensure_dao_origin!(
	/// A passed referendum of the cancellations track.
	EnsureCanceller,
	Canceller
);
ensure_dao_origin!(
	/// A passed referendum of the appeals track.
	EnsureAppeal,
	Appeal
);
