//! A simulated GPU host described by a JSON profile (`--gpu-profile`), for development, CI and
//! e2e tests on machines without NVIDIA GPUs. Its load is the agent's own: a GPU that runs one of
//! the agent's tasks shows 100 % and the task's memory, an idle one the profile's figures.
//!
//! ```json
//! { "gpus": [ { "model": "NVIDIA GeForce RTX 4090", "memory_total_mib": 24564, "count": 2 } ],
//!   "utilization_percent": 0, "temperature_c": 40 }
//! ```
//!
//! `count` (default 1) repeats an entry; `utilization_percent` (default 0) is the idle load and
//! `temperature_c` (default 40) the temperature of every GPU; an entry's optional `health`
//! (`ok`, `degraded`, `failed`) pins its health, to try how the node reacts.

use serde::Deserialize;
use std::{
	fs, io,
	path::{Path, PathBuf},
};

use super::{GpuSample, Health, HOT_C};

/// More would be a typo, not a host.
const MAX_GPUS: u32 = 64;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
	gpus: Vec<GpuEntry>,
	#[serde(default)]
	utilization_percent: u32,
	#[serde(default = "default_temperature")]
	temperature_c: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GpuEntry {
	model: String,
	memory_total_mib: u64,
	#[serde(default = "one")]
	count: u32,
	#[serde(default)]
	health: Option<Health>,
}

fn default_temperature() -> u32 {
	40
}

fn one() -> u32 {
	1
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
	#[error("cannot read the GPU profile {}: {source}", .path.display())]
	Read { path: PathBuf, source: io::Error },
	#[error("the GPU profile {} is invalid: {reason}", .path.display())]
	Invalid { path: PathBuf, reason: String },
}

#[derive(Debug)]
pub struct ProfileSource {
	gpus: Vec<SimulatedGpu>,
	idle_utilization_percent: u32,
	temperature_c: u32,
}

#[derive(Debug)]
struct SimulatedGpu {
	model: String,
	memory_total_mib: u64,
	health: Option<Health>,
}

impl ProfileSource {
	pub fn load(path: &Path) -> Result<Self, ProfileError> {
		let text = fs::read_to_string(path)
			.map_err(|source| ProfileError::Read { path: path.to_owned(), source })?;
		Self::parse(&text).map_err(|reason| ProfileError::Invalid { path: path.to_owned(), reason })
	}

	pub fn parse(json: &str) -> Result<Self, String> {
		let file: ProfileFile = serde_json::from_str(json).map_err(|error| error.to_string())?;
		if file.utilization_percent > 100 {
			return Err(format!("utilization_percent is {}, more than 100", file.utilization_percent));
		}
		let total: u64 = file.gpus.iter().map(|entry| u64::from(entry.count)).sum();
		if total == 0 || total > u64::from(MAX_GPUS) {
			return Err(format!("it lists {total} GPUs; a host has 1 to {MAX_GPUS}"));
		}
		let mut gpus = Vec::new();
		for entry in file.gpus {
			if entry.model.trim().is_empty() {
				return Err("a GPU has an empty model name".into());
			}
			for _ in 0..entry.count {
				gpus.push(SimulatedGpu {
					model: entry.model.clone(),
					memory_total_mib: entry.memory_total_mib,
					health: entry.health,
				});
			}
		}
		Ok(Self {
			gpus,
			idle_utilization_percent: file.utilization_percent,
			temperature_c: file.temperature_c,
		})
	}

	pub fn count(&self) -> u32 {
		u32::try_from(self.gpus.len()).unwrap_or(u32::MAX)
	}

	/// `held[i]` is the memory of the agent's task on GPU `i`, `None` when it is idle.
	pub fn sample(&self, held: &[Option<u64>]) -> Vec<GpuSample> {
		let temperature_health = if self.temperature_c >= HOT_C { Health::Degraded } else { Health::Ok };
		(0u32..)
			.zip(&self.gpus)
			.map(|(index, gpu)| {
				let task_memory_mib = held.get(index as usize).copied().flatten();
				let (utilization_percent, memory_used_mib) = match task_memory_mib {
					Some(mib) => (100, mib.min(gpu.memory_total_mib)),
					None => (self.idle_utilization_percent, 0),
				};
				GpuSample {
					index,
					model: gpu.model.clone(),
					memory_total_mib: gpu.memory_total_mib,
					memory_used_mib,
					utilization_percent,
					temperature_c: self.temperature_c,
					health: gpu.health.unwrap_or(temperature_health),
				}
			})
			.collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn count_expands_and_optional_fields_default() {
		let profile = ProfileSource::parse(
			r#"{ "gpus": [ { "model": "NVIDIA GeForce RTX 4090", "memory_total_mib": 24564, "count": 2 },
			               { "model": "NVIDIA L4", "memory_total_mib": 23034 } ] }"#,
		)
		.expect("valid");
		assert_eq!(profile.count(), 3);
		let gpus = profile.sample(&[]);
		assert_eq!(gpus.iter().map(|gpu| gpu.index).collect::<Vec<_>>(), vec![0, 1, 2]);
		assert_eq!(gpus[1].model, "NVIDIA GeForce RTX 4090");
		assert_eq!(gpus[2].model, "NVIDIA L4");
		assert!(gpus.iter().all(|gpu| gpu.temperature_c == 40
			&& gpu.utilization_percent == 0
			&& gpu.memory_used_mib == 0
			&& gpu.health == Health::Ok));
	}

	#[test]
	fn busy_gpus_show_the_tasks_load_and_memory() {
		let profile = ProfileSource::parse(
			r#"{ "gpus": [ { "model": "X", "memory_total_mib": 1000, "count": 2 } ],
			     "utilization_percent": 3 }"#,
		)
		.expect("valid");
		let gpus = profile.sample(&[None, Some(5000)]);
		assert_eq!((gpus[0].utilization_percent, gpus[0].memory_used_mib), (3, 0));
		assert_eq!((gpus[1].utilization_percent, gpus[1].memory_used_mib), (100, 1000));
	}

	#[test]
	fn heat_and_pinned_health_show() {
		let profile = ProfileSource::parse(
			r#"{ "gpus": [ { "model": "X", "memory_total_mib": 1 },
			               { "model": "Y", "memory_total_mib": 1, "health": "failed" } ],
			     "temperature_c": 85 }"#,
		)
		.expect("valid");
		let gpus = profile.sample(&[]);
		assert_eq!(gpus[0].health, Health::Degraded);
		assert_eq!(gpus[1].health, Health::Failed);
	}

	#[test]
	fn invalid_profiles_are_refused() {
		for json in [
			r#"{ "gpus": [] }"#,
			r#"{ "gpus": [ { "model": "X", "memory_total_mib": 1, "count": 0 } ] }"#,
			r#"{ "gpus": [ { "model": "X", "memory_total_mib": 1, "count": 65 } ] }"#,
			r#"{ "gpus": [ { "model": "X", "memory_total_mib": 1 } ], "utilization_percent": 101 }"#,
			r#"{ "gpus": [ { "model": "X", "memory_total_mib": 1, "vram": 2 } ] }"#,
			r#"{ "gpus": [ { "model": " ", "memory_total_mib": 1 } ] }"#,
		] {
			assert!(ProfileSource::parse(json).is_err(), "{json}");
		}
	}
}
