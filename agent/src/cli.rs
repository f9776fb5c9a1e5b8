//! Command-line interface: the server's options, and the `matrix` subcommand verifiers use.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::{net::SocketAddr, path::PathBuf};

use crate::tasks::container::allowlist::AllowedContainer;

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
	/// A container tasks may run: an image pinned by digest, `name@sha256:<64 hex>`, and the
	/// command to run in it as a JSON list, `'["python3", "/app/job.py"]'` (`[]` keeps the
	/// image's own). Repeat for several. A task must name the reference exactly and carry the
	/// command's hash (BLAKE2b-256 of every argument followed by a NUL byte); others are declined.
	/// `;min-seconds=N` after the command declines tasks paying fewer seconds than it takes.
	#[arg(long = "container-image", value_name = "REF=COMMAND[;min-seconds=N]")]
	pub container_images: Vec<AllowedContainer>,
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
	/// Host memory the memory walks of concurrent checks may hold together, in MiB (at least
	/// one largest table, 1,024); a walk waits for room rather than exhaust the host.
	#[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u64).range(1024..))]
	pub walk_memory_mib: u64,
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

#[cfg(test)]
mod tests {
	use super::*;
	use crate::tasks::container::{allowlist::EntryError, pinned::PinError};
	use std::error::Error as _;

	const JOB: &str =
		"ghcr.io/acme/job@sha256:6b3f5a1c9e2d4f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";

	fn parse(entry: &str) -> Result<Cli, clap::Error> {
		Cli::try_parse_from(["vcity-agent", "--container-image", entry])
	}

	/// Why clap refused the entry, as the entry's parser said it.
	fn refusal(entry: &str) -> EntryError {
		let error = parse(entry).expect_err("refused");
		assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
		let source = error.source().and_then(|source| source.downcast_ref::<EntryError>());
		source.cloned().unwrap_or_else(|| panic!("not an entry error: {error}"))
	}

	#[test]
	fn container_images_are_read_as_pinned_entries() {
		let cli = parse(&format!(r#"{JOB}=["python3", "/app/job.py"]"#)).expect("parses");
		assert_eq!(cli.serve.container_images.len(), 1);
		let entry = &cli.serve.container_images[0];
		assert_eq!(entry.image.as_str(), JOB);
		assert_eq!(entry.command.argv(), ["python3", "/app/job.py"]);
	}

	#[test]
	fn an_unpinned_image_or_a_missing_command_stops_the_agent_before_it_starts() {
		let tagged = "ghcr.io/acme/job:1";
		assert_eq!(refusal(&format!("{tagged}=[]")), EntryError::Image(PinError::NoDigest(tagged.into())));
		assert_eq!(refusal(JOB), EntryError::NoCommand);
	}
}
