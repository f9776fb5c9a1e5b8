//! The bearer secret shared with the node (docs/agent-api.md, "The secret"): read from its file,
//! or created there once (32 random bytes, hex, mode 0600), and checked in constant time.

use std::{
	fs::{self, OpenOptions},
	io::{self, Write},
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::{Path, PathBuf},
};
use tracing::{info, warn};

use crate::digest::hash_of;

/// The secret, kept only as its digest: comparing digests takes the same time whatever the
/// presented token's length or how many of its leading bytes match.
pub struct Secret {
	digest: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
	#[error("cannot read the secret file {}: {source}", .path.display())]
	Read { path: PathBuf, source: io::Error },
	#[error("cannot create the secret file {}: {source}", .path.display())]
	Create { path: PathBuf, source: io::Error },
	#[error("the secret file {} is empty; delete it to have a fresh secret written", .path.display())]
	Empty { path: PathBuf },
	#[error("cannot draw random bytes for a new secret: {0}")]
	Random(getrandom::Error),
}

impl Secret {
	pub fn from_value(value: &str) -> Self {
		Self { digest: hash_of(value.trim().as_bytes()).0 }
	}

	pub fn matches(&self, token: &[u8]) -> bool {
		let presented = hash_of(token).0;
		let difference = presented.iter().zip(&self.digest).fold(0u8, |acc, (a, b)| acc | (a ^ b));
		// Keeps the optimiser from turning the fold into an early-exit comparison.
		std::hint::black_box(difference) == 0
	}
}

pub fn load_or_create(path: &Path) -> Result<Secret, SecretError> {
	match fs::read_to_string(path) {
		Ok(text) => {
			warn_if_shared(path);
			from_file_text(path, &text)
		}
		Err(error) if error.kind() == io::ErrorKind::NotFound => create(path),
		Err(source) => Err(SecretError::Read { path: path.to_owned(), source }),
	}
}

fn from_file_text(path: &Path, text: &str) -> Result<Secret, SecretError> {
	if text.trim().is_empty() {
		return Err(SecretError::Empty { path: path.to_owned() });
	}
	Ok(Secret::from_value(text))
}

fn create(path: &Path) -> Result<Secret, SecretError> {
	let create_error = |source| SecretError::Create { path: path.to_owned(), source };
	let mut bytes = [0u8; 32];
	getrandom::getrandom(&mut bytes).map_err(SecretError::Random)?;
	let text = hex::encode(bytes);
	if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
		fs::create_dir_all(dir).map_err(create_error)?;
	}
	// `create_new` with the mode set at creation: the secret is never readable by others, not even
	// for the moment between creating and chmod-ing.
	let mut file = match OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
		Ok(file) => file,
		Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
			// Another process (a second agent, an operator) wrote it first: use that one.
			let text = fs::read_to_string(path)
				.map_err(|source| SecretError::Read { path: path.to_owned(), source })?;
			return from_file_text(path, &text);
		}
		Err(source) => return Err(create_error(source)),
	};
	// No trailing newline, so a reader that does not trim still gets the exact secret.
	file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(create_error)?;
	info!(path = %path.display(), "wrote a new API secret; give the node this file (--agent-secret-file)");
	Ok(Secret::from_value(&text))
}

fn warn_if_shared(path: &Path) {
	if let Ok(metadata) = fs::metadata(path) {
		// Group read is how the node's user (another user, in a shared group) reads it; any
		// other user must not.
		if metadata.permissions().mode() & 0o007 != 0 {
			warn!(path = %path.display(), "the secret file is open to every user; chmod o-rwx it");
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn creates_a_private_hex_secret_once_and_reads_it_back() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("nested").join("secret");
		let created = load_or_create(&path).expect("created");
		let text = fs::read_to_string(&path).expect("written");
		assert_eq!(text.len(), 64);
		assert!(text.bytes().all(|b| b.is_ascii_hexdigit()));
		assert_eq!(fs::metadata(&path).expect("metadata").permissions().mode() & 0o777, 0o600);
		assert!(created.matches(text.as_bytes()));
		let again = load_or_create(&path).expect("read back");
		assert!(again.matches(text.as_bytes()));
		assert!(!again.matches(b"not the secret"));
		assert!(!again.matches(&text.as_bytes()[..63]));
	}

	#[test]
	fn an_empty_secret_file_is_refused() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("secret");
		fs::write(&path, "\n").expect("written");
		assert!(matches!(load_or_create(&path), Err(SecretError::Empty { .. })));
	}
}
