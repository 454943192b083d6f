//! Names the generator derives (page streams, job helpers, parameter structs, response enums,
//! fake methods, builder methods) never clash with the names a spec gives: each goes through
//! the allocator of its scope and gets a distinct, deterministic name.

use std::collections::BTreeSet;
use std::path::Path;

use clientgen::{generate_file, CrateSettings};

/// The generated crate of `tests/fixtures/derived_names.yaml`, each Rust file parsed.
fn generated() -> Vec<(String, syn::File)> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/derived_names.yaml");
    let settings = CrateSettings::standalone("derived-names", "tests/fixtures/derived_names.yaml");
    let krate = generate_file(&spec, &settings).expect("the fixture is valid");
    krate
        .files
        .into_iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, text)| {
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{text}"));
            (path, file)
        })
        .collect()
}

fn file<'a>(files: &'a [(String, syn::File)], path: &str) -> &'a syn::File {
    &files.iter().find(|(p, _)| p == path).expect(path).1
}

/// The names of the functions of every `impl <type>` block in `file`, in order.
fn methods(file: &syn::File, ty: &str) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .filter(|block| matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident(ty)))
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The names of the structs, enums and aliases `file` defines.
fn type_names(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn assert_distinct(what: &str, names: &[String]) {
    let mut seen = BTreeSet::new();
    for name in names {
        assert!(seen.insert(name), "{what}: `{name}` twice in {names:?}");
    }
}

fn contains(names: &[String], wanted: &[&str]) -> bool {
    wanted.iter().all(|w| names.iter().any(|n| n == w))
}

#[test]
fn page_streams_and_job_helpers_get_names_no_operation_has() {
    let files = generated();
    let client = methods(file(&files, "src/client.rs"), "Client");
    assert_distinct("Client", &client);
    // Operations keep the names their ids give; the derived methods move.
    assert!(
        contains(
            &client,
            &[
                "list_rules",
                "list_rules_stream",
                "list_rules_stream2",
                "get_search_results",
                "get_search_results_stream",
                "get_search_results_stream2",
                "create_search",
            ]
        ),
        "{client:?}"
    );
}

#[test]
fn derived_methods_call_the_methods_they_were_derived_from() {
    let files = generated();
    let client = file(&files, "src/client.rs");
    let body = |name: &str| {
        let block = client
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(block) => Some(block),
                _ => None,
            })
            .flat_map(|block| &block.items)
            .find_map(|item| match item {
                syn::ImplItem::Fn(f) if f.sig.ident == name => Some(&f.block),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no method {name}"));
        quote::quote!(#block).to_string()
    };
    // The page stream of `listRules` fetches its pages with `list_rules`, not with the
    // operation `listRulesStream`.
    assert!(body("list_rules_stream2").contains("self . list_rules ("));
    assert!(!body("list_rules_stream2").contains("self . list_rules_stream ("));
    // The job helper streams its results with the page stream of `getSearchResults`, which kept
    // its name; the helper took the next one.
    assert!(body("get_search_results_stream2").contains("self . get_search_results_stream ("));
    assert!(body("get_search_results_stream").contains("self . get_search_results ("));
}

#[test]
fn derived_types_get_names_no_schema_has() {
    let files = generated();
    let types = type_names(file(&files, "src/types.rs"));
    let operations = type_names(file(&files, "src/operations.rs"));
    let all: Vec<String> = types.iter().chain(&operations).cloned().collect();
    assert_distinct("types and operations", &all);
    assert!(
        contains(&types, &["ListRulesParams", "GetStatesResponse"]),
        "{types:?}"
    );
    assert!(
        contains(&operations, &["ListRulesParams2", "GetStatesResponse2"]),
        "{operations:?}"
    );
}

#[test]
fn fake_and_builder_methods_get_names_no_other_method_has() {
    let files = generated();
    let fake = methods(file(&files, "src/fake.rs"), "FakeApi");
    assert_distinct("FakeApi", &fake);
    assert!(
        contains(&fake, &["start_operation", "start_operation2", "start"]),
        "{fake:?}"
    );
    let builder = methods(file(&files, "src/client.rs"), "ClientBuilder");
    assert_distinct("ClientBuilder", &builder);
    assert!(contains(&builder, &["timeout", "timeout2"]), "{builder:?}");
}
