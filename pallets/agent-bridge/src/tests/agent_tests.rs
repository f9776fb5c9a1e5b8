//! The agent's replies as the worker reads them: what follows the API is accepted, anything
//! else is a named error.

use super::status_json;
use crate::agent::*;
use vcity_primitives::{BuiltinWorkload, Health, Workload};

#[test]
fn a_status_of_the_api_gives_the_heartbeat_metrics() {
	let status = parse_status(status_json(2, 37, "degraded").as_bytes()).unwrap();
	assert_eq!(status.gpus.len(), 2);
	assert!(status.simulated);
	assert_eq!(metrics(&status).load_percent, 37);
	assert_eq!(metrics(&status).health, Health::Degraded);
}

#[test]
fn malformed_statuses_are_refused_by_name() {
	assert_eq!(parse_status(b"{not json"), Err(AgentError::Malformed("status is not the API's JSON")));
	assert_eq!(parse_status(b"{\"api\":1}"), Err(AgentError::Malformed("status is not the API's JSON")));
	let too_busy = status_json(1, 100, "ok").replace("\"load_percent\":100", "\"load_percent\":140");
	assert_eq!(parse_status(too_busy.as_bytes()), Err(AgentError::Malformed("load_percent above 100")));
	let sick =
		status_json(1, 0, "ok").replace("\"health\":\"ok\",\"tasks\"", "\"health\":\"sick\",\"tasks\"");
	assert!(matches!(parse_status(sick.as_bytes()), Err(AgentError::Malformed(_))));
	let older = status_json(1, 0, "ok").replace("\"api\":3", "\"api\":2");
	assert_eq!(parse_status(older.as_bytes()).map(|s| s.api), Ok(2), "version 2 is still spoken");
	let oldest = status_json(1, 0, "ok").replace("\"api\":3", "\"api\":1");
	assert_eq!(parse_status(oldest.as_bytes()), Err(AgentError::WrongVersion(1)));
	let newer = status_json(1, 0, "ok").replace("\"api\":3", "\"api\":4");
	assert_eq!(parse_status(newer.as_bytes()), Err(AgentError::WrongVersion(4)));
}

#[test]
fn task_lists_give_progress_and_digests() {
	let digest = format!("0x{}", "ab".repeat(32));
	let body = format!(
		r#"{{"tasks":[{{"id":3,"state":"queued"}},{{"id":4,"state":"running","used_gpu_seconds":7}},
		{{"id":5,"state":"finished","used_gpu_seconds":9,"result":"{digest}","error":null}},
		{{"id":6,"state":"failed","error":"time limit of 60 s exceeded"}}]}}"#
	);
	let held = parse_tasks(body.as_bytes()).unwrap();
	assert_eq!(
		held,
		vec![
			HeldTask { id: 3, progress: Progress::Queued },
			HeldTask { id: 4, progress: Progress::Running { used: 7 } },
			HeldTask { id: 5, progress: Progress::Finished { result: [0xab; 32], keyed: None, used: 9 } },
			HeldTask { id: 6, progress: Progress::Failed },
		]
	);
}

#[test]
fn a_finished_task_needs_a_32_byte_hex_result() {
	for result in
		["null", "\"0x1234\"", &format!("\"{}\"", "ab".repeat(32)), &format!("\"0x{}\"", "zz".repeat(32))]
	{
		let body =
			format!(r#"{{"tasks":[{{"id":5,"state":"finished","used_gpu_seconds":1,"result":{result}}}]}}"#);
		assert_eq!(
			parse_tasks(body.as_bytes()),
			Err(AgentError::Malformed("finished task without a 32-byte hex result")),
			"{result}"
		);
	}
	let twice = r#"{"tasks":[{"id":5,"state":"queued"},{"id":5,"state":"running"}]}"#;
	assert_eq!(parse_tasks(twice.as_bytes()), Err(AgentError::Malformed("task listed twice")));
	assert!(matches!(
		parse_tasks(br#"{"tasks":[{"id":-1,"state":"queued"}]}"#),
		Err(AgentError::Malformed(_))
	));
}

#[test]
fn tasks_are_handed_over_in_the_api_s_json() {
	let matrix = Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 42, size: 256, rounds: 2 });
	assert_eq!(
		String::from_utf8(push_body(7, 1, 60, &matrix, None).unwrap()).unwrap(),
		r#"{"id":7,"gpus":1,"seconds":60,"workload":{"kind":"matrix","seed":42,"size":256,"rounds":2}}"#
	);
	let image = b"ghcr.io/acme/job:1".to_vec().try_into().unwrap();
	let container = Workload::Container { image, command_hash: [1; 32] };
	assert_eq!(
		String::from_utf8(push_body(8, 2, 30, &container, None).unwrap()).unwrap(),
		format!(
			r#"{{"id":8,"gpus":2,"seconds":30,"workload":{{"kind":"container","image":"ghcr.io/acme/job:1","command_hash":"0x{}"}}}}"#,
			"01".repeat(32)
		)
	);
	let binary = Workload::Container { image: vec![0xff, 0xfe].try_into().unwrap(), command_hash: [0; 32] };
	assert_eq!(
		push_body(9, 1, 1, &binary, None),
		None,
		"an image reference that is not text cannot be handed over"
	);
}

#[test]
fn settings_must_be_usable() {
	use vcity_primitives::AgentSettings;
	let settings = |url: &str, secret: &str| AgentSettings { url: url.into(), secret: secret.into() };
	assert!(Agent::new(&settings("http://127.0.0.1:8790/", "s3cret"), 2_000).is_ok());
	assert!(matches!(Agent::new(&settings("127.0.0.1:8790", "s"), 2_000), Err(AgentError::BadSettings(_))));
	assert!(matches!(
		Agent::new(&settings("http://127.0.0.1:8790", " \n"), 2_000),
		Err(AgentError::BadSettings(_))
	));
}

#[test]
fn answers_to_pushes_and_forgets_mean_what_the_api_says() {
	assert_eq!(push_outcome(201), Ok(PushOutcome::Accepted));
	assert_eq!(push_outcome(200), Ok(PushOutcome::Accepted));
	assert_eq!(push_outcome(409), Ok(PushOutcome::Conflict));
	assert_eq!(push_outcome(422), Ok(PushOutcome::Unsupported));
	assert_eq!((forget_outcome(204), forget_outcome(404)), (Ok(()), Ok(())));
	assert_eq!(
		(push_outcome(401), forget_outcome(401)),
		(Err(AgentError::Unauthorized), Err(AgentError::Unauthorized))
	);
	for code in [204, 400, 404, 500, 503] {
		assert_eq!(push_outcome(code), Err(AgentError::UnexpectedStatus(code)), "{code}");
	}
	for code in [200, 201, 409, 422, 500] {
		assert_eq!(forget_outcome(code), Err(AgentError::UnexpectedStatus(code)), "{code}");
	}
}
