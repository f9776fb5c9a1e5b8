//! `vcity-agent`: runs on a GPU host next to `vcity-node`. It reads the host's GPUs (or a
//! simulated profile), serves the local API of `docs/agent-api.md` to the node's offchain worker,
//! and runs the tasks the worker hands it.

mod api;
mod app;
mod cli;
mod digest;
mod error;
mod gpu;
mod logging;
mod metrics;
mod proc_stats;
mod secret;
mod shutdown;
mod stop;
mod tasks;

use clap::Parser;
use std::{process::ExitCode, sync::atomic::AtomicBool};

use cli::{Cli, Command, MatrixArgs, ServeArgs};
use tasks::{
	cores,
	matrix::{self, MatrixParams},
};

fn main() -> ExitCode {
	let cli = Cli::parse();
	match cli.command {
		Some(Command::Matrix(args)) => print_matrix_digest(&args),
		None => serve(cli.serve),
	}
}

/// The verifier's view of a matrix task: the digest from the parameters alone, on stdout.
fn print_matrix_digest(args: &MatrixArgs) -> ExitCode {
	let params = MatrixParams { seed: args.seed, size: args.size, rounds: args.rounds };
	let never_stopped = AtomicBool::new(false);
	match matrix::digest(params, cores::for_tasks(), &never_stopped) {
		Ok(digest) => {
			println!("{digest}");
			ExitCode::SUCCESS
		}
		Err(error) => {
			eprintln!("vcity-agent matrix: {error}");
			ExitCode::FAILURE
		}
	}
}

fn serve(args: ServeArgs) -> ExitCode {
	logging::init(args.log_format);
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(error) => {
			tracing::error!("cannot start the async runtime: {error}");
			return ExitCode::FAILURE;
		}
	};
	match runtime.block_on(app::serve(args)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			tracing::error!("{error}");
			ExitCode::FAILURE
		}
	}
}
