//! The containers the operator lets tasks run: `--container-image REF=COMMAND[;min-seconds=N]`,
//! repeatable, each an image pinned by digest, the one command to run in it and the fewest paid
//! seconds it takes. Any chain user can name an image and a command hash, and what they name runs
//! on the operator's host, so a task runs only when both match an entry; the command itself
//! always comes from here, never from the task.
//!
//! The chain cannot estimate a container's work as it does a matrix product's, so the operator
//! does: a task paying fewer seconds than the entry's `min-seconds` would hit its time limit and
//! fail on the node's record; it is declined instead, which costs the node nothing.

use std::str::FromStr;

use super::{
	command::{CommandError, ContainerCommand},
	pinned::{PinError, PinnedImage},
};
use crate::digest::Hash32;

/// One `--container-image` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedContainer {
	pub image: PinnedImage,
	pub command: ContainerCommand,
	/// The fewest paid seconds a task running it must carry (0: any).
	pub min_seconds: u64,
}

/// Why a `--container-image` entry was refused; the agent does not start with one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
	#[error(
		"no command: write REF='[\"program\", \"argument\", …]' (a JSON list of strings; '[]' keeps \
		 the image's own command)"
	)]
	NoCommand,
	#[error(transparent)]
	Image(#[from] PinError),
	#[error(transparent)]
	Command(#[from] CommandError),
	#[error("after the command, only ';min-seconds=N' may follow, not {0:?}")]
	Option(String),
}

/// `REF=COMMAND[;min-seconds=N]`: a reference never holds `=`, so the first one ends it and the
/// JSON after it may hold any; the list's last `]` ends the JSON.
impl FromStr for AllowedContainer {
	type Err = EntryError;

	fn from_str(entry: &str) -> Result<Self, EntryError> {
		let (image, rest) = entry.split_once('=').ok_or(EntryError::NoCommand)?;
		let (command, option) = rest.rfind(']').map_or((rest, ""), |end| rest.split_at(end + 1));
		let min_seconds = match option.trim() {
			"" => 0,
			option => option
				.strip_prefix(";min-seconds=")
				.and_then(|seconds| seconds.parse().ok())
				.ok_or_else(|| EntryError::Option(option.to_owned()))?,
		};
		Ok(Self { image: image.parse()?, command: ContainerCommand::from_json(command)?, min_seconds })
	}
}

/// Every `--container-image` entry; an image may be listed once per command it may run.
#[derive(Clone, Debug, Default)]
pub struct Allowlist(Vec<AllowedContainer>);

/// Why a task's container is not run here.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAllowed {
	#[error("image {0} is not among the images this host runs (--container-image)")]
	Image(String),
	#[error("no command this host runs in image {image} has the hash {command_hash} (--container-image)")]
	Command { image: String, command_hash: Hash32 },
}

impl Allowlist {
	pub const fn new(entries: Vec<AllowedContainer>) -> Self {
		Self(entries)
	}

	pub fn entries(&self) -> &[AllowedContainer] {
		&self.0
	}

	/// The entry a task naming `image` and `command_hash` runs. The image must be written exactly
	/// as the operator pinned it, digest included, so a task's record on chain says which image
	/// content it ran.
	pub fn find(&self, image: &str, command_hash: &Hash32) -> Result<&AllowedContainer, NotAllowed> {
		let mut for_image = self.0.iter().filter(|entry| entry.image.as_str() == image).peekable();
		if for_image.peek().is_none() {
			return Err(NotAllowed::Image(image.to_owned()));
		}
		for_image
			.find(|entry| entry.command.hash() == *command_hash)
			.ok_or_else(|| NotAllowed::Command { image: image.to_owned(), command_hash: *command_hash })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const JOB: &str =
		"ghcr.io/acme/job@sha256:6b3f5a1c9e2d4f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";
	/// `printf '%s\0' python3 /app/job.py | b2sum -l 256`
	const JOB_PY: &str = "0x049816304180ab3dbab85d4292455e9097efbcabe51e299af46389f2c2cf36c5";
	/// BLAKE2b-256 of no bytes: the image's own command.
	const OWN: &str = "0x0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8";

	fn hash(text: &str) -> Hash32 {
		text.parse().expect("a hash")
	}

	fn allowlist(entries: &[&str]) -> Allowlist {
		Allowlist::new(
			entries.iter().map(|entry| entry.parse::<AllowedContainer>().expect("an entry")).collect(),
		)
	}

	#[test]
	fn an_entry_is_a_pinned_image_and_a_json_command() {
		let entry: AllowedContainer =
			format!(r#"{JOB}=["python3", "/app/job.py"]"#).parse().expect("an entry");
		assert_eq!(entry.image.as_str(), JOB);
		assert_eq!(entry.command.argv(), ["python3", "/app/job.py"]);
		assert_eq!(entry.command.hash(), hash(JOB_PY));
		// The JSON may hold '=' and spaces; only the first '=' ends the reference.
		let entry: AllowedContainer = format!(r#"{JOB}=["env", "A=1", "B = 2"]"#).parse().expect("an entry");
		assert_eq!(entry.command.argv(), ["env", "A=1", "B = 2"]);
		let own: AllowedContainer = format!("{JOB}=[]").parse().expect("an entry");
		assert!(own.command.argv().is_empty());
		assert_eq!(own.command.hash(), hash(OWN));
		assert_eq!(own.min_seconds, 0);
		// The work estimate follows the list; a ']' inside an argument does not end it.
		let timed: AllowedContainer =
			format!(r#"{JOB}=["train", "--steps=[1]"];min-seconds=600"#).parse().expect("an entry");
		assert_eq!((timed.command.argv()[1].as_str(), timed.min_seconds), ("--steps=[1]", 600));
		for bad in [";min-seconds=", ";min-seconds=-1", ";minimum=600", " 600"] {
			assert_eq!(
				format!("{JOB}=[]{bad}").parse::<AllowedContainer>(),
				Err(EntryError::Option(bad.trim().to_owned()))
			);
		}
	}

	#[test]
	fn entries_without_a_digest_or_a_command_are_refused() {
		assert_eq!(JOB.parse::<AllowedContainer>(), Err(EntryError::NoCommand));
		assert_eq!(
			"busybox=[]".parse::<AllowedContainer>(),
			Err(EntryError::Image(PinError::NoDigest("busybox".into())))
		);
		assert_eq!(
			"ghcr.io/acme/job:1=[]".parse::<AllowedContainer>(),
			Err(EntryError::Image(PinError::NoDigest("ghcr.io/acme/job:1".into())))
		);
		assert!(matches!(
			format!("{JOB}=python3 /app/job.py").parse::<AllowedContainer>(),
			Err(EntryError::Command(CommandError::NotAList(_)))
		));
	}

	#[test]
	fn a_task_runs_only_an_allowed_image_with_an_allowed_command() {
		let (job_py, own) = (format!(r#"{JOB}=["python3", "/app/job.py"]"#), format!("{JOB}=[]"));
		let list = allowlist(&[job_py.as_str(), own.as_str()]);
		let found = list.find(JOB, &hash(JOB_PY)).expect("allowed");
		assert_eq!(found.command.argv(), ["python3", "/app/job.py"]);
		assert!(list.find(JOB, &hash(OWN)).expect("allowed").command.argv().is_empty());

		let other = Hash32([1; 32]);
		assert_eq!(
			list.find(JOB, &other),
			Err(NotAllowed::Command { image: JOB.into(), command_hash: other })
		);
		// Not the name alone, nor the image under another digest.
		let other_digest = JOB.replace("6b3f", "6b3e");
		for image in ["ghcr.io/acme/job", other_digest.as_str()] {
			assert_eq!(list.find(image, &hash(JOB_PY)), Err(NotAllowed::Image(image.into())));
		}
		assert_eq!(Allowlist::default().find(JOB, &hash(OWN)), Err(NotAllowed::Image(JOB.into())));
	}
}
