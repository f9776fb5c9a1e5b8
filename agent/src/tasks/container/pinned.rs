//! Image references pinned by digest, `name@sha256:<64 lowercase hex digits>`, the only form the
//! agent runs. A tag names whatever was last pushed under it, so the code behind a tag can change
//! without the operator, or the task's submitter, seeing it; a digest names one image's content
//! for good.

use std::str::FromStr;

use super::check_image;

/// What separates the name from the digest. Only SHA-256 is taken: it is what registries and
/// both runtimes write (`RepoDigests`), and one algorithm keeps a reference's spelling unique,
/// which matters because tasks are matched to the allowlist byte for byte.
const DIGEST_MARK: &str = "@sha256:";
const DIGEST_HEX_DIGITS: usize = 64;

/// `name@sha256:…` as `docker inspect --format '{{index .RepoDigests 0}}' <image>` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedImage(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
	#[error("{0}")]
	NotAReference(String),
	#[error("{0:?} is not pinned by digest: name it as name@sha256:<64 lowercase hex digits>")]
	NoDigest(String),
	#[error("the digest of {0:?} is not 64 lowercase hex digits after sha256:")]
	BadDigest(String),
	#[error("{0:?} has no image name before its digest, or more than one @")]
	BadName(String),
	#[error("{0:?} has a tag as well as a digest: drop the tag, the digest alone names the image")]
	Tagged(String),
}

impl PinnedImage {
	pub fn as_str(&self) -> &str {
		&self.0
	}
}

impl FromStr for PinnedImage {
	type Err = PinError;

	fn from_str(reference: &str) -> Result<Self, PinError> {
		check_image(reference).map_err(PinError::NotAReference)?;
		let Some((name, digest)) = reference.split_once(DIGEST_MARK) else {
			return Err(PinError::NoDigest(reference.to_owned()));
		};
		// Uppercase would name the same image under a second spelling, which the byte-for-byte
		// match against tasks would treat as another image.
		let lower_hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
		if digest.len() != DIGEST_HEX_DIGITS || !digest.chars().all(lower_hex) {
			return Err(PinError::BadDigest(reference.to_owned()));
		}
		if name.is_empty() || name.contains('@') {
			return Err(PinError::BadName(reference.to_owned()));
		}
		// A tag follows a ':' in the last path component (a ':' before a '/' is a registry's
		// port). What a runtime makes of a tag beside a digest varies; one meaning is kept.
		let last_component = name.rsplit_once('/').map_or(name, |(_, last)| last);
		if last_component.contains(':') {
			return Err(PinError::Tagged(reference.to_owned()));
		}
		Ok(Self(reference.to_owned()))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const HEX: &str = "6b3f5a1c9e2d4f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";

	fn pinned(name: &str) -> String {
		format!("{name}@sha256:{HEX}")
	}

	#[test]
	fn references_pinned_by_digest_are_taken_as_written() {
		for reference in [pinned("busybox"), pinned("ghcr.io/acme/job"), pinned("registry:5000/a/b")] {
			let image: PinnedImage = reference.parse().expect("pinned");
			assert_eq!(image.as_str(), reference);
		}
	}

	#[test]
	fn a_tag_without_a_digest_is_refused() {
		for reference in ["busybox", "ghcr.io/acme/job:1", "registry:5000/a/b:latest"] {
			assert_eq!(reference.parse::<PinnedImage>(), Err(PinError::NoDigest(reference.into())));
		}
	}

	#[test]
	fn only_64_lowercase_hex_digits_of_sha256_pass() {
		let short = format!("busybox@sha256:{}", &HEX[..63]);
		let long = format!("busybox@sha256:{HEX}0");
		let upper = format!("busybox@sha256:{}", HEX.to_uppercase());
		let not_hex = format!("busybox@sha256:{}g", &HEX[..63]);
		for reference in [short, long, upper, not_hex] {
			assert_eq!(reference.parse::<PinnedImage>(), Err(PinError::BadDigest(reference)));
		}
		let sha512 = format!("busybox@sha512:{HEX}{HEX}");
		assert_eq!(sha512.parse::<PinnedImage>(), Err(PinError::NoDigest(sha512)));
	}

	#[test]
	fn a_name_is_needed_and_a_tag_beside_the_digest_is_refused() {
		let tagged = pinned("ghcr.io/acme/job:1");
		assert_eq!(tagged.parse::<PinnedImage>(), Err(PinError::Tagged(tagged)));
		for reference in [pinned(""), pinned("a@b")] {
			assert_eq!(reference.parse::<PinnedImage>(), Err(PinError::BadName(reference)));
		}
	}

	#[test]
	fn what_is_not_a_plain_reference_is_refused_first() {
		let option = pinned("--privileged");
		assert!(matches!(option.parse::<PinnedImage>(), Err(PinError::NotAReference(_))));
		let spaced = pinned("a b");
		assert!(matches!(spaced.parse::<PinnedImage>(), Err(PinError::NotAReference(_))));
	}
}
