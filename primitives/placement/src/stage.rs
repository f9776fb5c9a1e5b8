//! Multi-GPU stages: how much memory a node holds in total, in three steps.
//!
//! A task may ask for a stage ("high-load training" needs a big node), the market checks it, the
//! scheduler scores it and Proof of Capacity pays a coefficient per stage. The thresholds are
//! fixed here, not governed: a queued task stores the stage it asked for, so moving a threshold
//! would change what every waiting task means. Governance sets the coefficient paid at each stage
//! (docs/registry.md#multi-gpu-stages).

/// Total VRAM in GiB from which a node reaches multi-GPU stage 1, 2 and 3.
pub const MULTI_GPU_STAGES_GIB: [u32; 3] = [96, 192, 384];

/// Highest stage a task may ask for.
pub const MAX_MULTI_GPU_STAGE: u8 = MULTI_GPU_STAGES_GIB.len() as u8;

/// The multi-GPU stage a node's total VRAM reaches: how many thresholds it meets.
pub fn multi_gpu_stage(total_vram_gib: u32) -> u8 {
	let met = MULTI_GPU_STAGES_GIB.iter().take_while(|&&threshold| total_vram_gib >= threshold).count();
	// At most three thresholds.
	met as u8
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn stages_count_the_thresholds_met() {
		assert_eq!(
			[0, 80, 95, 96, 191, 192, 383, 384, 640].map(multi_gpu_stage),
			[0, 0, 0, 1, 1, 2, 2, 3, 3]
		);
		assert_eq!(multi_gpu_stage(u32::MAX), MAX_MULTI_GPU_STAGE);
	}
}
