//! The command a container runs, as the operator configured it, and its hash as a task carries
//! it (`command_hash`).
//!
//! The hash is BLAKE2b-256 (the chain's digest, 32 bytes) of every argument's UTF-8 bytes, each
//! followed by one NUL byte: `python3 /app/job.py` hashes `python3\0/app/job.py\0`, which is
//! `printf '%s\0' python3 /app/job.py | b2sum -l 256`. The empty command, which leaves the image's
//! own, hashes no bytes at all. A NUL ends every argument, rather than separating them, so that
//! `[]` and `[""]` differ; and since no argument may hold a NUL (no process could be given one),
//! no two commands share an encoding.

use blake2::Digest;

use crate::digest::{finished_hash, Blake2b256, Hash32};

/// The words the runtime passes after the image: they replace the image's `CMD` (an
/// `ENTRYPOINT` the image sets stays in front of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerCommand {
	argv: Vec<String>,
	hash: Hash32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
	#[error("the command is not a JSON list of strings, such as [\"python3\", \"/app/job.py\"] ({0})")]
	NotAList(String),
	#[error("argument {index} of the command holds a NUL byte, which no process can be given")]
	Nul { index: usize },
}

impl ContainerCommand {
	/// The command written as a JSON list of strings, `["python3", "/app/job.py"]`: a list says
	/// where every argument starts and ends, which no shell-like splitting could be trusted to.
	pub fn from_json(text: &str) -> Result<Self, CommandError> {
		let argv: Vec<String> =
			serde_json::from_str(text).map_err(|error| CommandError::NotAList(error.to_string()))?;
		Self::new(argv)
	}

	pub fn new(argv: Vec<String>) -> Result<Self, CommandError> {
		if let Some(index) = argv.iter().position(|argument| argument.contains('\0')) {
			return Err(CommandError::Nul { index });
		}
		let hash = command_hash(&argv);
		Ok(Self { argv, hash })
	}

	pub fn argv(&self) -> &[String] {
		&self.argv
	}

	pub fn hash(&self) -> Hash32 {
		self.hash
	}
}

/// See the module's comment for the encoding.
fn command_hash(argv: &[String]) -> Hash32 {
	let mut hasher = Blake2b256::new();
	for argument in argv {
		hasher.update(argument.as_bytes());
		hasher.update([0u8]);
	}
	finished_hash(hasher)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn hash_text(json: &str) -> String {
		ContainerCommand::from_json(json).expect("a command").hash().to_string()
	}

	#[test]
	fn the_hash_is_blake2b_256_of_nul_terminated_arguments() {
		// From `printf '%s\0' python3 /app/job.py | b2sum -l 256`.
		assert_eq!(
			hash_text(r#"["python3", "/app/job.py"]"#),
			"0x049816304180ab3dbab85d4292455e9097efbcabe51e299af46389f2c2cf36c5"
		);
		assert_eq!(
			hash_text(r#"["python3", "/app/job.py", "--rounds", "3"]"#),
			"0x5cfabb50eb7bfd1f3b76fcd6c236786f3402f8817b0358ddbe08200f0bde8f56"
		);
		// BLAKE2b-256 of no bytes: the image's own command.
		assert_eq!(hash_text("[]"), "0x0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
		assert_eq!(
			hash_text(r#"[""]"#),
			"0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314"
		);
	}

	#[test]
	fn the_arguments_are_kept_as_written() {
		let command = ContainerCommand::from_json(r#"["sh", "-c", "echo a  b; exit 0"]"#).expect("a command");
		assert_eq!(command.argv(), ["sh", "-c", "echo a  b; exit 0"]);
	}

	#[test]
	fn only_a_list_of_strings_without_nul_is_a_command() {
		for text in ["python3 /app/job.py", r#""python3""#, "[1]", r#"["a", null]"#, "", "[] x"] {
			assert!(matches!(ContainerCommand::from_json(text), Err(CommandError::NotAList(_))), "{text}");
		}
		assert_eq!(ContainerCommand::from_json(r#"["a", "b\u0000c"]"#), Err(CommandError::Nul { index: 1 }));
	}
}
