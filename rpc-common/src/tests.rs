use super::*;
use sp_core::crypto::{AccountId32, Ss58Codec};

#[test]
fn page_limits_default_and_are_bounded() {
	assert_eq!(page_limit(&None), Ok(DEFAULT_PAGE_LIMIT));
	assert_eq!(page_limit(&Some(PageJson { cursor: None, limit: Some(500) })), Ok(500));
	assert!(page_limit(&Some(PageJson { cursor: None, limit: Some(501) })).is_err());
	assert!(page_limit(&Some(PageJson { cursor: None, limit: Some(0) })).is_err());
	let err = page_limit(&Some(PageJson { cursor: Some(7), limit: Some(0) })).unwrap_err();
	assert_eq!(err.code(), codes::INVALID_PARAMS);
	assert_eq!(err.message(), "page limit must be 1..=500, got 0");
}

#[test]
fn pages_read_camel_case_and_refuse_unknown_fields() {
	let page: PageJson = serde_json::from_str(r#"{"cursor":101,"limit":100}"#).unwrap();
	assert_eq!(page, PageJson { cursor: Some(101), limit: Some(100) });
	assert_eq!(serde_json::from_str::<PageJson>("{}").unwrap(), PageJson::default());
	assert!(serde_json::from_str::<PageJson>(r#"{"size":5}"#).is_err());
}

#[test]
fn accounts_parse_from_ss58_and_garbage_is_a_named_invalid_params_error() {
	assert_eq!(
		parse_account("5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM").unwrap(),
		AccountId32::new([0; 32])
	);
	assert_eq!(
		parse_account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap().to_ss58check(),
		"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	);
	// The last one differs from the zero account in its checksum only.
	for bad in ["alice", "", "did:vcity:1", "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhN"] {
		let err = parse_account(bad).unwrap_err();
		assert_eq!(err.code(), codes::INVALID_PARAMS, "{bad}");
		assert_eq!(err.message(), format!("account {bad:?} is not an SS58 address"));
	}
}

#[test]
fn an_address_error_names_the_role_of_the_parameter() {
	let err = parse_ss58("owner", "alice").unwrap_err();
	assert_eq!(
		(err.code(), err.message()),
		(codes::INVALID_PARAMS, r#"owner "alice" is not an SS58 address"#)
	);
}

#[test]
fn enum_names_parse_as_the_type_renders_them_and_unknown_ones_are_named() {
	#[derive(serde::Deserialize, Debug, PartialEq)]
	#[serde(rename_all = "camelCase")]
	enum Billing {
		PerTask,
		Metered,
	}
	assert_eq!(parse_name::<Billing>("billing", "perTask"), Ok(Billing::PerTask));
	assert_eq!(parse_name::<Billing>("billing", "metered"), Ok(Billing::Metered));
	for bad in ["PerTask", "per_task", ""] {
		let err = parse_name::<Billing>("billing", bad).unwrap_err();
		assert_eq!(err.code(), codes::INVALID_PARAMS);
		assert_eq!(err.message(), format!("unknown billing {bad:?}"));
	}
}

#[test]
fn runtime_failures_have_their_own_code() {
	let err = runtime_error("Execution failed");
	assert_eq!(err.code(), codes::RUNTIME_ERROR);
	assert_eq!(err.message(), "runtime API call failed: Execution failed");
	assert_eq!(invalid("bad".into()).code(), codes::INVALID_PARAMS);
}

#[test]
fn text_replaces_bytes_that_are_not_utf8() {
	assert_eq!(text(b"eu-west"), "eu-west");
	assert_eq!(text(b"H\xff100"), "H\u{fffd}100");
}
