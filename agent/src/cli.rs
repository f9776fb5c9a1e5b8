//! Command-line interface: the server's options, and the `matrix` subcommand verifiers use.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::{net::SocketAddr, path::PathBuf};

#[derive(Debug, Parser)]
#[command(
	name = "vcity-agent",
	version,
	about = "Vcity GPU agent: serves the node's offchain worker and runs its tasks"
)]
pub struct Cli {
	#[command(subcommand)]
	pub command: Option<Command>,
	#[command(flatten)]
	pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
	/// Prints the result digest of a `matrix` task (0x-hex), computed on the CPU.
	Matrix(MatrixArgs),
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
	#[arg(long)]
	pub seed: u64,
	/// Side of the square matrices (1 to 4096).
	#[arg(long)]
	pub size: u32,
	/// Number of multiplications.
	#[arg(long)]
	pub rounds: u32,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
	/// Address of the API. Only loopback addresses, unless --allow-remote.
	#[arg(long, default_value = "127.0.0.1:8790")]
	pub listen: SocketAddr,
	/// Allow --listen on a non-loopback address (protect the port yourself).
	#[arg(long)]
	pub allow_remote: bool,
	/// Where the agent keeps its tasks and secret [default: $HOME/.local/share/vcity-agent].
	#[arg(long, value_name = "DIR")]
	pub data_dir: Option<PathBuf>,
	/// The bearer secret shared with the node; written (mode 0600) if missing
	/// [default: <data-dir>/secret].
	#[arg(long, value_name = "FILE")]
	pub secret_file: Option<PathBuf>,
	/// Simulate the GPUs described in this JSON file instead of reading them through NVML.
	#[arg(long, value_name = "FILE")]
	pub gpu_profile: Option<PathBuf>,
	/// How often the GPUs are sampled, in milliseconds.
	#[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(100..))]
	pub poll_interval_ms: u64,
	/// Most tasks running at once; 0 (the default) lets the GPUs decide, as the chain does when
	/// it gives the node one task per free GPU.
	#[arg(long, default_value_t = 0)]
	pub max_parallel_tasks: u32,
	/// A container image this host runs (repeat for several; pin by digest, `name@sha256:…`).
	/// Tasks naming any other image are declined.
	#[arg(long = "container-image", value_name = "REF")]
	pub container_images: Vec<String>,
	#[arg(long, value_enum, default_value_t = LogFormat::Text)]
	pub log_format: LogFormat,
	/// Which container runtime runs `container` tasks; auto takes docker, else podman.
	#[arg(long, value_enum, default_value_t = RuntimeChoice::Auto)]
	pub container_runtime: RuntimeChoice,
	/// Seconds a task may run beyond its paid `seconds` before it is stopped.
	#[arg(long, default_value_t = 30)]
	pub task_grace_seconds: u64,
	/// Memory limit of each task container (`--memory`), in MiB.
	#[arg(long, default_value_t = 8192, value_parser = clap::value_parser!(u64).range(6..))]
	pub container_memory_mib: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
	Text,
	Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuntimeChoice {
	Auto,
	Docker,
	Podman,
	/// No container tasks: they are answered `422 unsupported`.
	#[value(name = "none")]
	Disabled,
}
