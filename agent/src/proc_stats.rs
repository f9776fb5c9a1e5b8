//! This process's resident memory and CPU time, read from procfs, for `/metrics`.

use std::fs;

pub fn resident_memory_bytes() -> Option<u64> {
	let statm = fs::read_to_string("/proc/self/statm").ok()?;
	let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
	pages.checked_mul(sysconf(libc::_SC_PAGESIZE)?)
}

pub fn cpu_seconds() -> Option<f64> {
	let stat = fs::read_to_string("/proc/self/stat").ok()?;
	// Field 2, the command name, is in parentheses and may hold spaces: count from the last ')'.
	let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
	// After the name, the state (field 3) is at 0, so utime (14) and stime (15) are at 11 and 12.
	let user: u64 = fields.get(11)?.parse().ok()?;
	let system: u64 = fields.get(12)?.parse().ok()?;
	Some((user + system) as f64 / sysconf(libc::_SC_CLK_TCK)? as f64)
}

fn sysconf(name: libc::c_int) -> Option<u64> {
	// SAFETY: sysconf(3) takes an integer and only reads system constants.
	let value = unsafe { libc::sysconf(name) };
	u64::try_from(value).ok().filter(|value| *value > 0)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn reads_plausible_figures() {
		let resident = resident_memory_bytes().expect("statm");
		assert!(resident > 1024 * 1024, "{resident}");
		let cpu = cpu_seconds().expect("stat");
		assert!(cpu >= 0.0);
	}
}
