//! The generated response types' decoders never panic and never overflow the stack, whatever
//! the bytes: a server controls every byte of a response, and a panic or a stack overflow in
//! a client takes the caller's process down with it.
//!
//! Each target is a type from a vendor crate's `types` module (enums, nested structs, maps,
//! unknown-member capture, untagged unions) decoded as the runtime decodes a body:
//! `serde_json::from_slice`, then on failure the `serde_path_to_error` pass that names the
//! path, and the body excerpt an error quotes. A value that decodes is encoded again.
//!
//! Inputs: arbitrary bytes, and realistic bodies built from the schemas and examples of
//! `specs/<vendor>/openapi.yaml` (read at test time) and then broken: cut at every position,
//! bytes flipped, invalid UTF-8 inserted, a BOM put in front, any value replaced by a number
//! no integer or float holds, by a value of another type, a very long string or deep nesting,
//! and objects given duplicate keys. Deep nesting (100 000 levels) also has a test of its own,
//! run on a thread with the 2 MiB stack of a tokio worker.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Decodes `bytes` as the runtime does; `Err` holds the decoder's message (never a panic).
fn decode<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<(), String> {
    match serde_json::from_slice::<T>(bytes) {
        Ok(value) => {
            // What a caller does next: encode it again (to send it back, to log it).
            serde_json::to_vec(&value).map_err(|e| format!("re-encoding failed: {e}"))?;
            let _ = serde_json::to_value(&value);
            Ok(())
        }
        Err(error) => {
            // The runtime's second pass, which names the path of the failure.
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            let located: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
            if let Err(located) = located {
                let _ = located.path().to_string();
            }
            let _ = clientgen_runtime::error::excerpt(bytes);
            Err(error.to_string())
        }
    }
}

/// One type under test: its vendor, its schema in that vendor's spec, its decoder.
struct Target {
    vendor: &'static str,
    schema: &'static str,
    decode: fn(&[u8]) -> Result<(), String>,
}

macro_rules! targets {
    ($($vendor:literal => $krate:ident :: [$($ty:ident),* $(,)?]),* $(,)?) => {
        &[$($(Target {
            vendor: $vendor,
            schema: stringify!($ty),
            decode: decode::<$krate::types::$ty>,
        },)*)*]
    };
}

const TARGETS: &[Target] = targets! {
    "sekoia" => sekoia_client::[
        AlertList, Alert, Case, CaseList, EventSearchJob, EventList, RuleList, Intake, Entity,
        CommentList,
    ],
    "stamus" => stamus_client::[
        RuleList, StamusProbeList, Threat, EveEventList, HostIdList, Metadata,
        ProcessingFilterList, SourceList, UserActionList, AlertsCount, RuleContent,
    ],
    "security-onion" => security_onion_client::[
        EventSearchResults, Case, Detection, Job, Info, Node, User, CaseHistoryEntry,
        AccessTokenResponse, BulkResponse,
    ],
    "elastic-security" => elastic_security_client::[
        FindRulesResponse, RuleResponse, AlertsSearchResponse, Case,
        FindExceptionListItemsResponse, FindCasesResponse, TimelineResponse, BulkActionResponse,
        RulesExportLine, FindListItemsResponse, CaseUserAction,
    ],
    "stellar-cyber" => stellar_cyber_client::[
        CaseListResponse, IncidentListResponse, SearchResponse, AccessToken, UserListResponse,
        CaseResponse, ConnectorListResponse, StorageUsageResponse,
    ],
};

// ----- Realistic bodies from the specs -----

/// `components/schemas` of a vendor's spec.
fn schemas(vendor: &str) -> &'static Map<String, Value> {
    static SPECS: OnceLock<BTreeMap<String, Map<String, Value>>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        TARGETS
            .iter()
            .map(|t| t.vendor)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|vendor| {
                let path = format!(
                    "{}/../specs/{vendor}/openapi.yaml",
                    env!("CARGO_MANIFEST_DIR")
                );
                let text = std::fs::read_to_string(&path).expect("spec readable");
                let spec: Value = serde_yaml::from_str(&text).expect("spec is YAML");
                let schemas = spec["components"]["schemas"]
                    .as_object()
                    .expect("components/schemas")
                    .clone();
                (vendor.to_owned(), schemas)
            })
            .collect()
    });
    &specs[vendor]
}

/// A value for `schema` as a server would send it: the schema's `example` when it has one,
/// else one built from its members (every member, so that every decoder path is exercised),
/// recursing into references up to a depth where only required members are kept.
fn example(schemas: &Map<String, Value>, schema: &Value, depth: usize) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .rsplit('/')
            .next()
            .expect("a reference names a schema");
        return example(schemas, &schemas[name], depth + 1);
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| values.iter().find(|v| !v.is_null()))
    {
        return first.clone();
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        let mut last = Value::Null;
        for part in parts {
            match example(schemas, part, depth) {
                Value::Object(members) => merged.extend(members),
                other => last = other,
            }
        }
        if merged.is_empty() {
            return last;
        }
        // Members next to `allOf` (a description, say) may add properties too.
        if let Value::Object(more) = object_example(schemas, schema, depth) {
            merged.extend(more);
        }
        return Value::Object(merged);
    }
    for union in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(union)
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            return example(schemas, first, depth);
        }
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => "any",
    };
    match kind {
        "object" => object_example(schemas, schema, depth),
        "array" => match schema.get("items") {
            Some(items) if depth < 12 => json!([example(schemas, items, depth + 1)]),
            _ => json!([]),
        },
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-05-01T12:34:56Z"),
            Some("date") => json!("2024-05-01"),
            Some("uuid") => json!("9a6ad3a4-7f69-4d7a-b1d1-5e1c7c6a1e11"),
            Some("email") => json!("analyst@example.com"),
            Some("ipv4") => json!("192.0.2.10"),
            Some("ipv6") => json!("2001:db8::10"),
            Some("uri" | "url") => json!("https://soc.example.com/item/1"),
            Some("byte") => json!("aGVsbG8="),
            _ => json!("ET SCAN Potential SSH Scan"),
        },
        "integer" => json!(7),
        "number" => json!(2.5),
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => json!({"any": ["value", 1, null]}),
    }
}

fn object_example(schemas: &Map<String, Value>, schema: &Value, depth: usize) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut object = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            // Deep down, only what is required: schemas may refer to themselves.
            if depth < 6 || required.contains(&name.as_str()) {
                object.insert(name.clone(), example(schemas, property, depth + 1));
            }
        }
    }
    match schema.get("additionalProperties") {
        Some(values @ Value::Object(_)) if depth < 6 => {
            object.insert("extra-key".into(), example(schemas, values, depth + 1));
        }
        Some(Value::Bool(true)) => {
            object.insert("extra-key".into(), json!({"free": "form"}));
        }
        _ => {}
    }
    Value::Object(object)
}

/// One realistic body per target, each checked to decode (a seed that fails at its first byte
/// would exercise nothing), with an unknown member added to objects so that the capture of
/// unknown members is exercised too.
fn seeds() -> &'static [(usize, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(usize, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = Vec::new();
        let mut broken = Vec::new();
        for (index, target) in TARGETS.iter().enumerate() {
            let schemas = schemas(target.vendor);
            let schema = schemas
                .get(target.schema)
                .unwrap_or_else(|| panic!("{}: no schema {}", target.vendor, target.schema));
            let mut value = example(schemas, schema, 0);
            // Not in maps, whose every member must be of the map's value type.
            let is_map = schema.get("additionalProperties").is_some();
            if let (Value::Object(members), false) = (&mut value, is_map) {
                members.insert(
                    "x-member-from-a-newer-server".into(),
                    json!({"nested": [1, "two", null, {"deep": [true]}], "n": -0.0}),
                );
            }
            let bytes = serde_json::to_vec(&value).expect("JSON");
            match (target.decode)(&bytes) {
                Ok(()) => seeds.push((index, bytes)),
                Err(error) => broken.push(format!(
                    "{}::{}: {error}\n{}",
                    target.vendor,
                    target.schema,
                    String::from_utf8_lossy(&bytes)
                )),
            }
        }
        assert!(
            broken.is_empty(),
            "realistic bodies that do not decode:\n{}",
            broken.join("\n\n")
        );
        seeds
    })
}

// ----- Mutations -----

/// Values that replace one node of a realistic body, as raw JSON text.
const REPLACEMENTS: &[&str] = &[
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "-0",
    "1e-400",
    "0.1e99999999999999999999",
    "123456789012345678901234567890.5",
    "\"12345\"",
    "12345",
    "true",
    "null",
    "[]",
    "{}",
    "\"\"",
    "\"2024-13-45T99:99:99Z\"",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\u0000\"",
    "[null, 1, \"x\", {}]",
];

#[derive(Clone, Debug)]
enum Edit {
    /// Replace the node by this raw JSON text.
    Raw(String),
    /// Write the object's first member twice: first with this raw value, then as it was.
    DuplicateFirstMember(String),
}

/// Writes `value` as JSON, applying `edit` to the node numbered `target` (pre-order).
fn write(value: &Value, target: usize, edit: &Edit, counter: &mut usize, out: &mut String) {
    let here = *counter;
    *counter += 1;
    if here == target {
        match (edit, value) {
            (Edit::Raw(raw), _) => {
                out.push_str(raw);
                return;
            }
            (Edit::DuplicateFirstMember(raw), Value::Object(members)) if !members.is_empty() => {
                let (key, _) = members.iter().next().expect("not empty");
                out.push('{');
                out.push_str(&serde_json::to_string(key).expect("key"));
                out.push(':');
                out.push_str(raw);
                out.push(',');
                write_members(members, target, edit, counter, out);
                out.push('}');
                return;
            }
            _ => {}
        }
    }
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, target, edit, counter, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            write_members(members, target, edit, counter, out);
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn write_members(
    members: &Map<String, Value>,
    target: usize,
    edit: &Edit,
    counter: &mut usize,
    out: &mut String,
) {
    for (i, (key, member)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("key"));
        out.push(':');
        write(member, target, edit, counter, out);
    }
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(members) => members.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// `body` with node `node` (modulo the node count) edited.
fn edited(body: &[u8], node: Index, edit: &Edit) -> Vec<u8> {
    let value: Value = serde_json::from_slice(body).expect("seeds are JSON");
    let target = node.index(count_nodes(&value));
    let mut out = String::new();
    write(&value, target, edit, &mut 0, &mut out);
    out.into_bytes()
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let raw = prop_oneof![
        8 => proptest::sample::select(REPLACEMENTS).prop_map(str::to_owned),
        1 => (1usize..100_000).prop_map(|n| format!("\"{}\"", "A".repeat(n))),
        1 => (1usize..5_000).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n))),
        1 => (1usize..5_000).prop_map(|n| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n))),
        1 => (1usize..100_000).prop_map(|n| "[".repeat(n)),
    ];
    let raw = raw.boxed();
    prop_oneof![
        4 => raw.clone().prop_map(Edit::Raw),
        1 => raw.prop_map(Edit::DuplicateFirstMember),
    ]
}

/// Byte sequences that are not UTF-8: continuation bytes alone, overlong forms, surrogates,
/// code points past U+10FFFF, a sequence cut short.
const INVALID_UTF8: &[&[u8]] = &[
    b"\x80",
    b"\xff",
    b"\xc0\x80",
    b"\xe0\x80\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82",
    b"\xfe\xfe\xff\xff",
];

#[derive(Clone, Debug)]
enum Mutation {
    Node(Index, Edit),
    Flip(Index, u8),
    Insert(Index, Vec<u8>),
    Truncate(Index),
    Bom,
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<Index>(), edit_strategy()).prop_map(|(i, e)| Mutation::Node(i, e)),
        2 => (any::<Index>(), 1u8..=255).prop_map(|(i, m)| Mutation::Flip(i, m)),
        2 => (any::<Index>(), proptest::sample::select(INVALID_UTF8))
            .prop_map(|(i, b)| Mutation::Insert(i, b.to_vec())),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => Just(Mutation::Bom),
    ]
}

fn mutate(body: &[u8], mutation: &Mutation) -> Vec<u8> {
    match mutation {
        Mutation::Node(node, edit) => edited(body, *node, edit),
        Mutation::Flip(at, mask) => {
            let mut out = body.to_vec();
            let at = at.index(out.len());
            out[at] ^= mask;
            out
        }
        Mutation::Insert(at, bytes) => {
            let mut out = body.to_vec();
            let at = at.index(out.len() + 1);
            out.splice(at..at, bytes.iter().copied());
            out
        }
        Mutation::Truncate(at) => body[..at.index(body.len())].to_vec(),
        Mutation::Bom => [&b"\xef\xbb\xbf"[..], body].concat(),
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        // Failures are reported with their minimal input; nothing is written to the tree.
        failure_persistence: None,
        ..Config::default()
    })
}

// ----- Tests -----

#[test]
fn every_realistic_body_decodes() {
    let seeds = seeds();
    assert_eq!(seeds.len(), TARGETS.len());
}

#[test]
fn arbitrary_bytes_never_panic() {
    runner(256)
        .run(&proptest::collection::vec(any::<u8>(), 0..256), |bytes| {
            for target in TARGETS {
                let _ = (target.decode)(&bytes);
            }
            Ok(())
        })
        .expect("no panic");
}

#[test]
fn arbitrary_json_shaped_text_never_panics() {
    // Bytes drawn from JSON's alphabet reach much further into the decoders than noise does.
    let alphabet: Vec<u8> = b"{}[]:,\"\\ -+.0123456789eEtruefalsnl_abcdxyz\xc3\xa9".to_vec();
    runner(512)
        .run(
            &proptest::collection::vec(proptest::sample::select(alphabet), 0..128),
            |bytes| {
                for target in TARGETS {
                    let _ = (target.decode)(&bytes);
                }
                Ok(())
            },
        )
        .expect("no panic");
}

#[test]
fn mutated_realistic_bodies_never_panic() {
    let seeds = seeds();
    runner(1024)
        .run(
            &(any::<Index>(), mutation_strategy()),
            |(seed, mutation)| {
                let (target, body) = &seeds[seed.index(seeds.len())];
                let mutated = mutate(body, &mutation);
                let _ = (TARGETS[*target].decode)(&mutated);
                Ok(())
            },
        )
        .expect("no panic");
}

#[test]
fn every_truncation_of_every_realistic_body_is_an_error_not_a_panic() {
    for (target, body) in seeds() {
        let target = &TARGETS[*target];
        for end in 0..body.len() {
            let cut = &body[..end];
            // A cut inside trailing whitespace still holds the whole document.
            if body[end..].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            assert!(
                (target.decode)(cut).is_err(),
                "{}::{} decoded a body cut at {end}: {}",
                target.vendor,
                target.schema,
                String::from_utf8_lossy(cut)
            );
        }
    }
}

/// Numbers no `i64`, `u64` or `f64` holds (or only as an infinity, a zero or a negative zero).
const HOSTILE_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-0",
    "1e-400",
    "-9223372036854775809",
];

#[test]
fn every_number_and_string_replaced_by_a_hostile_value_never_panics() {
    // Numbers by numbers no type holds and by strings; strings by numbers. (Other nodes and
    // other values are covered by the mutations above.)
    for (target, body) in seeds() {
        let value: Value = serde_json::from_slice(body).expect("JSON");
        let mut kinds = Vec::new();
        collect_kinds(&value, &mut kinds);
        for (node, kind) in kinds.into_iter().enumerate() {
            let replacements: &[&str] = match kind {
                Kind::Number => &[HOSTILE_NUMBERS, &["\"12345\"", "\"1e400\""]].concat(),
                Kind::String => &[HOSTILE_NUMBERS, &["12345"]].concat(),
                Kind::Other => &[],
            };
            for raw in replacements {
                let mut out = String::new();
                write(
                    &value,
                    node,
                    &Edit::Raw((*raw).to_owned()),
                    &mut 0,
                    &mut out,
                );
                let _ = (TARGETS[*target].decode)(out.as_bytes());
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Number,
    String,
    Other,
}

/// The kind of every node, in the pre-order `write` numbers them.
fn collect_kinds(value: &Value, kinds: &mut Vec<Kind>) {
    kinds.push(match value {
        Value::Number(_) => Kind::Number,
        Value::String(_) => Kind::String,
        _ => Kind::Other,
    });
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_kinds(v, kinds)),
        Value::Object(members) => members.values().for_each(|v| collect_kinds(v, kinds)),
        _ => {}
    }
}

#[test]
fn a_bom_before_a_realistic_body_is_an_error_not_a_panic() {
    for (target, body) in seeds() {
        let with_bom = mutate(body, &Mutation::Bom);
        assert!((TARGETS[*target].decode)(&with_bom).is_err());
    }
}

/// Runs `check` on a thread with the stack a tokio worker has (2 MiB): a decoder that
/// recursed without bound would overflow it and abort the test binary.
fn on_a_worker_sized_stack(check: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .name("2 MiB stack".into())
        .stack_size(2 * 1024 * 1024)
        .spawn(check)
        .expect("thread")
        .join()
        .expect("no panic");
}

#[test]
fn deep_nesting_neither_panics_nor_overflows_the_stack() {
    on_a_worker_sized_stack(|| {
        const DEPTH: usize = 100_000;
        // Refused at serde_json's recursion limit or, inside an unknown member, kept as raw
        // text; either way without a panic and within the stack.
        let bodies: [Vec<u8>; 4] = [
            "[".repeat(DEPTH).into_bytes(),
            format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH)).into_bytes(),
            "{\"a\":".repeat(DEPTH).into_bytes(),
            format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH)).into_bytes(),
        ];
        for body in &bodies {
            for target in TARGETS {
                let _ = (target.decode)(body);
            }
        }
        // The same inside realistic bodies, decoded as their own type: in each top-level
        // member (typed members, maps and free-form values are refused at serde_json's
        // recursion limit) and in an unknown member, which is captured as raw text.
        for (target, body) in seeds() {
            let Value::Object(members) = serde_json::from_slice(body).expect("JSON") else {
                continue;
            };
            let mut keys: Vec<String> = members.keys().cloned().collect();
            keys.push("x-unknown-and-deep".into());
            for key in keys {
                let mut deep = members.clone();
                deep.insert(key.clone(), json!("DEEP-NESTING-GOES-HERE"));
                let text = serde_json::to_string(&Value::Object(deep)).expect("JSON");
                let nested = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
                let body = text.replacen("\"DEEP-NESTING-GOES-HERE\"", &nested, 1);
                let _ = (TARGETS[*target].decode)(body.as_bytes());
            }
        }
    });
}

#[test]
fn very_long_strings_and_keys_never_panic() {
    // Every realistic body with a 512 KiB key and 512 KiB values, as its own type.
    let long = "\u{e9}".repeat(256 * 1024);
    for (target, body) in seeds() {
        let Value::Object(mut members) = serde_json::from_slice(body).expect("JSON") else {
            continue;
        };
        if let Some((_, first)) = members.iter_mut().next() {
            *first = json!(long);
        }
        members.insert(long.clone(), json!(long));
        let bytes = serde_json::to_vec(&Value::Object(members)).expect("JSON");
        let _ = (TARGETS[*target].decode)(&bytes);
    }
    // And one string of 16 MiB, half the default body limit, where a title belongs.
    let title = "A".repeat(16 * 1024 * 1024);
    let body = json!({"uuid": "9a6ad3a4-7f69-4d7a-b1d1-5e1c7c6a1e11", "title": title});
    decode::<sekoia_client::types::Alert>(&serde_json::to_vec(&body).expect("JSON"))
        .expect("a long title is still a title");
}
