//! The worker end to end inside the runtime: the HTTP requests it sends the agent (checked
//! request by request, secret and body included) and the transactions it puts in the pool
//! (decoded and their signatures checked). Every fault leaves the pool empty.

use super::*;
use crate::ledger::Ledger;
use vcity_primitives::{
	vcity_agent_link, BuiltinWorkload, GpuClass, Health, NodeRoles, NodeStatus, Placement, TaskRequirements,
	TaskStage, Workload, LEGACY_AGENT_SETTINGS_KEY, LEGACY_NODE_BOOT_KEY,
};

const EMPTY_TASKS: &str = r#"{"tasks":[]}"#;

fn ledger(world: &mut World) -> Ledger<u64> {
	let operator = world.operator.clone();
	world.ext.execute_with(|| Ledger::<u64>::load(&operator))
}

fn matrix_task(id: u64, stage: TaskStage<u64>) -> NodeTask<u64> {
	NodeTask {
		id,
		node: Some(NODE),
		stage,
		gpus: 1,
		seconds: 60,
		deadline: 500,
		workload: Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 42, size: 256, rounds: 2 }),
		metered: false,
	}
}

fn put_task(task: NodeTask<u64>) {
	CHAIN.with(|c| c.borrow_mut().tasks.push(task));
}

#[test]
fn a_due_heartbeat_carries_the_agent_s_load_and_health_signed_by_the_operator() {
	let mut world = World::new(true);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 37, "degraded"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	assert!(world.script_done());
	let metrics = HeartbeatMetrics { load_percent: 37, health: Health::Degraded };
	assert_eq!(world.sent(), vec![(0, Sent::Heartbeat(NODE, metrics))]);
	assert_eq!(ledger(&mut world).awaiting, Some((1, 1, BOOT)), "the worker waits for nonce 1 to be used");
}

#[test]
fn no_heartbeat_before_the_window_opens() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	assert!(world.script_done());
	assert_eq!(world.sent(), vec![]);
}

#[test]
fn an_agent_with_fewer_gpus_than_registered_gets_no_heartbeat() {
	let mut world = World::new(true);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(1, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	assert_eq!(world.sent(), vec![]);
	// Smaller cards of the same name do not count either.
	let mut world = World::new(true);
	let small = status_json(2, 0, "ok").replace("24564", "16384");
	world.expect("GET", "/v1/status", None, Some(200), &small);
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	assert_eq!(world.sent(), vec![]);
}

#[test]
fn without_settings_or_an_operator_key_the_worker_does_nothing() {
	// No agent settings: no request (the script is empty; any request would panic), no tx.
	let mut world = World::new(false);
	world.run(1);
	assert_eq!(world.sent(), vec![]);
	// Settings, but the key operates no node.
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().operators.clear());
	world.run(1);
	assert_eq!(world.sent(), vec![]);
}

#[test]
fn the_host_functions_answer_only_where_the_node_registered_its_link() {
	// Block import and `state_call` run without the extension: no agent, boot id 0.
	sp_io::TestExternalities::default().execute_with(|| {
		assert_eq!(vcity_agent_link::settings(), None);
		assert_eq!(vcity_agent_link::boot_id(), 0);
	});
	// The node's offchain workers run with it.
	World::new(true).ext.execute_with(|| {
		assert_eq!(vcity_agent_link::settings(), Some(agent_settings().encode()));
		assert_eq!(vcity_agent_link::boot_id(), BOOT);
	});
}

#[test]
fn settings_put_in_the_offchain_database_neither_configure_nor_redirect_the_worker() {
	// What `offchain_localStorageSet` can write: the key older nodes kept the settings under,
	// naming another agent and another secret.
	let elsewhere = AgentSettings { url: b"http://203.0.113.9:8790".to_vec(), secret: b"not-ours".to_vec() };
	let plant = |world: &mut World| {
		world.ext.execute_with(|| {
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				LEGACY_AGENT_SETTINGS_KEY,
				&elsewhere.encode(),
			)
		})
	};
	// A node started without an agent stays without one: no request (the script is empty; any
	// request would panic), no transaction.
	let mut world = World::new(false);
	plant(&mut world);
	world.run(1);
	assert_eq!(world.sent(), vec![]);
	// A node with an agent keeps talking to it, with its own secret (`expect` checks the URL and
	// the bearer token of every request).
	let mut world = World::new(true);
	plant(&mut world);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 5, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	assert!(world.script_done());
	let metrics = HeartbeatMetrics { load_percent: 5, health: Health::Healthy };
	assert_eq!(world.sent(), vec![(0, Sent::Heartbeat(NODE, metrics))]);
}

#[test]
fn a_hung_agent_stops_heartbeats_and_is_reported_once() {
	let mut world = World::new(true);
	world.expect("GET", "/v1/status", None, None, "");
	world.run(1);
	world.expect("GET", "/v1/status", None, None, "");
	world.run(2);
	assert!(world.script_done());
	assert_eq!(world.sent(), vec![], "no heartbeat while the agent does not answer");
	let record = ledger(&mut world);
	assert_eq!(record.agent_down_since, Some(1));
	assert_eq!(record.warned.agent_down, Some(1), "warned in block 1, not again in block 2");
	// It answers again: the beat goes out and the record clears.
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 5, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(3);
	assert_eq!(world.sent().len(), 1);
	assert_eq!(ledger(&mut world).agent_down_since, None);
}

#[test]
fn a_wrong_secret_or_a_malformed_status_submits_nothing() {
	for (status, reply) in [
		(401, r#"{"error":"unauthorized","message":"missing or wrong bearer secret"}"#.to_string()),
		(500, "oops".to_string()),
		(200, "{not json".to_string()),
		(200, status_json(2, 100, "ok").replace("\"load_percent\":100", "\"load_percent\":140")),
	] {
		let mut world = World::new(true);
		world.expect("GET", "/v1/status", None, Some(status), &reply);
		world.run(1);
		assert!(world.script_done());
		assert_eq!(world.sent(), vec![], "{status} {reply}");
		assert_eq!(ledger(&mut world).agent_down_since, Some(1));
	}
}

/// Task 7 at `stage` on chain, unknown to the agent, which answers the push with `status`:
/// what the worker submits.
fn hand_over(stage: TaskStage<u64>, status: u16, reply: &str) -> Vec<(u32, Sent)> {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	put_task(matrix_task(7, stage));
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	let body =
		r#"{"id":7,"gpus":1,"seconds":60,"workload":{"kind":"matrix","seed":42,"size":256,"rounds":2}}"#;
	world.expect("POST", "/v1/tasks", Some(body), Some(status), reply);
	world.run(1);
	assert!(world.script_done());
	world.sent()
}

const UNSUPPORTED: &str = r#"{"error":"unsupported","message":"no"}"#;

#[test]
fn an_assigned_task_is_handed_to_the_agent_and_acknowledged() {
	let sent = hand_over(TaskStage::Assigned { ack_by: 20 }, 201, "{}");
	assert_eq!(sent, vec![(0, Sent::Report(7, Report::Acknowledge))]);
}

#[test]
fn a_task_the_agent_cannot_run_is_declined() {
	let sent = hand_over(TaskStage::Assigned { ack_by: 20 }, 422, UNSUPPORTED);
	assert_eq!(sent, vec![(0, Sent::Report(7, Report::Decline))]);
}

#[test]
fn a_task_the_agent_lost_and_can_no_longer_run_is_given_up() {
	let running = TaskStage::Running { started_ms: 990_000, used_gpu_seconds: 0 };
	assert_eq!(hand_over(running, 422, UNSUPPORTED), vec![(0, Sent::Report(7, Report::Failure))]);
	// One it can run again is handed over and nothing is reported yet.
	assert_eq!(hand_over(running, 201, "{}"), vec![]);
}

#[test]
fn a_result_is_reported_once_while_it_is_pending_and_again_only_if_dropped() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	put_task(matrix_task(7, TaskStage::Running { started_ms: 990_000, used_gpu_seconds: 0 }));
	let digest = "5b".repeat(32);
	let finished =
		format!(r#"{{"tasks":[{{"id":7,"state":"finished","used_gpu_seconds":3,"result":"0x{digest}"}}]}}"#);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), &finished);
	world.run(1);
	assert_eq!(world.sent(), vec![(0, Sent::Report(7, Report::Complete([0x5b; 32], 3)))]);

	// Blocks 2..16: the completion has not landed (nonce still 0); only the status is read.
	for block in 2..17 {
		world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
		world.run(block);
	}
	assert!(world.script_done());
	assert_eq!(world.sent().len(), 1, "nothing more while the first is pending");

	// 16 blocks later it counts as dropped; the chain still shows the task running, so the
	// result goes out again, with the same nonce (the first never used it).
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), &finished);
	world.run(17);
	let sent = world.sent();
	assert_eq!(sent.len(), 2);
	assert_eq!(sent[1], (0, Sent::Report(7, Report::Complete([0x5b; 32], 3))));
}

#[test]
fn a_step_that_landed_without_effect_is_not_repeated_every_block() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	put_task(matrix_task(7, TaskStage::Acknowledged));
	let running = r#"{"tasks":[{"id":7,"state":"running","used_gpu_seconds":1}]}"#;
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), running);
	world.run(1);
	assert_eq!(world.sent(), vec![(0, Sent::Report(7, Report::Start))]);
	// The start landed (nonce 1 used) but failed: the chain still shows Acknowledged.
	set_nonce(&mut world, 1);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), running);
	world.run(2);
	assert!(world.script_done());
	assert_eq!(world.sent().len(), 1, "not again before ResubmitAfter blocks");
}

#[test]
fn a_result_for_a_task_not_assigned_to_this_node_is_not_submitted() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	let mut elsewhere = matrix_task(9, TaskStage::Running { started_ms: 990_000, used_gpu_seconds: 0 });
	elsewhere.node = Some(NODE + 1);
	put_task(elsewhere);
	let stray = format!(
		r#"{{"tasks":[{{"id":9,"state":"finished","used_gpu_seconds":3,"result":"0x{}"}}]}}"#,
		"11".repeat(32)
	);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), &stray);
	world.expect("DELETE", "/v1/tasks/9", None, Some(204), "");
	world.run(1);
	assert!(world.script_done());
	assert_eq!(world.sent(), vec![]);
}

#[test]
fn a_malformed_task_list_submits_no_task_step() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	put_task(matrix_task(7, TaskStage::Running { started_ms: 990_000, used_gpu_seconds: 0 }));
	let short = r#"{"tasks":[{"id":7,"state":"finished","used_gpu_seconds":3,"result":"0x1234"}]}"#;
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), short);
	world.run(1);
	assert!(world.script_done());
	assert_eq!(world.sent(), vec![]);
}

#[test]
fn a_hung_task_list_still_lets_the_heartbeat_through_but_no_task_step() {
	let mut world = World::new(true);
	put_task(matrix_task(7, TaskStage::Assigned { ack_by: 20 }));
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, None, "");
	world.run(1);
	assert_eq!(world.sent().len(), 1);
	assert!(matches!(world.sent()[0].1, Sent::Heartbeat(..)));
}

fn request(id: u64, gpus: u32) -> QueuedTask {
	let requirements = TaskRequirements {
		gpus,
		min_vram_per_gpu_gib: 24,
		min_gpu_class: GpuClass::Consumer,
		min_stage: 0,
		placement: Placement::Anywhere,
	};
	QueuedTask { id, requirements, max_price_per_gpu_hour: 1_000_000 }
}

fn offer(id: u64, free_gpus: u32) -> NodeOffer {
	NodeOffer {
		node: id,
		region: b"us-east".to_vec(),
		gpu_model: rtx4090x2().model,
		gpu_class: GpuClass::Consumer,
		vram_per_gpu_gib: 24,
		free_gpus,
		stage: 0,
		price_per_gpu_hour: 500_000,
		reputation: 5_000,
	}
}

#[test]
fn a_scheduler_node_assigns_queued_tasks_in_calls_the_chain_takes_and_not_twice() {
	// A scheduler-only node with no agent: no HTTP at all; it beats with no GPU figures (its
	// worker's liveness is its own) and sends assignments.
	let mut world = World::new(false);
	CHAIN.with(|c| {
		let mut chain = c.borrow_mut();
		chain.roles = NodeRoles { compute: false, verifier: false, scheduler: true };
		chain.queued = vec![request(1, 1), request(2, 1), request(3, 2), request(4, 8)];
		chain.idle = vec![offer(10, 2), offer(11, 2)];
	});
	world.run(1);
	let sent = world.sent();
	assert_eq!(sent[0], (0, Sent::Heartbeat(1, HeartbeatMetrics::default())), "the beat comes first");
	// Three tasks fit (4 GPUs free), the 8-GPU one does not; at most two per call.
	let assigned: Vec<(u64, u64)> = sent[1..]
		.iter()
		.flat_map(|(_, s)| match s {
			Sent::Assign(batch) => {
				assert!(batch.len() <= MAX_PER_CALL as usize);
				batch.clone()
			}
			other => panic!("only assignments, not {other:?}"),
		})
		.collect();
	let mut tasks: Vec<u64> = assigned.iter().map(|(t, _)| *t).collect();
	tasks.sort();
	assert_eq!(tasks, vec![1, 2, 3]);
	assert_eq!(sent.iter().map(|(nonce, _)| *nonce).collect::<Vec<_>>(), vec![0, 1, 2], "sequential nonces");

	// The calls landed but the chain refused them (the tasks are still queued): not proposed
	// again before ResubmitAfter blocks.
	set_nonce(&mut world, 3);
	world.run(2);
	let sent = world.sent();
	assert_eq!(sent.len(), 4, "one more beat, no assignment: {sent:?}");
	assert!(matches!(sent[3], (3, Sent::Heartbeat(..))));
	// An offline scheduler proposes nothing; its beat brings it back online.
	let mut world = World::new(false);
	CHAIN.with(|c| {
		let mut chain = c.borrow_mut();
		chain.roles = NodeRoles { compute: false, verifier: false, scheduler: true };
		chain.status = NodeStatus::Offline;
		chain.queued = vec![request(1, 1)];
		chain.idle = vec![offer(10, 2)];
	});
	world.run(1);
	assert_eq!(world.sent(), vec![(0, Sent::Heartbeat(1, HeartbeatMetrics::default()))]);
	// Nor does one whose failed assignments took its reputation below what assigning needs: the
	// chain would refuse the batch (`SchedulerDistrusted`) and keep its fee.
	let mut world = World::new(false);
	CHAIN.with(|c| {
		let mut chain = c.borrow_mut();
		chain.roles = NodeRoles { compute: false, verifier: false, scheduler: true };
		chain.scheduler_distrusted = true;
		chain.queued = vec![request(1, 1)];
		chain.idle = vec![offer(10, 2)];
	});
	world.run(1);
	assert_eq!(world.sent(), vec![(0, Sent::Heartbeat(1, HeartbeatMetrics::default()))]);
}

#[test]
fn a_gpu_mismatch_is_logged_when_it_starts_not_every_block() {
	let mut world = World::new(true);
	for block in 1..4 {
		world.expect("GET", "/v1/status", None, Some(200), &status_json(1, 0, "ok"));
		world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
		world.run(block);
	}
	assert_eq!(world.sent(), vec![]);
	assert_eq!(ledger(&mut world).warned.gpu_mismatch, Some(1));
}

#[test]
fn a_scheduler_node_beats_from_the_agent_too() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().roles = NodeRoles { compute: false, verifier: false, scheduler: true });
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 3, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	let metrics = HeartbeatMetrics { load_percent: 3, health: Health::Healthy };
	assert_eq!(world.sent(), vec![(0, Sent::Heartbeat(NODE, metrics))]);
}

#[test]
fn a_gpu_the_driver_lost_is_not_capacity() {
	let mut world = World::new(true);
	let one_lost = status_json(2, 0, "degraded").replacen("\"health\":\"ok\"}", "\"health\":\"failed\"}", 1);
	world.expect("GET", "/v1/status", None, Some(200), &one_lost);
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	assert_eq!(world.sent(), vec![], "one working GPU of the two registered: no heartbeat");
}

#[test]
fn after_a_restart_the_worker_does_not_wait_for_transactions_that_died_with_it() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	put_task(matrix_task(7, TaskStage::Running { started_ms: 990_000, used_gpu_seconds: 0 }));
	let finished = format!(
		r#"{{"tasks":[{{"id":7,"state":"finished","used_gpu_seconds":3,"result":"0x{}"}}]}}"#,
		"5b".repeat(32)
	);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), &finished);
	world.run(1);
	assert_eq!(world.sent().len(), 1);
	// A boot id written to the offchain database (where the offchain RPC writes, and older
	// nodes kept theirs) is not a restart: the worker still waits for its result to land.
	world.ext.execute_with(|| {
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, LEGACY_NODE_BOOT_KEY, &7u64.encode())
	});
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.run(2);
	assert!(world.script_done());
	assert_eq!(world.sent().len(), 1, "nothing sent while the result may still land");
	// The node restarts: a new boot id, and the pool lost the result. A new heartbeat window
	// opens. Without the restart the worker would wait for its result to land and send nothing.
	world.restart(BOOT + 1);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = true);
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), &finished);
	world.run(2);
	assert!(world.script_done());
	let sent = world.sent();
	assert_eq!(sent.len(), 2);
	assert!(
		matches!(sent[1], (0, Sent::Heartbeat(..))),
		"the beat goes out at once, with the nonce the result never used"
	);
	// The result keeps its own back-off, then goes out again while the chain still waits for it.
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), &finished);
	world.run(2 + ResubmitAfter::get());
	let sent = world.sent();
	assert!(matches!(sent.last(), Some((_, Sent::Report(7, Report::Complete(..))))));
}

#[test]
fn no_acknowledgement_from_a_node_that_is_not_online() {
	let mut world = World::new(true);
	CHAIN.with(|c| {
		let mut chain = c.borrow_mut();
		chain.heartbeat_due = false;
		chain.status = NodeStatus::Offline;
	});
	put_task(matrix_task(7, TaskStage::Assigned { ack_by: 20 }));
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	let body =
		r#"{"id":7,"gpus":1,"seconds":60,"workload":{"kind":"matrix","seed":42,"size":256,"rounds":2}}"#;
	world.expect("POST", "/v1/tasks", Some(body), Some(201), "{}");
	world.run(1);
	assert!(world.script_done());
	assert_eq!(world.sent(), vec![], "handed to the agent, acknowledged once the node is back online");
}

#[test]
fn a_run_makes_the_agent_forget_at_most_sixteen_stray_tasks() {
	let mut world = World::new(true);
	CHAIN.with(|c| c.borrow_mut().heartbeat_due = false);
	let strays: Vec<String> = (100..120).map(|id| format!(r#"{{"id":{id},"state":"queued"}}"#)).collect();
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 0, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), &format!(r#"{{"tasks":[{}]}}"#, strays.join(",")));
	for id in 100..116 {
		world.expect("DELETE", &format!("/v1/tasks/{id}"), None, Some(204), "");
	}
	world.run(1);
	assert!(world.script_done(), "sixteen DELETEs, the four others wait for the next block");
	assert_eq!(world.sent(), vec![]);
}

#[test]
fn the_scheduler_sends_no_pair_the_chain_would_refuse() {
	let mut world = World::new(false);
	CHAIN.with(|c| {
		let mut chain = c.borrow_mut();
		chain.roles = NodeRoles { compute: false, verifier: false, scheduler: true };
		chain.queued = vec![request(1, 1)];
		chain.idle = vec![offer(10, 2)];
		chain.refused = vec![(1, 10)];
	});
	world.run(1);
	assert_eq!(
		world.sent(),
		vec![(0, Sent::Heartbeat(1, HeartbeatMetrics::default()))],
		"a beat, no assignment"
	);
}

/// What the offchain RPC can write into the worker's own records cannot silence it: a run lock
/// far in the future, a wait for a later block, a step noted in a later block.
#[test]
fn records_planted_in_the_future_neither_lock_out_nor_silence_the_worker() {
	let mut world = World::new(true);
	world.ext.execute_with(|| {
		sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			b"vcity/bridge/lock",
			&sp_core::offchain::Timestamp::from_unix_millis(u64::MAX).encode(),
		);
	});
	world.expect("GET", "/v1/status", None, Some(200), &status_json(2, 5, "ok"));
	world.expect("GET", "/v1/tasks", None, Some(200), EMPTY_TASKS);
	world.run(1);
	assert!(world.script_done());
	let metrics = HeartbeatMetrics { load_percent: 5, health: Health::Healthy };
	assert_eq!(world.sent(), vec![(0, Sent::Heartbeat(NODE, metrics))]);

	let mut ledger = Ledger::<u64>::default();
	ledger.submitted(9, u64::MAX, BOOT);
	assert!(!ledger.pending(0, 10, 8, BOOT), "a wait recorded for a later block is void");
	ledger.note(1, crate::tasks::Report::Acknowledge, u64::MAX);
	assert!(!ledger.recently(1, &crate::tasks::Report::Acknowledge, 10, 8));
	ledger.prune(10, 8);
	assert!(ledger.recent.is_empty());
	// The worker's own records still hold back a repeat.
	ledger.note(1, crate::tasks::Report::Acknowledge, 10);
	assert!(ledger.recently(1, &crate::tasks::Report::Acknowledge, 12, 8));
}
