//! The Prometheus metrics of `/metrics`: the GPUs (as last sampled), the tasks, the API and the
//! process itself.

use prometheus_client::{
	encoding::{text::encode, EncodeLabelSet},
	metrics::{counter::Counter, family::Family, gauge::Gauge},
	registry::Registry,
};
use std::sync::{atomic::AtomicU64, Mutex, PoisonError};

use crate::{
	gpu::{Health, Snapshot},
	proc_stats,
};

/// Content type of the OpenMetrics text the encoder writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

const MIB: i64 = 1024 * 1024;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GpuLabels {
	index: u32,
	model: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
	route: String,
	status: u16,
}

pub struct Metrics {
	registry: Registry,
	gpu_utilization: Family<GpuLabels, Gauge>,
	gpu_memory_used: Family<GpuLabels, Gauge>,
	gpu_memory_total: Family<GpuLabels, Gauge>,
	gpu_temperature: Family<GpuLabels, Gauge>,
	gpu_health: Family<GpuLabels, Gauge>,
	resident_memory: Gauge,
	cpu_seconds: Counter<f64, AtomicU64>,
	/// Serialises scrapes: the CPU counter only moves by the difference since the last one.
	scrape: Mutex<()>,
	http_requests: Family<RequestLabels, Counter>,
	pub tasks_accepted: Counter,
	pub tasks_finished: Counter,
	pub tasks_failed: Counter,
	pub unauthorized: Counter,
}

impl Metrics {
	pub fn new(simulated: bool) -> Self {
		let metrics = Self {
			registry: Registry::default(),
			gpu_utilization: Family::default(),
			gpu_memory_used: Family::default(),
			gpu_memory_total: Family::default(),
			gpu_temperature: Family::default(),
			gpu_health: Family::default(),
			resident_memory: Gauge::default(),
			cpu_seconds: Counter::default(),
			scrape: Mutex::new(()),
			http_requests: Family::default(),
			tasks_accepted: Counter::default(),
			tasks_finished: Counter::default(),
			tasks_failed: Counter::default(),
			unauthorized: Counter::default(),
		};
		metrics.register(simulated)
	}

	fn register(mut self, simulated: bool) -> Self {
		let registry = &mut self.registry;
		registry.register(
			"vcity_agent_gpu_utilization_percent",
			"GPU utilization, 0 to 100",
			self.gpu_utilization.clone(),
		);
		registry.register(
			"vcity_agent_gpu_memory_used_bytes",
			"GPU memory in use",
			self.gpu_memory_used.clone(),
		);
		registry.register("vcity_agent_gpu_memory_total_bytes", "GPU memory", self.gpu_memory_total.clone());
		registry.register(
			"vcity_agent_gpu_temperature_celsius",
			"GPU die temperature",
			self.gpu_temperature.clone(),
		);
		registry.register(
			"vcity_agent_gpu_health",
			"GPU health: 0 ok, 1 degraded, 2 failed",
			self.gpu_health.clone(),
		);
		let simulated_gauge: Gauge = Gauge::default();
		simulated_gauge.set(i64::from(simulated));
		registry.register(
			"vcity_agent_simulated",
			"1 when the GPUs come from --gpu-profile",
			simulated_gauge,
		);
		registry.register("vcity_agent_tasks_accepted", "Tasks accepted (201)", self.tasks_accepted.clone());
		registry.register(
			"vcity_agent_tasks_finished",
			"Tasks finished with a result",
			self.tasks_finished.clone(),
		);
		registry.register("vcity_agent_tasks_failed", "Tasks ended with an error", self.tasks_failed.clone());
		registry.register(
			"vcity_agent_http_requests",
			"HTTP requests by route and status",
			self.http_requests.clone(),
		);
		registry.register(
			"vcity_agent_unauthorized_requests",
			"API requests refused for a missing or wrong secret",
			self.unauthorized.clone(),
		);
		registry.register(
			"process_resident_memory_bytes",
			"Resident memory of the agent",
			self.resident_memory.clone(),
		);
		registry.register(
			"process_cpu_seconds",
			"CPU time of the agent (user and system)",
			self.cpu_seconds.clone(),
		);
		self
	}

	pub fn count_request(&self, route: &str, status: u16) {
		self.http_requests.get_or_create(&RequestLabels { route: route.to_owned(), status }).inc();
	}

	/// The OpenMetrics text for one scrape, with the GPUs as in `snapshot`.
	pub fn render(&self, snapshot: &Snapshot) -> Result<String, std::fmt::Error> {
		let _scrape = self.scrape.lock().unwrap_or_else(PoisonError::into_inner);
		for gpu in &snapshot.gpus {
			let labels = GpuLabels { index: gpu.index, model: gpu.model.clone() };
			self.gpu_utilization.get_or_create(&labels).set(i64::from(gpu.utilization_percent));
			self.gpu_memory_used.get_or_create(&labels).set(mib_to_bytes(gpu.memory_used_mib));
			self.gpu_memory_total.get_or_create(&labels).set(mib_to_bytes(gpu.memory_total_mib));
			self.gpu_temperature.get_or_create(&labels).set(i64::from(gpu.temperature_c));
			self.gpu_health.get_or_create(&labels).set(health_value(gpu.health));
		}
		if let Some(bytes) = proc_stats::resident_memory_bytes() {
			self.resident_memory.set(i64::try_from(bytes).unwrap_or(i64::MAX));
		}
		if let Some(seconds) = proc_stats::cpu_seconds() {
			let increase = seconds - self.cpu_seconds.get();
			if increase > 0.0 {
				self.cpu_seconds.inc_by(increase);
			}
		}
		let mut text = String::new();
		encode(&mut text, &self.registry)?;
		Ok(text)
	}
}

fn mib_to_bytes(mib: u64) -> i64 {
	i64::try_from(mib).map_or(i64::MAX, |mib| mib.saturating_mul(MIB))
}

fn health_value(health: Health) -> i64 {
	match health {
		Health::Ok => 0,
		Health::Degraded => 1,
		Health::Failed => 2,
	}
}
