//! Why the agent could not start (or serve), each with what the operator can do about it.

use std::{io, net::SocketAddr, path::PathBuf};

use crate::{
	gpu::GpuError,
	secret::SecretError,
	tasks::{container::RuntimeError, store::StoreError},
};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
	#[error(
		"refusing to listen on {0}: it is not a loopback address and the API runs tasks on this host; \
		 pass --allow-remote to listen there anyway (and firewall the port)"
	)]
	NotLoopback(SocketAddr),
	#[error("HOME is not set, so there is no default data directory; pass --data-dir")]
	NoHome,
	#[error("cannot create the data directory {}: {source}", .path.display())]
	DataDir { path: PathBuf, source: io::Error },
	#[error(transparent)]
	Secret(#[from] SecretError),
	#[error(transparent)]
	Gpu(#[from] GpuError),
	#[error(transparent)]
	Runtime(#[from] RuntimeError),
	#[error(transparent)]
	Store(#[from] StoreError),
	#[error("cannot listen on {addr}: {source}")]
	Bind { addr: SocketAddr, source: io::Error },
	#[error("the HTTP server failed: {0}")]
	Serve(#[source] io::Error),
}
