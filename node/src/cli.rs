//! Command line of `vcity-node`.

use sc_cli::RunCmd;

/// The node's command line: run a node, or one of the maintenance subcommands.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: RunCmd,

	#[clap(flatten)]
	pub agent: AgentArgs,
}

/// Where a GPU operator's node finds its `vcity-agent` (see `docs/agent-api.md`). Giving
/// `--agent-url` turns the offchain worker on, whatever `--offchain-worker` says, since bridging
/// the agent is its job; the operator key (type `vcty`) must be in the keystore.
#[derive(Debug, Clone, clap::Args)]
pub struct AgentArgs {
	/// Base URL of the GPU agent, e.g. http://127.0.0.1:8790.
	#[arg(long, value_name = "URL", requires = "agent_secret_file")]
	pub agent_url: Option<String>,

	/// File holding the agent's shared secret (the agent's `--secret-file`).
	#[arg(long, value_name = "PATH", requires = "agent_url")]
	pub agent_secret_file: Option<std::path::PathBuf>,
}

impl AgentArgs {
	/// The settings the offchain worker reads, or `None` when no agent is configured.
	pub fn settings(&self) -> Result<Option<vcity_primitives::AgentSettings>, String> {
		let (Some(url), Some(path)) = (&self.agent_url, &self.agent_secret_file) else { return Ok(None) };
		if !(url.starts_with("http://") || url.starts_with("https://")) {
			return Err(format!("--agent-url {url}: must start with http:// or https://"));
		}
		let secret = std::fs::read_to_string(path)
			.map_err(|e| format!("--agent-secret-file {}: {e}", path.display()))?;
		let secret = secret.trim();
		if secret.is_empty() {
			return Err(format!("--agent-secret-file {}: the file is empty", path.display()));
		}
		Ok(Some(vcity_primitives::AgentSettings {
			url: url.as_bytes().to_vec(),
			secret: secret.as_bytes().to_vec(),
		}))
	}
}

/// Maintenance subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management (generate, inspect, insert keys into the keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),
	/// Write a chain specification (`--chain dev|local|staging` or a file) as JSON.
	BuildSpec(sc_cli::BuildSpecCmd),
	/// Export the chain specification of a chain.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),
	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),
	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),
	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),
	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),
	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),
	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),
	/// Information about the database.
	ChainInfo(sc_cli::ChainInfoCmd),
}
