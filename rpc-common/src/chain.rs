//! The client every module reads from.

use sp_api::{ApiRef, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};

/// The node's client as an RPC module reads it: the runtime API at the block the caller names,
/// or at the best block when it names none.
pub struct ChainReader<C, Block> {
	client: Arc<C>,
	_block: PhantomData<Block>,
}

impl<C, Block> ChainReader<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

impl<C, Block> ChainReader<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
{
	/// The runtime API and the block to call it at: `at`, or the best block.
	pub fn api_at(
		&self,
		at: Option<Block::Hash>,
	) -> (ApiRef<'_, <C as ProvideRuntimeApi<Block>>::Api>, Block::Hash) {
		(self.client.runtime_api(), at.unwrap_or_else(|| self.client.info().best_hash))
	}
}
