//! Swagger 2.0 → OpenAPI 3.0.3, over `serde_json::Value`.
//!
//! The conversion keeps everything a 3.0 document can say the same way (info, tags, security,
//! descriptions, extensions) and moves the rest to where 3.0 puts it: `host`/`basePath`/`schemes`
//! become `servers`; `definitions`, top-level `parameters`, `responses` and
//! `securityDefinitions` go under `components`; body and form parameters become a
//! `requestBody`; parameter types move under `schema`; response schemas go under `content` for
//! every media type the operation produces. Every moved node gets an [`Origins`] rule so a
//! problem found later in the 3.0 document points into the 2.0 file.
//!
//! Only what cannot be converted at all is an error (a document that is not Swagger 2.0,
//! `paths` that is not an object, a parameter without a known `in`, …); every such problem is
//! reported, not just the first. What is converted by interpretation (a `tsv` collection format
//! taken as `csv`, a response without a description, …) becomes a warning.
//!
//! Nothing here recurses over the document: the input is first copied with an explicit
//! worklist that refuses nesting deeper than [`MAX_DEPTH`], and schemas are rewritten with a
//! worklist too.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::diagnostic::{push_pointer, Problem};
use crate::load::origin::Origins;

/// The deepest nesting (objects and arrays) a Swagger 2.0 document may have.
pub const MAX_DEPTH: usize = 512;

/// The HTTP methods a 2.0 path item can hold.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Keys of a non-body 2.0 parameter (and of items and headers) that describe its value and so
/// move under `schema` in 3.0.
const SCHEMA_KEYS: [&str; 16] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
const JSON: &str = "application/json";

/// A Swagger 2.0 document converted to OpenAPI 3.0.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The OpenAPI 3.0.3 document.
    pub document: Value,
    /// Normalised (3.0) pointer prefixes → where they were written in the 2.0 file (file id 0).
    pub origins: Origins,
    /// Things converted by interpretation (e.g. a `collectionFormat: tsv` taken as `csv`),
    /// pointers into the 2.0 document.
    pub warnings: Vec<Problem>,
}

/// Converts the Swagger 2.0 document `doc` to OpenAPI 3.0.3.
///
/// Fails only when something cannot be converted at all, and then with every such problem
/// (pointers into `doc`).
pub fn convert(doc: &Value) -> Result<Converted, Vec<Problem>> {
    let mut errors = Vec::new();
    let bounded = bounded_copy(doc, &mut errors);
    let Value::Object(root) = &bounded else {
        errors.push(Problem::new(
            "",
            "the document is not an object, so it cannot be read as Swagger 2.0",
        ));
        return Err(errors);
    };
    let mut converter = Converter::new(root);
    converter.errors = errors;
    let document = converter.run();
    if converter.errors.is_empty() {
        Ok(Converted {
            document,
            origins: converter.origins,
            warnings: converter.warnings,
        })
    } else {
        Err(converter.errors)
    }
}

/// Copies `doc` without recursion, replacing anything nested deeper than [`MAX_DEPTH`] with
/// `null` and reporting it.
fn bounded_copy(doc: &Value, errors: &mut Vec<Problem>) -> Value {
    let mut out = Value::Null;
    let mut work: Vec<(&Value, &mut Value, usize, String)> =
        vec![(doc, &mut out, 0, String::new())];
    while let Some((source, target, depth, pointer)) = work.pop() {
        if depth > MAX_DEPTH && (source.is_object() || source.is_array()) {
            errors.push(Problem::new(
                pointer,
                format!("the document nests more than {MAX_DEPTH} levels deep here, which is not supported"),
            ));
            continue;
        }
        match source {
            Value::Object(map) => {
                *target = Value::Object(map.keys().map(|k| (k.clone(), Value::Null)).collect());
                if let Value::Object(copy) = target {
                    for (key, slot) in copy.iter_mut() {
                        if let Some(child) = map.get(key) {
                            work.push((child, slot, depth + 1, push_pointer(&pointer, key)));
                        }
                    }
                }
            }
            Value::Array(items) => {
                *target = Value::Array(vec![Value::Null; items.len()]);
                if let Value::Array(copy) = target {
                    for (index, (child, slot)) in items.iter().zip(copy.iter_mut()).enumerate() {
                        work.push((
                            child,
                            slot,
                            depth + 1,
                            push_pointer(&pointer, &index.to_string()),
                        ));
                    }
                }
            }
            scalar => *target = scalar.clone(),
        }
    }
    errors.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    out
}

/// Rewrites 2.0 `$ref`s to where 3.0 keeps the same things.
#[derive(Debug, Default)]
struct Refs {
    /// Names of top-level parameters that are `in: body` (they become request bodies).
    body: BTreeSet<String>,
}

impl Refs {
    fn rewrite(&self, reference: &str) -> String {
        let (base, fragment) = match reference.split_once('#') {
            Some((base, fragment)) => (base, fragment),
            None => return reference.to_owned(),
        };
        let moved = |from: &str| -> Option<&str> {
            let rest = fragment.strip_prefix(from)?;
            (rest.is_empty() || rest.starts_with('/')).then_some(rest)
        };
        let fragment = if let Some(rest) = moved("/definitions") {
            format!("/components/schemas{rest}")
        } else if let Some(rest) = moved("/parameters") {
            let name = rest.trim_start_matches('/').split('/').next().unwrap_or("");
            if base.is_empty() && self.body.contains(&decode_token(name)) {
                format!("/components/requestBodies{rest}")
            } else {
                format!("/components/parameters{rest}")
            }
        } else if let Some(rest) = moved("/responses") {
            format!("/components/responses{rest}")
        } else if let Some(rest) = moved("/securityDefinitions") {
            format!("/components/securitySchemes{rest}")
        } else {
            fragment.to_owned()
        };
        format!("{base}#{fragment}")
    }

    /// The top-level parameter name a local `#/parameters/NAME` reference names.
    fn local_parameter(reference: &str) -> Option<String> {
        let rest = reference.strip_prefix("#/parameters/")?;
        (!rest.contains('/')).then(|| decode_token(rest))
    }
}

/// Undoes URI percent-encoding and JSON pointer escaping of one reference token.
fn decode_token(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                decoded.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (Some(&b), ..) => {
                decoded.push(b);
                i += 1;
            }
            (None, ..) => break,
        }
    }
    String::from_utf8_lossy(&decoded)
        .replace("~1", "/")
        .replace("~0", "~")
}

/// Rewrites one schema tree in place: `$ref`s, `x-nullable`, string discriminators and
/// `type: file`. Uses a worklist, never recursion.
fn convert_schema_in_place(root: &mut Value, refs: &Refs) {
    let mut work: Vec<&mut Value> = vec![root];
    while let Some(node) = work.pop() {
        let Value::Object(map) = node else { continue };
        fix_schema_node(map, refs);
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => {
                    if let Value::Object(properties) = child {
                        work.extend(properties.values_mut());
                    }
                }
                "items" | "allOf" | "anyOf" | "oneOf" => match child {
                    Value::Array(items) => work.extend(items.iter_mut()),
                    other => work.push(other),
                },
                "additionalProperties" | "not" => work.push(child),
                _ => {}
            }
        }
    }
}

/// The 2.0 → 3.0 changes to one schema object (not its children).
fn fix_schema_node(map: &mut Map<String, Value>, refs: &Refs) {
    if let Some(Value::String(reference)) = map.get_mut("$ref") {
        *reference = refs.rewrite(reference);
    }
    if let Some(nullable) = map.shift_remove("x-nullable") {
        match nullable {
            Value::Bool(flag) => {
                map.entry("nullable").or_insert(Value::Bool(flag));
            }
            other => {
                map.insert("x-nullable".into(), other);
            }
        }
    }
    if let Some(Value::String(property)) = map.get("discriminator").cloned() {
        let object = Value::Object(Map::from_iter([(
            "propertyName".to_owned(),
            Value::String(property),
        )]));
        map.insert("discriminator".into(), object);
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), Value::String("string".into()));
        map.insert("format".into(), Value::String("binary".into()));
    }
    // 3.0 ignores the siblings of `$ref`, so a nullable reference is spelt with `allOf`.
    if map.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(reference) = map.shift_remove("$ref") {
            let inner = Value::Object(Map::from_iter([("$ref".to_owned(), reference)]));
            map.insert("allOf".into(), Value::Array(vec![inner]));
        }
    }
}

/// A parameter of an operation or path item, sorted by what 3.0 makes of it.
enum Param<'a> {
    /// Stays a parameter (inline, converted; or a reference).
    Plain {
        value: Value,
        /// Where the list entry was written.
        site: String,
        /// For an inline parameter, where its schema's keys were written.
        schema_origin: Option<String>,
    },
    /// `in: body`.
    Body {
        map: &'a Map<String, Value>,
        /// Where the parameter is defined (the entry, or the top-level parameter it refers to).
        defined: String,
        /// Where the list entry was written.
        site: String,
        /// The rewritten reference (to `#/components/requestBodies/…`), when the entry is one.
        component: Option<String>,
    },
    /// `in: formData`.
    Form {
        name: String,
        map: &'a Map<String, Value>,
        defined: String,
    },
}

/// The conversion of one document: its inputs, and what it has found so far.
struct Converter<'a> {
    root: &'a Map<String, Value>,
    refs: Refs,
    consumes: Vec<String>,
    produces: Vec<String>,
    schemes: Vec<String>,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    origins: Origins,
}

fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

fn object(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl<'a> Converter<'a> {
    fn new(root: &'a Map<String, Value>) -> Self {
        let mut converter = Converter {
            root,
            refs: Refs::default(),
            consumes: Vec::new(),
            produces: Vec::new(),
            schemes: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            origins: Origins::new(),
        };
        if let Some(Value::Object(parameters)) = root.get("parameters") {
            for (name, parameter) in parameters {
                if parameter.get("in").and_then(Value::as_str) == Some("body") {
                    converter.refs.body.insert(name.clone());
                }
            }
        }
        converter.consumes = converter
            .media_types(root.get("consumes"), "/consumes")
            .unwrap_or_else(|| vec![JSON.to_owned()]);
        converter.produces = converter
            .media_types(root.get("produces"), "/produces")
            .unwrap_or_else(|| vec![JSON.to_owned()]);
        converter.schemes = converter
            .scheme_list(root.get("schemes"), "/schemes")
            .unwrap_or_default();
        converter
    }

    fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem::new(pointer, message));
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Problem::new(pointer, message));
    }

    fn schema(&self, value: &Value) -> Value {
        let mut copy = value.clone();
        convert_schema_in_place(&mut copy, &self.refs);
        copy
    }

    /// A `consumes`/`produces` list; `None` when absent, empty or unusable.
    fn media_types(&mut self, value: Option<&Value>, pointer: &str) -> Option<Vec<String>> {
        let items = match value? {
            Value::Array(items) => items,
            Value::String(single) => {
                self.warn(pointer, "a media type list is given as one string; it is taken as a list of that one media type");
                return Some(vec![single.trim().to_owned()])
                    .filter(|v| v.iter().all(|s| !s.is_empty()));
            }
            _ => {
                self.warn(pointer, "a media type list is not an array; it is ignored");
                return None;
            }
        };
        let mut out: Vec<String> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item.as_str().map(str::trim) {
                Some(text) if !text.is_empty() => {
                    if !out.iter().any(|known| known == text) {
                        out.push(text.to_owned());
                    }
                }
                _ => self.warn(
                    push_pointer(pointer, &index.to_string()),
                    "a media type is not a non-empty string; it is ignored",
                ),
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// A `schemes` list, https first; `None` when absent or unusable.
    fn scheme_list(&mut self, value: Option<&Value>, pointer: &str) -> Option<Vec<String>> {
        let items = match value? {
            Value::Array(items) => items,
            _ => {
                self.warn(pointer, "`schemes` is not an array; it is ignored");
                return None;
            }
        };
        let mut out: Vec<String> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(text) if !text.trim().is_empty() => {
                    let scheme = text.trim().to_ascii_lowercase();
                    if !out.contains(&scheme) {
                        out.push(scheme);
                    }
                }
                _ => self.warn(
                    push_pointer(pointer, &index.to_string()),
                    "a scheme is not a non-empty string; it is ignored",
                ),
            }
        }
        // https first, then http, then the rest as written.
        out.sort_by_key(|s| match s.as_str() {
            "https" => 0,
            "http" => 1,
            _ => 2,
        });
        (!out.is_empty()).then_some(out)
    }

    fn run(&mut self) -> Value {
        let root = self.root;
        let mut out = Map::new();
        out.insert("openapi".into(), Value::String("3.0.3".into()));
        self.check_version();
        if let Some(info) = root.get("info") {
            out.insert("info".into(), info.clone());
        }
        if let Some(servers) = self.servers(&self.schemes.clone(), "/schemes") {
            out.insert("servers".into(), servers);
        }
        for key in ["tags", "security", "externalDocs"] {
            if let Some(value) = root.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        match root.get("paths") {
            Some(Value::Object(paths)) => {
                let converted = self.paths(paths);
                out.insert("paths".into(), Value::Object(converted));
            }
            Some(_) => self.error(
                "/paths",
                "`paths` is not an object of path items, so the operations cannot be read",
            ),
            None => {
                self.warn(
                    "",
                    "the document has no `paths`; it is taken as having no operations",
                );
                out.insert("paths".into(), Value::Object(Map::new()));
            }
        }
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        for (key, value) in root {
            match key.as_str() {
                "swagger"
                | "info"
                | "host"
                | "basePath"
                | "schemes"
                | "consumes"
                | "produces"
                | "paths"
                | "definitions"
                | "parameters"
                | "responses"
                | "securityDefinitions"
                | "security"
                | "tags"
                | "externalDocs" => {}
                extension if is_extension(extension) => {
                    out.insert(key.clone(), value.clone());
                }
                other => {
                    let message = format!(
                        "`{other}` is not a Swagger 2.0 field; it is left out of the conversion"
                    );
                    self.warn(push_pointer("", other), message);
                }
            }
        }
        Value::Object(out)
    }

    fn check_version(&mut self) {
        match self.root.get("swagger") {
            Some(Value::String(version)) if version.trim() == "2.0" => {}
            Some(Value::Number(number)) if number.as_f64() == Some(2.0) => self.warn(
                "/swagger",
                "`swagger` is the number 2.0 rather than the string \"2.0\"; it is taken as \"2.0\"",
            ),
            Some(other) => {
                let shown = match other {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                self.error(
                    "/swagger",
                    format!("`swagger` is `{shown}`, but only Swagger 2.0 documents can be converted"),
                );
            }
            None => self.error("", "the document has no `swagger: \"2.0\"` field, so it is not a Swagger 2.0 document"),
        }
    }

    /// `servers` from `host`, `basePath` and the given schemes (recorded at `normalised`).
    fn servers(&mut self, schemes: &[String], schemes_pointer: &str) -> Option<Value> {
        self.servers_at("/servers", schemes, schemes_pointer)
    }

    fn servers_at(
        &mut self,
        normalised: &str,
        schemes: &[String],
        schemes_pointer: &str,
    ) -> Option<Value> {
        let root = self.root;
        let host = match root.get("host") {
            None => None,
            Some(Value::String(host)) if !host.trim().is_empty() => {
                Some(host.trim().trim_end_matches('/').to_owned())
            }
            Some(_) => {
                if normalised == "/servers" {
                    self.warn("/host", "`host` is not a non-empty string; it is ignored");
                }
                None
            }
        };
        let base = match root.get("basePath") {
            None => None,
            Some(Value::String(base)) => {
                let mut base = base.trim().to_owned();
                if !base.starts_with('/') && !base.is_empty() {
                    if normalised == "/servers" {
                        self.warn(
                            "/basePath",
                            "`basePath` does not start with `/`; it is taken as if it did",
                        );
                    }
                    base.insert(0, '/');
                }
                Some(base.trim_end_matches('/').to_owned())
            }
            Some(_) => {
                if normalised == "/servers" {
                    self.warn("/basePath", "`basePath` is not a string; it is ignored");
                }
                None
            }
        };
        let url = |prefix: &str| {
            Value::Object(Map::from_iter([(
                "url".to_owned(),
                Value::String(prefix.to_owned()),
            )]))
        };
        let servers: Vec<Value> = match (&host, &base) {
            (Some(host), base) => {
                let base = base.as_deref().unwrap_or("");
                if host.contains("://") {
                    if normalised == "/servers" {
                        self.warn(
                            "/host",
                            "`host` includes a scheme; it is used as the server URL as written",
                        );
                    }
                    vec![url(&format!("{host}{base}"))]
                } else if schemes.is_empty() {
                    vec![url(&format!("https://{host}{base}"))]
                } else {
                    schemes
                        .iter()
                        .map(|scheme| url(&format!("{scheme}://{host}{base}")))
                        .collect()
                }
            }
            (None, Some(base)) => vec![url(if base.is_empty() { "/" } else { base })],
            (None, None) => return None,
        };
        let written = if normalised != "/servers" {
            schemes_pointer
        } else if host.is_some() {
            "/host"
        } else {
            "/basePath"
        };
        self.origins.record(normalised, 0, written);
        Some(Value::Array(servers))
    }

    fn components(&mut self) -> Map<String, Value> {
        let root = self.root;
        let mut components = Map::new();
        match root.get("definitions") {
            Some(Value::Object(definitions)) => {
                let schemas: Map<String, Value> = definitions
                    .iter()
                    .map(|(name, schema)| (name.clone(), self.schema(schema)))
                    .collect();
                self.origins
                    .record("/components/schemas", 0, "/definitions");
                components.insert("schemas".into(), Value::Object(schemas));
            }
            Some(_) => self.error(
                "/definitions",
                "`definitions` is not an object of named schemas",
            ),
            None => {}
        }
        match root.get("parameters") {
            Some(Value::Object(parameters)) => {
                let (mut plain, mut bodies) = (Map::new(), Map::new());
                self.origins
                    .record("/components/parameters", 0, "/parameters");
                for (name, parameter) in parameters {
                    let written = push_pointer("/parameters", name);
                    let Value::Object(map) = parameter else {
                        self.error(written, "a parameter is not an object");
                        continue;
                    };
                    match map.get("in").and_then(Value::as_str) {
                        Some("body") => {
                            let normalised = push_pointer("/components/requestBodies", name);
                            let body = self.request_body(
                                map,
                                &written,
                                &normalised,
                                &self.consumes.clone(),
                            );
                            bodies.insert(name.clone(), body);
                        }
                        // Form parameters have no 3.0 component; they are copied where used.
                        Some("formData") => {}
                        _ => {
                            let normalised = push_pointer("/components/parameters", name);
                            if let Some(value) = self.parameter(map, &written, &normalised) {
                                plain.insert(name.clone(), value);
                            }
                        }
                    }
                }
                if !plain.is_empty() {
                    components.insert("parameters".into(), Value::Object(plain));
                }
                if !bodies.is_empty() {
                    components.insert("requestBodies".into(), Value::Object(bodies));
                }
            }
            Some(_) => self.error(
                "/parameters",
                "`parameters` is not an object of named parameters",
            ),
            None => {}
        }
        match root.get("responses") {
            Some(Value::Object(responses)) => {
                self.origins
                    .record("/components/responses", 0, "/responses");
                let mut out = Map::new();
                for (name, response) in responses {
                    let written = push_pointer("/responses", name);
                    let normalised = push_pointer("/components/responses", name);
                    if let Some(value) =
                        self.response(response, &written, &normalised, &self.produces.clone())
                    {
                        out.insert(name.clone(), value);
                    }
                }
                components.insert("responses".into(), Value::Object(out));
            }
            Some(_) => self.error(
                "/responses",
                "`responses` is not an object of named responses",
            ),
            None => {}
        }
        match root.get("securityDefinitions") {
            Some(Value::Object(definitions)) => {
                self.origins
                    .record("/components/securitySchemes", 0, "/securityDefinitions");
                let mut out = Map::new();
                for (name, scheme) in definitions {
                    if let Some(value) = self.security_scheme(name, scheme) {
                        out.insert(name.clone(), value);
                    }
                }
                components.insert("securitySchemes".into(), Value::Object(out));
            }
            Some(_) => self.error(
                "/securityDefinitions",
                "`securityDefinitions` is not an object of named security schemes",
            ),
            None => {}
        }
        components
    }

    fn security_scheme(&mut self, name: &str, scheme: &Value) -> Option<Value> {
        let written = push_pointer("/securityDefinitions", name);
        let normalised = push_pointer("/components/securitySchemes", name);
        let Value::Object(map) = scheme else {
            self.error(written, "a security scheme is not an object");
            return None;
        };
        let mut out = Map::new();
        let kind = map.get("type").and_then(Value::as_str);
        match kind {
            Some("basic") => {
                out.insert("type".into(), Value::String("http".into()));
                out.insert("scheme".into(), Value::String("basic".into()));
            }
            Some("apiKey") => {
                out.insert("type".into(), Value::String("apiKey".into()));
                for key in ["name", "in"] {
                    match map.get(key) {
                        Some(value) => {
                            out.insert(key.into(), value.clone());
                        }
                        None => {
                            let message = format!("an apiKey security scheme has no `{key}`");
                            self.error(written.clone(), message);
                        }
                    }
                }
            }
            Some("oauth2") => {
                let flow = map.get("flow").and_then(Value::as_str);
                let (flow_name, urls): (&str, &[&str]) = match flow {
                    Some("implicit") => ("implicit", &["authorizationUrl"]),
                    Some("password") => ("password", &["tokenUrl"]),
                    Some("application") => ("clientCredentials", &["tokenUrl"]),
                    Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => {
                        self.error(
                            push_pointer(&written, "flow"),
                            "an oauth2 security scheme's `flow` is not one of implicit, password, application or accessCode",
                        );
                        return None;
                    }
                };
                let mut flow_object = Map::new();
                for url in urls {
                    match map.get(*url) {
                        Some(value) => {
                            flow_object.insert((*url).into(), value.clone());
                        }
                        None => {
                            let message = format!(
                                "an oauth2 `{}` flow has no `{url}`; it is taken as empty",
                                flow.unwrap_or("")
                            );
                            self.warn(written.clone(), message);
                            flow_object.insert((*url).into(), Value::String(String::new()));
                        }
                    }
                }
                let scopes = match map.get("scopes") {
                    Some(Value::Object(scopes)) => Value::Object(scopes.clone()),
                    None => Value::Object(Map::new()),
                    Some(_) => {
                        self.warn(
                            push_pointer(&written, "scopes"),
                            "`scopes` is not an object; it is taken as no scopes",
                        );
                        Value::Object(Map::new())
                    }
                };
                flow_object.insert("scopes".into(), scopes);
                let flow_pointer = push_pointer(&push_pointer(&normalised, "flows"), flow_name);
                self.origins.record(flow_pointer, 0, written.clone());
                out.insert("type".into(), Value::String("oauth2".into()));
                out.insert(
                    "flows".into(),
                    Value::Object(Map::from_iter([(
                        flow_name.to_owned(),
                        Value::Object(flow_object),
                    )])),
                );
            }
            _ => {
                self.error(
                    push_pointer(&written, "type"),
                    "a security scheme's `type` is not one of basic, apiKey or oauth2",
                );
                return None;
            }
        }
        for (key, value) in map {
            if key == "description" || is_extension(key) {
                out.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(out))
    }

    fn paths(&mut self, paths: &'a Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (path, item) in paths {
            let written = push_pointer("/paths", path);
            if is_extension(path) {
                out.insert(path.clone(), item.clone());
                continue;
            }
            let Value::Object(item) = item else {
                self.error(written, "a path item is not an object");
                continue;
            };
            let converted = self.path_item(item, &written);
            out.insert(path.clone(), Value::Object(converted));
        }
        out
    }

    fn path_item(&mut self, item: &'a Map<String, Value>, pointer: &str) -> Map<String, Value> {
        let mut out = Map::new();
        let shared = self.parameter_list(item.get("parameters"), pointer);
        let mut shared_plain = Vec::new();
        for param in &shared {
            if let Param::Plain {
                value,
                site,
                schema_origin,
                ..
            } = param
            {
                shared_plain.push((value.clone(), site.clone(), schema_origin.clone()));
            }
        }
        if !shared_plain.is_empty() {
            let list = self.place_parameters(pointer, shared_plain);
            out.insert("parameters".into(), list);
        }
        for (key, value) in item {
            let key_pointer = push_pointer(pointer, key);
            match key.as_str() {
                "parameters" => {}
                "$ref" => {
                    let rewritten = match value {
                        Value::String(reference) => Value::String(self.refs.rewrite(reference)),
                        other => other.clone(),
                    };
                    out.insert(key.clone(), rewritten);
                }
                "summary" | "description" => {
                    out.insert(key.clone(), value.clone());
                }
                method if METHODS.contains(&method) => {
                    let Value::Object(operation) = value else {
                        self.error(key_pointer, "an operation is not an object");
                        continue;
                    };
                    let converted = self.operation(operation, &key_pointer, &shared);
                    out.insert(key.clone(), Value::Object(converted));
                }
                extension if is_extension(extension) => {
                    out.insert(key.clone(), value.clone());
                }
                other => {
                    let message = format!("`{other}` is not a Swagger 2.0 path item field; it is left out of the conversion");
                    self.warn(key_pointer, message);
                }
            }
        }
        out
    }

    /// Writes plain parameters as a 3.0 list under `owner`, recording where each came from.
    fn place_parameters(
        &mut self,
        owner: &str,
        params: Vec<(Value, String, Option<String>)>,
    ) -> Value {
        let list_pointer = push_pointer(owner, "parameters");
        let mut list = Vec::new();
        for (index, (value, site, schema_origin)) in params.into_iter().enumerate() {
            let normalised = push_pointer(&list_pointer, &index.to_string());
            if normalised != site {
                self.origins.record(normalised.clone(), 0, site.clone());
            }
            if let Some(origin) = schema_origin {
                self.origins
                    .record(push_pointer(&normalised, "schema"), 0, origin);
            }
            list.push(value);
        }
        Value::Array(list)
    }

    /// Sorts a 2.0 parameter list into plain, body and form parameters.
    fn parameter_list(&mut self, list: Option<&'a Value>, owner: &str) -> Vec<Param<'a>> {
        let list_pointer = push_pointer(owner, "parameters");
        let items = match list {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.error(list_pointer, "`parameters` is not an array of parameters");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let site = push_pointer(&list_pointer, &index.to_string());
            let Value::Object(map) = item else {
                self.error(site, "a parameter is not an object");
                continue;
            };
            if let Some(reference) = map.get("$ref") {
                let Value::String(reference) = reference else {
                    self.error(push_pointer(&site, "$ref"), "`$ref` is not a string");
                    continue;
                };
                let root = self.root;
                let target = Refs::local_parameter(reference).and_then(|name| {
                    match root.get("parameters").and_then(|p| p.get(&name)) {
                        Some(Value::Object(target)) => Some((name, target)),
                        _ => None,
                    }
                });
                match target {
                    Some((name, target))
                        if target.get("in").and_then(Value::as_str) == Some("body") =>
                    {
                        out.push(Param::Body {
                            map: target,
                            defined: push_pointer("/parameters", &name),
                            site,
                            component: Some(self.refs.rewrite(reference)),
                        });
                    }
                    Some((name, target))
                        if target.get("in").and_then(Value::as_str) == Some("formData") =>
                    {
                        let defined = push_pointer("/parameters", &name);
                        if let Some(form_name) = self.parameter_name(target, &defined) {
                            out.push(Param::Form {
                                name: form_name,
                                map: target,
                                defined,
                            });
                        }
                    }
                    _ => {
                        let value = object([("$ref", Value::String(self.refs.rewrite(reference)))]);
                        out.push(Param::Plain {
                            value,
                            site,
                            schema_origin: None,
                        });
                    }
                }
                continue;
            }
            match map.get("in").and_then(Value::as_str) {
                Some("body") => out.push(Param::Body {
                    map,
                    defined: site.clone(),
                    site,
                    component: None,
                }),
                Some("formData") => {
                    if let Some(name) = self.parameter_name(map, &site) {
                        out.push(Param::Form {
                            name,
                            map,
                            defined: site,
                        });
                    }
                }
                _ => {
                    // The normalised pointer is only used for schema origins, recorded by
                    // `place_parameters` once the parameter's final index is known.
                    let Some(value) = self.convert_plain(map, &site) else {
                        continue;
                    };
                    let schema_origin =
                        Some(if map.contains_key("type") || !map.contains_key("schema") {
                            site.clone()
                        } else {
                            push_pointer(&site, "schema")
                        });
                    out.push(Param::Plain {
                        value,
                        site,
                        schema_origin,
                    });
                }
            }
        }
        out
    }

    fn parameter_name(&mut self, map: &Map<String, Value>, pointer: &str) -> Option<String> {
        match map.get("name") {
            Some(Value::String(name)) => Some(name.clone()),
            _ => {
                self.error(pointer, "a parameter has no `name` string");
                None
            }
        }
    }

    /// A top-level non-body parameter, with its schema origin recorded.
    fn parameter(
        &mut self,
        map: &Map<String, Value>,
        written: &str,
        normalised: &str,
    ) -> Option<Value> {
        if let Some(reference) = map.get("$ref") {
            let value = match reference {
                Value::String(reference) => Value::String(self.refs.rewrite(reference)),
                other => other.clone(),
            };
            return Some(object([("$ref", value)]));
        }
        let value = self.convert_plain(map, written)?;
        let origin = if map.contains_key("type") || !map.contains_key("schema") {
            written.to_owned()
        } else {
            push_pointer(written, "schema")
        };
        self.origins
            .record(push_pointer(normalised, "schema"), 0, origin);
        Some(value)
    }

    /// A query, header, path (or cookie) parameter in 3.0 form.
    fn convert_plain(&mut self, map: &Map<String, Value>, written: &str) -> Option<Value> {
        let location = match map.get("in").and_then(Value::as_str) {
            Some(location @ ("query" | "header" | "path" | "cookie")) => location,
            Some(other) => {
                let message = format!("a parameter's `in` is `{other}`, not one of query, header, path, formData or body");
                self.error(push_pointer(written, "in"), message);
                return None;
            }
            None => {
                self.error(written, "a parameter has no `in` string");
                return None;
            }
        };
        let name = self.parameter_name(map, written)?;
        let mut out = Map::new();
        out.insert("name".into(), Value::String(name));
        out.insert("in".into(), Value::String(location.into()));
        let (schema, style) = self.value_schema(map, written, location);
        for (key, value) in map {
            match key.as_str() {
                "name" | "in" | "collectionFormat" | "x-nullable" | "schema" => {}
                "description" | "deprecated" | "example" | "examples" | "required" => {
                    out.insert(key.clone(), value.clone());
                }
                "allowEmptyValue" => {
                    if location == "query" {
                        out.insert(key.clone(), value.clone());
                    } else {
                        self.warn(
                            push_pointer(written, key),
                            "`allowEmptyValue` only applies to query parameters in OpenAPI 3.0; it is left out",
                        );
                    }
                }
                key if SCHEMA_KEYS.contains(&key) => {}
                extension if is_extension(extension) => {
                    out.insert(key.clone(), value.clone());
                }
                other => {
                    let message = format!("`{other}` is not a Swagger 2.0 parameter field; it is left out of the conversion");
                    self.warn(push_pointer(written, other), message);
                }
            }
        }
        if location == "path" && map.get("required") != Some(&Value::Bool(true)) {
            self.warn(
                written,
                "a path parameter is not marked `required: true`; it is taken as required",
            );
            out.insert("required".into(), Value::Bool(true));
        }
        if let Some((style, explode)) = style {
            out.insert("style".into(), Value::String(style.into()));
            out.insert("explode".into(), Value::Bool(explode));
        }
        out.insert("schema".into(), schema);
        Some(Value::Object(out))
    }

    /// The 3.0 schema of a 2.0 non-body parameter, item or header (its value keys), and the
    /// style and explode its `collectionFormat` means when it is an array.
    fn value_schema(
        &mut self,
        map: &Map<String, Value>,
        written: &str,
        location: &str,
    ) -> (Value, Option<(&'static str, bool)>) {
        if !map.contains_key("type") {
            if let Some(schema) = map.get("schema") {
                // A 3.0-style parameter in a 2.0 document: its schema is used as written.
                return (self.schema(schema), None);
            }
        }
        let mut schema = Map::new();
        for key in SCHEMA_KEYS {
            if let Some(value) = map.get(key) {
                schema.insert(key.into(), value.clone());
            }
        }
        if let Some(nullable) = map.get("x-nullable") {
            schema.insert("x-nullable".into(), nullable.clone());
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") && location != "formData" {
            self.warn(
                push_pointer(written, "type"),
                "`type: file` is only allowed for form parameters; it is taken as a binary string",
            );
        }
        // Items may carry their own collection format, which 3.0 cannot say.
        let mut item_pointer = push_pointer(written, "items");
        let mut items = schema.get_mut("items");
        while let Some(Value::Object(item)) = items {
            if item.shift_remove("collectionFormat").is_some() {
                self.warn(
                    push_pointer(&item_pointer, "collectionFormat"),
                    "a nested array's `collectionFormat` cannot be expressed in OpenAPI 3.0; it is left out",
                );
            }
            item_pointer = push_pointer(&item_pointer, "items");
            items = item.get_mut("items");
        }
        let mut schema = Value::Object(schema);
        convert_schema_in_place(&mut schema, &self.refs);
        let style = if schema.get("type").and_then(Value::as_str) == Some("array") {
            Some(self.collection_style(map.get("collectionFormat"), written, location))
        } else {
            None
        };
        (schema, style)
    }

    /// The style and explode a `collectionFormat` means for a parameter in `location`.
    fn collection_style(
        &mut self,
        format: Option<&Value>,
        written: &str,
        location: &str,
    ) -> (&'static str, bool) {
        let pointer = push_pointer(written, "collectionFormat");
        let csv = match location {
            "path" | "header" => ("simple", false),
            _ => ("form", false),
        };
        let format = match format {
            None => return csv,
            Some(Value::String(format)) => format.as_str(),
            Some(_) => {
                self.warn(
                    pointer,
                    "`collectionFormat` is not a string; it is taken as csv",
                );
                return csv;
            }
        };
        match (format, location) {
            ("csv", _) => csv,
            ("ssv", "query") => ("spaceDelimited", false),
            ("pipes", "query") => ("pipeDelimited", false),
            ("multi", "query" | "formData") => ("form", true),
            ("tsv", _) => {
                self.warn(
                    pointer,
                    "`collectionFormat: tsv` has no OpenAPI 3.0 equivalent; it is taken as csv",
                );
                csv
            }
            (known @ ("ssv" | "pipes" | "multi"), _) => {
                let message = format!(
                    "`collectionFormat: {known}` cannot be expressed for a {location} parameter in OpenAPI 3.0; it is taken as csv"
                );
                self.warn(pointer, message);
                csv
            }
            (other, _) => {
                let message = format!("`collectionFormat: {other}` is not a Swagger 2.0 collection format; it is taken as csv");
                self.warn(pointer, message);
                csv
            }
        }
    }

    fn operation(
        &mut self,
        operation: &'a Map<String, Value>,
        pointer: &str,
        shared: &[Param<'a>],
    ) -> Map<String, Value> {
        let mut out = Map::new();
        let consumes = self
            .media_types(
                operation.get("consumes"),
                &push_pointer(pointer, "consumes"),
            )
            .unwrap_or_else(|| self.consumes.clone());
        let produces = self
            .media_types(
                operation.get("produces"),
                &push_pointer(pointer, "produces"),
            )
            .unwrap_or_else(|| self.produces.clone());
        let own = self.parameter_list(operation.get("parameters"), pointer);

        let mut plain = Vec::new();
        let mut bodies = Vec::new();
        let mut forms: Vec<(String, &'a Map<String, Value>, String)> = Vec::new();
        for param in own {
            match param {
                Param::Plain {
                    value,
                    site,
                    schema_origin,
                    ..
                } => plain.push((value, site, schema_origin)),
                Param::Body {
                    map,
                    defined,
                    site,
                    component,
                } => bodies.push((map, defined, site, component)),
                Param::Form { name, map, defined } => forms.push((name, map, defined)),
            }
        }
        if bodies.is_empty() {
            for param in shared {
                if let Param::Body {
                    map,
                    defined,
                    site,
                    component,
                } = param
                {
                    bodies.push((map, defined.clone(), site.clone(), component.clone()));
                }
            }
        }
        for param in shared {
            if let Param::Form { name, map, defined } = param {
                if !forms.iter().any(|(own_name, ..)| own_name == name) {
                    forms.push((name.clone(), map, defined.clone()));
                }
            }
        }
        if !plain.is_empty() {
            let list = self.place_parameters(pointer, plain);
            out.insert("parameters".into(), list);
        }
        let body_pointer = push_pointer(pointer, "requestBody");
        if let Some((map, defined, site, component)) = bodies.first() {
            for (.., extra_site, _) in bodies.iter().skip(1) {
                self.warn(
                    extra_site.clone(),
                    "an operation has more than one body parameter; only the first is used",
                );
            }
            if !forms.is_empty() {
                self.warn(site.clone(), "an operation has both a body and form parameters; the form parameters are left out");
            }
            let body = match component {
                Some(reference) if consumes == self.consumes => {
                    self.origins.record(body_pointer.clone(), 0, site.clone());
                    object([("$ref", Value::String(reference.clone()))])
                }
                _ => self.request_body(map, defined, &body_pointer, &consumes),
            };
            out.insert("requestBody".into(), body);
        } else if !forms.is_empty() {
            let body = self.form_body(&forms, pointer, &body_pointer, &consumes);
            out.insert("requestBody".into(), body);
        }

        if let Some(responses) = operation.get("responses") {
            let written = push_pointer(pointer, "responses");
            if let Some(value) = self.responses(responses, &written, &produces) {
                out.insert("responses".into(), value);
            }
        } else {
            self.warn(
                pointer,
                "an operation has no `responses`; it is taken as having only a default response",
            );
            let default = object([("description", Value::String(String::new()))]);
            out.insert("responses".into(), object([("default", default)]));
        }
        if let Some(schemes) = operation.get("schemes") {
            let schemes_pointer = push_pointer(pointer, "schemes");
            if let Some(list) = self.scheme_list(Some(schemes), &schemes_pointer) {
                if list != self.schemes {
                    let normalised = push_pointer(pointer, "servers");
                    if let Some(servers) = self.servers_at(&normalised, &list, &schemes_pointer) {
                        out.insert("servers".into(), servers);
                    }
                }
            }
        }
        for (key, value) in operation {
            match key.as_str() {
                "parameters" | "responses" | "consumes" | "produces" | "schemes" => {}
                "tags" | "summary" | "description" | "externalDocs" | "operationId"
                | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                extension if is_extension(extension) => {
                    out.insert(key.clone(), value.clone());
                }
                other => {
                    let message = format!("`{other}` is not a Swagger 2.0 operation field; it is left out of the conversion");
                    self.warn(push_pointer(pointer, other), message);
                }
            }
        }
        out
    }

    /// A request body from a body parameter defined at `written`, placed at `normalised`.
    fn request_body(
        &mut self,
        map: &Map<String, Value>,
        written: &str,
        normalised: &str,
        consumes: &[String],
    ) -> Value {
        self.origins.record(normalised, 0, written);
        let schema = match map.get("schema") {
            Some(schema) => self.schema(schema),
            None => {
                self.warn(
                    written,
                    "a body parameter has no `schema`; it is taken as accepting any value",
                );
                Value::Object(Map::new())
            }
        };
        let content_pointer = push_pointer(normalised, "content");
        let mut content = Map::new();
        for media_type in consumes {
            let schema_pointer =
                push_pointer(&push_pointer(&content_pointer, media_type), "schema");
            self.origins
                .record(schema_pointer, 0, push_pointer(written, "schema"));
            content.insert(media_type.clone(), object([("schema", schema.clone())]));
        }
        let mut out = Map::new();
        for (key, value) in map {
            if key == "description" || key == "required" || is_extension(key) {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    /// One request body for all form parameters of an operation.
    fn form_body(
        &mut self,
        forms: &[(String, &Map<String, Value>, String)],
        operation: &str,
        normalised: &str,
        consumes: &[String],
    ) -> Value {
        self.origins
            .record(normalised, 0, push_pointer(operation, "parameters"));
        let has_file = forms
            .iter()
            .any(|(_, map, _)| map.get("type").and_then(Value::as_str) == Some("file"));
        let media_type = if has_file || consumes.iter().any(|m| m.starts_with(MULTIPART)) {
            MULTIPART
        } else {
            FORM
        };
        let schema_pointer = push_pointer(
            &push_pointer(&push_pointer(normalised, "content"), media_type),
            "schema",
        );
        let properties_pointer = push_pointer(&schema_pointer, "properties");
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        let mut any_required = false;
        for (name, map, defined) in forms {
            let (mut schema, style) = self.value_schema(map, defined, "formData");
            if let (Value::Object(schema), Some(description)) =
                (&mut schema, map.get("description"))
            {
                schema.insert("description".into(), description.clone());
            }
            if let Value::Object(schema) = &mut schema {
                for (key, value) in *map {
                    if is_extension(key) && key != "x-nullable" {
                        schema.insert(key.clone(), value.clone());
                    }
                }
            }
            self.origins
                .record(push_pointer(&properties_pointer, name), 0, defined.clone());
            if map.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.clone()));
                any_required = true;
            }
            if let (Some((style, explode)), FORM) = (style, media_type) {
                let entry = object([
                    ("style", Value::String(style.into())),
                    ("explode", Value::Bool(explode)),
                ]);
                encoding.insert(name.clone(), entry);
            }
            properties.insert(name.clone(), schema);
        }
        let mut schema = Map::new();
        schema.insert("type".into(), Value::String("object".into()));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut media = Map::new();
        media.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() {
            media.insert("encoding".into(), Value::Object(encoding));
        }
        let mut out = Map::new();
        out.insert(
            "content".into(),
            Value::Object(Map::from_iter([(
                media_type.to_owned(),
                Value::Object(media),
            )])),
        );
        if any_required {
            out.insert("required".into(), Value::Bool(true));
        }
        Value::Object(out)
    }

    fn responses(
        &mut self,
        responses: &Value,
        written: &str,
        produces: &[String],
    ) -> Option<Value> {
        let Value::Object(map) = responses else {
            self.error(
                written,
                "`responses` is not an object of responses by status code",
            );
            return None;
        };
        let mut out = Map::new();
        for (code, response) in map {
            if is_extension(code) {
                out.insert(code.clone(), response.clone());
                continue;
            }
            let pointer = push_pointer(written, code);
            if let Some(value) = self.response(response, &pointer, &pointer, produces) {
                out.insert(code.clone(), value);
            }
        }
        Some(Value::Object(out))
    }

    /// One response written at `written`, placed at `normalised`.
    fn response(
        &mut self,
        response: &Value,
        written: &str,
        normalised: &str,
        produces: &[String],
    ) -> Option<Value> {
        let Value::Object(map) = response else {
            self.error(written, "a response is not an object");
            return None;
        };
        if let Some(reference) = map.get("$ref") {
            let Value::String(reference) = reference else {
                self.error(push_pointer(written, "$ref"), "`$ref` is not a string");
                return None;
            };
            if reference.starts_with("#/definitions/") {
                self.warn(
                    push_pointer(written, "$ref"),
                    "a response refers to a schema; it is taken as a response with that schema and no description",
                );
                let schema = object([("$ref", Value::String(self.refs.rewrite(reference)))]);
                let mut content = Map::new();
                for media_type in produces {
                    content.insert(media_type.clone(), object([("schema", schema.clone())]));
                }
                return Some(object([
                    ("description", Value::String(String::new())),
                    ("content", Value::Object(content)),
                ]));
            }
            return Some(object([(
                "$ref",
                Value::String(self.refs.rewrite(reference)),
            )]));
        }
        let mut out = Map::new();
        match map.get("description") {
            Some(Value::String(description)) => {
                out.insert("description".into(), Value::String(description.clone()));
            }
            Some(_) => {
                self.warn(
                    push_pointer(written, "description"),
                    "a response's description is not a string; it is taken as empty",
                );
                out.insert("description".into(), Value::String(String::new()));
            }
            None => {
                self.warn(
                    written,
                    "a response has no description; it is taken as empty",
                );
                out.insert("description".into(), Value::String(String::new()));
            }
        }
        if let Some(headers) = map.get("headers") {
            let headers_pointer = push_pointer(written, "headers");
            match headers {
                Value::Object(headers) => {
                    let mut converted = Map::new();
                    for (name, header) in headers {
                        let header_pointer = push_pointer(&headers_pointer, name);
                        let Value::Object(header) = header else {
                            self.error(header_pointer, "a response header is not an object");
                            continue;
                        };
                        let (schema, _) = self.value_schema(header, &header_pointer, "header");
                        let mut value = Map::new();
                        for (key, field) in header {
                            if key == "description" || (is_extension(key) && key != "x-nullable") {
                                value.insert(key.clone(), field.clone());
                            }
                        }
                        value.insert("schema".into(), schema);
                        let schema_pointer = push_pointer(
                            &push_pointer(&push_pointer(normalised, "headers"), name),
                            "schema",
                        );
                        self.origins.record(schema_pointer, 0, header_pointer);
                        converted.insert(name.clone(), Value::Object(value));
                    }
                    out.insert("headers".into(), Value::Object(converted));
                }
                _ => self.error(headers_pointer, "a response's `headers` is not an object"),
            }
        }
        let schema = map.get("schema").map(|schema| self.schema(schema));
        let examples = match map.get("examples") {
            Some(Value::Object(examples)) => Some(examples),
            Some(_) => {
                self.warn(
                    push_pointer(written, "examples"),
                    "a response's `examples` is not an object; it is left out",
                );
                None
            }
            None => None,
        };
        let mut media_types: Vec<String> = Vec::new();
        if schema.is_some() {
            media_types.extend(produces.iter().cloned());
        }
        for media_type in examples.into_iter().flat_map(|e| e.keys()) {
            if !media_types.contains(media_type) {
                media_types.push(media_type.clone());
            }
        }
        if !media_types.is_empty() {
            let content_pointer = push_pointer(normalised, "content");
            let mut content = Map::new();
            for media_type in media_types {
                let media_pointer = push_pointer(&content_pointer, &media_type);
                let mut media = Map::new();
                if let Some(schema) = &schema {
                    self.origins.record(
                        push_pointer(&media_pointer, "schema"),
                        0,
                        push_pointer(written, "schema"),
                    );
                    media.insert("schema".into(), schema.clone());
                }
                if let Some(example) = examples.and_then(|e| e.get(&media_type)) {
                    let example_written =
                        push_pointer(&push_pointer(written, "examples"), &media_type);
                    self.origins.record(
                        push_pointer(&media_pointer, "example"),
                        0,
                        example_written,
                    );
                    media.insert("example".into(), example.clone());
                }
                content.insert(media_type, Value::Object(media));
            }
            out.insert("content".into(), Value::Object(content));
        }
        for (key, value) in map {
            if is_extension(key) {
                out.insert(key.clone(), value.clone());
            }
        }
        if normalised != written {
            self.origins.record(normalised, 0, written);
        }
        Some(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PETSTORE: &str = include_str!("../../tests/fixtures/swagger2/petstore.json");
    const WILD: &str = include_str!("../../tests/fixtures/swagger2/wild.yaml");
    const KUBERNETES: &str = include_str!("../../tests/fixtures/swagger2/kubernetes_like.json");

    fn ok(doc: &Value) -> Converted {
        match convert(doc) {
            Ok(converted) => converted,
            Err(problems) => panic!("conversion failed: {problems:?}"),
        }
    }

    fn at<'v>(value: &'v Value, pointer: &str) -> &'v Value {
        value
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no {pointer} in {value:#}"))
    }

    fn parses_as_openapi(document: &Value) -> openapiv3::OpenAPI {
        match serde_json::from_value::<openapiv3::OpenAPI>(document.clone()) {
            Ok(api) => api,
            Err(e) => panic!("not an OpenAPI 3.0 document: {e}\n{document:#}"),
        }
    }

    fn minimal(paths: Value) -> Value {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    fn warned(converted: &Converted, pointer: &str, words: &str) -> bool {
        converted
            .warnings
            .iter()
            .any(|w| w.pointer == pointer && w.message.contains(words))
    }

    #[test]
    fn petstore_converts_to_a_valid_openapi_document() {
        let doc: Value = serde_json::from_str(PETSTORE).unwrap();
        let converted = ok(&doc);
        let api = parses_as_openapi(&converted.document);
        assert_eq!(api.openapi, "3.0.3");
        assert_eq!(api.info.title, "Swagger Petstore");
        assert_eq!(api.paths.paths.len(), 9);
        let out = &converted.document;
        assert_eq!(
            at(out, "/servers"),
            &json!([{"url": "https://petstore.swagger.io/v2"}, {"url": "http://petstore.swagger.io/v2"}])
        );
        assert_eq!(
            at(
                out,
                "/paths/~1pet/post/requestBody/content/application~1xml/schema/$ref"
            ),
            "#/components/schemas/Pet"
        );
        assert_eq!(
            at(out, "/paths/~1pet~1{petId}~1uploadImage/post/requestBody/content/multipart~1form-data/schema/properties/file"),
            &json!({"type": "string", "format": "binary", "description": "file to upload"})
        );
        assert_eq!(
            at(out, "/paths/~1pet~1findByStatus/get/parameters/0"),
            &json!({
                "name": "status", "in": "query", "required": true, "style": "form", "explode": true,
                "description": "Status values that need to be considered for filter",
                "schema": {"type": "array", "items": {"type": "string", "enum": ["available", "pending", "sold"], "default": "available"}}
            })
        );
        assert_eq!(
            at(out, "/paths/~1pet~1{petId}/parameters/0/schema"),
            &json!({"type": "integer", "format": "int64"})
        );
        assert_eq!(
            at(
                out,
                "/components/securitySchemes/petstore_auth/flows/implicit/scopes/read:pets"
            ),
            "read your pets"
        );
        assert_eq!(
            at(
                out,
                "/paths/~1user~1login/get/responses/200/headers/X-Rate-Limit"
            ),
            &json!({"description": "calls per hour allowed by the user", "schema": {"type": "integer", "format": "int32"}})
        );
        assert!(converted.warnings.is_empty(), "{:?}", converted.warnings);
    }

    #[test]
    fn wild_yaml_document_converts_with_warnings_for_its_sloppy_spots() {
        let doc: Value = serde_yaml::from_str(WILD).unwrap();
        let converted = ok(&doc);
        parses_as_openapi(&converted.document);
        let out = &converted.document;
        assert!(warned(&converted, "/swagger", "taken as \"2.0\""));
        assert!(warned(
            &converted,
            "/paths/~1projects~1{project_id}~1tasks/post/responses/201",
            "no description"
        ));
        assert!(warned(
            &converted,
            "/paths/~1projects~1{project_id}~1tasks/get/parameters/2/collectionFormat",
            "taken as csv"
        ));
        assert_eq!(
            at(out, "/servers"),
            &json!([{"url": "https://api.example.com/tracker/v3"}])
        );
        let tasks = "/paths/~1projects~1{project_id}~1tasks";
        assert_eq!(
            at(out, &format!("{tasks}/parameters/0/$ref")),
            "#/components/parameters/ProjectId"
        );
        assert_eq!(
            at(out, &format!("{tasks}/post/requestBody/$ref")),
            "#/components/requestBodies/TaskBody"
        );
        assert_eq!(
            at(out, &format!("{tasks}/get/parameters/1/style")),
            "pipeDelimited"
        );
        assert_eq!(
            at(out, &format!("{tasks}/get/parameters/3/style")),
            "simple"
        );
        assert_eq!(
            at(out, &format!("{tasks}/get/responses/404/$ref")),
            "#/components/responses/NotFound"
        );
        assert_eq!(
            at(
                out,
                &format!("{tasks}/get/responses/200/content/application~1json/example")
            ),
            &json!({"items": [], "next": null})
        );
        assert_eq!(
            at(out, "/components/schemas/Task/discriminator"),
            &json!({"propertyName": "kind"})
        );
        assert_eq!(
            at(out, "/components/schemas/Task/properties/assignee"),
            &json!({"allOf": [{"$ref": "#/components/schemas/User"}], "nullable": true})
        );
        assert_eq!(at(out, "/components/schemas/User/x-go-name"), "Account");
        let attach =
            "/paths/~1projects~1{project_id}~1tasks~1{task_id}~1attachments/post/requestBody";
        assert_eq!(
            at(
                out,
                &format!("{attach}/content/multipart~1form-data/schema")
            ),
            &json!({
                "type": "object",
                "properties": {
                    "attachment": {"type": "string", "format": "binary"},
                    "note": {"type": "string", "nullable": true}
                },
                "required": ["attachment"]
            })
        );
        assert_eq!(
            converted.origins.find(&format!(
                "{attach}/content/multipart~1form-data/schema/properties/attachment/type"
            )),
            (0, "/parameters/Attachment/type".to_owned())
        );
        assert_eq!(
            at(
                out,
                "/components/securitySchemes/userLogin/flows/authorizationCode"
            ),
            &json!({"authorizationUrl": "https://auth.example.com/authorize", "tokenUrl": "https://auth.example.com/token", "scopes": {}})
        );
    }

    #[test]
    fn kubernetes_style_document_converts() {
        let doc: Value = serde_json::from_str(KUBERNETES).unwrap();
        let converted = ok(&doc);
        parses_as_openapi(&converted.document);
        assert!(converted.warnings.is_empty(), "{:?}", converted.warnings);
        let out = &converted.document;
        let path = "/paths/~1api~1v1~1namespaces~1{namespace}~1configmaps";
        // A body parameter named `body` and a query parameter whose component is named `body-…`
        // are told apart by `in`, not by name.
        assert_eq!(
            at(out, &format!("{path}/post/parameters/0/$ref")),
            "#/components/parameters/body-2Y1dVQaQ"
        );
        assert_eq!(
            at(
                out,
                &format!("{path}/post/requestBody/content/*~1*/schema/$ref")
            ),
            "#/components/schemas/io.k8s.api.core.v1.ConfigMap"
        );
        assert_eq!(
            at(out, &format!("{path}/parameters/0/schema")),
            &json!({"type": "string", "uniqueItems": true})
        );
        assert_eq!(
            at(
                out,
                &format!(
                    "{path}/get/responses/200/content/application~1json;stream=watch/schema/$ref"
                )
            ),
            "#/components/schemas/io.k8s.api.core.v1.ConfigMapList"
        );
        assert_eq!(at(out, &format!("{path}/get/x-kubernetes-action")), "list");
        // `uniqueItems` on a scalar parameter is a (harmless) schema keyword after conversion.
        assert_eq!(
            at(out, "/components/parameters/limit-1NfNmdNH/schema"),
            &json!({"type": "integer", "uniqueItems": true})
        );
        assert!(out.get("servers").is_none());
    }

    #[test]
    fn only_version_2_is_converted_and_every_fatal_problem_is_reported() {
        let doc = json!({"swagger": "1.2", "paths": [], "definitions": 3, "parameters": {"p": {"name": "x", "in": "cookie-jar"}}});
        let problems = convert(&doc).unwrap_err();
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert!(pointers.contains(&"/swagger"), "{problems:?}");
        assert!(pointers.contains(&"/paths"), "{problems:?}");
        assert!(pointers.contains(&"/definitions"), "{problems:?}");
        assert!(pointers.contains(&"/parameters/p/in"), "{problems:?}");
        assert!(
            convert(&json!({"openapi": "3.0.0", "paths": {}})).unwrap_err()[0]
                .message
                .contains("no `swagger")
        );
        assert_eq!(convert(&json!([1, 2])).unwrap_err()[0].pointer, "");
    }

    #[test]
    fn servers_come_from_host_base_path_and_schemes() {
        let mut doc = minimal(json!({}));
        doc["basePath"] = json!("/api/");
        let out = ok(&doc);
        assert_eq!(at(&out.document, "/servers"), &json!([{"url": "/api"}]));
        assert_eq!(
            out.origins.find("/servers/0/url"),
            (0, "/basePath/0/url".to_owned())
        );

        doc["host"] = json!("example.com:8080");
        doc["schemes"] = json!(["ws", "http", "https"]);
        let out = ok(&doc);
        assert_eq!(
            at(&out.document, "/servers"),
            &json!([{"url": "https://example.com:8080/api"}, {"url": "http://example.com:8080/api"}, {"url": "ws://example.com:8080/api"}])
        );
        assert_eq!(
            out.origins.find("/servers/1/url"),
            (0, "/host/1/url".to_owned())
        );

        let mut bare = minimal(json!({}));
        bare["host"] = json!("example.com");
        assert_eq!(
            at(&ok(&bare).document, "/servers"),
            &json!([{"url": "https://example.com"}])
        );
        assert!(ok(&minimal(json!({}))).document.get("servers").is_none());
    }

    #[test]
    fn an_operation_with_its_own_schemes_gets_its_own_servers() {
        let mut doc = minimal(
            json!({"/a": {"get": {"schemes": ["http"], "responses": {"200": {"description": "ok"}}}}}),
        );
        doc["host"] = json!("h.example");
        doc["schemes"] = json!(["https"]);
        let out = ok(&doc).document;
        assert_eq!(
            at(&out, "/paths/~1a/get/servers"),
            &json!([{"url": "http://h.example"}])
        );
    }

    #[test]
    fn references_are_rewritten_everywhere_including_escaped_names() {
        let mut doc = minimal(json!({
            "/a": {"post": {
                "parameters": [{"$ref": "#/parameters/Body"}, {"$ref": "#/parameters/Limit"}],
                "responses": {"200": {"$ref": "#/responses/Ok"}, "201": {"description": "d", "schema": {"$ref": "#/definitions/a~1b"}}}
            }}
        }));
        doc["definitions"] = json!({
            "a/b": {"type": "object", "properties": {"c": {"$ref": "#/definitions/C%20D"}}},
            "C D": {"type": "array", "items": {"$ref": "#/definitions/a~1b/properties/c"}},
            "E": {"allOf": [{"$ref": "other.yaml#/definitions/X"}], "additionalProperties": {"$ref": "#/definitions/E"}}
        });
        doc["parameters"] = json!({
            "Body": {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/E"}},
            "Limit": {"name": "limit", "in": "query", "type": "integer"}
        });
        doc["responses"] =
            json!({"Ok": {"description": "ok", "schema": {"$ref": "#/definitions/E"}}});
        let converted = ok(&doc);
        let out = &converted.document;
        parses_as_openapi(out);
        assert_eq!(
            at(out, "/paths/~1a/post/requestBody/$ref"),
            "#/components/requestBodies/Body"
        );
        assert_eq!(
            at(out, "/paths/~1a/post/parameters/0/$ref"),
            "#/components/parameters/Limit"
        );
        assert_eq!(
            at(out, "/paths/~1a/post/responses/200/$ref"),
            "#/components/responses/Ok"
        );
        assert_eq!(
            at(
                out,
                "/paths/~1a/post/responses/201/content/application~1json/schema/$ref"
            ),
            "#/components/schemas/a~1b"
        );
        assert_eq!(
            at(out, "/components/schemas/a~1b/properties/c/$ref"),
            "#/components/schemas/C%20D"
        );
        assert_eq!(
            at(out, "/components/schemas/C D/items/$ref"),
            "#/components/schemas/a~1b/properties/c"
        );
        assert_eq!(
            at(out, "/components/schemas/E/allOf/0/$ref"),
            "other.yaml#/components/schemas/X"
        );
        assert_eq!(
            at(out, "/components/schemas/E/additionalProperties/$ref"),
            "#/components/schemas/E"
        );
        assert_eq!(
            at(
                out,
                "/components/requestBodies/Body/content/application~1json/schema/$ref"
            ),
            "#/components/schemas/E"
        );
        // Nothing of the 2.0 layout is left anywhere.
        let text = out.to_string();
        for old in ["#/definitions", "#/parameters", "#/responses"] {
            assert!(!text.contains(old), "{old} left in {text}");
        }
    }

    #[test]
    fn a_reference_to_a_body_parameter_escaped_in_the_uri_is_still_a_request_body() {
        let refs = Refs {
            body: BTreeSet::from(["a/b c".to_owned()]),
        };
        assert_eq!(
            refs.rewrite("#/parameters/a~1b%20c"),
            "#/components/requestBodies/a~1b%20c"
        );
        assert_eq!(
            refs.rewrite("#/parameters/other"),
            "#/components/parameters/other"
        );
        assert_eq!(refs.rewrite("#/definitionsX/y"), "#/definitionsX/y");
        assert_eq!(refs.rewrite("Pet.yaml"), "Pet.yaml");
        assert_eq!(
            refs.rewrite("#/securityDefinitions/k"),
            "#/components/securitySchemes/k"
        );
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let mut doc = minimal(json!({}));
        doc["securityDefinitions"] = json!({
            "basic": {"type": "basic", "description": "user and password", "x-a": 1},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "imp": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth", "scopes": {"s": "d"}},
            "pw": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token"},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token", "scopes": {}},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token"}
        });
        let converted = ok(&doc);
        parses_as_openapi(&converted.document);
        let schemes = at(&converted.document, "/components/securitySchemes");
        assert_eq!(
            schemes["basic"],
            json!({"type": "http", "scheme": "basic", "description": "user and password", "x-a": 1})
        );
        assert_eq!(
            schemes["key"],
            json!({"type": "apiKey", "name": "X-Key", "in": "header"})
        );
        assert_eq!(
            schemes["imp"],
            json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"s": "d"}}}})
        );
        assert_eq!(
            schemes["pw"]["flows"]["password"],
            json!({"tokenUrl": "https://a/token", "scopes": {}})
        );
        assert_eq!(
            schemes["app"]["flows"]["clientCredentials"],
            json!({"tokenUrl": "https://a/token", "scopes": {}})
        );
        assert_eq!(
            schemes["code"]["flows"]["authorizationCode"],
            json!({"authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {}})
        );
        assert_eq!(
            converted
                .origins
                .find("/components/securitySchemes/code/flows/authorizationCode/tokenUrl"),
            (0, "/securityDefinitions/code/tokenUrl".to_owned())
        );
        assert_eq!(
            converted
                .origins
                .find("/components/securitySchemes/key/name"),
            (0, "/securityDefinitions/key/name".to_owned())
        );
        let mut bad = minimal(json!({}));
        bad["securityDefinitions"] =
            json!({"x": {"type": "oauth2", "flow": "device"}, "y": {"type": "saml"}});
        assert_eq!(convert(&bad).unwrap_err().len(), 2);
    }

    #[test]
    fn body_parameters_become_request_bodies_per_consumed_media_type() {
        let body = json!({"name": "b", "in": "body", "description": "the thing", "required": true, "schema": {"type": "string"}});
        let ops = json!({
            "/own": {"post": {"consumes": ["text/plain", "application/xml"], "parameters": [body.clone()], "responses": {"204": {"description": "ok"}}}},
            "/global": {"post": {"parameters": [body.clone()], "responses": {"204": {"description": "ok"}}}}
        });
        let out = ok(&minimal(ops.clone())).document;
        assert_eq!(
            at(&out, "/paths/~1own/post/requestBody"),
            &json!({"description": "the thing", "required": true, "content": {
                "text/plain": {"schema": {"type": "string"}}, "application/xml": {"schema": {"type": "string"}}
            }})
        );
        assert_eq!(
            at(&out, "/paths/~1global/post/requestBody/content"),
            &json!({"application/json": {"schema": {"type": "string"}}})
        );
        let mut with_global = minimal(ops);
        with_global["consumes"] = json!(["application/vnd.a+json"]);
        let out = ok(&with_global).document;
        assert!(out
            .pointer("/paths/~1global/post/requestBody/content/application~1vnd.a+json")
            .is_some());
        assert!(out
            .pointer("/paths/~1own/post/requestBody/content/text~1plain")
            .is_some());
    }

    #[test]
    fn a_shared_body_used_under_other_media_types_is_copied_in_place() {
        let mut doc = minimal(json!({"/a": {"put": {
            "consumes": ["application/xml"],
            "parameters": [{"$ref": "#/parameters/B"}],
            "responses": {"204": {"description": "ok"}}
        }}}));
        doc["parameters"] =
            json!({"B": {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/T"}}});
        doc["definitions"] = json!({"T": {"type": "string"}});
        let converted = ok(&doc);
        assert_eq!(
            at(&converted.document, "/paths/~1a/put/requestBody"),
            &json!({"content": {"application/xml": {"schema": {"$ref": "#/components/schemas/T"}}}})
        );
        assert_eq!(
            converted
                .origins
                .find("/paths/~1a/put/requestBody/content/application~1xml/schema/$ref"),
            (0, "/parameters/B/schema/$ref".to_owned())
        );
    }

    #[test]
    fn form_parameters_become_one_object_request_body() {
        let doc = minimal(json!({"/f": {"post": {
            "parameters": [
                {"name": "a", "in": "formData", "type": "string", "required": true, "description": "A"},
                {"name": "b", "in": "formData", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
                {"name": "c", "in": "formData", "type": "array", "items": {"type": "integer"}}
            ],
            "responses": {"204": {"description": "ok"}}
        }}}));
        let converted = ok(&doc);
        parses_as_openapi(&converted.document);
        assert_eq!(
            at(&converted.document, "/paths/~1f/post/requestBody"),
            &json!({"required": true, "content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "required": ["a"], "properties": {
                    "a": {"type": "string", "description": "A"},
                    "b": {"type": "array", "items": {"type": "integer"}},
                    "c": {"type": "array", "items": {"type": "integer"}}
                }},
                "encoding": {"b": {"style": "form", "explode": true}, "c": {"style": "form", "explode": false}}
            }}})
        );
        assert_eq!(
            converted.origins.find("/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/b/items/type"),
            (0, "/paths/~1f/post/parameters/1/items/type".to_owned())
        );
        let mut multipart = doc.clone();
        multipart["paths"]["/f"]["post"]["consumes"] = json!(["multipart/form-data"]);
        let out = ok(&multipart).document;
        assert!(out
            .pointer("/paths/~1f/post/requestBody/content/multipart~1form-data/schema/properties/a")
            .is_some());
        assert!(out
            .pointer("/paths/~1f/post/requestBody/content/multipart~1form-data/encoding")
            .is_none());
    }

    #[test]
    fn parameter_value_keys_move_under_schema() {
        let doc = minimal(json!({"/p": {"get": {
            "parameters": [{
                "name": "n", "in": "query", "type": "number", "format": "double", "minimum": 0, "exclusiveMinimum": true,
                "maximum": 10, "default": 1.5, "enum": [1.5, 2], "multipleOf": 0.5, "allowEmptyValue": true,
                "description": "d", "x-ext": "kept", "x-nullable": true
            }, {
                "name": "s", "in": "header", "type": "string", "minLength": 1, "maxLength": 3, "pattern": "^a"
            }],
            "responses": {"200": {"description": "ok"}}
        }}}));
        let converted = ok(&doc);
        parses_as_openapi(&converted.document);
        assert_eq!(
            at(&converted.document, "/paths/~1p/get/parameters/0"),
            &json!({"name": "n", "in": "query", "description": "d", "allowEmptyValue": true, "x-ext": "kept", "schema": {
                "type": "number", "format": "double", "minimum": 0, "exclusiveMinimum": true, "maximum": 10,
                "default": 1.5, "enum": [1.5, 2], "multipleOf": 0.5, "nullable": true
            }})
        );
        assert_eq!(
            at(&converted.document, "/paths/~1p/get/parameters/1/schema"),
            &json!({"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^a"})
        );
        assert_eq!(
            converted
                .origins
                .find("/paths/~1p/get/parameters/0/schema/maximum"),
            (0, "/paths/~1p/get/parameters/0/maximum".to_owned())
        );
    }

    #[test]
    fn collection_formats_become_styles() {
        let array = |name: &str, location: &str, format: &str| {
            let mut p = json!({"name": name, "in": location, "required": true, "type": "array", "items": {"type": "string"}});
            if !format.is_empty() {
                p["collectionFormat"] = json!(format);
            }
            p
        };
        let doc = minimal(json!({"/c/{p}/{q}": {"get": {
            "parameters": [
                array("a", "query", "csv"), array("b", "query", "ssv"), array("c", "query", "pipes"),
                array("d", "query", "multi"), array("e", "query", "tsv"), array("f", "query", ""),
                array("p", "path", "csv"), array("h", "header", ""), array("q", "path", "multi")
            ],
            "responses": {"200": {"description": "ok"}}
        }}}));
        let converted = ok(&doc);
        parses_as_openapi(&converted.document);
        let styles: Vec<(String, bool)> =
            at(&converted.document, "/paths/~1c~1{p}~1{q}/get/parameters")
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["style"].as_str().unwrap().to_owned(),
                        p["explode"].as_bool().unwrap(),
                    )
                })
                .collect();
        let expected = [
            ("form", false),
            ("spaceDelimited", false),
            ("pipeDelimited", false),
            ("form", true),
            ("form", false),
            ("form", false),
            ("simple", false),
            ("simple", false),
            ("simple", false),
        ];
        assert_eq!(styles, expected.map(|(s, e)| (s.to_owned(), e)));
        let pointer = "/paths/~1c~1{p}~1{q}/get/parameters";
        assert!(warned(
            &converted,
            &format!("{pointer}/4/collectionFormat"),
            "tsv"
        ));
        assert!(warned(
            &converted,
            &format!("{pointer}/8/collectionFormat"),
            "path parameter"
        ));
        assert_eq!(converted.warnings.len(), 2, "{:?}", converted.warnings);
    }

    #[test]
    fn path_level_parameters_stay_and_path_level_bodies_join_each_operation() {
        let doc = minimal(json!({"/x/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "type": "string"},
                {"name": "payload", "in": "body", "schema": {"type": "object"}},
                {"name": "trace", "in": "header", "type": "string"}
            ],
            "put": {"responses": {"204": {"description": "ok"}}},
            "post": {
                "parameters": [{"name": "other", "in": "body", "schema": {"type": "string"}}, {"name": "q", "in": "query", "type": "string"}],
                "responses": {"204": {"description": "ok"}}
            }
        }}));
        let converted = ok(&doc);
        let out = &converted.document;
        parses_as_openapi(out);
        assert_eq!(
            at(out, "/paths/~1x~1{id}/parameters")
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(at(out, "/paths/~1x~1{id}/parameters/1/name"), "trace");
        assert_eq!(
            converted
                .origins
                .find("/paths/~1x~1{id}/parameters/1/schema/type"),
            (0, "/paths/~1x~1{id}/parameters/2/type".to_owned())
        );
        assert_eq!(
            at(
                out,
                "/paths/~1x~1{id}/put/requestBody/content/application~1json/schema/type"
            ),
            "object"
        );
        assert_eq!(
            converted
                .origins
                .find("/paths/~1x~1{id}/put/requestBody/content/application~1json/schema/type"),
            (0, "/paths/~1x~1{id}/parameters/1/schema/type".to_owned())
        );
        assert_eq!(
            at(
                out,
                "/paths/~1x~1{id}/post/requestBody/content/application~1json/schema/type"
            ),
            "string"
        );
        assert_eq!(at(out, "/paths/~1x~1{id}/post/parameters/0/name"), "q");
        assert_eq!(
            converted
                .origins
                .find("/paths/~1x~1{id}/post/parameters/0/schema"),
            (0, "/paths/~1x~1{id}/post/parameters/1".to_owned())
        );
    }

    #[test]
    fn path_level_form_parameters_merge_with_the_operations_own() {
        let doc = minimal(json!({"/u": {
            "parameters": [{"name": "a", "in": "formData", "type": "string"}, {"name": "b", "in": "formData", "type": "string"}],
            "post": {
                "parameters": [{"name": "b", "in": "formData", "type": "integer"}, {"name": "f", "in": "formData", "type": "file"}],
                "responses": {"204": {"description": "ok"}}
            }
        }}));
        let out = ok(&doc).document;
        assert_eq!(
            at(
                &out,
                "/paths/~1u/post/requestBody/content/multipart~1form-data/schema/properties"
            ),
            &json!({"a": {"type": "string"}, "b": {"type": "integer"}, "f": {"type": "string", "format": "binary"}})
        );
        assert!(out.pointer("/paths/~1u/parameters").is_none());
    }

    #[test]
    fn responses_get_content_headers_and_examples() {
        let mut doc = minimal(json!({"/r": {"get": {
            "produces": ["application/json", "text/csv"],
            "responses": {
                "200": {
                    "description": "ok",
                    "schema": {"type": "array", "items": {"type": "string"}},
                    "headers": {"X-Count": {"type": "integer", "description": "how many"}},
                    "examples": {"application/json": ["a"], "application/xml": "<a/>"},
                    "x-r": true
                },
                "404": {},
                "default": {"description": "error", "schema": {"type": "file"}}
            }
        }}}));
        doc["produces"] = json!(["application/xml"]);
        let converted = ok(&doc);
        let out = &converted.document;
        parses_as_openapi(out);
        let ok_response = at(out, "/paths/~1r/get/responses/200");
        assert_eq!(
            ok_response["content"],
            json!({
                "application/json": {"schema": {"type": "array", "items": {"type": "string"}}, "example": ["a"]},
                "text/csv": {"schema": {"type": "array", "items": {"type": "string"}}},
                "application/xml": {"schema": {"type": "array", "items": {"type": "string"}}, "example": "<a/>"}
            })
        );
        assert_eq!(
            ok_response["headers"]["X-Count"],
            json!({"description": "how many", "schema": {"type": "integer"}})
        );
        assert_eq!(ok_response["x-r"], json!(true));
        assert_eq!(
            at(out, "/paths/~1r/get/responses/404"),
            &json!({"description": ""})
        );
        assert!(warned(
            &converted,
            "/paths/~1r/get/responses/404",
            "no description"
        ));
        assert_eq!(
            at(
                out,
                "/paths/~1r/get/responses/default/content/text~1csv/schema"
            ),
            &json!({"type": "string", "format": "binary"})
        );
        let origins = &converted.origins;
        assert_eq!(
            origins.find("/paths/~1r/get/responses/200/content/text~1csv/schema/items/type"),
            (
                0,
                "/paths/~1r/get/responses/200/schema/items/type".to_owned()
            )
        );
        assert_eq!(
            origins.find("/paths/~1r/get/responses/200/content/application~1xml/example"),
            (
                0,
                "/paths/~1r/get/responses/200/examples/application~1xml".to_owned()
            )
        );
        assert_eq!(
            origins.find("/paths/~1r/get/responses/200/headers/X-Count/schema/type"),
            (
                0,
                "/paths/~1r/get/responses/200/headers/X-Count/type".to_owned()
            )
        );
    }

    #[test]
    fn schema_rules_apply_at_every_depth() {
        let mut leaf = json!({"type": "string", "x-nullable": true});
        for _ in 0..100 {
            let array = Value::Object(Map::from_iter([
                ("type".to_owned(), json!("array")),
                ("items".to_owned(), leaf),
            ]));
            leaf = Value::Object(Map::from_iter([
                ("type".to_owned(), json!("object")),
                (
                    "properties".to_owned(),
                    Value::Object(Map::from_iter([("a".to_owned(), array)])),
                ),
            ]));
        }
        let mut doc = minimal(json!({}));
        doc["definitions"] = json!({
            "Deep": leaf,
            "Poly": {"discriminator": "kind", "properties": {"kind": {"type": "string"}}, "readOnly": true,
                     "xml": {"name": "p"}, "externalDocs": {"url": "https://e"}, "x-any": [1]},
            "Both": {"allOf": [{"$ref": "#/definitions/Poly"}], "additionalProperties": {"type": "file"}},
            "NotNull": {"type": "string", "x-nullable": false},
            "Odd": {"type": "string", "x-nullable": "yes"}
        });
        let converted = ok(&doc);
        let out = &converted.document;
        // (Not deserialised with openapiv3 here: its deserialiser recurses deeper than a test
        // thread's stack allows at this depth; the shallow schemas are checked below.)
        let mut shallow = out.clone();
        if let Some(Value::Object(schemas)) = shallow.pointer_mut("/components/schemas") {
            if let Some(deep) = schemas.shift_remove("Deep") {
                dismantle(deep);
            }
        }
        parses_as_openapi(&shallow);
        let mut pointer = "/components/schemas/Deep".to_owned();
        for _ in 0..100 {
            pointer.push_str("/properties/a/items");
        }
        assert_eq!(
            at(out, &pointer),
            &json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            converted.origins.find(&format!("{pointer}/nullable")),
            (
                0,
                format!(
                    "{}/nullable",
                    pointer.replacen("/components/schemas", "/definitions", 1)
                )
            )
        );
        let poly = at(out, "/components/schemas/Poly");
        assert_eq!(poly["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(poly["readOnly"], json!(true));
        assert_eq!(poly["xml"], json!({"name": "p"}));
        assert_eq!(poly["x-any"], json!([1]));
        assert_eq!(
            at(out, "/components/schemas/Both/additionalProperties"),
            &json!({"type": "string", "format": "binary"})
        );
        assert_eq!(at(out, "/components/schemas/NotNull/nullable"), false);
        assert_eq!(at(out, "/components/schemas/Odd/x-nullable"), "yes");
    }

    #[test]
    fn operation_fields_and_extensions_are_copied() {
        let mut doc = minimal(json!({"/o": {
            "x-path": 1,
            "get": {
                "tags": ["t"], "summary": "s", "description": "d", "operationId": "op", "deprecated": true,
                "externalDocs": {"url": "https://e"}, "security": [{"k": []}], "x-op": {"a": 1},
                "responses": {"200": {"description": "ok"}, "x-resp": 2}
            }
        }, "x-paths": 3}));
        doc["x-top"] = json!("t");
        doc["tags"] = json!([{"name": "t"}]);
        doc["security"] = json!([{"k": []}]);
        doc["externalDocs"] = json!({"url": "https://e"});
        doc["definitions"] = json!({});
        let out = ok(&doc).document;
        parses_as_openapi(&out);
        let op = at(&out, "/paths/~1o/get");
        for key in [
            "tags",
            "summary",
            "description",
            "operationId",
            "deprecated",
            "externalDocs",
            "security",
            "x-op",
        ] {
            assert_eq!(op[key], doc["paths"]["/o"]["get"][key], "{key}");
        }
        assert_eq!(op["responses"]["x-resp"], json!(2));
        assert_eq!(at(&out, "/paths/~1o/x-path"), 1);
        assert_eq!(at(&out, "/paths/x-paths"), 3);
        for key in ["x-top", "tags", "security", "externalDocs", "info"] {
            assert_eq!(out[key], doc[key], "{key}");
        }
    }

    #[test]
    fn origins_map_moved_components_back_to_their_2_0_places() {
        let doc: Value = serde_json::from_str(PETSTORE).unwrap();
        let mut doc = doc;
        doc["parameters"] = json!({"Q": {"name": "q", "in": "query", "type": "array", "items": {"type": "string", "enum": ["a"]}}});
        doc["responses"] =
            json!({"Gone": {"description": "gone", "schema": {"$ref": "#/definitions/Pet"}}});
        let converted = ok(&doc);
        let find = |pointer: &str| converted.origins.find(pointer).1;
        assert_eq!(
            find("/components/schemas/Pet/properties/tags/items/$ref"),
            "/definitions/Pet/properties/tags/items/$ref"
        );
        assert_eq!(
            find("/components/parameters/Q/schema/items/enum/0"),
            "/parameters/Q/items/enum/0"
        );
        assert_eq!(find("/components/parameters/Q/name"), "/parameters/Q/name");
        assert_eq!(
            find("/components/responses/Gone/content/application~1json/schema/$ref"),
            "/responses/Gone/schema/$ref"
        );
        assert_eq!(
            find("/components/responses/Gone/description"),
            "/responses/Gone/description"
        );
        assert_eq!(
            find("/components/securitySchemes/api_key/in"),
            "/securityDefinitions/api_key/in"
        );
        assert_eq!(find("/servers/0/url"), "/host/0/url");
        assert_eq!(
            find("/paths/~1pet/post/requestBody/content/application~1json/schema/$ref"),
            "/paths/~1pet/post/parameters/0/schema/$ref"
        );
        assert_eq!(
            find("/paths/~1pet/post/requestBody/description"),
            "/paths/~1pet/post/parameters/0/description"
        );
        assert_eq!(
            find("/paths/~1pet~1{petId}~1uploadImage/post/requestBody/content/multipart~1form-data/schema/properties/file"),
            "/paths/~1pet~1{petId}~1uploadImage/post/parameters/2"
        );
        assert_eq!(
            find("/paths/~1user~1login/get/parameters/1/schema/type"),
            "/paths/~1user~1login/get/parameters/1/type"
        );
        // Nodes that did not move stay where they are.
        assert_eq!(
            find("/paths/~1pet/post/operationId"),
            "/paths/~1pet/post/operationId"
        );
        assert_eq!(find("/info/title"), "/info/title");
    }

    #[test]
    fn sloppy_documents_convert_with_warnings() {
        let mut doc = minimal(json!({"/s/{id}": {"get": {
            "parameters": [
                {"name": "id", "in": "path", "type": "string"},
                {"name": "q", "in": "query", "schema": {"type": "integer"}},
                {"name": "h", "in": "header", "type": "string", "allowEmptyValue": true}
            ],
            "responses": {"200": {"$ref": "#/definitions/T"}}
        }}}));
        doc["definitions"] = json!({"T": {"type": "string"}});
        doc["basePath"] = json!("v1");
        doc["produces"] = json!("application/json");
        doc["unknownThing"] = json!(1);
        let converted = ok(&doc);
        let out = &converted.document;
        parses_as_openapi(out);
        assert_eq!(at(out, "/servers/0/url"), "/v1");
        assert_eq!(at(out, "/paths/~1s~1{id}/get/parameters/0/required"), true);
        assert_eq!(
            at(out, "/paths/~1s~1{id}/get/parameters/1/schema"),
            &json!({"type": "integer"})
        );
        assert!(at(out, "/paths/~1s~1{id}/get/parameters/2")
            .get("allowEmptyValue")
            .is_none());
        assert_eq!(
            at(
                out,
                "/paths/~1s~1{id}/get/responses/200/content/application~1json/schema/$ref"
            ),
            "#/components/schemas/T"
        );
        assert!(out.get("unknownThing").is_none());
        for pointer in [
            "/paths/~1s~1{id}/get/parameters/0",
            "/paths/~1s~1{id}/get/parameters/2/allowEmptyValue",
            "/paths/~1s~1{id}/get/responses/200/$ref",
            "/basePath",
            "/produces",
            "/unknownThing",
        ] {
            assert!(
                converted.warnings.iter().any(|w| w.pointer == pointer),
                "no warning at {pointer}: {:?}",
                converted.warnings
            );
        }
        assert_eq!(
            converted
                .origins
                .find("/paths/~1s~1{id}/get/parameters/1/schema/type"),
            (
                0,
                "/paths/~1s~1{id}/get/parameters/1/schema/type".to_owned()
            )
        );
    }

    #[test]
    fn non_objects_where_objects_are_expected_are_reported_not_panicked_on() {
        let doc = json!({
            "swagger": "2.0", "info": 7, "host": 5, "schemes": "https", "consumes": {}, "produces": [1, null],
            "paths": {"/a": 1, "/b": {"get": [], "post": {"parameters": {}, "responses": []},
                      "put": {"parameters": [1, {"in": "query"}, {"name": "n"}, {"$ref": 3}], "responses": {"200": 1, "201": {"headers": 2}}}}},
            "definitions": {"A": 1, "B": [], "C": {"properties": 1, "items": "x", "allOf": {"x": 1}}},
            "parameters": {"P": 4},
            "responses": {"R": "no"},
            "securityDefinitions": {"S": null}
        });
        let problems = convert(&doc).unwrap_err();
        let pointers: BTreeSet<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        for expected in [
            "/paths/~1a",
            "/paths/~1b/get",
            "/paths/~1b/post/parameters",
            "/paths/~1b/post/responses",
            "/paths/~1b/put/parameters/0",
            "/paths/~1b/put/parameters/1",
            "/paths/~1b/put/parameters/2",
            "/paths/~1b/put/parameters/3/$ref",
            "/paths/~1b/put/responses/200",
            "/paths/~1b/put/responses/201/headers",
            "/parameters/P",
            "/responses/R",
            "/securityDefinitions/S",
        ] {
            assert!(
                pointers.contains(expected),
                "no problem at {expected}: {problems:?}"
            );
        }
    }

    /// Takes a value apart without recursion, so that dropping a very deep test value cannot
    /// overflow the stack either.
    fn dismantle(value: Value) {
        let mut work = vec![value];
        while let Some(mut node) = work.pop() {
            match &mut node {
                Value::Object(map) => work.extend(std::mem::take(map).into_iter().map(|(_, v)| v)),
                Value::Array(items) => work.append(items),
                _ => {}
            }
        }
    }

    #[test]
    fn ten_thousand_levels_of_nesting_are_refused_without_overflowing() {
        // Built by moving values in (`json!` would serialise its arguments, recursively).
        let mut schema = json!({"type": "string"});
        for _ in 0..10_000 {
            let properties = Value::Object(Map::from_iter([("a".to_owned(), schema)]));
            schema = Value::Object(Map::from_iter([
                ("type".to_owned(), json!("object")),
                ("properties".to_owned(), properties),
            ]));
        }
        let mut items = json!({"type": "string"});
        for _ in 0..10_000 {
            items = Value::Array(vec![items]);
        }
        let mut doc = minimal(json!({"/x": {"get": {"responses": {"200": {"description": "d"}}}}}));
        if let Some(Value::Object(response)) = doc.pointer_mut("/paths/~1x/get/responses/200") {
            response.insert("schema".to_owned(), items);
        }
        if let Value::Object(root) = &mut doc {
            root.insert(
                "definitions".to_owned(),
                Value::Object(Map::from_iter([("Deep".to_owned(), schema)])),
            );
        }
        let result = convert(&doc);
        dismantle(doc);
        let problems = result.unwrap_err();
        let tails: Vec<&str> = problems
            .iter()
            .map(|p| &p.pointer[..p.pointer.len().min(60)])
            .collect();
        assert_eq!(problems.len(), 2, "{tails:?}");
        assert!(problems
            .iter()
            .all(|p| p.message.contains("nests more than")));
        assert!(problems[0]
            .pointer
            .starts_with("/definitions/Deep/properties/a/properties/a"));
    }

    #[test]
    fn mutated_documents_never_panic_and_stay_deterministic() {
        let doc: Value = serde_json::from_str(PETSTORE).unwrap();
        // Every node's pointer, collected without recursion.
        let mut pointers = Vec::new();
        let mut work = vec![(String::new(), &doc)];
        while let Some((pointer, node)) = work.pop() {
            match node {
                Value::Object(map) => {
                    work.extend(map.iter().map(|(k, v)| (push_pointer(&pointer, k), v)))
                }
                Value::Array(items) => work.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (push_pointer(&pointer, &i.to_string()), v)),
                ),
                _ => {}
            }
            pointers.push(pointer);
        }
        let replacements = [
            json!(null),
            json!(5),
            json!("s"),
            json!([]),
            json!({}),
            json!({"$ref": "#/parameters/nope"}),
        ];
        let mut converted = 0;
        for (index, pointer) in pointers.iter().enumerate() {
            let replacement = &replacements[index % replacements.len()];
            let mut mutated = doc.clone();
            if let Some(slot) = mutated.pointer_mut(pointer) {
                *slot = replacement.clone();
            }
            let first = convert(&mutated);
            let second = convert(&mutated);
            match (&first, &second) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.document, b.document);
                    assert_eq!(a.warnings, b.warnings);
                    converted += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a, b),
                _ => panic!("conversion of {pointer} is not deterministic"),
            }
        }
        assert!(
            converted > pointers.len() / 4,
            "only {converted} of {} converted",
            pointers.len()
        );
    }
}
