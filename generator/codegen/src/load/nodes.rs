//! The normalised value → `openapiv3::OpenAPI`, one node at a time.
//!
//! Deserialising the whole document at once stops at its first error and names only the
//! top-level section it was in. Here each path item's pieces (its parameters and each
//! operation) and each component are deserialised on their own, so every bad node is reported,
//! each at its own pointer, and the good ones are kept. A schema that fails is searched for the
//! deepest sub-schema that fails on its own, which is both the better location and, in lenient
//! mode, the smallest part to give up (it becomes "any value").

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Paths, ReferenceOr, Schema};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::diagnostic::{push_pointer, Problem};

/// The HTTP methods a path item may hold, in `openapiv3`'s field order.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords whose value is one schema.
const SCHEMA_CHILDREN: &[&str] = &["items", "not", "additionalProperties"];
/// Schema keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// Nodes at most this deep are read whole first (the common, fast case); deeper ones, and any
/// that fail, have their schemas salvaged part by part (see [`salvage`]).
const QUICK_READ_DEPTH: usize = 24;

/// How deep the search for a failing sub-schema goes; documents come from parsers that stop
/// at 128 levels, so this is never the limit for a real one.
const MAX_SCHEMA_DEPTH: usize = 256;

/// Deserialises `value` node by node. Nodes that cannot be read are reported in `errors` and
/// also, as what lenient loading does instead, in `dropped` (the node is left out, or a schema
/// becomes "any value"). Returns `None` only when the document's skeleton (`openapi`, `info`,
/// …) cannot be read.
pub fn deserialize(
    value: Value,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) -> Option<OpenAPI> {
    let Value::Object(mut root) = value else {
        errors.push(Problem::new("", "the document is not an object"));
        return None;
    };
    let paths = root.shift_remove("paths");
    let components = root.shift_remove("components");
    root.insert("paths".to_owned(), Value::Object(Map::new()));

    let mut document: OpenAPI = match read(&Value::Object(root), "") {
        Ok(document) => document,
        Err(problem) => {
            errors.push(problem);
            return None;
        }
    };
    document.paths = read_paths(paths, errors, dropped);
    document.components = components.map(|c| read_components(c, errors, dropped));
    Some(document)
}

/// Deserialises `value` as `T`; the error names the pointer of the node that failed.
fn read<T: DeserializeOwned>(value: &Value, pointer: &str) -> Result<T, Problem> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let mut at = pointer.to_owned();
        for segment in e.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => at = push_pointer(&at, &index.to_string()),
                Segment::Map { key } => at = push_pointer(&at, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        Problem::new(at, e.into_inner().to_string())
    })
}

/// Reports a node left out: an error in strict mode, a warning naming what was dropped in
/// lenient mode.
fn drop_node(problem: Problem, what: &str, errors: &mut Vec<Problem>, dropped: &mut Vec<Problem>) {
    dropped.push(Problem::new(
        problem.pointer.clone(),
        format!("{}; {what}", problem.message),
    ));
    errors.push(problem);
}

fn read_paths(
    paths: Option<Value>,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) -> Paths {
    let mut out = Paths::default();
    let Some(paths) = paths else {
        return out;
    };
    let Value::Object(paths) = paths else {
        drop_node(
            Problem::new(
                "/paths",
                "`paths` must be a mapping of path templates to path items",
            ),
            "no operation is read",
            errors,
            dropped,
        );
        return out;
    };
    for (path, item) in paths {
        let pointer = push_pointer("/paths", &path);
        if path.starts_with("x-") {
            out.extensions.insert(path, item);
            continue;
        }
        if !path.starts_with('/') {
            drop_node(
                Problem::new(&pointer, format!("path `{path}` does not start with `/`")),
                "the path is left out",
                errors,
                dropped,
            );
            continue;
        }
        if let Some(item) = read_path_item(item, &pointer, errors, dropped) {
            out.paths.insert(path, item);
        }
    }
    out
}

fn read_path_item(
    item: Value,
    pointer: &str,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) -> Option<ReferenceOr<openapiv3::PathItem>> {
    let Value::Object(mut item) = item else {
        drop_node(
            Problem::new(pointer, "a path item must be a mapping"),
            "the path is left out",
            errors,
            dropped,
        );
        return None;
    };
    if let Some(reference) = item.get("$ref").and_then(Value::as_str) {
        return Some(ReferenceOr::Reference {
            reference: reference.to_owned(),
        });
    }
    let mut operations = Vec::new();
    for method in METHODS {
        if let Some(op) = item.shift_remove(*method) {
            let at = push_pointer(pointer, method);
            match read_node::<openapiv3::Operation>(op, &at, errors, dropped) {
                Ok(op) => operations.push((*method, op)),
                Err(problem) => drop_node(problem, "the operation is left out", errors, dropped),
            }
        }
    }
    let mut parameters = Vec::new();
    if let Some(list) = item.shift_remove("parameters") {
        read_list(
            list,
            &push_pointer(pointer, "parameters"),
            &mut parameters,
            "the parameter is left out",
            errors,
            dropped,
        );
    }
    let mut path_item: openapiv3::PathItem = match read(&Value::Object(item), pointer) {
        Ok(path_item) => path_item,
        Err(problem) => {
            drop_node(
                problem,
                "the path's summary, description and servers are left out",
                errors,
                dropped,
            );
            openapiv3::PathItem::default()
        }
    };
    path_item.parameters = parameters;
    for (method, op) in operations {
        let slot = match method {
            "get" => &mut path_item.get,
            "put" => &mut path_item.put,
            "post" => &mut path_item.post,
            "delete" => &mut path_item.delete,
            "options" => &mut path_item.options,
            "head" => &mut path_item.head,
            "patch" => &mut path_item.patch,
            _ => &mut path_item.trace,
        };
        *slot = Some(op);
    }
    Some(ReferenceOr::Item(path_item))
}

/// Reads each item of a list on its own.
fn read_list<T: DeserializeOwned>(
    list: Value,
    pointer: &str,
    out: &mut Vec<T>,
    what: &str,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) {
    let Value::Array(items) = list else {
        drop_node(
            Problem::new(pointer, "expected a list"),
            what,
            errors,
            dropped,
        );
        return;
    };
    for (i, item) in items.into_iter().enumerate() {
        match read_node(
            item,
            &push_pointer(pointer, &i.to_string()),
            errors,
            dropped,
        ) {
            Ok(item) => out.push(item),
            Err(problem) => drop_node(problem, what, errors, dropped),
        }
    }
}

fn read_components(
    value: Value,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) -> Components {
    let mut components = Components::default();
    let Value::Object(map) = value else {
        drop_node(
            Problem::new("/components", "`components` must be a mapping"),
            "no component is read",
            errors,
            dropped,
        );
        return components;
    };
    for (kind, entries) in map {
        let pointer = push_pointer("/components", &kind);
        if kind.starts_with("x-") {
            components.extensions.insert(kind, entries);
            continue;
        }
        let Value::Object(entries) = entries else {
            drop_node(
                Problem::new(&pointer, format!("`components/{kind}` must be a mapping")),
                "the section is left out",
                errors,
                dropped,
            );
            continue;
        };
        match kind.as_str() {
            "schemas" => {
                for (name, schema) in entries {
                    let at = push_pointer(&pointer, &name);
                    components
                        .schemas
                        .insert(name, read_schema(schema, &at, errors, dropped));
                }
            }
            "responses" => read_entries(
                entries,
                &pointer,
                &mut components.responses,
                errors,
                dropped,
            ),
            "parameters" => read_entries(
                entries,
                &pointer,
                &mut components.parameters,
                errors,
                dropped,
            ),
            "examples" => {
                read_entries(entries, &pointer, &mut components.examples, errors, dropped)
            }
            "requestBodies" => read_entries(
                entries,
                &pointer,
                &mut components.request_bodies,
                errors,
                dropped,
            ),
            "headers" => read_entries(entries, &pointer, &mut components.headers, errors, dropped),
            "securitySchemes" => read_entries(
                entries,
                &pointer,
                &mut components.security_schemes,
                errors,
                dropped,
            ),
            "links" => read_entries(entries, &pointer, &mut components.links, errors, dropped),
            "callbacks" => read_entries(
                entries,
                &pointer,
                &mut components.callbacks,
                errors,
                dropped,
            ),
            // Unknown sections (3.1's pathItems after conversion, vendor additions) are ignored
            // as `openapiv3` would.
            _ => {}
        }
    }
    components
}

fn read_entries<T: DeserializeOwned>(
    entries: Map<String, Value>,
    pointer: &str,
    out: &mut IndexMap<String, T>,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) {
    for (name, entry) in entries {
        match read_node(entry, &push_pointer(pointer, &name), errors, dropped) {
            Ok(entry) => {
                out.insert(name, entry);
            }
            Err(problem) => drop_node(problem, "the component is left out", errors, dropped),
        }
    }
}

/// Reads a component schema. When it fails, the deepest failing sub-schemas are reported and
/// replaced by `{}` (any value) and the rest is read again.
fn read_schema(
    mut value: Value,
    pointer: &str,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) -> ReferenceOr<Schema> {
    if depth_of(&value) <= QUICK_READ_DEPTH {
        if let Ok(schema) = read(&value, pointer) {
            return schema;
        }
    }
    salvage(&mut value, pointer, 0, errors, dropped);
    read(&value, pointer).unwrap_or_else(|problem| {
        drop_node(
            problem,
            "the schema is taken as any JSON value",
            errors,
            dropped,
        );
        ReferenceOr::Item(any_schema())
    })
}

/// Reads a node other than a schema (an operation, a parameter, a response, …). Schemas inside
/// it are salvaged first when it is deep or fails, so that neither the time taken nor the
/// location of the problem depends on how deep a bad schema sits.
fn read_node<T: DeserializeOwned>(
    mut value: Value,
    pointer: &str,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) -> Result<T, Problem> {
    if depth_of(&value) <= QUICK_READ_DEPTH {
        if let Ok(node) = read(&value, pointer) {
            return Ok(node);
        }
    }
    salvage_embedded(&mut value, pointer, errors, dropped);
    read(&value, pointer)
}

/// Salvages every schema found under a `schema` key of `value` (without recursion).
fn salvage_embedded(
    value: &mut Value,
    pointer: &str,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) {
    let mut stack: Vec<(String, &mut Value)> = vec![(pointer.to_owned(), value)];
    while let Some((at, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let child_at = push_pointer(&at, key);
                    if key == "schema" && child.is_object() {
                        salvage(child, &child_at, 0, errors, dropped);
                    } else if child.is_object() || child.is_array() {
                        stack.push((child_at, child));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    stack.push((push_pointer(&at, &i.to_string()), child));
                }
            }
            _ => {}
        }
    }
}

/// Replaces each sub-schema of `value` that cannot be read by `{}`, reporting it. Children are
/// mended before their parent is read, so each read is of a subtree whose parts all read: the
/// cost stays linear in the subtree (serde's untagged enums retry a failing subtree once per
/// alternative at every level, which is exponential in the depth of a failure).
fn salvage(
    value: &mut Value,
    pointer: &str,
    depth: usize,
    errors: &mut Vec<Problem>,
    dropped: &mut Vec<Problem>,
) {
    if depth < MAX_SCHEMA_DEPTH {
        if let Value::Object(map) = value {
            for (key, child) in map.iter_mut() {
                let at = push_pointer(pointer, key);
                match key.as_str() {
                    "properties" => {
                        if let Value::Object(properties) = child {
                            for (name, schema) in properties.iter_mut() {
                                let at = push_pointer(&at, name);
                                salvage(schema, &at, depth + 1, errors, dropped);
                            }
                        }
                    }
                    k if SCHEMA_CHILDREN.contains(&k) && child.is_object() => {
                        salvage(child, &at, depth + 1, errors, dropped);
                    }
                    k if SCHEMA_LISTS.contains(&k) => {
                        if let Value::Array(list) = child {
                            for (i, schema) in list.iter_mut().enumerate() {
                                let at = push_pointer(&at, &i.to_string());
                                salvage(schema, &at, depth + 1, errors, dropped);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Err(problem) = read::<ReferenceOr<Schema>>(value, pointer) {
        drop_node(
            problem,
            "the schema is taken as any JSON value",
            errors,
            dropped,
        );
        *value = Value::Object(Map::new());
    }
}

/// How deep a value nests (objects and arrays), counted without recursion.
fn depth_of(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match node {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    deepest
}

/// `{}`: a schema that accepts anything.
fn any_schema() -> Schema {
    Schema {
        schema_data: Default::default(),
        schema_kind: openapiv3::SchemaKind::Any(Default::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: Value) -> (Option<OpenAPI>, Vec<Problem>, Vec<Problem>) {
        // As the loader does: on a thread with its stack (see `load::parse_with`).
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || {
                let (mut errors, mut dropped) = (Vec::new(), Vec::new());
                let document = deserialize(value, &mut errors, &mut dropped);
                (document, errors, dropped)
            })
            .expect("thread")
            .join()
            .expect("no panic")
    }

    #[test]
    fn every_bad_operation_and_component_is_reported_at_its_own_pointer() {
        let (document, errors, _) = run(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"responses": {"200": {"description": "ok"}}},
                        "post": {"responses": "nonsense"}},
                "/b": {"get": {"parameters": [{"name": "x", "in": "nowhere"}], "responses": {}}}
            },
            "components": {
                "schemas": {"Good": {"type": "string"},
                            "Bad": {"type": "object", "properties": {"n": {"type": "integer", "minimum": "low"}}}},
                "securitySchemes": {"s": {"type": "oauth2"}}
            }
        }));
        let pointers: Vec<&str> = errors.iter().map(|p| p.pointer.as_str()).collect();
        assert!(
            pointers.contains(&"/paths/~1a/post/responses"),
            "{errors:?}"
        );
        assert!(
            pointers
                .iter()
                .any(|p| p.starts_with("/paths/~1b/get/parameters/0")),
            "{errors:?}"
        );
        assert!(
            pointers.contains(&"/components/schemas/Bad/properties/n"),
            "{errors:?}"
        );
        assert!(
            pointers
                .iter()
                .any(|p| p.starts_with("/components/securitySchemes/s")),
            "{errors:?}"
        );
        let document = document.expect("the skeleton is fine");
        // What could be read is kept.
        assert!(document.paths.paths.contains_key("/a"));
        let components = document.components.expect("components");
        assert!(components.schemas.contains_key("Good"));
        assert!(
            components.schemas.contains_key("Bad"),
            "salvaged with the bad member as any"
        );
        assert!(!components.security_schemes.contains_key("s"));
    }

    #[test]
    fn a_bad_skeleton_is_the_only_thing_that_stops_reading() {
        let (document, errors, _) = run(json!({"openapi": "3.0.3", "paths": {}}));
        assert!(document.is_none());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("info"), "{errors:?}");
    }

    #[test]
    fn deep_failing_schemas_do_not_exhaust_the_stack() {
        let mut schema = json!({"type": "integer", "minimum": "x"});
        for _ in 0..120 {
            schema = json!({"type": "object", "properties": {"p": schema}});
        }
        let (document, errors, _) = run(json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Deep": schema}}
        }));
        assert!(document.is_some());
        assert_eq!(errors.len(), 1, "{errors:?}");
    }
}
