//! The agent's life: wires the GPU source, the task store, the runner and the HTTP API together,
//! serves until SIGINT/SIGTERM, then stops them in order.

use std::{fs::DirBuilder, os::unix::fs::DirBuilderExt, path::PathBuf, sync::Arc, time::Duration};
use tokio::{
	net::TcpListener,
	sync::{watch, Notify},
};
use tracing::{error, info, warn};

use crate::{
	api::{self, AppState},
	cli::ServeArgs,
	error::StartError,
	gpu::{occupancy::Occupancy, sampler, GpuSource, SourceKind},
	metrics::Metrics,
	secret,
	stop::StopSignal,
	tasks::{
		admission::Admission,
		container::{self, allowlist::Allowlist, ContainerRuntime},
		runner::{Runner, RunnerConfig},
		store::Store,
	},
};

pub async fn serve(args: ServeArgs) -> Result<(), StartError> {
	if !args.listen.ip().is_loopback() && !args.allow_remote {
		return Err(StartError::NotLoopback(args.listen));
	}
	let data_dir = data_dir(args.data_dir)?;
	let secret_path = args.secret_file.unwrap_or_else(|| data_dir.join("secret"));
	let secret = Arc::new(secret::load_or_create(&secret_path)?);
	let source = Arc::new(GpuSource::open(args.gpu_profile.as_deref())?);
	let container_runtime = container::detect(args.container_runtime)?;
	let store = Arc::new(Store::open(data_dir.join("tasks.json")).await?);
	let occupancy = Arc::new(Occupancy::new(source.count()));
	let (snapshots, gpus) = watch::channel(source.sample(&occupancy).await);
	let listener = TcpListener::bind(args.listen)
		.await
		.map_err(|source| StartError::Bind { addr: args.listen, source })?;

	let simulated = source.kind() == SourceKind::Profile;
	if args.listen.ip().is_loopback() {
		info!(listen = %args.listen, "serving the agent API");
	} else {
		warn!(listen = %args.listen, "serving the agent API on a non-loopback address (--allow-remote)");
	}
	info!(
		gpus = source.count(),
		simulated,
		data_dir = %data_dir.display(),
		secret_file = %secret_path.display(),
		container_runtime = container_runtime.as_ref().map_or("none", |runtime| runtime.name),
		"agent started"
	);
	let allowlist = Allowlist::new(args.container_images);
	// In the background: a runtime that hangs must not hold up the API the node polls.
	tokio::spawn(announce_containers(container_runtime.clone(), allowlist.clone()));

	let shutdown = Arc::new(StopSignal::default());
	let metrics = Arc::new(Metrics::new(simulated));
	let wake_runner = Arc::new(Notify::new());
	tokio::spawn(crate::shutdown::stop_on_signal(Arc::clone(&shutdown)));
	let sampling = tokio::spawn(sampler::run(
		Arc::clone(&source),
		Arc::clone(&occupancy),
		snapshots,
		Duration::from_millis(args.poll_interval_ms),
		Arc::clone(&shutdown),
	));
	let state = AppState {
		secret,
		store: Arc::clone(&store),
		admission: Arc::new(Admission {
			host_gpus: source.count(),
			containers: container_runtime.is_some(),
			allowlist: allowlist.clone(),
		}),
		gpus,
		metrics: Arc::clone(&metrics),
		wake_runner: Arc::clone(&wake_runner),
		shutdown: Arc::clone(&shutdown),
	};
	crate::tasks::memory_walk::set_walk_memory(args.walk_memory_mib.saturating_mul(1 << 20));
	let config = RunnerConfig {
		max_parallel: match args.max_parallel_tasks {
			0 => usize::MAX,
			count => usize::try_from(count).unwrap_or(usize::MAX),
		},
		grace: Duration::from_secs(args.task_grace_seconds),
		container_runtime,
		container_memory_mib: args.container_memory_mib,
		allowlist,
	};
	let running =
		tokio::spawn(Runner::new(store, occupancy, metrics, config, wake_runner).run(Arc::clone(&shutdown)));

	let stopping = Arc::clone(&shutdown);
	let served = axum::serve(listener, api::router(state))
		.with_graceful_shutdown(async move { stopping.stopped().await })
		.await;
	// The server may also have ended on an error: stop the rest either way.
	shutdown.stop();
	if let Err(failure) = running.await {
		error!("the task runner failed: {failure}");
	}
	if let Err(failure) = sampling.await {
		error!("the GPU sampler failed: {failure}");
	}
	info!("agent stopped");
	served.map_err(StartError::Serve)
}

/// Logs what tasks may run in containers, with each command's hash for the operator to publish,
/// and warns of what would make those tasks fail or be declined.
async fn announce_containers(runtime: Option<ContainerRuntime>, allowlist: Allowlist) {
	if runtime.is_none() && !allowlist.entries().is_empty() {
		warn!("--container-image is given, but without a container runtime every container task is declined");
	}
	for allowed in allowlist.entries() {
		let image = allowed.image.as_str();
		let (command, command_hash) = (allowed.command.argv(), allowed.command.hash());
		info!(image, ?command, %command_hash, "container tasks may run this");
		let Some(runtime) = &runtime else { continue };
		if container::is_present(runtime, &allowed.image).await == Some(false) {
			warn!(
				image,
				"{} does not have this image and tasks never pull: pull it, or its tasks fail", runtime.name
			);
		}
	}
}

/// The data directory, created (private to the operator's user) if missing.
fn data_dir(given: Option<PathBuf>) -> Result<PathBuf, StartError> {
	let dir = match given {
		Some(dir) => dir,
		None => {
			let home = std::env::var_os("HOME").filter(|home| !home.is_empty()).ok_or(StartError::NoHome)?;
			PathBuf::from(home).join(".local/share/vcity-agent")
		}
	};
	DirBuilder::new()
		.recursive(true)
		.mode(0o700)
		.create(&dir)
		.map_err(|source| StartError::DataDir { path: dir.clone(), source })?;
	Ok(dir)
}
