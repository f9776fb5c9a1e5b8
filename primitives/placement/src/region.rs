//! Regions and the network latency between them.
//!
//! Registry regions are free-form codes; the chain knows the common cloud regions by their
//! position on the globe and estimates a round trip from the straight-line distance. Unknown
//! codes are treated as far from everything, so a node that names an odd region is still usable
//! but never preferred on latency.
//!
//! The market decides with this table whether a node is near enough for a task (`TooFar`,
//! `UnknownRegion`), and the scheduler scores latency with the same one, so what a scheduler
//! proposes and what the chain accepts cannot disagree about distance.

/// Index of a known region, or [`UNKNOWN_REGION`].
pub type RegionId = u16;

/// A region code the table does not know.
pub const UNKNOWN_REGION: RegionId = RegionId::MAX;

/// Round trip within one region.
const SAME_REGION_MS: u32 = 2;
/// Round trip assumed when either side's region is unknown.
const UNKNOWN_REGION_MS: u32 = 250;
/// Fixed cost of any path between regions (last mile, switching).
const INTER_REGION_BASE_MS: u32 = 5;
const EARTH_RADIUS_KM: u64 = 6_371;
/// Coordinates are unit vectors scaled by this.
const UNIT: u64 = 10_000;

/// A region's position as a unit vector on the globe, scaled by [`UNIT`]; precomputed from
/// latitude and longitude so no trigonometry runs here.
struct RegionSite {
	code: &'static [u8],
	x: i64,
	y: i64,
	z: i64,
}

const SITES: &[RegionSite] = &[
	RegionSite { code: b"us-east", x: 1751, y: -7583, z: 6280 },
	RegionSite { code: b"us-central", x: -470, y: -7463, z: 6639 },
	RegionSite { code: b"us-west", x: -4222, y: -6730, z: 6074 },
	RegionSite { code: b"ca-central", x: 1979, y: -6724, z: 7133 },
	RegionSite { code: b"sa-east", x: 6301, y: -6663, z: -3987 },
	RegionSite { code: b"eu-west", x: 5940, y: -656, z: 8018 },
	RegionSite { code: b"eu-north", x: 4853, y: 1586, z: 8599 },
	RegionSite { code: b"eu-central", x: 6341, y: 970, z: 7672 },
	RegionSite { code: b"eu-south", x: 6919, y: 1121, z: 7133 },
	RegionSite { code: b"me-central", x: 5151, y: 7439, z: 4258 },
	RegionSite { code: b"af-south", x: 7876, y: 2620, z: -5577 },
	RegionSite { code: b"ap-south", x: 2779, y: 9032, z: 3272 },
	RegionSite { code: b"ap-southeast", x: -2385, y: 9709, z: 236 },
	RegionSite { code: b"ap-east", x: -3793, y: 8439, z: 3795 },
	RegionSite { code: b"ap-northeast", x: -6194, y: 5252, z: 5835 },
	RegionSite { code: b"ap-northeast-2", x: -4768, y: 6328, z: 6101 },
	RegionSite { code: b"cn-north", x: -3411, y: 6872, z: 6414 },
	RegionSite { code: b"cn-east", x: -4469, y: 7293, z: 5180 },
	RegionSite { code: b"au-southeast", x: -7273, y: 3999, z: -5577 },
];

/// Number of regions the table knows.
pub const KNOWN_REGIONS: usize = SITES.len();

/// The region a registry code names (ASCII case-insensitive), or [`UNKNOWN_REGION`].
pub fn region_of(code: &[u8]) -> RegionId {
	SITES
		.iter()
		.position(|site| site.code.eq_ignore_ascii_case(code))
		.and_then(|index| RegionId::try_from(index).ok())
		.unwrap_or(UNKNOWN_REGION)
}

/// Estimated round trip between two regions in milliseconds.
///
/// Light in fibre covers about 200 km per ms one way; real routes run about 1.5 times the
/// straight line, so a round trip costs about 1.5 ms per 100 km of chord.
pub fn round_trip_ms(a: RegionId, b: RegionId) -> u32 {
	let (Some(from), Some(to)) = (SITES.get(usize::from(a)), SITES.get(usize::from(b))) else {
		return UNKNOWN_REGION_MS;
	};
	if a == b {
		return SAME_REGION_MS;
	}
	let (dx, dy, dz) = (from.x - to.x, from.y - to.y, from.z - to.z);
	let chord_scaled = isqrt((dx * dx + dy * dy + dz * dz).unsigned_abs());
	let chord_km = chord_scaled * EARTH_RADIUS_KM / UNIT;
	let ms = u64::from(INTER_REGION_BASE_MS) + chord_km * 3 / 200;
	u32::try_from(ms).unwrap_or(u32::MAX)
}

/// Round trips between every pair of regions, computed once per scheduling run so scoring a
/// pair is a table lookup. The last row and column stand for unknown regions.
pub struct LatencyTable {
	round_trips: [[u32; KNOWN_REGIONS + 1]; KNOWN_REGIONS + 1],
}

impl LatencyTable {
	/// Builds the table from [`round_trip_ms`].
	pub fn new() -> Self {
		let mut round_trips = [[UNKNOWN_REGION_MS; KNOWN_REGIONS + 1]; KNOWN_REGIONS + 1];
		for (a, row) in round_trips.iter_mut().enumerate().take(KNOWN_REGIONS) {
			for (b, cell) in row.iter_mut().enumerate().take(KNOWN_REGIONS) {
				*cell = round_trip_ms(a as RegionId, b as RegionId);
			}
		}
		Self { round_trips }
	}

	/// Round trip between two regions in milliseconds.
	pub fn round_trip_ms(&self, a: RegionId, b: RegionId) -> u32 {
		let row = usize::from(a).min(KNOWN_REGIONS);
		let column = usize::from(b).min(KNOWN_REGIONS);
		self.round_trips[row][column]
	}
}

impl Default for LatencyTable {
	fn default() -> Self {
		Self::new()
	}
}

/// Integer square root (floor), by Newton's method.
fn isqrt(n: u64) -> u64 {
	if n < 2 {
		return n;
	}
	let mut x = n;
	let mut y = n / 2 + n % 2;
	while y < x {
		x = y;
		y = (x + n / x) / 2;
	}
	x
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn isqrt_is_the_floor_root() {
		for n in 0..10_000u64 {
			let r = isqrt(n);
			assert!(r * r <= n && (r + 1) * (r + 1) > n, "isqrt({n}) = {r}");
		}
		assert_eq!(isqrt(u64::MAX), u64::from(u32::MAX));
	}

	#[test]
	fn known_routes_have_plausible_latency() {
		let (us_east, eu_west, au) =
			(region_of(b"us-east"), region_of(b"EU-WEST"), region_of(b"au-southeast"));
		assert_eq!(round_trip_ms(us_east, us_east), SAME_REGION_MS);
		// Virginia to Dublin is ~5,500 km: ~80 ms measured on real links.
		let atlantic = round_trip_ms(us_east, eu_west);
		assert!((70..=100).contains(&atlantic), "{atlantic}");
		assert_eq!(atlantic, round_trip_ms(eu_west, us_east));
		assert!(round_trip_ms(eu_west, au) > atlantic);
		assert_eq!(round_trip_ms(region_of(b"mars-1"), eu_west), UNKNOWN_REGION_MS);
		assert_eq!(usize::from(region_of(b"au-southeast")), KNOWN_REGIONS - 1);
	}

	#[test]
	fn table_agrees_with_the_estimate() {
		let table = LatencyTable::new();
		for a in (0..KNOWN_REGIONS as RegionId).chain([UNKNOWN_REGION, 4_000]) {
			for b in (0..KNOWN_REGIONS as RegionId).chain([UNKNOWN_REGION]) {
				assert_eq!(table.round_trip_ms(a, b), round_trip_ms(a, b), "{a} -> {b}");
			}
		}
	}
}
