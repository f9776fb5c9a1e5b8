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
		let rpc_port = free_port();
		let mut command = Command::new(env!("CARGO_BIN_EXE_vcity-node"));
		command.args(["--rpc-port", &rpc_port.to_string()]);
		Self::spawn(name, command, rpc_port, extra)
	}

	/// A dev node started as docs/rpc.md starts a public RPC node (`scripts/public-rpc-node.sh`),
	/// with the limits in `limits` (the script's environment variables) instead of its defaults.
	fn start_public(name: &str, limits: &[(&str, &str)]) -> Self {
		let rpc_port = free_port();
		let mut command = Command::new(repo_root().join("scripts/public-rpc-node.sh"));
		command
			.env("VCITY_NODE", env!("CARGO_BIN_EXE_vcity-node"))
			.env("RPC_PORT", rpc_port.to_string())
			.envs(limits.iter().copied());
		Self::spawn(name, command, rpc_port, &[])
	}

	fn spawn(name: &str, mut command: Command, rpc_port: u16, extra: &[&std::ffi::OsStr]) -> Self {
		let base_path = std::env::temp_dir().join(format!("vcity-e2e-{}-{name}", std::process::id()));
		let _ = std::fs::remove_dir_all(&base_path);
		let log = std::fs::File::create(base_path.with_extension("log")).expect("log file");
		let child = command
			.args(["--dev", "--no-prometheus", "--no-telemetry", "--no-mdns"])
			.arg("--base-path")
			.arg(&base_path)
			.args(["--port", &free_port().to_string()])
			.args(extra)
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("vcity-node starts");
		DevNode { child, base_path, rpc_port }
	}

	/// One JSON-RPC call over plain HTTP on loopback: its result.
	fn rpc(&self, method: &str, params: serde_json::Value) -> Option<serde_json::Value> {
		self.response(method, params)?.get("result").cloned()
	}

	/// One JSON-RPC call over plain HTTP on loopback, on a connection of its own: the whole
	/// response (its result or its error).
	fn response(&self, method: &str, params: serde_json::Value) -> Option<serde_json::Value> {
		HttpConnection::open(self.rpc_port)?.call(method, params)
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

/// An HTTP connection to a node's JSON-RPC server, kept alive between calls.
struct HttpConnection {
	stream: TcpStream,
	reader: std::io::BufReader<TcpStream>,
}

impl HttpConnection {
	fn open(port: u16) -> Option<Self> {
		let stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
		let reader = std::io::BufReader::new(stream.try_clone().ok()?);
		Some(HttpConnection { stream, reader })
	}

	/// One call; the response as JSON, or `None` if the server answered with anything but 200.
	fn call(&mut self, method: &str, params: serde_json::Value) -> Option<serde_json::Value> {
		use std::io::BufRead;
		let body =
			serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let request = format!(
			"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
			body.len(),
			body
		);
		self.stream.write_all(request.as_bytes()).ok()?;
		let mut status = String::new();
		self.reader.read_line(&mut status).ok()?;
		let mut length = 0;
		loop {
			let mut line = String::new();
			self.reader.read_line(&mut line).ok()?;
			let line = line.trim_end();
			if line.is_empty() {
				break;
			}
			if let Some((name, value)) = line.split_once(':') {
				if name.eq_ignore_ascii_case("content-length") {
					length = value.trim().parse().ok()?;
				}
			}
		}
		let mut json = vec![0; length];
		self.reader.read_exact(&mut json).ok()?;
		if status.split_whitespace().nth(1) != Some("200") {
			return None;
		}
		serde_json::from_slice(&json).ok()
	}
}

/// A WebSocket to a node's JSON-RPC server, framed by hand (text frames, no fragmentation): the
/// server's connection cap and rate limit hold per WebSocket.
struct WebSocket {
	stream: TcpStream,
}

impl WebSocket {
	/// The handshake's HTTP status (101 when the server takes the connection) and the socket.
	fn open(port: u16) -> Option<(u16, Self)> {
		let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
		stream
			.write_all(
				b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
				Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
			)
			.ok()?;
		// The response head, up to its blank line, byte by byte so no frame is read past it.
		let mut head = Vec::new();
		while !head.ends_with(b"\r\n\r\n") {
			let mut byte = [0u8; 1];
			stream.read_exact(&mut byte).ok()?;
			head.push(byte[0]);
		}
		let status = std::str::from_utf8(head.get(9..12)?).ok()?.parse().ok()?;
		Some((status, WebSocket { stream }))
	}

	/// One call: the response, as JSON.
	fn call(&mut self, method: &str, params: serde_json::Value) -> Option<serde_json::Value> {
		let body =
			serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		// A client's frame is masked; a zero mask leaves the payload as it is.
		let mut frame = vec![0x81];
		match body.len() {
			len @ 0..=125 => frame.push(0x80 | len as u8),
			len => {
				frame.push(0x80 | 126);
				frame.extend_from_slice(&u16::try_from(len).ok()?.to_be_bytes());
			}
		}
		frame.extend_from_slice(&[0; 4]);
		frame.extend_from_slice(body.as_bytes());
		self.stream.write_all(&frame).ok()?;
		// The answer is the first text frame; anything else (a ping) is read past.
		loop {
			let mut head = [0u8; 2];
			self.stream.read_exact(&mut head).ok()?;
			let len = match head[1] & 0x7f {
				126 => {
					let mut len = [0u8; 2];
					self.stream.read_exact(&mut len).ok()?;
					usize::from(u16::from_be_bytes(len))
				}
				127 => {
					let mut len = [0u8; 8];
					self.stream.read_exact(&mut len).ok()?;
					usize::try_from(u64::from_be_bytes(len)).ok()?
				}
				len => usize::from(len),
			};
			let mut payload = vec![0; len];
			self.stream.read_exact(&mut payload).ok()?;
			if head[0] & 0x0f == 1 {
				return serde_json::from_slice(&payload).ok();
			}
		}
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

/// A public RPC node as docs/rpc.md configures it (`scripts/public-rpc-node.sh`, here with a
/// connection cap of 4 and 60 calls a minute so both show in seconds): every method that touches
/// keys, peers, logs, offchain storage or whole-state scans is refused, the read and submit
/// methods answer, a fifth connection is turned away until one closes, and calls past a
/// connection's quota wait for it.
#[test]
fn dev_node_as_a_public_rpc_refuses_unsafe_methods_and_holds_its_limits() {
	let node = DevNode::start_public("public-rpc", &[("RPC_MAX_CONNECTIONS", "4"), ("RPC_RATE_LIMIT", "60")]);
	node.wait_until("RPC up", Duration::from_secs(300), |n| {
		n.rpc("system_health", serde_json::json!([])).is_some()
	});
	wait_for_blocks(&node);

	let genesis = node.rpc("chain_getBlockHash", serde_json::json!([0])).expect("genesis hash");
	let alice = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
	let peer = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
	let unsafe_calls = [
		("author_insertKey", serde_json::json!(["vcty", "//Alice", alice])),
		("author_rotateKeys", serde_json::json!([])),
		("author_hasKey", serde_json::json!([alice, "vcty"])),
		("author_hasSessionKeys", serde_json::json!(["0x00"])),
		("author_removeExtrinsic", serde_json::json!([[]])),
		("system_addReservedPeer", serde_json::json!([format!("/ip4/127.0.0.1/tcp/30333/p2p/{peer}")])),
		("system_removeReservedPeer", serde_json::json!([peer])),
		("system_peers", serde_json::json!([])),
		("system_addLogFilter", serde_json::json!(["sync=trace"])),
		("system_resetLogFilter", serde_json::json!([])),
		("offchain_localStorageGet", serde_json::json!(["PERSISTENT", "0x00"])),
		("offchain_localStorageSet", serde_json::json!(["PERSISTENT", "0x00", "0x00"])),
		("state_getPairs", serde_json::json!(["0x"])),
		("state_queryStorage", serde_json::json!([["0x00"], genesis])),
	];
	let refused = unsafe_calls.len();
	for (method, params) in unsafe_calls {
		let response = node.response(method, params).expect("an answer");
		// The refusal's code is the method group's own (4003 for author_*, -32601 elsewhere);
		// its message is the policy's.
		assert_eq!(
			response["error"]["message"].as_str(),
			Some("RPC call is unsafe to be called externally"),
			"{method}: {response}"
		);
	}
	eprintln!("{refused} unsafe methods refused");
	for method in ["system_health", "chain_getHeader", "state_getRuntimeVersion", "vcity_marketStats"] {
		assert!(node.rpc(method, serde_json::json!([])).is_some(), "{method} answers");
	}
	let bad_extrinsic =
		node.response("author_submitExtrinsic", serde_json::json!(["0x00"])).expect("an answer");
	assert_ne!(
		bad_extrinsic["error"]["code"].as_i64(),
		Some(-32601),
		"submitting is allowed: {bad_extrinsic}"
	);

	// Four connections are all the server takes; a fifth is refused with 429 until one closes.
	let mut held: Vec<WebSocket> = (0..4)
		.map(|i| match WebSocket::open(node.rpc_port) {
			Some((101, socket)) => socket,
			other => panic!("connection {i}: {:?}", other.map(|(status, _)| status)),
		})
		.collect();
	assert_eq!(WebSocket::open(node.rpc_port).map(|(status, _)| status), Some(429), "a fifth connection");
	assert!(node.rpc("system_health", serde_json::json!([])).is_none(), "no plain call either");
	drop(held.pop());
	node.wait_until("a connection freed", Duration::from_secs(10), |n| {
		WebSocket::open(n.rpc_port).is_some_and(|(status, _)| status == 101)
	});
	drop(held);

	// 60 calls a minute on a WebSocket, in a burst of 60: the six calls past it wait about a
	// second each. (The node counts per WebSocket; over HTTP every request starts a new count,
	// so a public node's HTTP rate is the reverse proxy's to limit: docs/rpc.md.)
	let mut socket = None;
	node.wait_until("the held connections closed", Duration::from_secs(10), |n| {
		socket = WebSocket::open(n.rpc_port).filter(|(status, _)| *status == 101).map(|(_, socket)| socket);
		socket.is_some()
	});
	let mut socket = socket.expect("a WebSocket");
	let started = Instant::now();
	for i in 0..66 {
		let answer = socket.call("system_health", serde_json::json!([])).expect("an answer");
		assert!(answer.get("result").is_some(), "call {i}: {answer}");
	}
	let waited = started.elapsed();
	eprintln!("66 calls on one WebSocket at 60 a minute: {:.1} s", waited.as_secs_f64());
	assert!(waited >= Duration::from_secs(4), "the calls past the quota waited ({waited:?})");
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
