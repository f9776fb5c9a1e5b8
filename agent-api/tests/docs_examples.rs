//! Every JSON example of docs/agent-api.md is a message of this crate, exactly: it reads as the
//! type named in the `<!-- wire: Type -->` line above it and writes back the same, so the page
//! cannot show a field the types lack or leave out one they have. Every message has an example,
//! the node reads every reply's, and the error table names codes of the API with their status.

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use vcity_agent_api::*;

const PAGE: &str = include_str!("../../docs/agent-api.md");

const MESSAGES: [&str; 6] =
	["StatusReply", "GpuMetricsReply", "TaskList", "TaskSpec", "TaskView", "ErrorReply"];

/// The page's ` ```json ` blocks, each with the type its marker line names.
fn examples() -> Vec<(String, String)> {
	let mut examples = Vec::new();
	let mut marker: Option<String> = None;
	let mut block: Option<Vec<&str>> = None;
	for line in PAGE.lines() {
		let trimmed = line.trim();
		if let Some(lines) = &mut block {
			if trimmed == "```" {
				let text = lines.join("\n");
				let name =
					marker.take().unwrap_or_else(|| panic!("no <!-- wire: Type --> line above\n{text}"));
				examples.push((name, text));
				block = None;
			} else {
				lines.push(line);
			}
		} else if trimmed == "```json" {
			block = Some(Vec::new());
		} else {
			marker = trimmed
				.strip_prefix("<!-- wire: ")
				.and_then(|rest| rest.strip_suffix(" -->"))
				.map(str::to_owned);
		}
	}
	examples
}

fn exactly<T: DeserializeOwned + Serialize>(name: &str, text: &str) {
	let example: Value = serde_json::from_str(text).unwrap_or_else(|error| panic!("{name}: {error}\n{text}"));
	let message: T =
		serde_json::from_value(example.clone()).unwrap_or_else(|error| panic!("{name}: {error}\n{text}"));
	let written = serde_json::to_value(&message).expect("serializes");
	assert_eq!(written, example, "{name}: the example is not what the type writes");
}

fn node_reads<T: DeserializeOwned>(name: &str, text: &str) {
	if let Err(error) = serde_json::from_str::<T>(text) {
		panic!("{name}: the node cannot read the example: {error}\n{text}");
	}
}

#[test]
fn every_example_is_its_message_exactly() {
	let examples = examples();
	for (name, text) in &examples {
		match name.as_str() {
			"StatusReply" => {
				exactly::<StatusReply>(name, text);
				node_reads::<read::StatusReply>(name, text);
			}
			"GpuMetricsReply" => exactly::<GpuMetricsReply>(name, text),
			"TaskList" => {
				exactly::<TaskList>(name, text);
				node_reads::<read::TaskList>(name, text);
			}
			"TaskSpec" => exactly::<TaskSpec>(name, text),
			"TaskView" => exactly::<TaskView>(name, text),
			"ErrorReply" => exactly::<ErrorReply>(name, text),
			other => panic!("the page shows a {other}, which is not a message of the API"),
		}
	}
	for message in MESSAGES {
		assert!(examples.iter().any(|(name, _)| name == message), "the page shows no {message}");
	}
}

#[test]
fn the_error_table_names_codes_of_the_api_with_their_status() {
	let rows: Vec<Vec<&str>> = PAGE
		.lines()
		.filter(|line| line.starts_with("| 4") || line.starts_with("| 5"))
		.map(|line| line.split('|').map(str::trim).collect())
		.collect();
	assert!(!rows.is_empty(), "the page has no error table");
	for row in rows {
		let code: ErrorCode = serde_json::from_value(Value::String(row[2].trim_matches('`').to_owned()))
			.unwrap_or_else(|_| panic!("{} is not a code of the API", row[2]));
		assert_eq!(row[1], code.status().to_string(), "the status of {}", row[2]);
	}
}
