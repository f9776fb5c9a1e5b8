//! The corpus replays clean through the `vcity-fuzz` binary, as CI and a developer run it: every
//! input, every block, every invariant. (CI then runs new inputs for its budget:
//! scripts/test.sh.)

use std::process::Command;

#[test]
fn the_corpus_replays_with_every_invariant_holding() {
	let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
	let inputs = std::fs::read_dir(&corpus).expect("the corpus directory").count();
	assert!(inputs > 0, "the corpus is empty");
	let output = Command::new(env!("CARGO_BIN_EXE_vcity-fuzz"))
		.arg("replay")
		.arg(&corpus)
		.output()
		.expect("vcity-fuzz runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	println!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
	assert!(output.status.success(), "the corpus replay failed");
	assert!(stdout.contains(&format!("replayed {inputs} inputs")), "every input replayed");
}
