//! OpenAPI 3.1 documents rewritten into the 3.0 form the rest of the generator reads.
//!
//! OpenAPI 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are an older, narrower dialect.
//! [`downgrade`] rewrites a 3.1 document in place, keyword by keyword, keeping the meaning
//! wherever 3.0 can say the same thing (`type: [string, "null"]` becomes `type: string,
//! nullable: true`, `const` becomes a one-value `enum`, `$defs` become component schemas) and
//! otherwise taking the closest reading that accepts at least what the 3.1 schema accepted,
//! with a warning naming the interpretation.
//!
//! The walk uses explicit work lists, never recursion, so arbitrarily deep documents are safe;
//! values that are dropped are taken apart iteratively for the same reason.

use std::collections::BTreeSet;

/// The extension a 3.1 `info.license.identifier` (an SPDX expression) is kept under in 3.0 form.
pub(crate) const LICENSE_IDENTIFIER: &str = "x-license-identifier";

use serde_json::{json, Map, Value};

use crate::diagnostic::{push_pointer, Problem};
use crate::load::origin::Origins;

/// The operation keys of a path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Numeric formats, which stay with `number`/`integer` when a type list is split.
const NUMERIC_FORMATS: [&str; 4] = ["int32", "int64", "float", "double"];

/// Rewrites a 3.1 document into 3.0 form. Pointers of nodes that stay in place are unchanged;
/// nodes that move are recorded in `origins` (normalised prefix → written prefix, file 0).
/// Interpretations are pushed to `warnings` (pointers into the document as written).
///
/// The caller decides that the document is 3.1; this function rewrites whatever it is given
/// and never fails: anything 3.0 cannot express is dropped or approximated with a warning.
pub fn downgrade(doc: &mut Value, origins: &mut Origins, warnings: &mut Vec<Problem>) {
    let Value::Object(root) = doc else {
        return;
    };
    let existing: BTreeSet<String> = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let mut state = Downgrade::new(existing);
    state.document_level(root);

    // Round 0 walks the document where it was written; each later round walks the `$defs`
    // the previous one hoisted into `components/schemas`.
    let items = state.initial_items(root);
    state.walk(items);
    loop {
        let hoists = std::mem::take(&mut state.hoists);
        if hoists.is_empty() {
            break;
        }
        state.insert_hoisted(root, hoists);
    }
    state.rewrite_refs(root);
    state.inline_path_items(root);

    for (normalised, written) in state.rules {
        origins.record(normalised, 0, written);
    }
    warnings.extend(state.warnings);
}

/// Pointers as a tree of tokens, so a deep walk never holds long pointer strings per node.
struct Pointers {
    /// (parent, escaped token with its leading `/`); entry 0 is the document root.
    nodes: Vec<(usize, String)>,
}

impl Pointers {
    fn child(&mut self, parent: usize, token: &str) -> usize {
        self.nodes.push((parent, push_pointer("", token)));
        self.nodes.len() - 1
    }

    fn render(&self, mut at: usize) -> String {
        let mut parts = Vec::new();
        while at != 0 {
            let Some((parent, token)) = self.nodes.get(at) else {
                break;
            };
            parts.push(token.as_str());
            // Parents are always created before their children.
            if *parent >= at {
                break;
            }
            at = *parent;
        }
        parts.reverse();
        parts.concat()
    }
}

/// What a node of the document is, which decides where its schemas are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    PathItem,
    Operation,
    Parameter,
    Content,
    MediaType,
    RequestBody,
    Response,
    Callback,
}

/// One node waiting to be rewritten.
struct Item<'a> {
    value: &'a mut Value,
    kind: Kind,
    /// Normalised pointer (index into [`Pointers`]).
    at: usize,
    /// Name hoisted `$defs` are prefixed with (index into `owners`).
    owner: usize,
}

/// A `$defs` entry taken out of its schema, waiting to become a component schema.
struct Hoist {
    name: String,
    value: Value,
}

struct Downgrade {
    pointers: Pointers,
    /// Normalised prefix → written prefix, in the order recorded.
    rules: Vec<(String, String)>,
    warnings: Vec<Problem>,
    hoists: Vec<Hoist>,
    /// Written pointer of a hoisted `$defs` entry → its new pointer.
    hoisted: Vec<(String, String)>,
    /// Component schema names in use.
    taken: BTreeSet<String>,
    owners: Vec<String>,
}

impl Downgrade {
    fn new(taken: BTreeSet<String>) -> Self {
        Downgrade {
            pointers: Pointers {
                nodes: vec![(0, String::new())],
            },
            rules: Vec::new(),
            warnings: Vec::new(),
            hoists: Vec::new(),
            hoisted: Vec::new(),
            taken,
            owners: vec!["Inline".to_owned()],
        }
    }

    /// Where the normalised `pointer` was written.
    fn written(&self, pointer: &str) -> String {
        let best = self
            .rules
            .iter()
            .filter(|(prefix, _)| covers(prefix, pointer))
            .max_by_key(|(prefix, _)| prefix.len());
        match best {
            Some((prefix, written)) => {
                format!("{written}{}", pointer.get(prefix.len()..).unwrap_or(""))
            }
            None => pointer.to_owned(),
        }
    }

    /// Records that the node now at `normalised` is the one that was at `before` (a normalised
    /// pointer of the document as it was before this move).
    fn moved(&mut self, normalised: String, before: &str) {
        let written = self.written(before);
        self.rules.retain(|(prefix, _)| *prefix != normalised);
        self.rules.push((normalised, written));
    }

    fn warn(&mut self, at: usize, keyword: Option<&str>, message: impl Into<String>) {
        let mut pointer = self.pointers.render(at);
        if let Some(keyword) = keyword {
            pointer = push_pointer(&pointer, keyword);
        }
        let pointer = self.written(&pointer);
        self.warnings.push(Problem::new(pointer, message));
    }

    fn owner(&mut self, name: &str) -> usize {
        self.owners.push(sanitize(name));
        self.owners.len() - 1
    }

    /// A component schema name not yet in use, `base` if possible.
    fn allocate(&mut self, base: &str) -> String {
        let base = sanitize(base);
        let name = if self.taken.contains(&base) {
            (2..)
                .map(|n| format!("{base}_{n}"))
                .find(|candidate| !self.taken.contains(candidate))
                .unwrap_or_default()
        } else {
            base
        };
        self.taken.insert(name.clone());
        name
    }

    /// Rewrites the document-level members that changed between 3.0 and 3.1.
    fn document_level(&mut self, root: &mut Map<String, Value>) {
        root.insert("openapi".to_owned(), json!("3.0.3"));
        if let Some(dialect) = root.shift_remove("jsonSchemaDialect") {
            dismantle(dialect);
        }
        if let Some(webhooks) = root.shift_remove("webhooks") {
            let count = webhooks.as_object().map_or(0, Map::len);
            self.warnings.push(Problem::new(
                "/webhooks",
                format!(
                    "{count} webhook{} noted and left out: webhooks are requests the API sends, \
                     not operations a client calls",
                    if count == 1 { "" } else { "s" }
                ),
            ));
            dismantle(webhooks);
        }
        if !root.contains_key("paths") {
            root.insert("paths".to_owned(), json!({}));
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            if let Some(summary) = info.shift_remove("summary") {
                dismantle(summary);
            }
            if let Some(Value::Object(license)) = info.get_mut("license") {
                // 3.0 has no `identifier`: kept as an extension, the crate's `license` reads it.
                if let Some(identifier) = license.shift_remove("identifier") {
                    if identifier.is_string() {
                        license.insert(LICENSE_IDENTIFIER.to_owned(), identifier);
                    } else {
                        dismantle(identifier);
                    }
                }
            }
        }
        self.drop_mutual_tls(root);
    }

    /// Removes `mutualTLS` security schemes (3.0 has no such type) and their requirements.
    fn drop_mutual_tls(&mut self, root: &mut Map<String, Value>) {
        let mut dropped = BTreeSet::new();
        if let Some(Value::Object(schemes)) = root
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
        {
            let names: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(name, _)| name.clone())
                .collect();
            for name in names {
                if let Some(scheme) = schemes.shift_remove(&name) {
                    dismantle(scheme);
                }
                self.warnings.push(Problem::new(
                    push_pointer("/components/securitySchemes", &name),
                    format!(
                        "security scheme `{name}` is mutual TLS, which OpenAPI 3.0 cannot express; \
                         it is left out (the client certificate is configured on the connection)"
                    ),
                ));
                dropped.insert(name);
            }
        }
        if dropped.is_empty() {
            return;
        }
        let mut lists: Vec<&mut Value> = Vec::new();
        for (key, value) in root.iter_mut() {
            match key.as_str() {
                "security" => lists.push(value),
                "paths" => {
                    if let Value::Object(paths) = value {
                        lists.extend(paths.values_mut().flat_map(operation_security));
                    }
                }
                "components" => {
                    if let Some(Value::Object(items)) = value.get_mut("pathItems") {
                        lists.extend(items.values_mut().flat_map(operation_security));
                    }
                }
                _ => {}
            }
        }
        for list in lists {
            if let Value::Array(requirements) = list {
                for requirement in requirements.iter_mut().filter_map(Value::as_object_mut) {
                    requirement.retain(|name, _| !dropped.contains(name));
                }
            }
        }
    }

    /// Work items for the places schemas are reached from: paths and components.
    fn initial_items<'a>(&mut self, root: &'a mut Map<String, Value>) -> Vec<Item<'a>> {
        let mut items = Vec::new();
        for (key, value) in root.iter_mut() {
            match (key.as_str(), value) {
                ("paths", Value::Object(paths)) => {
                    let base = self.pointers.child(0, "paths");
                    for (path, item) in paths.iter_mut() {
                        if path.starts_with("x-") {
                            continue;
                        }
                        let at = self.pointers.child(base, path);
                        items.push(Item {
                            value: item,
                            kind: Kind::PathItem,
                            at,
                            owner: 0,
                        });
                    }
                }
                ("components", Value::Object(components)) => {
                    let base = self.pointers.child(0, "components");
                    for (section, entries) in components.iter_mut() {
                        let kind = match section.as_str() {
                            "schemas" => Kind::Schema,
                            "responses" => Kind::Response,
                            "parameters" | "headers" => Kind::Parameter,
                            "requestBodies" => Kind::RequestBody,
                            "callbacks" => Kind::Callback,
                            "pathItems" => Kind::PathItem,
                            _ => continue,
                        };
                        let Value::Object(entries) = entries else {
                            continue;
                        };
                        let section_at = self.pointers.child(base, section);
                        for (name, entry) in entries.iter_mut() {
                            let at = self.pointers.child(section_at, name);
                            let owner = self.owner(name);
                            items.push(Item {
                                value: entry,
                                kind,
                                at,
                                owner,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        items
    }

    /// Rewrites every node reachable from `items`, parents before children.
    fn walk<'a>(&mut self, mut items: Vec<Item<'a>>) {
        items.reverse();
        let mut children = Vec::new();
        while let Some(item) = items.pop() {
            match item.kind {
                Kind::Schema => self.schema(item, &mut children),
                _ => self.structure(item, &mut children),
            }
            // Children are visited in document order.
            items.extend(children.drain(..).rev());
        }
    }

    /// Finds the schemas under a non-schema node of the document.
    fn structure<'a>(&mut self, item: Item<'a>, out: &mut Vec<Item<'a>>) {
        let Item {
            value,
            kind,
            at,
            mut owner,
        } = item;
        let Value::Object(map) = value else {
            return;
        };
        // A reference is rewritten where its target is; a path item may still carry
        // operations next to its `$ref`.
        if kind != Kind::PathItem && map.contains_key("$ref") {
            return;
        }
        if kind == Kind::Operation {
            if !map.contains_key("responses") {
                map.insert("responses".to_owned(), json!({}));
            }
            if let Some(id) = map.get("operationId").and_then(Value::as_str) {
                let id = id.to_owned();
                owner = self.owner(&id);
            }
        }
        for (key, child) in map.iter_mut() {
            let child_kind = match (kind, key.as_str()) {
                (Kind::PathItem, k) if METHODS.contains(&k) => Some(Kind::Operation),
                (Kind::Parameter | Kind::MediaType, "schema") => Some(Kind::Schema),
                (Kind::Parameter | Kind::RequestBody | Kind::Response, "content") => {
                    Some(Kind::Content)
                }
                (Kind::Operation, "requestBody") => Some(Kind::RequestBody),
                _ => None,
            };
            if let Some(child_kind) = child_kind {
                let child_at = self.pointers.child(at, key);
                out.push(Item {
                    value: child,
                    kind: child_kind,
                    at: child_at,
                    owner,
                });
                continue;
            }
            let member_kind = match (kind, key.as_str()) {
                (Kind::PathItem | Kind::Operation, "parameters") => Kind::Parameter,
                (Kind::Operation, "responses") => Kind::Response,
                (Kind::Operation, "callbacks") => Kind::Callback,
                (Kind::Response, "headers") => Kind::Parameter,
                // Each member of a callback is a path item, each of a content map a media type.
                (Kind::Callback | Kind::Content, k) if !k.starts_with("x-") => {
                    let child_at = self.pointers.child(at, key);
                    out.push(Item {
                        value: child,
                        kind: if kind == Kind::Content {
                            Kind::MediaType
                        } else {
                            Kind::PathItem
                        },
                        at: child_at,
                        owner,
                    });
                    continue;
                }
                (Kind::MediaType, "encoding") => {
                    // encoding/{property}/headers/{name}
                    let Value::Object(encodings) = child else {
                        continue;
                    };
                    let encoding_at = self.pointers.child(at, key);
                    for (property, encoding) in encodings.iter_mut() {
                        let property_at = self.pointers.child(encoding_at, property);
                        if let Some(Value::Object(headers)) = encoding.get_mut("headers") {
                            let headers_at = self.pointers.child(property_at, "headers");
                            for (name, header) in headers.iter_mut() {
                                let header_at = self.pointers.child(headers_at, name);
                                out.push(Item {
                                    value: header,
                                    kind: Kind::Parameter,
                                    at: header_at,
                                    owner,
                                });
                            }
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            let member_base = self.pointers.child(at, key);
            match child {
                Value::Object(members) => {
                    for (name, member) in members.iter_mut() {
                        if name.starts_with("x-") {
                            continue;
                        }
                        let member_at = self.pointers.child(member_base, name);
                        out.push(Item {
                            value: member,
                            kind: member_kind,
                            at: member_at,
                            owner,
                        });
                    }
                }
                Value::Array(members) => {
                    for (index, member) in members.iter_mut().enumerate() {
                        let member_at = self.pointers.child(member_base, &index.to_string());
                        out.push(Item {
                            value: member,
                            kind: member_kind,
                            at: member_at,
                            owner,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// Rewrites one schema node and queues its subschemas.
    fn schema<'a>(&mut self, item: Item<'a>, out: &mut Vec<Item<'a>>) {
        let Item {
            value, at, owner, ..
        } = item;
        if let Value::Bool(accepts) = value {
            *value = if *accepts {
                json!({})
            } else {
                json!({"not": {}})
            };
            return;
        }
        let Value::Object(map) = value else {
            return;
        };
        self.rewrite_keywords(map, at);
        self.hoist_defs(map, at, owner);
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => {
                    if let Value::Object(properties) = child {
                        let base = self.pointers.child(at, key);
                        for (name, property) in properties.iter_mut() {
                            let property_at = self.pointers.child(base, name);
                            out.push(Item {
                                value: property,
                                kind: Kind::Schema,
                                at: property_at,
                                owner,
                            });
                        }
                    }
                }
                // `additionalProperties: true/false` is already 3.0.
                "additionalProperties" if child.is_boolean() => {}
                "items" | "not" | "additionalProperties" => {
                    let child_at = self.pointers.child(at, key);
                    out.push(Item {
                        value: child,
                        kind: Kind::Schema,
                        at: child_at,
                        owner,
                    });
                }
                "allOf" | "anyOf" | "oneOf" => {
                    if let Value::Array(branches) = child {
                        let base = self.pointers.child(at, key);
                        for (index, branch) in branches.iter_mut().enumerate() {
                            let branch_at = self.pointers.child(base, &index.to_string());
                            out.push(Item {
                                value: branch,
                                kind: Kind::Schema,
                                at: branch_at,
                                owner,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The keyword-level rewrites of one schema object (its subschemas come later).
    fn rewrite_keywords(&mut self, map: &mut Map<String, Value>, at: usize) {
        // Annotations and identifiers with no 3.0 counterpart and no effect on what is accepted.
        for key in [
            "$schema",
            "$id",
            "$comment",
            "$anchor",
            "$dynamicAnchor",
            "$vocabulary",
            "$recursiveAnchor",
            "contentSchema",
        ] {
            if let Some(dropped) = map.shift_remove(key) {
                dismantle(dropped);
            }
        }
        if let Some(value) = map.shift_remove("const") {
            if value.is_null() {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
            if let Some(old) = map.insert("enum".to_owned(), Value::Array(vec![value])) {
                dismantle(old);
            }
        }
        if let Some(examples) = map.shift_remove("examples") {
            if let Value::Array(examples) = examples {
                let mut examples = examples.into_iter();
                if let Some(first) = examples.next() {
                    if map.contains_key("example") {
                        dismantle(first);
                    } else {
                        map.insert("example".to_owned(), first);
                    }
                }
                examples.for_each(dismantle);
            } else {
                dismantle(examples);
            }
        }
        exclusive_bound(map, "exclusiveMinimum", "minimum", true);
        exclusive_bound(map, "exclusiveMaximum", "maximum", false);
        self.content_keywords(map);
        self.unevaluated(map, at);
        self.pattern_properties(map, at);
        self.tuple(map, at);
        self.unsupported(map, at);
        self.null_branches(map, at);
        self.types(map, at);
        self.reference_siblings(map, at);
    }

    /// `contentEncoding`/`contentMediaType` become the 3.0 `format`s for encoded content.
    fn content_keywords(&mut self, map: &mut Map<String, Value>) {
        let encoding = map.shift_remove("contentEncoding");
        let media = map.shift_remove("contentMediaType");
        let format = match (&encoding, &media) {
            (Some(Value::String(e)), _) if e.eq_ignore_ascii_case("base64") => Some("byte"),
            (_, Some(Value::String(m))) if !is_textual_media(m) => Some("binary"),
            _ => None,
        };
        if let (Some(format), false) = (format, map.contains_key("format")) {
            map.insert("format".to_owned(), json!(format));
        }
        encoding.into_iter().chain(media).for_each(dismantle);
    }

    /// `unevaluatedProperties`/`unevaluatedItems`.
    fn unevaluated(&mut self, map: &mut Map<String, Value>, at: usize) {
        if let Some(value) = map.shift_remove("unevaluatedProperties") {
            let composed = ["allOf", "anyOf", "oneOf", "$ref", "if", "dependentSchemas"]
                .iter()
                .any(|k| map.contains_key(*k));
            match value {
                Value::Bool(true) => {}
                // With `additionalProperties` present, every other property is already judged.
                Value::Bool(false) if map.contains_key("additionalProperties") => {}
                Value::Bool(false) if !composed => {
                    map.insert("additionalProperties".to_owned(), Value::Bool(false));
                }
                other => {
                    self.warn(
                        at,
                        Some("unevaluatedProperties"),
                        "`unevaluatedProperties` here cannot be expressed in OpenAPI 3.0 \
                         (it depends on the subschemas it is combined with); it is dropped, so \
                         other properties are accepted",
                    );
                    dismantle(other);
                }
            }
        }
        if let Some(value) = map.shift_remove("unevaluatedItems") {
            if value != Value::Bool(true) {
                self.warn(
                    at,
                    Some("unevaluatedItems"),
                    "`unevaluatedItems` cannot be expressed in OpenAPI 3.0; it is dropped, so \
                     other items are accepted",
                );
            }
            dismantle(value);
        }
    }

    /// `patternProperties` has no 3.0 form: properties matching a pattern are read as
    /// additional properties of the pattern's schema (or dropped when those are unrestricted).
    fn pattern_properties(&mut self, map: &mut Map<String, Value>, at: usize) {
        let Some(patterns) = map.shift_remove("patternProperties") else {
            return;
        };
        let Value::Object(patterns) = patterns else {
            dismantle(patterns);
            return;
        };
        if patterns.is_empty() {
            return;
        }
        let restricted = matches!(
            map.get("additionalProperties"),
            Some(v) if v != &Value::Bool(true)
        );
        if !restricted {
            self.warn(
                at,
                Some("patternProperties"),
                "`patternProperties` cannot be expressed in OpenAPI 3.0; it is dropped, so \
                 properties matching the patterns are accepted unchecked",
            );
            dismantle(Value::Object(patterns));
            return;
        }
        self.warn(
            at,
            Some("patternProperties"),
            "`patternProperties` cannot be expressed in OpenAPI 3.0; other properties are read \
             as matching any of the pattern schemas",
        );
        let here = self.pointers.render(at);
        let additional_at = push_pointer(&here, "additionalProperties");
        let mut branches = Vec::new();
        let mut sources = Vec::new();
        if let Some(existing) = map.shift_remove("additionalProperties") {
            if existing == Value::Bool(false) {
                dismantle(existing);
            } else {
                branches.push(existing);
                sources.push(additional_at.clone());
            }
        }
        let patterns_at = push_pointer(&here, "patternProperties");
        for (pattern, schema) in patterns {
            branches.push(schema);
            sources.push(push_pointer(&patterns_at, &pattern));
        }
        let combined = if branches.len() == 1 {
            if let Some(source) = sources.first() {
                self.moved(additional_at.clone(), source);
            }
            branches.pop().unwrap_or_default()
        } else {
            let any_of = push_pointer(&additional_at, "anyOf");
            for (index, source) in sources.iter().enumerate() {
                self.moved(push_pointer(&any_of, &index.to_string()), source);
            }
            any_of_schema(branches)
        };
        map.insert("additionalProperties".to_owned(), combined);
    }

    /// `prefixItems` (and draft-04 array `items`) become `items` matching any of the tuple's
    /// schemas.
    fn tuple(&mut self, map: &mut Map<String, Value>, at: usize) {
        let (prefix_key, rest_key) = if map.contains_key("prefixItems") {
            ("prefixItems", "items")
        } else if map.get("items").is_some_and(Value::is_array) {
            ("items", "additionalItems")
        } else {
            if let Some(ignored) = map.shift_remove("additionalItems") {
                dismantle(ignored);
            }
            return;
        };
        let prefix = map.shift_remove(prefix_key);
        let rest = map.shift_remove(rest_key);
        if prefix_key == "prefixItems" {
            if let Some(ignored) = map.shift_remove("additionalItems") {
                dismantle(ignored);
            }
        }
        let Some(Value::Array(prefix)) = prefix else {
            prefix.into_iter().chain(rest).for_each(dismantle);
            return;
        };
        self.warn(
            at,
            Some(prefix_key),
            "tuple items cannot be expressed in OpenAPI 3.0; the array is read as one whose \
             items match any of the tuple's schemas",
        );
        let here = self.pointers.render(at);
        let items_at = push_pointer(&here, "items");
        let prefix_at = push_pointer(&here, prefix_key);
        let mut branches = Vec::new();
        let mut sources = Vec::new();
        let count = prefix.len();
        for (index, schema) in prefix.into_iter().enumerate() {
            branches.push(schema);
            sources.push(push_pointer(&prefix_at, &index.to_string()));
        }
        match rest {
            Some(Value::Bool(false)) => {
                if !map.contains_key("maxItems") {
                    map.insert("maxItems".to_owned(), json!(count));
                }
            }
            Some(Value::Bool(true)) | None => {}
            Some(schema) => {
                branches.push(schema);
                sources.push(push_pointer(&here, rest_key));
            }
        }
        let items = match branches.len() {
            0 => return,
            1 => {
                if let Some(source) = sources.first() {
                    self.moved(items_at.clone(), source);
                }
                branches.pop().unwrap_or_default()
            }
            _ => {
                let any_of = push_pointer(&items_at, "anyOf");
                for (index, source) in sources.iter().enumerate() {
                    self.moved(push_pointer(&any_of, &index.to_string()), source);
                }
                any_of_schema(branches)
            }
        };
        map.insert("items".to_owned(), items);
    }

    /// Keywords 3.0 has no way to say; dropped, with a warning when that widens what is
    /// accepted.
    fn unsupported(&mut self, map: &mut Map<String, Value>, at: usize) {
        let has_if = map.contains_key("if");
        let has_contains = map.contains_key("contains");
        for (key, warn) in [
            ("if", true),
            ("then", false),
            ("else", false),
            ("dependentSchemas", true),
            ("dependentRequired", true),
            ("propertyNames", true),
            ("contains", true),
            ("minContains", false),
            ("maxContains", false),
            ("$dynamicRef", true),
            ("$recursiveRef", true),
        ] {
            let Some(value) = map.shift_remove(key) else {
                continue;
            };
            let message = match key {
                "if" => Some(
                    "`if`/`then`/`else` cannot be expressed in OpenAPI 3.0; the condition is \
                     dropped, so values are not checked against `then` or `else`",
                ),
                "then" | "else" if !has_if => None,
                "minContains" | "maxContains" if !has_contains => None,
                _ if warn => Some(""),
                _ => None,
            };
            if let Some(message) = message {
                let message = if message.is_empty() {
                    format!(
                        "`{key}` cannot be expressed in OpenAPI 3.0; it is dropped, so values it \
                         would refuse are accepted"
                    )
                } else {
                    message.to_owned()
                };
                self.warn(at, Some(key), message);
            }
            dismantle(value);
        }
    }

    /// `anyOf`/`oneOf` branches that only allow `null` become `nullable: true`.
    fn null_branches(&mut self, map: &mut Map<String, Value>, at: usize) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = map.get_mut(key) else {
                continue;
            };
            if !branches.iter().any(is_null_only) {
                continue;
            }
            let all: Vec<Value> = std::mem::take(branches);
            let mut kept = Vec::new();
            for (index, branch) in all.into_iter().enumerate() {
                if is_null_only(&branch) {
                    dismantle(branch);
                } else {
                    kept.push((index, branch));
                }
            }
            map.insert("nullable".to_owned(), Value::Bool(true));
            let here = self.pointers.render(at);
            let source_base = push_pointer(&here, key);
            if kept.is_empty() {
                if let Some(empty) = map.shift_remove(key) {
                    dismantle(empty);
                }
                if !map.contains_key("enum") {
                    map.insert("enum".to_owned(), json!([null]));
                }
                continue;
            }
            if kept.len() == 1 {
                // One remaining branch: the 3.0 idiom is `allOf: [branch]` with `nullable`.
                if let Some(empty) = map.shift_remove(key) {
                    dismantle(empty);
                }
                let Some((index, branch)) = kept.pop() else {
                    continue;
                };
                let all_of = map
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !all_of.is_array() {
                    dismantle(std::mem::replace(all_of, Value::Array(Vec::new())));
                }
                if let Value::Array(all_of) = all_of {
                    all_of.push(branch);
                    let target = push_pointer(
                        &push_pointer(&here, "allOf"),
                        &(all_of.len() - 1).to_string(),
                    );
                    self.moved(target, &push_pointer(&source_base, &index.to_string()));
                }
                continue;
            }
            let mut rebuilt = Vec::new();
            for (new_index, (index, branch)) in kept.into_iter().enumerate() {
                if new_index != index {
                    self.moved(
                        push_pointer(&source_base, &new_index.to_string()),
                        &push_pointer(&source_base, &index.to_string()),
                    );
                }
                rebuilt.push(branch);
            }
            map.insert(key.to_owned(), Value::Array(rebuilt));
        }
    }

    /// `type` lists and `type: "null"`.
    fn types(&mut self, map: &mut Map<String, Value>, at: usize) {
        let names: Vec<String> = match map.get("type") {
            Some(Value::String(name)) if name == "null" => vec![name.clone()],
            Some(Value::Array(list)) => {
                let mut names: Vec<String> = Vec::new();
                for name in list.iter().filter_map(Value::as_str) {
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_owned());
                    }
                }
                names
            }
            _ => return,
        };
        if let Some(old) = map.shift_remove("type") {
            dismantle(old);
        }
        let nullable = names.iter().any(|n| n == "null");
        let mut rest: Vec<String> = names.into_iter().filter(|n| n != "null").collect();
        // Every integer is a number, so `[integer, number]` is `number`.
        if rest.iter().any(|n| n == "number") {
            rest.retain(|n| n != "integer");
        }
        if nullable {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        match rest.len() {
            0 if nullable => {
                if !map.contains_key("enum") {
                    self.warn(
                        at,
                        Some("type"),
                        "a schema allowing only `null` cannot be expressed in OpenAPI 3.0; it is \
                         read as a nullable schema of any type",
                    );
                }
            }
            0 => {}
            1 => {
                let name = rest.pop().unwrap_or_default();
                map.insert("type".to_owned(), Value::String(name));
            }
            _ => self.split_types(map, at, rest),
        }
    }

    /// Several types: one `anyOf` branch per type, each keeping its own keywords.
    fn split_types(&mut self, map: &mut Map<String, Value>, at: usize, types: Vec<String>) {
        let mut branches: Vec<(String, Map<String, Value>)> = types
            .into_iter()
            .map(|name| {
                let mut branch = Map::new();
                branch.insert("type".to_owned(), Value::String(name.clone()));
                (name, branch)
            })
            .collect();
        let keywords: [(&str, &[&str]); 4] = [
            ("string", &["minLength", "maxLength", "pattern"]),
            (
                "number",
                &[
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf",
                ],
            ),
            (
                "object",
                &[
                    "properties",
                    "required",
                    "additionalProperties",
                    "minProperties",
                    "maxProperties",
                ],
            ),
            ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
        ];
        for (family, keys) in keywords {
            let Some((_, branch)) = branches
                .iter_mut()
                .find(|(name, _)| name == family || (family == "number" && name == "integer"))
            else {
                continue;
            };
            for key in keys {
                if let Some(value) = map.shift_remove(*key) {
                    branch.insert((*key).to_owned(), value);
                }
            }
        }
        if let Some(Value::String(format)) = map.get("format") {
            let numeric = NUMERIC_FORMATS.contains(&format.as_str());
            let home = branches.iter_mut().find(|(name, _)| {
                if numeric {
                    name == "number" || name == "integer"
                } else {
                    name == "string"
                }
            });
            if let (Some((_, branch)), Some(format)) = (home, map.shift_remove("format")) {
                branch.insert("format".to_owned(), format);
            }
        }
        if let Some(Value::Array(values)) = map.shift_remove("enum") {
            let mut keep: Vec<bool> = vec![false; branches.len()];
            for value in values {
                let wanted: &[&str] = match &value {
                    Value::Null => continue,
                    Value::Bool(_) => &["boolean"],
                    Value::String(_) => &["string"],
                    Value::Number(n) if n.is_i64() || n.is_u64() => &["integer", "number"],
                    Value::Number(_) => &["number"],
                    Value::Array(_) => &["array"],
                    Value::Object(_) => &["object"],
                };
                let home = wanted
                    .iter()
                    .find_map(|w| branches.iter().position(|(name, _)| name == w));
                match home {
                    Some(index) => {
                        if let (Some((_, branch)), Some(flag)) =
                            (branches.get_mut(index), keep.get_mut(index))
                        {
                            let list = branch
                                .entry("enum")
                                .or_insert_with(|| Value::Array(Vec::new()));
                            if let Value::Array(list) = list {
                                list.push(value);
                            }
                            *flag = true;
                        }
                    }
                    None => dismantle(value),
                }
            }
            // A type none of the listed values has allows nothing.
            let mut flags = keep.into_iter();
            branches.retain(|_| flags.next().unwrap_or(false));
        }
        let here = self.pointers.render(at);
        let branches: Vec<Value> = branches
            .into_iter()
            .map(|(_, b)| Value::Object(b))
            .collect();
        let count = branches.len();
        let base = match map.get_mut("anyOf") {
            None => {
                map.insert("anyOf".to_owned(), Value::Array(branches));
                push_pointer(&here, "anyOf")
            }
            Some(_) => {
                let all_of = map
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !all_of.is_array() {
                    dismantle(std::mem::replace(all_of, Value::Array(Vec::new())));
                }
                let Value::Array(all_of) = all_of else {
                    return;
                };
                all_of.push(any_of_schema(branches));
                let wrapper = push_pointer(
                    &push_pointer(&here, "allOf"),
                    &(all_of.len() - 1).to_string(),
                );
                push_pointer(&wrapper, "anyOf")
            }
        };
        for index in 0..count {
            self.moved(push_pointer(&base, &index.to_string()), &here);
        }
    }

    /// A 3.0 `$ref` ignores its siblings; when they say something, the reference moves into
    /// `allOf` so they keep applying.
    fn reference_siblings(&mut self, map: &mut Map<String, Value>, at: usize) {
        if !map.get("$ref").is_some_and(Value::is_string) {
            return;
        }
        // `summary` on a reference is a 3.1 annotation with no schema meaning.
        if let Some(summary) = map.shift_remove("summary") {
            dismantle(summary);
        }
        if map.len() == 1 {
            return;
        }
        let Some(reference) = map.shift_remove("$ref") else {
            return;
        };
        let all_of = map
            .entry("allOf")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !all_of.is_array() {
            dismantle(std::mem::replace(all_of, Value::Array(Vec::new())));
        }
        if let Value::Array(all_of) = all_of {
            all_of.push(single("$ref", reference));
            let here = self.pointers.render(at);
            let target = push_pointer(
                &push_pointer(&here, "allOf"),
                &(all_of.len() - 1).to_string(),
            );
            self.moved(target, &here);
        }
    }

    /// Takes `$defs` (and draft-07 `definitions`) out of a schema for hoisting.
    fn hoist_defs(&mut self, map: &mut Map<String, Value>, at: usize, owner: usize) {
        for key in ["$defs", "definitions"] {
            let Some(defs) = map.shift_remove(key) else {
                continue;
            };
            let Value::Object(defs) = defs else {
                dismantle(defs);
                continue;
            };
            let here = self.pointers.render(at);
            let defs_at = push_pointer(&here, key);
            let parent = self.owners.get(owner).cloned().unwrap_or_default();
            for (name, value) in defs {
                let new = self.allocate(&format!("{parent}_defs_{name}"));
                let new_at = push_pointer("/components/schemas", &new);
                let written = self.written(&push_pointer(&defs_at, &name));
                self.hoisted.push((written.clone(), new_at.clone()));
                self.rules.retain(|(prefix, _)| *prefix != new_at);
                self.rules.push((new_at, written));
                self.hoists.push(Hoist { name: new, value });
            }
        }
    }

    /// Puts hoisted `$defs` into `components/schemas` and rewrites them there.
    fn insert_hoisted(&mut self, root: &mut Map<String, Value>, hoists: Vec<Hoist>) {
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let schemas = match components {
            Value::Object(components) => components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new())),
            _ => {
                self.warnings.push(Problem::new(
                    "/components",
                    "`components` is not an object, so schemas defined under `$defs` cannot be \
                     moved there; they are dropped",
                ));
                hoists.into_iter().for_each(|h| dismantle(h.value));
                return;
            }
        };
        let Value::Object(schemas) = schemas else {
            self.warnings.push(Problem::new(
                "/components/schemas",
                "`components/schemas` is not an object, so schemas defined under `$defs` cannot \
                 be moved there; they are dropped",
            ));
            hoists.into_iter().for_each(|h| dismantle(h.value));
            return;
        };
        let mut names = BTreeSet::new();
        for hoist in hoists {
            names.insert(hoist.name.clone());
            if let Some(old) = schemas.insert(hoist.name, hoist.value) {
                dismantle(old);
            }
        }
        let components_at = self.pointers.child(0, "components");
        let schemas_at = self.pointers.child(components_at, "schemas");
        let mut items = Vec::new();
        for (name, schema) in schemas.iter_mut() {
            if !names.contains(name) {
                continue;
            }
            let at = self.pointers.child(schemas_at, name);
            let owner = self.owner(name);
            items.push(Item {
                value: schema,
                kind: Kind::Schema,
                at,
                owner,
            });
        }
        self.walk(items);
    }

    /// Points every local `$ref` into a hoisted `$defs` entry at its new place.
    fn rewrite_refs(&mut self, root: &mut Map<String, Value>) {
        if self.hoisted.is_empty() {
            return;
        }
        let mut stack: Vec<&mut Value> = root.values_mut().collect();
        while let Some(value) = stack.pop() {
            match value {
                Value::Object(map) => {
                    for (key, child) in map.iter_mut() {
                        match child {
                            Value::String(reference) if key == "$ref" => {
                                if let Some(new) = self.relocated(reference) {
                                    *reference = new;
                                }
                            }
                            Value::Object(_) | Value::Array(_) => stack.push(child),
                            _ => {}
                        }
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                _ => {}
            }
        }
    }

    /// The new form of `reference` when it points into a hoisted `$defs` entry.
    fn relocated(&self, reference: &str) -> Option<String> {
        let fragment = reference.strip_prefix('#')?;
        let (old, new) = self
            .hoisted
            .iter()
            .filter(|(old, _)| covers(old, fragment))
            .max_by_key(|(old, _)| old.len())?;
        Some(format!("#{new}{}", fragment.get(old.len()..).unwrap_or("")))
    }

    /// Replaces path items that reference `components/pathItems` by a copy of the target and
    /// removes `components/pathItems` (3.0 has no such section).
    fn inline_path_items(&mut self, root: &mut Map<String, Value>) {
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        let Some(library) = components.shift_remove("pathItems") else {
            return;
        };
        let Value::Object(library) = library else {
            dismantle(library);
            return;
        };
        // Places a path item is written: paths/*, their operations' callbacks, and
        // components/callbacks.
        let mut places: Vec<(String, &mut Value)> = Vec::new();
        for (key, value) in root.iter_mut() {
            match (key.as_str(), value) {
                ("paths", Value::Object(paths)) => {
                    for (path, item) in paths.iter_mut() {
                        if !path.starts_with("x-") {
                            places.push((push_pointer("/paths", path), item));
                        }
                    }
                }
                ("components", Value::Object(components)) => {
                    if let Some(Value::Object(callbacks)) = components.get_mut("callbacks") {
                        for (name, callback) in callbacks.iter_mut() {
                            let at = push_pointer("/components/callbacks", name);
                            callback_items(&at, callback, &mut places);
                        }
                    }
                }
                _ => {}
            }
        }
        let mut pending = places;
        let mut from_paths = Vec::new();
        while let Some((at, item)) = pending.pop() {
            self.inline_one(&at, item, &library);
            if at.starts_with("/paths/") && at.matches('/').count() == 2 {
                from_paths.push((at, item));
            }
        }
        // Callbacks of operations under paths (possibly just inlined) reference path items too.
        let mut callbacks = Vec::new();
        for (at, item) in from_paths {
            let Value::Object(item) = item else {
                continue;
            };
            for (method, operation) in item.iter_mut() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                if let Some(Value::Object(list)) = operation.get_mut("callbacks") {
                    let base = push_pointer(&push_pointer(&at, method), "callbacks");
                    for (name, callback) in list.iter_mut() {
                        callback_items(&push_pointer(&base, name), callback, &mut callbacks);
                    }
                }
            }
        }
        for (at, item) in callbacks {
            self.inline_one(&at, item, &library);
        }
        dismantle(Value::Object(library));
    }

    /// Inlines the path item `item` (at `at`) when it references `components/pathItems`.
    fn inline_one(&mut self, at: &str, item: &mut Value, library: &Map<String, Value>) {
        let Some(Value::String(reference)) = item.get("$ref") else {
            return;
        };
        // Follow references between path items, at most once per entry (cycles stop).
        let mut reference = reference.clone();
        let mut seen = BTreeSet::new();
        let target = loop {
            let Some(name) = reference
                .strip_prefix("#/components/pathItems/")
                .filter(|name| !name.contains('/'))
                .map(unescape)
            else {
                return;
            };
            if !seen.insert(name.clone()) {
                self.warnings.push(Problem::new(
                    push_pointer(at, "$ref"),
                    "path item references form a cycle; the reference is left as written",
                ));
                return;
            }
            let Some(target) = library.get(&name) else {
                return;
            };
            match target.get("$ref") {
                Some(Value::String(next)) if next.starts_with("#/components/pathItems/") => {
                    reference = next.clone();
                }
                _ => break (name, target),
            }
        };
        let (name, target) = target;
        let source = push_pointer("/components/pathItems", &name);
        let mut copy = deep_clone(target);
        let Value::Object(siblings) = std::mem::take(item) else {
            return;
        };
        // Rules recorded for moves inside the library entry apply to every copy of it.
        let inner: Vec<(String, String)> = self
            .rules
            .iter()
            .filter(|(prefix, _)| covers(&source, prefix))
            .map(|(prefix, written)| {
                (
                    format!("{at}{}", prefix.get(source.len()..).unwrap_or("")),
                    written.clone(),
                )
            })
            .collect();
        self.moved(at.to_owned(), &source);
        for (normalised, written) in inner {
            self.rules.retain(|(prefix, _)| *prefix != normalised);
            self.rules.push((normalised, written));
        }
        if let Value::Object(copy_map) = &mut copy {
            for (key, value) in siblings {
                if key == "$ref" {
                    continue;
                }
                let sibling_at = push_pointer(at, &key);
                self.rules.retain(|(prefix, _)| *prefix != sibling_at);
                self.rules.push((sibling_at.clone(), sibling_at));
                if let Some(old) = copy_map.insert(key, value) {
                    dismantle(old);
                }
            }
        }
        *item = copy;
    }
}

/// The path items of one callback object.
fn callback_items<'a>(at: &str, callback: &'a mut Value, out: &mut Vec<(String, &'a mut Value)>) {
    if let Value::Object(expressions) = callback {
        for (expression, item) in expressions.iter_mut() {
            if !expression.starts_with("x-") {
                out.push((push_pointer(at, expression), item));
            }
        }
    }
}

/// The `security` lists of the operations of a path item.
fn operation_security(item: &mut Value) -> Vec<&mut Value> {
    let Value::Object(item) = item else {
        return Vec::new();
    };
    item.iter_mut()
        .filter(|(method, _)| METHODS.contains(&method.as_str()))
        .filter_map(|(_, operation)| operation.get_mut("security"))
        .collect()
}

/// 3.1 numeric `exclusiveMinimum: n` becomes 3.0 `minimum: n, exclusiveMinimum: true`
/// (likewise for the maximum), keeping whichever bound is stricter.
fn exclusive_bound(map: &mut Map<String, Value>, exclusive: &str, bound: &str, lower: bool) {
    let Some(Value::Number(limit)) = map.get(exclusive) else {
        return;
    };
    let limit = limit.clone();
    map.shift_remove(exclusive);
    let stricter = match (limit.as_f64(), map.get(bound).and_then(Value::as_f64)) {
        (Some(n), Some(b)) => {
            if lower {
                n >= b
            } else {
                n <= b
            }
        }
        _ => true,
    };
    if stricter {
        map.insert(bound.to_owned(), Value::Number(limit));
        map.insert(exclusive.to_owned(), Value::Bool(true));
    }
}

/// `{"anyOf": branches}`, built by moving (`json!` would copy the branches recursively).
fn any_of_schema(branches: Vec<Value>) -> Value {
    single("anyOf", Value::Array(branches))
}

/// An object with one member.
fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// Whether a `contentMediaType` describes text (so the string is not raw bytes).
fn is_textual_media(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    let essence = media.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence == "application/json"
        || essence == "application/xml"
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
}

/// Whether a schema allows only `null` (an `anyOf` branch that means "or null").
fn is_null_only(schema: &Value) -> bool {
    let Value::Object(map) = schema else {
        return false;
    };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => !list.is_empty() && list.iter().all(|t| t == "null"),
        _ => false,
    };
    let null_value = matches!(map.get("const"), Some(Value::Null))
        || matches!(map.get("enum"), Some(Value::Array(list)) if list.len() == 1 && list.first() == Some(&Value::Null));
    let annotations = [
        "type",
        "const",
        "enum",
        "title",
        "description",
        "$comment",
        "example",
        "examples",
        "nullable",
    ];
    (null_type || null_value) && map.keys().all(|k| annotations.contains(&k.as_str()))
}

/// Whether `prefix` is `pointer` or one of its ancestors (whole tokens only).
fn covers(prefix: &str, pointer: &str) -> bool {
    match pointer.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// A JSON pointer token as written (`~1` is `/`, `~0` is `~`).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Characters outside `[A-Za-z0-9._-]` (the 3.0 component name alphabet) become `_`.
fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "Schema".to_owned()
    } else {
        cleaned
    }
}

/// Drops `value` without recursion (a deep value dropped normally overflows the stack).
fn dismantle(value: Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

/// A container being copied by [`deep_clone`].
enum Frame<'a> {
    Object(serde_json::map::Iter<'a>, Map<String, Value>, String),
    Array(std::slice::Iter<'a, Value>, Vec<Value>),
}

/// Clones `value` without recursion.
fn deep_clone(value: &Value) -> Value {
    let mut stack = match value {
        Value::Object(map) => vec![Frame::Object(map.iter(), Map::new(), String::new())],
        Value::Array(items) => vec![Frame::Array(items.iter(), Vec::new())],
        scalar => return scalar.clone(),
    };
    loop {
        let Some(top) = stack.last_mut() else {
            return Value::Null;
        };
        let next = match top {
            Frame::Object(iter, _, pending) => iter.next().map(|(key, child)| {
                pending.clone_from(key);
                child
            }),
            Frame::Array(iter, _) => iter.next(),
        };
        let finished = match next {
            Some(Value::Object(map)) => {
                stack.push(Frame::Object(map.iter(), Map::new(), String::new()));
                continue;
            }
            Some(Value::Array(items)) => {
                stack.push(Frame::Array(items.iter(), Vec::new()));
                continue;
            }
            Some(scalar) => scalar.clone(),
            None => match stack.pop() {
                Some(Frame::Object(_, map, _)) => Value::Object(map),
                Some(Frame::Array(_, items)) => Value::Array(items),
                None => return Value::Null,
            },
        };
        match stack.last_mut() {
            Some(Frame::Object(_, map, pending)) => {
                map.insert(std::mem::take(pending), finished);
            }
            Some(Frame::Array(_, items)) => items.push(finished),
            None => return finished,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(mut doc: Value) -> (Value, Origins, Vec<Problem>) {
        let mut origins = Origins::new();
        let mut warnings = Vec::new();
        downgrade(&mut doc, &mut origins, &mut warnings);
        (doc, origins, warnings)
    }

    /// A document with one component schema `S`.
    fn with_schema(schema: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"S": schema}}
        })
    }

    /// Downgrades a document holding `schema` as `S` and returns the result for `S`.
    fn schema_of(schema: Value) -> (Value, Origins, Vec<Problem>) {
        let (doc, origins, warnings) = run(with_schema(schema));
        let s = doc
            .pointer("/components/schemas/S")
            .cloned()
            .unwrap_or(Value::Null);
        (s, origins, warnings)
    }

    fn pointers_of(warnings: &[Problem]) -> Vec<&str> {
        warnings.iter().map(|w| w.pointer.as_str()).collect()
    }

    #[test]
    fn a_type_with_null_becomes_nullable() {
        let (s, _, warnings) = schema_of(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert!(warnings.is_empty());
        let (s, _, _) = schema_of(json!({"type": ["integer"]}));
        assert_eq!(s, json!({"type": "integer"}));
    }

    #[test]
    fn null_alone_is_nullable_without_a_type_and_warns_unless_an_enum_restricts_it() {
        for written in [json!("null"), json!(["null"])] {
            let (s, _, warnings) = schema_of(json!({"type": written}));
            assert_eq!(s, json!({"nullable": true}));
            assert_eq!(pointers_of(&warnings), ["/components/schemas/S/type"]);
        }
        let (s, _, warnings) = schema_of(json!({"type": "null", "enum": [null]}));
        assert_eq!(s, json!({"nullable": true, "enum": [null]}));
        assert!(warnings.is_empty());
    }

    #[test]
    fn several_types_become_any_of_with_their_own_keywords() {
        let (s, origins, _) = schema_of(json!({
            "description": "id or count",
            "type": ["string", "integer", "null"],
            "maxLength": 8,
            "format": "int64",
            "minimum": 0,
            "enum": ["a", 1, null, true]
        }));
        assert_eq!(
            s,
            json!({
                "description": "id or count",
                "nullable": true,
                "anyOf": [
                    {"type": "string", "maxLength": 8, "enum": ["a"]},
                    {"type": "integer", "minimum": 0, "format": "int64", "enum": [1]}
                ]
            })
        );
        assert_eq!(
            origins.find("/components/schemas/S/anyOf/1/minimum"),
            (0, "/components/schemas/S/minimum".to_owned())
        );
    }

    #[test]
    fn a_type_list_next_to_any_of_goes_into_all_of() {
        let (s, origins, _) = schema_of(json!({
            "type": ["object", "array"],
            "properties": {"a": {"type": ["string", "null"]}},
            "items": {"const": 1},
            "anyOf": [{"required": ["a"]}, {"minItems": 1}]
        }));
        assert_eq!(
            s,
            json!({
                "anyOf": [{"required": ["a"]}, {"minItems": 1}],
                "allOf": [{"anyOf": [
                    {"type": "object", "properties": {"a": {"type": "string", "nullable": true}}},
                    {"type": "array", "items": {"enum": [1]}}
                ]}]
            })
        );
        assert_eq!(
            origins.find("/components/schemas/S/allOf/0/anyOf/0/properties/a"),
            (0, "/components/schemas/S/properties/a".to_owned())
        );
    }

    #[test]
    fn integer_and_number_together_are_number() {
        let (s, _, _) = schema_of(json!({"type": ["integer", "number"], "minimum": 1}));
        assert_eq!(s, json!({"type": "number", "minimum": 1}));
    }

    #[test]
    fn const_becomes_a_one_value_enum() {
        let (s, _, _) = schema_of(json!({"type": "string", "const": "open"}));
        assert_eq!(s, json!({"type": "string", "enum": ["open"]}));
        let (s, _, _) = schema_of(json!({"const": null}));
        assert_eq!(s, json!({"enum": [null], "nullable": true}));
    }

    #[test]
    fn the_first_of_examples_becomes_example() {
        let (s, _, _) = schema_of(json!({"type": "string", "examples": ["a", "b"]}));
        assert_eq!(s, json!({"type": "string", "example": "a"}));
        let (s, _, _) = schema_of(json!({"type": "string", "example": "x", "examples": ["a"]}));
        assert_eq!(s, json!({"type": "string", "example": "x"}));
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean_flags() {
        let (s, _, _) =
            schema_of(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10}));
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        // The stricter of an inclusive and an exclusive bound is kept.
        let (s, _, _) = schema_of(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 1}));
        assert_eq!(s, json!({"type": "integer", "minimum": 5}));
        let (s, _, _) = schema_of(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": 5}));
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true})
        );
        // Already 3.0.
        let (s, _, _) =
            schema_of(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}));
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn a_reference_with_meaningful_siblings_moves_into_all_of() {
        let (s, origins, _) = schema_of(
            json!({"$ref": "#/components/schemas/T", "description": "the owner", "summary": "x"}),
        );
        assert_eq!(
            s,
            json!({"description": "the owner", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            origins.find("/components/schemas/S/allOf/0/$ref"),
            (0, "/components/schemas/S/$ref".to_owned())
        );
        let (s, _, _) =
            schema_of(json!({"$ref": "#/components/schemas/T", "summary": "x", "$comment": "c"}));
        assert_eq!(s, json!({"$ref": "#/components/schemas/T"}));
    }

    #[test]
    fn a_nullable_reference_becomes_all_of_with_nullable() {
        let (s, origins, _) =
            schema_of(json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/T"}]}));
        assert_eq!(
            s,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            origins.find("/components/schemas/S/allOf/0"),
            (0, "/components/schemas/S/anyOf/1".to_owned())
        );
        let (s, _, _) = schema_of(
            json!({"oneOf": [{"type": "string"}, {"type": "null"}, {"type": "integer"}]}),
        );
        assert_eq!(
            s,
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn defs_are_hoisted_with_references_origins_and_unique_names() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/p": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Parent/$defs/Name"}
            }}}}}}},
            "components": {"schemas": {
                "Parent_defs_Name": {"type": "string"},
                "Parent": {
                    "type": "object",
                    "properties": {
                        "n": {"$ref": "#/components/schemas/Parent/$defs/Name"},
                        "deep": {"$ref": "#/components/schemas/Parent/$defs/Name/$defs/Inner"}
                    },
                    "$defs": {"Name": {
                        "type": ["string", "null"],
                        "$defs": {"Inner": {"const": 3}}
                    }}
                }
            }}
        });
        let (doc, origins, _) = run(doc);
        let schemas = doc
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or_default();
        assert_eq!(schemas["Parent_defs_Name"], json!({"type": "string"}));
        assert_eq!(
            schemas["Parent_defs_Name_2"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            schemas["Parent_defs_Name_2_defs_Inner"],
            json!({"enum": [3]})
        );
        assert_eq!(
            schemas["Parent"]["properties"]["n"],
            json!({"$ref": "#/components/schemas/Parent_defs_Name_2"})
        );
        assert_eq!(
            schemas["Parent"]["properties"]["deep"],
            json!({"$ref": "#/components/schemas/Parent_defs_Name_2_defs_Inner"})
        );
        assert!(schemas["Parent"].get("$defs").is_none());
        assert_eq!(
            doc.pointer("/paths/~1p/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/Parent_defs_Name_2"))
        );
        assert_eq!(
            origins.find("/components/schemas/Parent_defs_Name_2/type"),
            (0, "/components/schemas/Parent/$defs/Name/type".to_owned())
        );
        assert_eq!(
            origins.find("/components/schemas/Parent_defs_Name_2_defs_Inner/enum"),
            (
                0,
                "/components/schemas/Parent/$defs/Name/$defs/Inner/enum".to_owned()
            )
        );
        assert_eq!(
            origins.find("/components/schemas/Parent_defs_Name/type"),
            (0, "/components/schemas/Parent_defs_Name/type".to_owned())
        );
    }

    #[test]
    fn warnings_inside_hoisted_defs_point_where_they_were_written() {
        let (_, _, warnings) = schema_of(
            json!({"$defs": {"D": {"type": "object", "propertyNames": {"pattern": "^a"}}}}),
        );
        assert_eq!(
            pointers_of(&warnings),
            ["/components/schemas/S/$defs/D/propertyNames"]
        );
    }

    #[test]
    fn encoded_content_becomes_a_format() {
        let (s, _, _) = schema_of(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        let (s, _, _) = schema_of(json!({"type": "string", "contentMediaType": "image/png"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, _, _) =
            schema_of(json!({"type": "string", "contentMediaType": "application/json"}));
        assert_eq!(s, json!({"type": "string"}));
    }

    #[test]
    fn prefix_items_become_items_matching_any_of_them() {
        let (s, origins, warnings) = schema_of(json!({
            "type": "array",
            "prefixItems": [{"type": "string"}, {"type": "integer"}],
            "items": false
        }));
        assert_eq!(
            s,
            json!({"type": "array", "maxItems": 2, "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
        );
        assert_eq!(
            pointers_of(&warnings),
            ["/components/schemas/S/prefixItems"]
        );
        assert_eq!(
            origins.find("/components/schemas/S/items/anyOf/1"),
            (0, "/components/schemas/S/prefixItems/1".to_owned())
        );
        let (s, _, _) = schema_of(
            json!({"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "boolean"}}),
        );
        assert_eq!(
            s,
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "boolean"}]}})
        );
    }

    #[test]
    fn keywords_without_a_3_0_form_are_dropped_with_warnings_where_acceptance_widens() {
        let (s, _, warnings) = schema_of(json!({
            "type": "object",
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "x", "$comment": "c", "$anchor": "a",
            "if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {},
            "dependentSchemas": {"a": {}},
            "propertyNames": {"maxLength": 3},
            "$dynamicRef": "#meta"
        }));
        assert_eq!(s, json!({"type": "object"}));
        assert_eq!(
            pointers_of(&warnings),
            [
                "/components/schemas/S/if",
                "/components/schemas/S/dependentSchemas",
                "/components/schemas/S/propertyNames",
                "/components/schemas/S/$dynamicRef"
            ]
        );
        let (s, _, warnings) = schema_of(json!({"type": "object", "then": {}, "$comment": "c"}));
        assert_eq!(s, json!({"type": "object"}));
        assert!(warnings.is_empty());
    }

    #[test]
    fn unevaluated_properties_false_closes_the_object_unless_composed() {
        let (s, _, warnings) = schema_of(json!({"type": "object", "unevaluatedProperties": false}));
        assert_eq!(s, json!({"type": "object", "additionalProperties": false}));
        assert!(warnings.is_empty());
        let (s, _, warnings) = schema_of(
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "unevaluatedProperties": false}),
        );
        assert_eq!(s, json!({"allOf": [{"$ref": "#/components/schemas/T"}]}));
        assert_eq!(
            pointers_of(&warnings),
            ["/components/schemas/S/unevaluatedProperties"]
        );
    }

    #[test]
    fn pattern_properties_widen_closed_additional_properties() {
        let (s, origins, warnings) = schema_of(json!({
            "type": "object",
            "patternProperties": {"^x-": {"type": "string"}},
            "additionalProperties": false
        }));
        assert_eq!(
            s,
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            origins.find("/components/schemas/S/additionalProperties/type"),
            (
                0,
                "/components/schemas/S/patternProperties/^x-/type".to_owned()
            )
        );
        let (s, _, warnings) =
            schema_of(json!({"type": "object", "patternProperties": {"^a": {}}}));
        assert_eq!(s, json!({"type": "object"}));
        assert_eq!(
            pointers_of(&warnings),
            ["/components/schemas/S/patternProperties"]
        );
    }

    #[test]
    fn boolean_schemas_become_objects() {
        let (doc, _, _) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Anything": true,
                "Nothing": false,
                "List": {"type": "array", "items": false},
                "Map": {"type": "object", "additionalProperties": false, "properties": {"a": true}}
            }}
        }));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Anything"], json!({}));
        assert_eq!(schemas["Nothing"], json!({"not": {}}));
        assert_eq!(
            schemas["List"],
            json!({"type": "array", "items": {"not": {}}})
        );
        assert_eq!(
            schemas["Map"],
            json!({"type": "object", "additionalProperties": false, "properties": {"a": {}}})
        );
    }

    #[test]
    fn document_level_members_are_rewritten() {
        let (doc, _, warnings) = run(json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "summary": "s",
                     "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"a": {"post": {}}, "b": {"post": {}}},
            "security": [{"mtls": []}, {"key": []}],
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "K"}
            }}
        }));
        assert_eq!(doc["openapi"], json!("3.0.3"));
        assert!(doc.get("jsonSchemaDialect").is_none());
        assert!(doc.get("webhooks").is_none());
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(
            doc["info"],
            json!({"title": "t", "version": "1",
                   "license": {"name": "MIT", "x-license-identifier": "MIT"}})
        );
        assert_eq!(doc["security"], json!([{}, {"key": []}]));
        assert!(doc["components"]["securitySchemes"].get("mtls").is_none());
        assert_eq!(
            pointers_of(&warnings),
            ["/webhooks", "/components/securitySchemes/mtls"]
        );
        assert!(
            warnings[0].message.starts_with("2 webhooks"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn path_items_in_components_are_inlined_with_origins() {
        let (doc, origins, warnings) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"$ref": "#/components/pathItems/Shared", "summary": "A"},
                "/b": {"$ref": "#/components/pathItems/Alias"}
            },
            "components": {"pathItems": {
                "Alias": {"$ref": "#/components/pathItems/Shared"},
                "Shared": {"get": {"operationId": "shared", "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": ["integer", "string"], "if": {}}}}
                }}}}
            }}
        }));
        assert!(doc["components"].get("pathItems").is_none());
        assert_eq!(doc["paths"]["/a"]["summary"], json!("A"));
        assert_eq!(doc["paths"]["/a"]["get"]["operationId"], json!("shared"));
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], json!("shared"));
        assert!(doc["paths"]["/b"].get("$ref").is_none());
        assert_eq!(
            origins.find("/paths/~1b/get/responses"),
            (0, "/components/pathItems/Shared/get/responses".to_owned())
        );
        assert_eq!(
            origins.find("/paths/~1a/summary"),
            (0, "/paths/~1a/summary".to_owned())
        );
        let schema = "/get/responses/200/content/application~1json/schema";
        assert_eq!(
            origins.find(&format!("/paths/~1a{schema}/anyOf/1")),
            (0, format!("/components/pathItems/Shared{schema}"))
        );
        // The schema was rewritten once, where it was written.
        assert_eq!(
            pointers_of(&warnings),
            [format!("/components/pathItems/Shared{schema}/if").as_str()]
        );
    }

    #[test]
    fn operations_without_responses_get_an_empty_map() {
        let (doc, _, _) = run(
            json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {}}}}),
        );
        assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
    }

    #[test]
    fn non_schema_places_are_untouched() {
        let parameter = json!({
            "name": "n", "in": "query",
            "example": {"exclusiveMinimum": 3, "type": ["a", "null"]},
            "examples": {"one": {"value": {"const": 1}}},
            "schema": {"type": "integer", "x-limits": {"exclusiveMinimum": 3}}
        });
        let (doc, _, _) = run(
            json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"parameters": [parameter.clone()], "responses": {}}}}}),
        );
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0], parameter);
    }

    #[test]
    fn schemas_in_every_place_are_rewritten() {
        let s = json!({"type": ["string", "null"]});
        let done = json!({"type": "string", "nullable": true});
        let media = json!({"application/json": {"schema": s.clone(), "encoding": {"a": {"headers": {"H": {"schema": s.clone()}}}}}});
        let (doc, _, _) = run(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": s.clone()}],
                "post": {
                    "parameters": [{"name": "c", "in": "query", "content": media.clone()}],
                    "requestBody": {"content": media.clone()},
                    "responses": {"200": {"description": "ok", "headers": {"H": {"schema": s.clone()}}, "content": media.clone()}},
                    "callbacks": {"cb": {"{$request.body#/u}": {"post": {"requestBody": {"content": media.clone()}, "responses": {}}}}}
                }
            }},
            "components": {
                "parameters": {"P": {"name": "p", "in": "query", "schema": s.clone()}},
                "headers": {"H": {"schema": s.clone()}},
                "requestBodies": {"B": {"content": media.clone()}},
                "responses": {"R": {"description": "r", "content": media.clone()}}
            }
        }));
        for pointer in [
            "/paths/~1a/parameters/0/schema",
            "/paths/~1a/post/parameters/0/content/application~1json/schema",
            "/paths/~1a/post/parameters/0/content/application~1json/encoding/a/headers/H/schema",
            "/paths/~1a/post/requestBody/content/application~1json/schema",
            "/paths/~1a/post/responses/200/headers/H/schema",
            "/paths/~1a/post/responses/200/content/application~1json/schema",
            "/paths/~1a/post/callbacks/cb/{$request.body#~1u}/post/requestBody/content/application~1json/schema",
            "/components/parameters/P/schema",
            "/components/headers/H/schema",
            "/components/requestBodies/B/content/application~1json/schema",
            "/components/responses/R/content/application~1json/schema",
        ] {
            assert_eq!(doc.pointer(pointer), Some(&done), "{pointer}");
        }
    }

    const SECURITY_ONION_STYLE: &str = r##"
openapi: 3.1.0
jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
info:
  title: Security Onion Connect API
  summary: Cases, events and detections of a grid
  version: 2.4.0
  license:
    name: Elastic License 2.0
    identifier: Elastic-2.0
servers:
  - url: https://{manager}/connect
    variables:
      manager:
        default: securityonion
security:
  - oauth: [read]
paths:
  /api/case/:
    post:
      operationId: createCase
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Case'
              description: The case to open.
      responses:
        '200':
          description: The created case.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Case'
        '400':
          $ref: '#/components/responses/BadRequest'
  /api/case/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema:
          type: string
          examples: [AYx3vCqt3tq0nMIs2vXy]
    get:
      operationId: getCase
      responses:
        '200':
          description: The case.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Case'
  /api/events/:
    get:
      operationId: queryEvents
      parameters:
        - name: query
          in: query
          schema:
            type: [string, 'null']
            examples: ['event.dataset:alert']
        - name: range
          in: query
          schema:
            type: integer
            exclusiveMinimum: 0
            maximum: 10000
      responses:
        '200':
          description: Matching events.
          content:
            application/json:
              schema:
                type: object
                properties:
                  events:
                    type: array
                    items:
                      $ref: '#/components/schemas/Event'
                  totalEvents:
                    type: integer
                    minimum: 0
                  elapsedMs:
                    type: [integer, 'null']
webhooks:
  caseUpdated:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Case'
      responses:
        '200':
          description: Received.
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://securityonion/oauth2/token
          scopes:
            read: Read access
  responses:
    BadRequest:
      description: The request was refused.
      content:
        application/json:
          schema:
            type: object
            properties:
              error:
                type: string
  schemas:
    Case:
      type: object
      required: [title, status]
      properties:
        id:
          type: string
          readOnly: true
        title:
          type: string
          maxLength: 256
        description:
          type: [string, 'null']
        status:
          $ref: '#/components/schemas/CaseStatus'
          description: Where the case is in its life cycle.
        severity:
          type: integer
          minimum: 1
          maximum: 4
          examples: [2]
        kind:
          const: case
        assigneeId:
          anyOf:
            - $ref: '#/components/schemas/UserId'
            - type: 'null'
        tags:
          type: [array, 'null']
          items:
            type: string
        createTime:
          type: string
          format: date-time
        attachment:
          type: string
          contentEncoding: base64
      $defs:
        Note:
          type: object
          properties:
            text:
              type: string
    CaseStatus:
      type: string
      enum: [new, in progress, closed]
    UserId:
      type: string
      format: uuid
    Event:
      type: object
      additionalProperties: true
      properties:
        timestamp:
          type: string
          format: date-time
        score:
          type: [number, 'null']
          exclusiveMaximum: 100
        payload:
          type: [object, string]
          properties:
            raw:
              type: string
          maxLength: 65536
"##;

    #[test]
    fn a_realistic_3_1_document_deserialises_after_the_downgrade() {
        let doc: Value = serde_yaml::from_str(SECURITY_ONION_STYLE).unwrap_or_default();
        assert!(doc.is_object());
        let (doc, _, warnings) = run(doc);
        let parsed = serde_json::from_value::<openapiv3::OpenAPI>(doc.clone());
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(e) => panic!(
                "{e}\n{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ),
        };
        assert_eq!(parsed.openapi, "3.0.3");
        assert_eq!(parsed.paths.paths.len(), 3);
        assert_eq!(pointers_of(&warnings), ["/webhooks"]);
        let case = &doc["components"]["schemas"]["Case"]["properties"];
        assert_eq!(
            case["description"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            case["status"],
            json!({"description": "Where the case is in its life cycle.", "allOf": [{"$ref": "#/components/schemas/CaseStatus"}]})
        );
        assert_eq!(case["kind"], json!({"enum": ["case"]}));
        assert_eq!(case["severity"]["example"], json!(2));
        assert_eq!(
            case["assigneeId"],
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/UserId"}]})
        );
        assert_eq!(
            case["attachment"],
            json!({"type": "string", "format": "byte"})
        );
        assert!(doc["components"]["schemas"].get("Case_defs_Note").is_some());
        let range = &doc["paths"]["/api/events/"]["get"]["parameters"][1]["schema"];
        assert_eq!(
            range,
            &json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10000})
        );
    }

    #[test]
    fn the_downgrade_is_deterministic() {
        let doc: Value = serde_yaml::from_str(SECURITY_ONION_STYLE).unwrap_or_default();
        let first = run(doc.clone());
        let second = run(doc);
        assert_eq!(
            serde_json::to_string(&first.0).unwrap_or_default(),
            serde_json::to_string(&second.0).unwrap_or_default()
        );
        assert_eq!(first.1, second.1);
        assert_eq!(first.2, second.2);
    }

    #[test]
    fn very_deep_schemas_do_not_overflow_the_stack() {
        const DEPTH: usize = 100_000;
        // Built inside out by moving values (`json!` would serialise an interpolated value
        // recursively), so nothing here recurses either.
        let mut schema = json!({
            "type": ["string", "null"],
            "$defs": {"Leaf": {"const": 1}},
            "if": {"const": "x"}
        });
        for level in 0..DEPTH {
            let mut outer = Map::new();
            if level % 2 == 0 {
                outer.insert("type".to_owned(), json!(["array", "null"]));
                outer.insert("items".to_owned(), schema);
            } else {
                let mut properties = Map::new();
                properties.insert("a".to_owned(), schema);
                outer.insert("type".to_owned(), json!(["object", "null"]));
                outer.insert("properties".to_owned(), Value::Object(properties));
                outer.insert("examples".to_owned(), json!([{}]));
            }
            schema = Value::Object(outer);
        }
        let mut doc = with_schema(json!({}));
        if let Some(slot) = doc.pointer_mut("/components/schemas/S") {
            *slot = schema;
        }
        let mut origins = Origins::new();
        let mut warnings = Vec::new();
        downgrade(&mut doc, &mut origins, &mut warnings);
        // Every level was rewritten.
        let mut levels = 0;
        let mut node = doc.pointer("/components/schemas/S");
        while let Some(Value::Object(map)) = node {
            assert_eq!(map.get("nullable"), Some(&Value::Bool(true)));
            assert!(map.get("type").is_some_and(Value::is_string));
            assert!(!map.contains_key("if") && !map.contains_key("$defs"));
            assert!(!map.contains_key("examples"));
            node = map
                .get("items")
                .or_else(|| map.get("properties").and_then(|p| p.get("a")));
            levels += 1;
        }
        assert_eq!(levels, DEPTH + 1);
        // The one warning, at the bottom, points there.
        assert_eq!(warnings.len(), 1);
        assert!(warnings
            .iter()
            .all(|w| w.pointer.ends_with("/items/properties/a/items/if")));
        assert_eq!(
            doc.pointer("/components/schemas/S_defs_Leaf"),
            Some(&json!({"enum": [1]}))
        );
        dismantle(doc);
    }

    #[test]
    fn deep_clone_copies_without_recursion() {
        let value = json!({"a": [1, {"b": null, "c": [true, "x"]}, []], "d": {}});
        assert_eq!(deep_clone(&value), value);
        assert_eq!(deep_clone(&json!(3)), json!(3));
    }

    #[test]
    fn anything_that_is_not_an_object_is_left_alone() {
        for value in [json!(null), json!([1]), json!("3.1.0")] {
            let (doc, origins, warnings) = run(value.clone());
            assert_eq!(doc, value);
            assert_eq!(origins, Origins::new());
            assert!(warnings.is_empty());
        }
    }
}
