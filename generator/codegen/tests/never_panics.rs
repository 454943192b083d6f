//! The generator never panics, whatever the document: a property test over mutated specs.
//!
//! Real specs (the fixtures, the conformance spec, Sekoia's spec and the public corpus) are
//! mutated structurally (members deleted, values replaced by other kinds, `$ref`s bent, schema
//! keywords injected) and textually (truncation, stray bytes), then parsed and generated. Any
//! outcome is fine except a panic. Runs are seeded: a failure names its seed and saves the
//! document. `CLIENTGEN_MUTATIONS` sets the number of documents (default 1500).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use clientgen::{generate, load, CrateSettings};
use serde_json::{json, Value};

/// xorshift64*: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn seeds() -> Vec<(String, Value)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = vec![
        here.join("tests/fixtures/snapshot.yaml"),
        here.join("../../tests/conformance/openapi.yaml"),
        here.join("../../specs/sekoia/openapi.yaml"),
        here.join("../../tests/corpus/petstore.yaml"),
        here.join("../../tests/corpus/petstore-expanded.yaml"),
    ];
    let broken = here.join("tests/fixtures/broken");
    let mut broken_files: Vec<PathBuf> = std::fs::read_dir(&broken)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    broken_files.sort();
    files.extend(broken_files);
    files
        .into_iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let value: Value = serde_yaml::from_str(&text).ok()?;
            Some((file.display().to_string(), value))
        })
        .collect()
}

/// JSON pointers of every node of `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn replacement(rng: &mut Rng) -> Value {
    rng.pick(&[
        json!(null),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("x"),
        json!(true),
        json!([]),
        json!({}),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"$ref": "#/components/schemas/Record"}),
        json!({"$ref": "elsewhere.yaml#/x"}),
        json!({"$ref": "#/components/responses/Unauthorized"}),
        json!({"type": "object", "properties": {"a": {"type": "array"}}}),
        json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Nope"}]}),
        json!({"allOf": [{"type": "string"}]}),
        json!({"allOf": []}),
        json!({"oneOf": []}),
        json!({"not": {"type": "string"}}),
        json!({"type": "integer", "enum": ["a", 1, null]}),
        json!({"type": "string", "enum": []}),
        json!({"type": "string", "format": "binary"}),
        json!({"discriminator": {"propertyName": "k", "mapping": {"a": "#/x"}}, "oneOf": [{"type": "object"}]}),
        json!({"name": "x", "in": "path", "schema": {"type": "object"}}),
        json!({"name": "", "in": "query"}),
        json!({"x-enum-varnames": [1, 2]}),
        json!("{id}"),
        json!("/{a}/{a}"),
        json!("\u{0}\u{7f}€"),
    ])
    .clone()
}

fn mutate(rng: &mut Rng, doc: &mut Value) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = rng.pick(&all).clone();
    let Some((parent, key)) = target.rsplit_once('/') else {
        *doc = replacement(rng);
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    let donor_at: &String = rng.pick(&all);
    let donor = doc.pointer(donor_at).cloned().unwrap_or(Value::Null);
    let Some(parent) = doc.pointer_mut(parent) else {
        return;
    };
    match (parent, rng.below(4)) {
        (Value::Object(map), 0) => {
            map.remove(&key);
        }
        (Value::Object(map), 1) => {
            map.insert(key, donor);
        }
        (Value::Object(map), _) => {
            let value = replacement(rng);
            map.insert(key, value);
        }
        (Value::Array(items), n) => {
            let i = key
                .parse::<usize>()
                .unwrap_or(0)
                .min(items.len().saturating_sub(1));
            match n {
                0 if !items.is_empty() => {
                    items.remove(i);
                }
                1 => items.push(donor),
                _ if !items.is_empty() => items[i] = replacement(rng),
                _ => items.push(replacement(rng)),
            }
        }
        _ => {}
    }
}

fn corrupt_text(rng: &mut Rng, text: &mut String) {
    match rng.below(3) {
        0 => {
            let mut cut = rng.below(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        1 => {
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let noise: &&str = rng.pick(&[
                "\t",
                ":",
                "- ",
                "{",
                "]",
                "\"",
                "&a",
                "*a",
                "!!binary ",
                "\n  x: [",
            ]);
            text.insert_str(at, noise);
        }
        _ => {}
    }
}

fn settings() -> CrateSettings {
    CrateSettings {
        env_prefix: "MUTANT".into(),
        regen_command: "cargo xtask regen".into(),
        ..CrateSettings::standalone("mutant-client", "mutant.yaml")
    }
}

#[test]
fn mutated_specs_never_make_the_generator_panic() {
    // Panics are the failure being looked for; keep the default hook from printing each one.
    std::panic::set_hook(Box::new(|_| {}));
    let seeds = seeds();
    assert!(seeds.len() >= 10, "too few seed documents");
    let count: u64 = std::env::var("CLIENTGEN_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let (mut generated, mut refused) = (0, 0);
    for seed in 1..=count {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let (name, original) = rng.pick(&seeds).clone();
        let mut doc = original;
        for _ in 0..=rng.below(3) {
            mutate(&mut rng, &mut doc);
        }
        let mut text = if rng.below(2) == 0 {
            serde_yaml::to_string(&doc).expect("YAML")
        } else {
            serde_json::to_string_pretty(&doc).expect("JSON")
        };
        if rng.below(4) == 0 {
            corrupt_text(&mut rng, &mut text);
        }
        if pipeline_generates(
            &text,
            false,
            &format!("clientgen-mutant-{seed}.yaml"),
            &name,
        ) {
            generated += 1;
        } else {
            refused += 1;
        }
    }
    let _ = std::panic::take_hook();
    eprintln!(
        "{count} mutated documents: {generated} generated, {refused} refused with located problems"
    );
    assert!(
        generated > 0 && refused > 0,
        "mutations should produce both outcomes"
    );
}

/// OpenAPI 3.1 documents exercising the constructs `load::openapi31::downgrade` rewrites.
fn documents_3_1() -> Vec<Value> {
    let full = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "t", "summary": "s", "version": "1",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "webhooks": {"updated": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "security": [{"mtls": []}, {"key": []}],
        "paths": {
            "/a/{id}": {
                "$ref": "#/components/pathItems/Shared",
                "summary": "A"
            },
            "/b": {
                "parameters": [{"name": "q", "in": "query",
                                "schema": {"type": ["string", "null"], "examples": ["x"]}}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Record/$defs/Inner",
                        "description": "d"
                    }}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"anyOf": [{"$ref": "#/components/schemas/Record"}, {"type": "null"}]}
                    }}}},
                    "callbacks": {"cb": {"{$request.body#/url}": {"$ref": "#/components/pathItems/Shared"}}}
                }
            }
        },
        "components": {
            "securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "K"}
            },
            "pathItems": {
                "Alias": {"$ref": "#/components/pathItems/Shared"},
                "Shared": {"get": {"parameters": [{"name": "id", "in": "path", "required": true,
                                                   "schema": {"type": "integer", "exclusiveMinimum": 0}}]}}
            },
            "schemas": {
                "Record": {
                    "type": ["object", "null"],
                    "properties": {
                        "kind": {"const": "record"},
                        "size": {"type": ["integer", "string"], "minimum": 0, "maxLength": 3},
                        "tuple": {"type": "array", "prefixItems": [{"type": "string"}, true], "items": false},
                        "blob": {"type": "string", "contentEncoding": "base64"},
                        "map": {"type": "object", "patternProperties": {"^x": {"type": "string"}},
                                "additionalProperties": false},
                        "cond": {"if": {"required": ["a"]}, "then": false, "else": true},
                        "open": {"unevaluatedProperties": false, "allOf": [{"$ref": "#/components/schemas/Record"}]}
                    },
                    "$defs": {"Inner": {"type": "null", "$defs": {"Deeper": {"type": ["number", "integer"]}}}}
                },
                "Yes": true,
                "No": false
            }
        }
    });
    vec![
        full,
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}),
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
               "components": {"schemas": {"A": {"$defs": {"B": {"$ref": "#/components/schemas/A/$defs/B"}}}}}}),
    ]
}

/// Values only a 3.1 document has, to inject where the general replacements go.
fn replacement_3_1(rng: &mut Rng) -> Value {
    rng.pick(&[
        json!({"type": ["string", "null"]}),
        json!({"type": ["integer", "boolean", "array", "object", "null"], "enum": [1, true, [], {}, null]}),
        json!({"type": "null"}),
        json!({"type": [1, null]}),
        json!({"type": []}),
        json!({"const": {"a": [1]}}),
        json!({"examples": "not a list"}),
        json!({"exclusiveMinimum": "x", "exclusiveMaximum": 1e308, "minimum": "y"}),
        json!({"$ref": "#/components/schemas/Record", "description": 7, "allOf": "x"}),
        json!({"$defs": {"": true, "a/b~c": {"$defs": 3}}, "definitions": []}),
        json!({"$ref": "#/components/pathItems/Alias"}),
        json!({"$ref": "#/components/pathItems/Nope"}),
        json!({"prefixItems": "x", "items": [true, false]}),
        json!({"patternProperties": {"a": false}, "additionalProperties": {"type": "string"}}),
        json!({"anyOf": [{"type": "null"}], "oneOf": "x"}),
        json!({"unevaluatedProperties": {"type": "string"}, "unevaluatedItems": false}),
        json!({"contentMediaType": 5, "contentEncoding": "base64", "format": 1}),
        json!(true),
        json!(false),
    ])
    .clone()
}

#[test]
fn mutated_3_1_documents_never_make_the_downgrade_panic() {
    let bases = documents_3_1();
    for (index, base) in bases.iter().enumerate() {
        let mut doc = base.clone();
        let mut origins = load::origin::Origins::new();
        let mut warnings = Vec::new();
        load::openapi31::downgrade(&mut doc, &mut origins, &mut warnings);
        if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(doc) {
            panic!("3.1 base document {index} does not deserialise after the downgrade: {e}");
        }
    }
    let mut rewritten = 0;
    for seed in 1..=2000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut doc = rng.pick(&bases).clone();
        for _ in 0..=rng.below(4) {
            if rng.below(2) == 0 {
                mutate(&mut rng, &mut doc);
            } else {
                let mut all = Vec::new();
                pointers(&doc, String::new(), &mut all);
                let target = rng.pick(&all).clone();
                let value = replacement_3_1(&mut rng);
                if let Some(slot) = doc.pointer_mut(&target) {
                    *slot = value;
                }
            }
        }
        let written = doc.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut origins = load::origin::Origins::new();
            let mut warnings = Vec::new();
            load::openapi31::downgrade(&mut doc, &mut origins, &mut warnings);
            // Warnings point into the document as written.
            for warning in &warnings {
                assert!(
                    written.pointer(&warning.pointer).is_some(),
                    "warning at {} which the written document lacks: {}",
                    warning.pointer,
                    warning.message
                );
            }
            if doc.is_object() {
                assert_eq!(doc["openapi"], json!("3.0.3"));
            }
            serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()).is_ok()
        }));
        match outcome {
            Ok(parsed) => rewritten += usize::from(parsed),
            Err(_) => {
                let saved = std::env::temp_dir().join(format!("clientgen-3-1-mutant-{seed}.json"));
                std::fs::write(
                    &saved,
                    serde_json::to_string_pretty(&written).unwrap_or_default(),
                )
                .ok();
                panic!(
                    "seed {seed} made the 3.1 downgrade panic; document saved to {}",
                    saved.display()
                );
            }
        }
    }
    // The unmutated bases and many mutants must come out as valid 3.0 documents.
    assert!(
        rewritten > 100,
        "only {rewritten} downgraded documents deserialised"
    );
}

/// The Swagger 2.0 fixtures of `load::swagger2`'s tests.
fn documents_2_0() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/swagger2");
    ["petstore.json", "kubernetes_like.json", "wild.yaml"]
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
            serde_yaml::from_str(&text).expect("fixture parses")
        })
        .collect()
}

/// The whole pipeline (load, strictly and leniently, then model and emit) on mutated Swagger
/// 2.0 and OpenAPI 3.1 documents: a located problem or a crate, never a panic.
#[test]
fn mutated_2_0_and_3_1_documents_never_make_the_generator_panic() {
    let bases: Vec<Value> = documents_2_0().into_iter().chain(documents_3_1()).collect();
    let (mut generated, mut refused) = (0, 0);
    for seed in 1..=600u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut doc = rng.pick(&bases).clone();
        for _ in 0..=rng.below(3) {
            if rng.below(2) == 0 {
                mutate(&mut rng, &mut doc);
            } else {
                let mut all = Vec::new();
                pointers(&doc, String::new(), &mut all);
                let target = rng.pick(&all).clone();
                let value = if rng.below(2) == 0 {
                    replacement(&mut rng)
                } else {
                    replacement_3_1(&mut rng)
                };
                if let Some(slot) = doc.pointer_mut(&target) {
                    *slot = value;
                }
            }
        }
        let text = if rng.below(2) == 0 {
            serde_yaml::to_string(&doc).expect("YAML")
        } else {
            serde_json::to_string_pretty(&doc).expect("JSON")
        };
        let lenient = rng.below(2) == 0;
        let saved_as = format!("clientgen-version-mutant-{seed}.yaml");
        if pipeline_generates(&text, lenient, &saved_as, "a 2.0/3.1 document") {
            generated += 1;
        } else {
            refused += 1;
        }
    }
    eprintln!("600 mutated 2.0/3.1 documents: {generated} generated, {refused} refused");
    assert!(
        generated > 0 && refused > 0,
        "mutations should produce both outcomes"
    );
}

/// Runs the whole pipeline (load with `lenient`, model, emit) on `text`: `true` when a crate
/// comes out, `false` when the spec is refused with located problems. A panic, or an internal
/// error instead of a located problem, fails the test with the document saved to `saved_as`
/// in the temporary folder.
fn pipeline_generates(text: &str, lenient: bool, saved_as: &str, from: &str) -> bool {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let options = load::LoadOptions {
            lenient,
            ..Default::default()
        };
        let spec = load::parse_with(Path::new("mutant.yaml"), text.to_owned(), &options)?;
        generate(&spec, &settings()).map_err(|e| match e {
            clientgen::GenerateError::Spec(d) => d,
            other => panic!("internal error instead of a located problem: {other}"),
        })
    }));
    match outcome {
        Ok(Ok(_)) => true,
        Ok(Err(diagnostics)) => {
            assert!(!diagnostics.0.is_empty(), "a refusal must say why");
            false
        }
        Err(_) => {
            let _ = std::panic::take_hook();
            let saved = std::env::temp_dir().join(saved_as);
            std::fs::write(&saved, text).ok();
            panic!(
                "a mutant (from {from}) made the generator panic; document saved to {}",
                saved.display()
            );
        }
    }
}
