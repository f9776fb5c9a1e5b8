//! The host's GPUs: where their readings come from (NVML, or a simulated profile), and the
//! host's health and load from theirs (the rules written on the API's `Health`).

pub mod nvml;
pub mod occupancy;
pub mod profile;
pub mod sampler;

use std::{path::Path, sync::Arc};
use tracing::warn;

use nvml::NvmlSource;
use occupancy::Occupancy;
use profile::{ProfileError, ProfileSource};

/// One GPU as the API shows it, its health, and where the readings come from.
pub use vcity_agent_api::{GpuSample, Health, SourceKind};

/// A GPU is `degraded` from this temperature on.
pub const HOT_C: u32 = 85;

/// The latest reading of every GPU.
#[derive(Clone, Debug)]
pub struct Snapshot {
	pub source: SourceKind,
	pub gpus: Vec<GpuSample>,
}

impl Snapshot {
	pub fn simulated(&self) -> bool {
		self.source == SourceKind::Profile
	}

	/// `failed` when every GPU is, `degraded` when any is not `ok`, else `ok`.
	pub fn health(&self) -> Health {
		if self.gpus.iter().all(|gpu| gpu.health == Health::Failed) {
			Health::Failed
		} else if self.gpus.iter().any(|gpu| gpu.health != Health::Ok) {
			Health::Degraded
		} else {
			Health::Ok
		}
	}

	/// Mean utilization of the GPUs, rounded to the nearest percent.
	pub fn load_percent(&self) -> u32 {
		let count = self.gpus.len() as u64;
		if count == 0 {
			return 0;
		}
		let sum: u64 = self.gpus.iter().map(|gpu| u64::from(gpu.utilization_percent.min(100))).sum();
		u32::try_from((sum + count / 2) / count).unwrap_or(100)
	}
}

#[derive(Debug, thiserror::Error)]
pub enum GpuError {
	#[error("no NVIDIA driver/GPU found (NVML: {0}); start with --gpu-profile to simulate a GPU host")]
	NoNvml(nvml_wrapper::error::NvmlError),
	#[error("NVML reports no GPU on this host; start with --gpu-profile to simulate a GPU host")]
	NoGpu,
	#[error(transparent)]
	Profile(#[from] ProfileError),
}

pub enum GpuSource {
	Nvml(Arc<NvmlSource>),
	Profile(ProfileSource),
}

impl GpuSource {
	/// The profile when one is given, else the driver through NVML.
	pub fn open(profile: Option<&Path>) -> Result<Self, GpuError> {
		match profile {
			Some(path) => Ok(Self::Profile(ProfileSource::load(path)?)),
			None => Ok(Self::Nvml(Arc::new(NvmlSource::open()?))),
		}
	}

	pub fn kind(&self) -> SourceKind {
		match self {
			Self::Nvml(_) => SourceKind::Nvml,
			Self::Profile(_) => SourceKind::Profile,
		}
	}

	pub fn count(&self) -> u32 {
		match self {
			Self::Nvml(source) => source.count(),
			Self::Profile(source) => source.count(),
		}
	}

	pub async fn sample(&self, occupancy: &Occupancy) -> Snapshot {
		let gpus = match self {
			// NVML calls block (and a lost GPU can make them slow): keep them off the async threads.
			Self::Nvml(source) => {
				let reader = Arc::clone(source);
				match tokio::task::spawn_blocking(move || reader.sample()).await {
					Ok(gpus) => gpus,
					Err(error) => {
						warn!("reading the GPUs through NVML failed: {error}");
						source.unreadable()
					}
				}
			}
			Self::Profile(source) => source.sample(&occupancy.held()),
		};
		Snapshot { source: self.kind(), gpus }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn gpu(utilization_percent: u32, health: Health) -> GpuSample {
		GpuSample {
			index: 0,
			model: "test".into(),
			memory_total_mib: 1024,
			memory_used_mib: 0,
			utilization_percent,
			temperature_c: 40,
			health,
		}
	}

	#[test]
	fn host_health_follows_the_worst_and_the_all_failed_rules() {
		let snapshot = |healths: &[Health]| Snapshot {
			source: SourceKind::Profile,
			gpus: healths.iter().map(|health| gpu(0, *health)).collect(),
		};
		assert_eq!(snapshot(&[Health::Ok, Health::Ok]).health(), Health::Ok);
		assert_eq!(snapshot(&[Health::Ok, Health::Degraded]).health(), Health::Degraded);
		assert_eq!(snapshot(&[Health::Ok, Health::Failed]).health(), Health::Degraded);
		assert_eq!(snapshot(&[Health::Failed, Health::Failed]).health(), Health::Failed);
	}

	#[test]
	fn load_is_the_rounded_mean_utilization() {
		let snapshot = |utilizations: &[u32]| Snapshot {
			source: SourceKind::Nvml,
			gpus: utilizations.iter().map(|u| gpu(*u, Health::Ok)).collect(),
		};
		assert_eq!(snapshot(&[]).load_percent(), 0);
		assert_eq!(snapshot(&[100, 0]).load_percent(), 50);
		assert_eq!(snapshot(&[100, 0, 0]).load_percent(), 33);
		assert_eq!(snapshot(&[100, 100, 0]).load_percent(), 67);
	}
}
