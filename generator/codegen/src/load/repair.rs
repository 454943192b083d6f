//! Common harmless defects of published 3.0 documents, mended with a stated interpretation.
//!
//! Each mend is recorded as a [`Problem`] at the node it changed, saying what was written and
//! what was taken to be meant. Strict loading (curated specs) reports them as errors, so the
//! spec gets fixed; lenient loading (`cargo xtask generate`) reports them as warnings and goes
//! on. What is mended:
//!
//! - a response without `description` (required by OpenAPI): an empty description;
//! - an OAuth2 flow without `scopes`: no scopes;
//! - a parameter with neither `schema` nor `content`: a string;
//! - a Swagger 2.0 `in: body` or `in: formData` parameter left in a 3.0 document: the request
//!   body it describes (JSON, or a form of its `formData` parameters);
//! - in a schema: a `type` list (3.1 style) → the first non-`null` type, nullable if `null` is
//!   listed; a numeric `exclusiveMinimum`/`exclusiveMaximum` (3.1 style) → the bound plus `true`;
//!   an integer bound beyond 64 bits → no bound; a length or count that is not a non-negative
//!   integer → no constraint; `required: true`/`false` inside a property (2.0 style) → dropped.

use serde_json::{json, Map, Value};

use super::walk::{self, Token};
use crate::diagnostic::{push_pointer, Problem};

/// Schema keywords whose value is a non-negative integer.
const COUNTS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Keys under which values are data (or extensions), never schemas to mend.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Mends `document` in place, recording each change in `mended`.
pub fn mend(document: &mut Value, mended: &mut Vec<Problem>) {
    mend_schemas(document, mended);
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let item_pointer = push_pointer("/paths", path);
            let Value::Object(item) = item else { continue };
            if let Some(Value::Array(list)) = item.get_mut("parameters") {
                let at = push_pointer(&item_pointer, "parameters");
                for (i, parameter) in list.iter_mut().enumerate() {
                    mend_parameter(parameter, &push_pointer(&at, &i.to_string()), mended);
                }
            }
            for (method, op) in item.iter_mut() {
                if !is_method(method) {
                    continue;
                }
                let op_pointer = push_pointer(&item_pointer, method);
                let Value::Object(op) = op else { continue };
                mend_body_parameters(op, &op_pointer, mended);
                if let Some(Value::Array(list)) = op.get_mut("parameters") {
                    let at = push_pointer(&op_pointer, "parameters");
                    for (i, parameter) in list.iter_mut().enumerate() {
                        mend_parameter(parameter, &push_pointer(&at, &i.to_string()), mended);
                    }
                }
                if let Some(Value::Object(responses)) = op.get_mut("responses") {
                    let at = push_pointer(&op_pointer, "responses");
                    for (status, response) in responses.iter_mut() {
                        mend_response(response, &push_pointer(&at, status), mended);
                    }
                }
            }
        }
    }
    let Some(Value::Object(components)) = document.get_mut("components") else {
        return;
    };
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        for (name, response) in responses.iter_mut() {
            mend_response(
                response,
                &push_pointer("/components/responses", name),
                mended,
            );
        }
    }
    if let Some(Value::Object(parameters)) = components.get_mut("parameters") {
        for (name, parameter) in parameters.iter_mut() {
            mend_parameter(
                parameter,
                &push_pointer("/components/parameters", name),
                mended,
            );
        }
    }
    if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
        for (name, scheme) in schemes.iter_mut() {
            let at = push_pointer(&push_pointer("/components/securitySchemes", name), "flows");
            let Some(Value::Object(flows)) = scheme.get_mut("flows") else {
                continue;
            };
            for (flow_name, flow) in flows.iter_mut() {
                if let Value::Object(flow) = flow {
                    if !flow.contains_key("scopes") {
                        flow.insert("scopes".to_owned(), json!({}));
                        mended.push(Problem::new(
                            push_pointer(&at, flow_name),
                            "OAuth2 flow without `scopes` (required): taken as a flow with no scopes",
                        ));
                    }
                }
            }
        }
    }
}

fn is_method(key: &str) -> bool {
    matches!(
        key,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

fn mend_response(response: &mut Value, pointer: &str, mended: &mut Vec<Problem>) {
    let Value::Object(response) = response else {
        return;
    };
    if response.contains_key("$ref") || response.contains_key("description") {
        return;
    }
    response.insert("description".to_owned(), json!(""));
    mended.push(Problem::new(
        pointer,
        "response without `description` (required): taken as an empty description",
    ));
}

fn mend_parameter(parameter: &mut Value, pointer: &str, mended: &mut Vec<Problem>) {
    let Value::Object(parameter) = parameter else {
        return;
    };
    if parameter.contains_key("$ref")
        || parameter.contains_key("schema")
        || parameter.contains_key("content")
    {
        return;
    }
    if matches!(
        parameter.get("in").and_then(Value::as_str),
        Some("body" | "formData")
    ) {
        return;
    }
    // A 2.0-style parameter keeps its type keywords beside `name`; they make the schema.
    let mut schema = Map::new();
    for key in [
        "type", "format", "items", "enum", "default", "minimum", "maximum", "pattern",
    ] {
        if let Some(value) = parameter.shift_remove(key) {
            schema.insert(key.to_owned(), value);
        }
    }
    let taken = if schema.is_empty() {
        schema.insert("type".to_owned(), json!("string"));
        "taken as a string"
    } else {
        "its type keywords are taken as its schema"
    };
    parameter.insert("schema".to_owned(), Value::Object(schema));
    mended.push(Problem::new(
        pointer,
        format!("parameter with neither `schema` nor `content`: {taken}"),
    ));
}

/// Swagger 2.0 body and form parameters left in a 3.0 operation become its request body.
fn mend_body_parameters(op: &mut Map<String, Value>, pointer: &str, mended: &mut Vec<Problem>) {
    let Some(Value::Array(parameters)) = op.get_mut("parameters") else {
        return;
    };
    let location = |p: &Value| p.get("in").and_then(Value::as_str).map(str::to_owned);
    let mut body = None;
    let mut form = Map::new();
    let mut form_required = Vec::new();
    let mut index = 0;
    let at = push_pointer(pointer, "parameters");
    parameters.retain(|p| {
        let here = push_pointer(&at, &index.to_string());
        index += 1;
        match location(p).as_deref() {
            Some("body") => {
                body = Some(p.get("schema").cloned().unwrap_or_else(|| json!({})));
                mended.push(Problem::new(here, "`in: body` is Swagger 2.0: taken as the operation's JSON request body"));
                false
            }
            Some("formData") => {
                let name = p.get("name").and_then(Value::as_str).unwrap_or("field").to_owned();
                let mut schema = p.get("schema").cloned().unwrap_or_else(|| {
                    let mut s = Map::new();
                    for key in ["type", "format", "items", "enum"] {
                        if let Some(v) = p.get(key) {
                            s.insert(key.to_owned(), v.clone());
                        }
                    }
                    Value::Object(s)
                });
                if schema.get("type").and_then(Value::as_str) == Some("file") {
                    schema = json!({"type": "string", "format": "binary"});
                }
                if p.get("required").and_then(Value::as_bool) == Some(true) {
                    form_required.push(json!(name));
                }
                form.insert(name, schema);
                mended.push(Problem::new(here, "`in: formData` is Swagger 2.0: taken as a member of the operation's form request body"));
                false
            }
            _ => true,
        }
    });
    if op.contains_key("requestBody") {
        return;
    }
    if let Some(schema) = body {
        op.insert(
            "requestBody".to_owned(),
            json!({"content": {"application/json": {"schema": schema}}}),
        );
    } else if !form.is_empty() {
        let multipart = form
            .values()
            .any(|s| s.get("format").and_then(Value::as_str) == Some("binary"));
        let media = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut schema = json!({"type": "object", "properties": form});
        if !form_required.is_empty() {
            schema["required"] = Value::Array(form_required);
        }
        op.insert(
            "requestBody".to_owned(),
            json!({"content": {media: {"schema": schema}}}),
        );
    }
}

/// Keys whose value maps names to things (a property called `maxLength` is not a keyword).
const NAMED_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "securitySchemes",
    "requestBodies",
    "links",
    "callbacks",
    "paths",
    "content",
    "encoding",
    "variables",
    "mapping",
    "scopes",
];

/// Walks every object of the document (not data under `example`, `default`, …) and mends
/// schema keywords, without recursion. The walk only reads; the objects to mend are changed
/// afterwards, so the pointer of a node is made only for those.
fn mend_schemas(document: &mut Value, mended: &mut Vec<Problem>) {
    let mut to_mend = Vec::new();
    walk::each_container(document, |path, node| {
        // A node is a map of names when its key is one and its parent is not (a property
        // called `properties` is a schema).
        let mut named = false;
        for token in path {
            match token {
                Token::Key(key) => {
                    if !named && (DATA_KEYS.contains(key) || key.starts_with("x-")) {
                        return false;
                    }
                    named = !named && NAMED_MAPS.contains(key);
                }
                Token::Index(_) => named = false,
            }
        }
        if let Value::Object(map) = node {
            if !named && needs_mending(map) {
                to_mend.push(walk::pointer("", path));
            }
        }
        true
    });
    for pointer in to_mend {
        if let Some(Value::Object(map)) = document.pointer_mut(&pointer) {
            mend_schema_keywords(map, &pointer, mended);
        }
    }
}

/// Whether [`mend_schema_keywords`] would change `map` (checked without changing it).
fn needs_mending(map: &Map<String, Value>) -> bool {
    let is_integer = map.get("type").and_then(Value::as_str) == Some("integer");
    map.get("type").is_some_and(Value::is_array)
        || ["exclusiveMinimum", "exclusiveMaximum"]
            .iter()
            .any(|k| map.get(*k).is_some_and(Value::is_number))
        || (is_integer
            && ["minimum", "maximum"]
                .iter()
                .any(|k| map.get(*k).is_some_and(|v| !v.is_i64())))
        || COUNTS
            .iter()
            .any(|k| map.get(*k).is_some_and(|v| !v.is_u64()))
        || (map.get("required").is_some_and(Value::is_boolean) && is_schema_like(map))
}

fn mend_schema_keywords(map: &mut Map<String, Value>, pointer: &str, mended: &mut Vec<Problem>) {
    // `type` as a list.
    if let Some(Value::Array(types)) = map.get("type") {
        let has_null = types.iter().any(|t| t == "null");
        let first = types.iter().find(|t| *t != "null").cloned();
        let listed = Value::Array(types.clone()).to_string();
        match first {
            Some(first) => {
                map.insert("type".to_owned(), first.clone());
            }
            None => {
                map.shift_remove("type");
            }
        }
        if has_null {
            map.insert("nullable".to_owned(), json!(true));
        }
        mended.push(Problem::new(
            push_pointer(pointer, "type"),
            format!(
                "`type` is a list {listed} (OpenAPI 3.1 style): taken as its first non-null type{}",
                if has_null { ", nullable" } else { "" }
            ),
        ));
    }
    let is_integer = map.get("type").and_then(Value::as_str) == Some("integer");
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(number) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.to_owned(), number);
            map.insert(exclusive.to_owned(), json!(true));
            mended.push(Problem::new(
                push_pointer(pointer, exclusive),
                format!("numeric `{exclusive}` (OpenAPI 3.1 style): taken as `{bound}` with `{exclusive}: true`"),
            ));
        }
    }
    if is_integer {
        for bound in ["minimum", "maximum"] {
            let Some(value) = map.get(bound) else {
                continue;
            };
            if value.is_i64() {
                continue;
            }
            let shown = value.to_string();
            if let Some(f) = value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
            {
                map.insert(bound.to_owned(), json!(f as i64));
                continue;
            }
            map.shift_remove(bound);
            mended.push(Problem::new(
                push_pointer(pointer, bound),
                format!("integer `{bound}` {shown} is not a 64-bit integer: taken as no bound"),
            ));
        }
    }
    for count in COUNTS {
        let Some(value) = map.get(*count) else {
            continue;
        };
        if value.is_u64() {
            continue;
        }
        let shown = value.to_string();
        map.shift_remove(*count);
        mended.push(Problem::new(
            push_pointer(pointer, count),
            format!("`{count}` {shown} is not a non-negative integer: taken as no constraint"),
        ));
    }
    if map.get("required").is_some_and(Value::is_boolean) && is_schema_like(map) {
        map.shift_remove("required");
        mended.push(Problem::new(
            push_pointer(pointer, "required"),
            "`required: true|false` inside a schema (Swagger 2.0 style): ignored; list required members in the parent's `required`",
        ));
    }
}

/// A parameter also has a boolean `required`; a schema has `type` or `properties` and no `in`.
fn is_schema_like(map: &Map<String, Value>) -> bool {
    !map.contains_key("in")
        && !map.contains_key("content")
        && !map.contains_key("schema")
        && (map.contains_key("type")
            || map.contains_key("properties")
            || map.contains_key("$ref")
            || map.contains_key("format"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(mut document: Value) -> (Value, Vec<Problem>) {
        let mut problems = Vec::new();
        mend(&mut document, &mut problems);
        (document, problems)
    }

    #[test]
    fn structural_defects_are_mended_and_each_is_located() {
        let (document, problems) = mended(json!({
            "paths": {"/a": {"post": {
                "parameters": [{"name": "q", "in": "query"},
                               {"name": "b", "in": "body", "schema": {"type": "object"}}],
                "responses": {"200": {}}}}},
            "components": {"securitySchemes": {"o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t"}}}}}
        }));
        assert_eq!(
            document.pointer("/paths/~1a/post/responses/200/description"),
            Some(&json!(""))
        );
        assert_eq!(
            document.pointer("/paths/~1a/post/parameters/0/schema/type"),
            Some(&json!("string"))
        );
        assert_eq!(document.pointer("/paths/~1a/post/parameters/1"), None);
        assert_eq!(
            document.pointer("/paths/~1a/post/requestBody/content/application~1json/schema/type"),
            Some(&json!("object"))
        );
        assert_eq!(
            document.pointer("/components/securitySchemes/o/flows/clientCredentials/scopes"),
            Some(&json!({}))
        );
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/post/parameters/1",
                "/paths/~1a/post/parameters/0",
                "/paths/~1a/post/responses/200",
                "/components/securitySchemes/o/flows/clientCredentials",
            ]
        );
    }

    #[test]
    fn schema_keywords_of_other_versions_are_read_as_meant() {
        let (document, problems) = mended(json!({"components": {"schemas": {
            "A": {"type": ["string", "null"]},
            "B": {"type": "integer", "minimum": 1e30, "maximum": 10, "exclusiveMaximum": 5},
            "C": {"type": "object", "properties": {"x": {"type": "string", "required": true}}, "example": {"type": ["x"]}},
            "D": {"type": "string", "maxLength": -1},
            "E": {"type": "object", "properties": {"maxLength": {"type": "integer"}, "type": {"type": "string"}}}
        }}}));
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["A"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            schemas["B"],
            json!({"type": "integer", "maximum": 5, "exclusiveMaximum": true})
        );
        assert_eq!(schemas["C"]["properties"]["x"], json!({"type": "string"}));
        assert_eq!(
            schemas["C"]["example"],
            json!({"type": ["x"]}),
            "examples are data"
        );
        assert_eq!(schemas["D"], json!({"type": "string"}));
        assert_eq!(
            schemas["E"]["properties"],
            json!({"maxLength": {"type": "integer"}, "type": {"type": "string"}}),
            "members named like keywords are members"
        );
        assert_eq!(problems.len(), 5, "{problems:?}");
    }
}
