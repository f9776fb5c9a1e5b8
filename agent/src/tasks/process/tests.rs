//! Limits and digests of child processes, with real programs.

use super::*;
use std::time::Instant;

fn limits(wall: Duration) -> Limits {
	Limits { wall, address_space_bytes: None, stdout_cap: STDOUT_CAP }
}

fn shell(script: &str) -> Command {
	let mut command = Command::new("sh");
	command.arg("-c").arg(script);
	command
}

#[tokio::test]
async fn digest_is_blake2b_256_of_the_standard_output() {
	let mut command = Command::new("echo");
	command.arg("hi");
	let digest = run(command, &limits(Duration::from_secs(10)), &StopSignal::default()).await.expect("runs");
	// BLAKE2b-256 of "hi\n", from Python's hashlib.
	assert_eq!(digest.to_string(), "0xde9543b2ae1b2b87434a730727db17f5ac8b8c020b84a5cb8c5fbcc1423443ba");
}

#[tokio::test]
async fn time_limit_kills_the_process() {
	let mut command = Command::new("sleep");
	command.arg("5");
	let started = Instant::now();
	let result = run(command, &limits(Duration::from_secs(1)), &StopSignal::default()).await;
	assert!(matches!(result, Err(RunError::TimeLimit { seconds: 1 })), "{result:?}");
	assert!(started.elapsed() < Duration::from_secs(4), "took {:?}", started.elapsed());
	assert_eq!(result.expect_err("limited").to_string(), "time limit of 1 s exceeded");
}

#[tokio::test]
async fn time_limit_kills_what_the_process_started_too() {
	// The shell waits on a child `sleep`; both hold the output pipe, so only a group kill ends it.
	let started = Instant::now();
	let result =
		run(shell("sleep 5; echo done"), &limits(Duration::from_secs(1)), &StopSignal::default()).await;
	assert!(matches!(result, Err(RunError::TimeLimit { .. })), "{result:?}");
	assert!(started.elapsed() < Duration::from_secs(4), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn stop_kills_the_process() {
	let stop = std::sync::Arc::new(StopSignal::default());
	let stopper = {
		let stop = std::sync::Arc::clone(&stop);
		tokio::spawn(async move {
			tokio::time::sleep(Duration::from_millis(200)).await;
			stop.stop();
		})
	};
	let mut command = Command::new("sleep");
	command.arg("5");
	let started = Instant::now();
	let result = run(command, &limits(Duration::from_secs(30)), &stop).await;
	assert!(matches!(result, Err(RunError::Stopped)), "{result:?}");
	assert!(started.elapsed() < Duration::from_secs(4));
	stopper.await.expect("stopper");
}

#[tokio::test]
async fn failure_reports_the_status_and_last_stderr_line() {
	let result = run(
		shell("echo first >&2; echo 'out of luck' >&2; exit 3"),
		&limits(Duration::from_secs(10)),
		&StopSignal::default(),
	)
	.await;
	match result {
		Err(RunError::Failed { status, last_stderr_line }) => {
			assert_eq!(status.code(), Some(3));
			assert_eq!(last_stderr_line.as_deref(), Some("out of luck"));
		}
		other => panic!("{other:?}"),
	}
}

#[tokio::test]
async fn output_over_the_cap_fails_the_task() {
	let capped = Limits { stdout_cap: 1000, ..limits(Duration::from_secs(10)) };
	let result = run(shell("head -c 5000 /dev/zero; sleep 5"), &capped, &StopSignal::default()).await;
	assert!(matches!(result, Err(RunError::OutputTooLarge { cap: 1000 })), "{result:?}");
	let exact = run(shell("head -c 1000 /dev/zero"), &capped, &StopSignal::default()).await;
	assert_eq!(exact.expect("fits").to_string(), hash_of(&[0u8; 1000]).to_string());
}

#[tokio::test]
async fn memory_limit_fails_a_large_allocation() {
	let python = |script: &str| {
		let mut command = Command::new("python3");
		command.arg("-c").arg(script);
		command
	};
	let limited = Limits { address_space_bytes: Some(128 << 20), ..limits(Duration::from_secs(30)) };
	// A small allocation under the same limit succeeds, so the failure below is the limit's doing.
	match run(python("x = bytearray(1024 * 1024); print(len(x))"), &limited, &StopSignal::default()).await {
		Err(RunError::Spawn { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
			println!("note: python3 is not installed; the memory limit test is skipped");
			return;
		}
		small => {
			small.expect("a 1 MiB allocation fits in 128 MiB");
		}
	}
	let result = run(python("x = bytearray(512 * 1024 * 1024)"), &limited, &StopSignal::default()).await;
	match result {
		Err(RunError::Failed { last_stderr_line, .. }) => assert!(
			last_stderr_line.as_deref().is_some_and(|line| line.contains("MemoryError")),
			"{last_stderr_line:?}"
		),
		other => panic!("{other:?}"),
	}
}
