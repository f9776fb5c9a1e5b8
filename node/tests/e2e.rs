//! End to end: the real `vcity-node` binary, a real client. One binary runs every chain: the dev
//! chain of 24-hour days (`--dev`) and the dev chain whose day is a minute
//! (`--dev --chain dev-fast`). Each test starts its own node, so the six run five at a time
//! (`--test-threads 5`) without touching each other's state; the flows mostly wait for blocks:
//!
//! - `--dev`: the node authors and finalizes blocks, and the GPU operator's flow
//!   (`scripts/e2e/operator-flow.mjs`), the market's (`scripts/e2e/market-flow.mjs`: a task
//!   submitted, matched by a scheduler node's offchain worker, delivered and settled) and the
//!   same-day part of the token holder's (`scripts/e2e/ve-flow.mjs` on 24-hour days) pass;
//! - `dev-fast`: the token holder's whole lock (`scripts/e2e/ve-flow.mjs`: its weight over RPC,
//!   bad locks refused, the daily decay, a drop claimed, the withdrawal);
//! - `dev-fast`: a rewards period closed and claimed (`scripts/e2e/rewards-flow.mjs`), then on the
//!   same node two nodes' failed deliveries slashed (`scripts/e2e/slashing-flow.mjs`: the offences
//!   and pending cases over RPC, one appeal upheld, one rejected and its slash executed, the user
//!   compensated, the balances to the unit);
//! - `dev-fast`: the value loop (`scripts/e2e/buyback-flow.mjs`: a swap on the AMM,
//!   a fee paid in USDV, a task's protocol fee bought back the next day and claimed by a locker),
//!   then on the same node the DAO (`scripts/e2e/dao-flow.mjs`: sudo given up, a parameter
//!   passed on veVCAI votes and enacted, a strategic issuance minted under vesting and one over
//!   the cap refused, a runtime upgrade authorized by the root track);
//! - `--dev` with `vcity-agent` beside it: the GPU operator's whole loop without a hand-signed
//!   step (`scripts/e2e/agent-flow.mjs`).
//! - `dev-fast` with `vcity-agent` beside it: verifier nodes audit deliveries through it, a false
//!   result is slashed (`scripts/e2e/verification-flow.mjs`).

use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// Kills the node and removes its database however the test ends.
struct DevNode {
	child: Child,
	base_path: PathBuf,
	rpc_port: u16,
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		let _ = std::fs::remove_dir_all(&self.base_path);
	}
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn repo_root() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("node/ has a parent").to_path_buf()
}

impl DevNode {
	/// A node of the dev chain whose day is a minute.
	fn start_fast(name: &str) -> Self {
		Self::start_named(name, &["--chain".as_ref(), "dev-fast".as_ref()])
	}

	/// A dev node whose database and log are named after `name`, with `extra` arguments.
	fn start_named(name: &str, extra: &[&std::ffi::OsStr]) -> Self {
		let base_path = std::env::temp_dir().join(format!("vcity-e2e-{}-{name}", std::process::id()));
		let _ = std::fs::remove_dir_all(&base_path);
		let rpc_port = free_port();
		let log = std::fs::File::create(base_path.with_extension("log")).expect("log file");
		let child = Command::new(env!("CARGO_BIN_EXE_vcity-node"))
			.args(["--dev", "--no-prometheus", "--no-telemetry", "--no-mdns"])
			.arg("--base-path")
			.arg(&base_path)
			.args(["--rpc-port", &rpc_port.to_string(), "--port", &free_port().to_string()])
			.args(extra)
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("vcity-node starts");
		DevNode { child, base_path, rpc_port }
	}

	/// One JSON-RPC call over plain HTTP on loopback.
	fn rpc(&self, method: &str, params: serde_json::Value) -> Option<serde_json::Value> {
		let body =
			serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let mut stream = TcpStream::connect(("127.0.0.1", self.rpc_port)).ok()?;
		stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
		let request = format!(
			"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
			body.len(),
			body
		);
		stream.write_all(request.as_bytes()).ok()?;
		let mut response = String::new();
		stream.read_to_string(&mut response).ok()?;
		let json = response.split("\r\n\r\n").nth(1)?;
		serde_json::from_str::<serde_json::Value>(json).ok()?.get("result").cloned()
	}

	fn header_number(&self, hash: Option<&str>) -> Option<u64> {
		let params = hash.map_or(serde_json::json!([]), |h| serde_json::json!([h]));
		let header = self.rpc("chain_getHeader", params)?;
		u64::from_str_radix(header.get("number")?.as_str()?.trim_start_matches("0x"), 16).ok()
	}

	fn finalized_number(&self) -> Option<u64> {
		let hash = self.rpc("chain_getFinalizedHead", serde_json::json!([]))?;
		self.header_number(hash.as_str())
	}

	fn wait_until(&self, what: &str, timeout: Duration, mut done: impl FnMut(&Self) -> bool) {
		let start = Instant::now();
		while !done(self) {
			assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
			std::thread::sleep(Duration::from_millis(500));
		}
		eprintln!("{what}: after {:.1} s", start.elapsed().as_secs_f64());
	}
}

#[test]
fn dev_node_finalizes_and_the_operator_market_and_same_day_ve_flows_pass() {
	let node = DevNode::start_named("node", &[]);
	node.wait_until("RPC up", Duration::from_secs(300), |n| {
		n.rpc("system_health", serde_json::json!([])).is_some()
	});
	let properties = node.rpc("system_properties", serde_json::json!([])).expect("properties");
	assert_eq!(properties["tokenSymbol"], "VCAI");
	assert_eq!(properties["tokenDecimals"], 18);
	// The DAO's denomination factor (×10^18), one until a repricing.
	assert_eq!(properties["vcaiDenominationFactor"], "1000000000000000000");
	node.wait_until("block 3 authored", Duration::from_secs(90), |n| {
		n.header_number(None).is_some_and(|b| b >= 3)
	});
	node.wait_until("block 2 finalized", Duration::from_secs(90), |n| {
		n.finalized_number().is_some_and(|b| b >= 2)
	});

	// On 24-hour days the ve flow runs its same-day part (a 30-day lock, its weight and
	// snapshot, bad locks refused, a drop); dev-fast runs the whole lock below.
	for flow in ["operator-flow", "market-flow", "ve-flow"] {
		run_flow(&node, flow, &[]);
	}
}

/// A day is a minute on `dev-fast`, so the flow waits through whole days: the token holder's
/// whole lock (the weight decaying day by day, the claim of a drop, the withdrawal on the unlock
/// day). Its own chain: it is the only locker, so every drop and buyback is its to check, and its
/// checks of bad locks assume no day ends between its first calls, which holds in the chain's
/// first minute.
#[test]
fn dev_node_on_fast_days_a_lock_lives_out() {
	let node = DevNode::start_fast("fast-ve");
	wait_for_blocks(&node);
	run_flow(&node, "ve-flow", &[]);
}

/// A rewards period (a day, a minute on `dev-fast`) closed and claimed by a node's owner and a
/// user; the flow checks its shares whatever P_supply the periods before it left. Then, on the
/// same node (one node fewer to start), two nodes that acknowledge a task and deliver nothing are
/// reported, appealed and decided, and the rejected case's slash executes at the end of its
/// fifteen-block window: its own nodes, region and accounts keep it apart from the rewards flow's.
#[test]
fn dev_node_on_fast_days_a_rewards_period_closes_and_a_node_is_slashed() {
	let node = DevNode::start_fast("fast-rewards");
	wait_for_blocks(&node);
	run_flow(&node, "rewards-flow", &[]);
	run_flow(&node, "slashing-flow", &[]);
}

/// The value loop on `dev-fast`: a task's protocol fee is bought back on the AMM the next day
/// and claimed by a locker. Then the DAO governs the same chain: the buyback's revenue and lock
/// make its supply quotas, and the flow takes sudo away last.
#[test]
fn dev_node_on_fast_days_a_fee_is_bought_back_and_claimed_and_the_dao_governs() {
	let node = DevNode::start_fast("fast-buyback");
	wait_for_blocks(&node);
	run_flow(&node, "buyback-flow", &[]);
	run_flow(&node, "dao-flow", &[]);
}

fn wait_for_blocks(node: &DevNode) {
	node.wait_until("block 2 authored", Duration::from_secs(300), |n| {
		n.header_number(None).is_some_and(|b| b >= 2)
	});
}

/// A GPU operator's node with `vcity-agent` beside it (a simulated profile of two RTX 4090):
/// heartbeats come by themselves, a user's task is matched by the node's own scheduler role,
/// run by the agent and settled with the digest a verifier recomputes; the agent is killed while
/// the task runs and restarted, and the task is delivered once (`scripts/e2e/agent-flow.mjs`).
#[test]
fn dev_node_with_a_gpu_agent_runs_a_task_by_itself() {
	let host = AgentHost::new("agent");
	let node = DevNode::start_named("agent-node", &host.node_args());
	wait_for_blocks(&node);
	run_flow(&node, "agent-flow", &host.flow_env());
}

/// Verifier nodes whose keys the node holds answer audits through `vcity-agent` on `dev-fast`:
/// a right result settles at once and its verifiers are paid, a silent verifier is reported, a
/// wrong result signed by hand is caught on dispute and its node slashed whole when the case's
/// window ends (`scripts/e2e/verification-flow.mjs`).
#[test]
fn dev_node_on_fast_days_verifiers_audit_deliveries_through_their_agent() {
	let host = AgentHost::new("verifier");
	let mut args = host.node_args();
	args.extend([std::ffi::OsStr::new("--chain"), std::ffi::OsStr::new("dev-fast")]);
	let node = DevNode::start_named("verifier-node", &args);
	wait_for_blocks(&node);
	run_flow(&node, "verification-flow", &host.flow_env());
}

/// A directory, a secret and a port for a `vcity-agent` that a flow starts beside a node.
struct AgentHost {
	dir: PathBuf,
	secret_file: PathBuf,
	port: String,
	url: String,
	agent: PathBuf,
	profile: PathBuf,
}

impl AgentHost {
	fn new(name: &str) -> Self {
		// The agent lands beside the node binary when built into the same target directory, as
		// `scripts/test.sh` does.
		let agent = PathBuf::from(env!("CARGO_BIN_EXE_vcity-node")).with_file_name("vcity-agent");
		assert!(agent.exists(), "{} is missing: cargo build -p vcity-agent", agent.display());
		let dir = std::env::temp_dir().join(format!("vcity-e2e-{}-{name}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).expect("agent directory");
		let secret_file = dir.join("secret");
		write_secret(&secret_file);
		let port = free_port().to_string();
		let url = format!("http://127.0.0.1:{port}");
		let profile = repo_root().join("agent/profiles/rtx4090x2.json");
		AgentHost { dir, secret_file, port, url, agent, profile }
	}

	/// What the node is started with to reach the agent.
	fn node_args(&self) -> Vec<&std::ffi::OsStr> {
		vec![
			"--agent-url".as_ref(),
			self.url.as_ref(),
			"--agent-secret-file".as_ref(),
			self.secret_file.as_os_str(),
		]
	}

	/// What the flow needs to start the agent.
	fn flow_env(&self) -> [(&str, &std::ffi::OsStr); 5] {
		[
			("VCITY_AGENT_BIN", self.agent.as_os_str()),
			("VCITY_AGENT_PORT", self.port.as_ref()),
			("VCITY_AGENT_DIR", self.dir.as_os_str()),
			("VCITY_AGENT_SECRET_FILE", self.secret_file.as_os_str()),
			("VCITY_AGENT_PROFILE", self.profile.as_os_str()),
		]
	}
}

impl Drop for AgentHost {
	fn drop(&mut self) {
		let _ = std::fs::remove_dir_all(&self.dir);
	}
}

/// A fresh random secret only the current user can read, as the agent would make one.
fn write_secret(path: &std::path::Path) {
	use std::os::unix::fs::OpenOptionsExt;
	let mut random = [0u8; 32];
	std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut random)).expect("random bytes");
	let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
	let mut file =
		std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).expect("secret file");
	file.write_all(hex.as_bytes()).expect("secret written");
}

/// Longest a flow may run before it is killed: the longest takes about three minutes.
const FLOW_TIMEOUT: Duration = Duration::from_secs(900);

/// Runs `scripts/e2e/<flow>.mjs` against the node with polkadot.js. The flow writes to its own
/// file (`$TMPDIR/vcity-e2e-<pid>-<flow>.out`, to follow while it runs), which is printed through
/// the test harness when it ends, so flows running side by side do not interleave: shown per
/// test with `--show-output`, and always for a test that failed. A flow that hangs is killed
/// after [`FLOW_TIMEOUT`].
fn run_flow(node: &DevNode, flow: &str, env: &[(&str, &std::ffi::OsStr)]) {
	let scripts = repo_root().join("scripts");
	assert!(
		scripts.join("node_modules/@polkadot/api").exists(),
		"polkadot.js is not installed: run `npm ci --prefix scripts` (the README's test command does)"
	);
	let out_path = std::env::temp_dir().join(format!("vcity-e2e-{}-{flow}.out", std::process::id()));
	let out = std::fs::File::create(&out_path).expect("flow output file");
	let started = Instant::now();
	let mut child = Command::new("node")
		.arg(scripts.join(format!("e2e/{flow}.mjs")))
		.current_dir(&scripts)
		.env("VCITY_WS", format!("ws://127.0.0.1:{}", node.rpc_port))
		.envs(env.iter().copied())
		.stdin(Stdio::null())
		.stdout(out.try_clone().expect("flow output file"))
		.stderr(out)
		.spawn()
		.expect("node.js runs");
	let status = loop {
		if let Some(status) = child.try_wait().expect("the flow's status") {
			break Some(status);
		}
		if started.elapsed() > FLOW_TIMEOUT {
			let _ = child.kill();
			let _ = child.wait();
			break None;
		}
		std::thread::sleep(Duration::from_millis(200));
	};
	let output = std::fs::read_to_string(&out_path).unwrap_or_default();
	println!("---- {flow} ({:.1} s) ----\n{output}", started.elapsed().as_secs_f64());
	match status {
		Some(status) => assert!(status.success(), "the polkadot.js {flow} failed: {status}"),
		None => panic!("the polkadot.js {flow} did not finish in {FLOW_TIMEOUT:?}"),
	}
}
