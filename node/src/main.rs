//! `vcity-node`: the Vcity chain node.
#![warn(missing_docs)]
// sc-cli and sc-service return their own large error types; boxing them here would only add
// conversions at every call into those crates.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod properties;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
