//! Real GPUs, read through NVML. `Nvml::init` loads `libnvidia-ml` at run time, so the agent
//! builds and starts on hosts without the driver (and then asks for `--gpu-profile`).

use nvml_wrapper::{enum_wrappers::device::TemperatureSensor, error::NvmlError, Nvml};
use tracing::warn;

use super::{GpuError, GpuSample, Health, HOT_C};

const MIB: u64 = 1024 * 1024;

pub struct NvmlSource {
	nvml: Nvml,
	/// What does not change while the agent runs, read once at start.
	gpus: Vec<Identity>,
}

struct Identity {
	model: String,
	memory_total_mib: u64,
}

impl NvmlSource {
	pub fn open() -> Result<Self, GpuError> {
		let nvml = Nvml::init().map_err(GpuError::NoNvml)?;
		let count = nvml.device_count().map_err(GpuError::NoNvml)?;
		if count == 0 {
			return Err(GpuError::NoGpu);
		}
		let gpus = (0..count).map(|index| identify(&nvml, index)).collect();
		Ok(Self { nvml, gpus })
	}

	pub fn count(&self) -> u32 {
		u32::try_from(self.gpus.len()).unwrap_or(u32::MAX)
	}

	pub fn sample(&self) -> Vec<GpuSample> {
		(0..).zip(&self.gpus).map(|(index, identity)| self.sample_one(index, identity)).collect()
	}

	/// Every GPU as `degraded` with no readings, for when sampling itself failed.
	pub fn unreadable(&self) -> Vec<GpuSample> {
		(0..).zip(&self.gpus).map(|(index, identity)| blank(index, identity, Health::Degraded)).collect()
	}

	fn sample_one(&self, index: u32, identity: &Identity) -> GpuSample {
		let device = match self.nvml.device_by_index(index) {
			Ok(device) => device,
			Err(error) => return blank(index, identity, health_after(&error)),
		};
		let mut health = Health::Ok;
		let memory = reading(device.memory_info(), &mut health);
		let utilization = reading(device.utilization_rates(), &mut health);
		let temperature_c = reading(device.temperature(TemperatureSensor::Gpu), &mut health).unwrap_or(0);
		if temperature_c >= HOT_C {
			health = health.max(Health::Degraded);
		}
		GpuSample {
			index,
			model: identity.model.clone(),
			memory_total_mib: memory.as_ref().map_or(identity.memory_total_mib, |memory| memory.total / MIB),
			memory_used_mib: memory.map_or(0, |memory| memory.used / MIB),
			utilization_percent: utilization.map_or(0, |utilization| utilization.gpu.min(100)),
			temperature_c,
			health,
		}
	}
}

fn identify(nvml: &Nvml, index: u32) -> Identity {
	let found =
		nvml.device_by_index(index).and_then(|device| Ok((device.name()?, device.memory_info()?.total)));
	match found {
		Ok((model, memory_total)) => Identity { model, memory_total_mib: memory_total / MIB },
		Err(error) => {
			warn!(gpu = index, "cannot identify the GPU through NVML: {error}");
			Identity { model: "unknown".into(), memory_total_mib: 0 }
		}
	}
}

/// The value of one metric; a failed read leaves the GPU at least `degraded` (docs/agent-api.md:
/// "degraded ... when NVML cannot read one of its metrics", even one the card does not support).
fn reading<T>(result: Result<T, NvmlError>, health: &mut Health) -> Option<T> {
	match result {
		Ok(value) => Some(value),
		Err(error) => {
			*health = (*health).max(health_after(&error));
			None
		}
	}
}

/// `failed` when NVML has lost the GPU, `degraded` for any other error.
fn health_after(error: &NvmlError) -> Health {
	if matches!(error, NvmlError::GpuLost) {
		Health::Failed
	} else {
		Health::Degraded
	}
}

fn blank(index: u32, identity: &Identity, health: Health) -> GpuSample {
	GpuSample {
		index,
		model: identity.model.clone(),
		memory_total_mib: identity.memory_total_mib,
		memory_used_mib: 0,
		utilization_percent: 0,
		temperature_c: 0,
		health,
	}
}
