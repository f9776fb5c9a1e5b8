//! The operator key: an sr25519 key of type `vcty` in the node's keystore. Its account is the
//! node's operator in the registry, so what the worker signs passes the same checks as an
//! extrinsic the operator signs by hand.

use sp_core::crypto::KeyTypeId;
use sp_runtime::{
	app_crypto::{app_crypto, sr25519},
	MultiSignature, MultiSigner,
};

/// Key type of operator keys in the keystore (`vcity-node key insert --key-type vcty`).
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"vcty");

app_crypto!(sr25519, KEY_TYPE);

/// Signs the worker's transactions with the `vcty` key, as a runtime using `MultiSignature`
/// expects.
pub struct OperatorKey;

impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for OperatorKey {
	type RuntimeAppPublic = Public;
	type GenericSignature = sp_core::sr25519::Signature;
	type GenericPublic = sp_core::sr25519::Public;
}
