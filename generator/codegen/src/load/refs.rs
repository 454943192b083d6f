//! References the model does not follow by itself, bundled into the document.
//!
//! The model resolves `#/components/<kind>/<name>`. Published specs also use JSON pointers to
//! anywhere in the document (`#/paths/~1pets/get/responses/200/content/…/schema`, as bundlers
//! write them) and relative references into other files (`common.yaml#/components/schemas/Error`,
//! `./schemas/pet.json`). Each such reference is replaced here:
//!
//! - where a schema is expected, the target is copied once into `components/schemas` under a
//!   name taken from the target (its component name when it has one) and every reference to the
//!   same target points there, so recursive schemas stay recursive by name;
//! - anywhere else (a parameter, a response, a path item, …) the target is copied in place.
//!
//! Copied content is scanned in turn, its own references read relative to the file it came from.
//! Each copy is recorded in the [`Origins`](super::origin::Origins), so a problem inside it is
//! reported in the file and at the pointer where it is written. Remote (`http:`) references
//! are never fetched: they are reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::origin::FileId;
use super::{parse_value, walk, SourceFile, Sources};
use crate::diagnostic::{push_pointer, Problem};

/// Component kinds a local reference may name directly.
const KINDS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Pointer tokens under which a reference stands for a schema.
const SCHEMA_TOKENS: &[&str] = &[
    "schema",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "additionalProperties",
];

/// At most this many files are read for one spec.
const MAX_FILES: usize = 1000;
/// A reference copied in place may bring further references to copy, this many deep (real
/// specs use one or two: a parameter that refers to a shared parameter).
const MAX_INLINE_DEPTH: usize = 8;
/// At most this many references are copied in place for one spec, so that references which
/// fan out (each copy holding several more) cannot multiply the document without bound.
const MAX_INLINED: usize = 100_000;

/// A place whose references are to be scanned: the node at `pointer` of the normalised
/// document, whose references are relative to `file`.
struct Pending {
    pointer: String,
    file: FileId,
    /// The targets copied in place on the way here (a target met again is a cycle).
    chain: Vec<(FileId, String)>,
}

struct Bundler<'s> {
    sources: &'s mut Sources,
    /// Parsed files other than the main one, by id (`None` when unreadable).
    parsed: BTreeMap<FileId, Option<Value>>,
    /// (file, pointer in it) → the component name its copy has.
    hoisted: BTreeMap<(FileId, String), String>,
    /// Names taken in `components/schemas`.
    taken: BTreeSet<String>,
    /// References copied in place so far.
    inlined: usize,
}

/// Replaces every reference the model cannot follow by the content it names.
pub fn bundle(document: &mut Value, sources: &mut Sources, problems: &mut Vec<Problem>) {
    let taken = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let mut bundler = Bundler {
        sources,
        parsed: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        taken,
        inlined: 0,
    };
    let mut queue = vec![Pending {
        pointer: String::new(),
        file: 0,
        chain: Vec::new(),
    }];
    while let Some(pending) = queue.pop() {
        for (at, reference) in references_under(document, &pending.pointer) {
            bundler.replace(document, &at, &reference, &pending, &mut queue, problems);
        }
    }
}

/// Every `$ref` string under `pointer`, with the pointer of the object holding it, found
/// without recursion.
fn references_under(document: &Value, pointer: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let Some(start) = document.pointer(pointer) else {
        return found;
    };
    walk::each_container(start, |path, node| {
        if let Some(Value::String(reference)) = node.get("$ref") {
            found.push((walk::pointer(pointer, path), reference.clone()));
        }
        true
    });
    found
}

/// Whether the reference at `pointer` stands where a schema is expected.
fn in_schema_position(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').collect();
    tokens.iter().any(|t| SCHEMA_TOKENS.contains(t))
        || (tokens.len() >= 3 && tokens[1] == "components" && tokens[2] == "schemas")
}

/// `#/components/<kind>/<name>` with a plain name: what the model resolves itself.
fn is_component_reference(reference: &str) -> bool {
    let Some(rest) = reference.strip_prefix("#/components/") else {
        return false;
    };
    match rest.split_once('/') {
        Some((kind, name)) => KINDS.contains(&kind) && !name.is_empty() && !name.contains('/'),
        None => false,
    }
}

/// Undoes JSON pointer escaping and percent-encoding in a fragment.
fn fragment_pointer(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Some(v) = fragment
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| fragment.to_owned())
}

impl Bundler<'_> {
    fn replace(
        &mut self,
        document: &mut Value,
        at: &str,
        reference: &str,
        pending: &Pending,
        queue: &mut Vec<Pending>,
        problems: &mut Vec<Problem>,
    ) {
        let ref_pointer = push_pointer(at, "$ref");
        if pending.file == 0 && is_component_reference(reference) {
            return;
        }
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") {
            problems.push(Problem::new(
                ref_pointer,
                format!("remote reference `{reference}` is not fetched: download the file beside the spec and refer to it by a relative path"),
            ));
            return;
        }
        let target_file = if file_part.is_empty() {
            pending.file
        } else {
            match self.open(pending.file, file_part) {
                Ok(file) => file,
                Err(message) => {
                    problems.push(Problem::new(ref_pointer, message));
                    return;
                }
            }
        };
        let target_pointer = fragment_pointer(fragment);
        if !target_pointer.is_empty() && !target_pointer.starts_with('/') {
            problems.push(Problem::new(
                ref_pointer,
                format!("reference `{reference}` has a fragment that is not a JSON pointer"),
            ));
            return;
        }
        // A component of the main file named through a path of its own (`./openapi.yaml#/…`).
        if target_file == 0 {
            let local = format!("#{target_pointer}");
            if is_component_reference(&local) {
                set_reference(document, at, local);
                return;
            }
        }
        let Some(target) = self.value_at(document, target_file, &target_pointer) else {
            problems.push(Problem::new(
                ref_pointer,
                format!("unresolvable $ref `{reference}`: nothing is at `{target_pointer}`"),
            ));
            return;
        };
        if in_schema_position(at) {
            let key = (target_file, target_pointer.clone());
            let name = match self.hoisted.get(&key) {
                Some(name) => name.clone(),
                None => {
                    let name = self.claim(&target_pointer, file_part);
                    self.hoisted.insert(key, name.clone());
                    let component = push_pointer("/components/schemas", &name);
                    insert_schema(document, &name, target);
                    self.sources.origins.record(
                        component.clone(),
                        target_file,
                        target_pointer.clone(),
                    );
                    queue.push(Pending {
                        pointer: component,
                        file: target_file,
                        chain: Vec::new(),
                    });
                    name
                }
            };
            set_reference(
                document,
                at,
                format!("#{}", push_pointer("/components/schemas", &name)),
            );
        } else {
            let target_key = (target_file, target_pointer.clone());
            // A reference inside what it names (in the main file, where `at` and the target
            // share one pointer space), or back to a target copied on the way here, never ends.
            let inside_target = target_file == 0
                && pending.file == 0
                && (at == target_pointer || at.starts_with(&format!("{target_pointer}/")));
            if inside_target || pending.chain.contains(&target_key) {
                problems.push(Problem::new(
                    ref_pointer,
                    format!("$ref cycle: `{reference}` leads back to itself"),
                ));
                return;
            }
            if pending.chain.len() >= MAX_INLINE_DEPTH || self.inlined >= MAX_INLINED {
                problems.push(Problem::new(
                    ref_pointer,
                    format!("`{reference}` is not copied: references copied in place nest more than {MAX_INLINE_DEPTH} deep or number more than {MAX_INLINED}"),
                ));
                return;
            }
            self.inlined += 1;
            if let Some(slot) = document.pointer_mut(at) {
                *slot = target;
            }
            self.sources
                .origins
                .record(at.to_owned(), target_file, target_pointer);
            let mut chain = pending.chain.clone();
            chain.push(target_key);
            queue.push(Pending {
                pointer: at.to_owned(),
                file: target_file,
                chain,
            });
        }
    }

    /// The value at `pointer` of `file` (the normalised document for the main file).
    fn value_at(&self, document: &Value, file: FileId, pointer: &str) -> Option<Value> {
        let root = if file == 0 {
            document
        } else {
            self.parsed.get(&file)?.as_ref()?
        };
        root.pointer(pointer).cloned()
    }

    /// The id of the file `relative` names, read beside the file `from`.
    fn open(&mut self, from: FileId, relative: &str) -> Result<FileId, String> {
        let base = self
            .sources
            .files
            .get(from)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let path = normalise(&base.parent().unwrap_or(Path::new("")).join(relative));
        if let Some(id) = self.sources.files.iter().position(|f| f.path == path) {
            return match self.parsed.get(&id) {
                Some(None) => Err(format!(
                    "`{relative}` could not be read (see its first error)"
                )),
                _ => Ok(id),
            };
        }
        if self.sources.files.len() >= MAX_FILES {
            return Err(format!("more than {MAX_FILES} files are referenced"));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let value = parse_value(&path, &text).map_err(|d| {
            d.0.first()
                .map(|d| d.to_string())
                .unwrap_or_else(|| format!("`{}` is not YAML or JSON", path.display()))
        })?;
        self.sources.files.push(SourceFile::new(path, text));
        let id = self.sources.files.len() - 1;
        self.parsed.insert(id, Some(value));
        Ok(id)
    }

    /// A free component name for a schema copied from `pointer` (of the file `file_part`).
    fn claim(&mut self, pointer: &str, file_part: &str) -> String {
        let last = pointer
            .rsplit('/')
            .next()
            .filter(|t| !t.is_empty())
            .map(|t| t.replace("~1", "/").replace("~0", "~"));
        let base = match last {
            Some(token) if !token.chars().all(|c| c.is_ascii_digit()) => token,
            _ => Path::new(file_part)
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|s| !s.is_empty())
                .unwrap_or("Schema")
                .to_owned(),
        };
        let base = base.replace('/', "_");
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// Replaces the object holding a `$ref` by a plain reference (siblings of `$ref` are ignored
/// in OpenAPI 3.0, and the model reads none of them).
fn set_reference(document: &mut Value, at: &str, reference: String) {
    if let Some(Value::Object(map)) = document.pointer_mut(at) {
        map.insert("$ref".to_owned(), Value::String(reference));
    }
}

fn insert_schema(document: &mut Value, name: &str, schema: Value) {
    let Value::Object(root) = document else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Default::default()));
    let Value::Object(components) = components else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Default::default()));
    if let Value::Object(schemas) = schemas {
        schemas.insert(name.to_owned(), schema);
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (the file may not exist).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::origin::Origins;
    use serde_json::json;

    fn sources(path: &Path) -> Sources {
        Sources {
            files: vec![SourceFile::new(path.to_path_buf(), String::new())],
            origins: Origins::new(),
        }
    }

    #[test]
    fn pointers_into_paths_are_hoisted_into_components_once() {
        let mut document = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {"self": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}}}}}}}}},
                      "/b": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}}}}}}}}
        });
        let mut sources = sources(Path::new("spec.yaml"));
        let mut problems = Vec::new();
        bundle(&mut document, &mut sources, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            document.pointer("/paths/~1b/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/schema"))
        );
        assert_eq!(
            document.pointer("/components/schemas/schema/properties/self/$ref"),
            Some(&json!("#/components/schemas/schema")),
            "recursion stays by name"
        );
        assert_eq!(
            sources.origins.find("/components/schemas/schema/type"),
            (
                0,
                "/paths/~1a/get/responses/200/content/application~1json/schema/type".to_owned()
            )
        );
    }

    #[test]
    fn non_schema_references_are_copied_in_place_and_cycles_end() {
        let mut document = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/paths/~1b/get/parameters/0"}]}},
                      "/b": {"get": {"parameters": [{"name": "q", "in": "query"}]}},
                      "/c": {"$ref": "#/paths/~1c"}}
        });
        let mut sources = sources(Path::new("spec.yaml"));
        let mut problems = Vec::new();
        bundle(&mut document, &mut sources, &mut problems);
        assert_eq!(
            document.pointer("/paths/~1a/get/parameters/0/name"),
            Some(&json!("q"))
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("cycle"));
    }

    #[test]
    fn relative_files_are_read_beside_the_spec_and_located_there() {
        let dir = std::env::temp_dir().join(format!("clientgen-refs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("schemas")).unwrap();
        std::fs::write(
            dir.join("schemas/common.yaml"),
            "components:\n  schemas:\n    Error:\n      type: object\n      properties:\n        code: {$ref: '#/components/schemas/Code'}\n    Code:\n      type: integer\n",
        )
        .unwrap();
        let mut document = json!({
            "paths": {"/a": {"get": {"responses": {"400": {"content": {"application/json": {
                "schema": {"$ref": "schemas/common.yaml#/components/schemas/Error"}}}}}}}},
            "components": {"schemas": {"Error": {"type": "string"}}}
        });
        let mut sources = sources(&dir.join("spec.yaml"));
        let mut problems = Vec::new();
        bundle(&mut document, &mut sources, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            document.pointer("/paths/~1a/get/responses/400/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/Error2")),
            "the main file's Error keeps its name"
        );
        assert_eq!(
            document.pointer("/components/schemas/Error2/properties/code/$ref"),
            Some(&json!("#/components/schemas/Code"))
        );
        assert_eq!(
            document.pointer("/components/schemas/Code/type"),
            Some(&json!("integer"))
        );
        let (file, pointer) = sources.origins.find("/components/schemas/Code/type");
        assert!(sources.files[file].path.ends_with("schemas/common.yaml"));
        assert_eq!(pointer, "/components/schemas/Code/type");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_files_and_remote_references_are_located_problems() {
        let mut document = json!({"paths": {"/a": {"get": {"parameters": [
            {"$ref": "nowhere.yaml#/p"}, {"$ref": "https://example.com/x.yaml#/p"}]}}}});
        let mut sources = sources(Path::new("/nonexistent/spec.yaml"));
        let mut problems = Vec::new();
        bundle(&mut document, &mut sources, &mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems
            .iter()
            .any(|p| p.message.contains("remote reference")));
        assert!(problems
            .iter()
            .any(|p| p.pointer == "/paths/~1a/get/parameters/0/$ref"));
    }
}
