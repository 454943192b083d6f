//! OpenAPI Overlay 1.0: curated patches applied to a spec before anything else reads it.
//!
//! An overlay document names nodes of the spec with RFC 9535 JSONPath expressions and says, for
//! each, what to change:
//!
//! ```yaml
//! overlay: 1.0.0
//! info: { title: Fixes for the vendor's spec, version: 1.0.0 }
//! actions:
//!   - target: $.paths['/alerts'].get
//!     update: { description: Lists alerts, newest first. }
//!   - target: $.paths['/internal/debug']
//!     remove: true
//! ```
//!
//! [`read`] parses and checks the overlay (every problem at once, each located in the overlay
//! file); [`apply`] runs its actions in order on the spec as a [`serde_json::Value`]. The rules
//! of an `update`, for each node the target selects:
//!
//! - an object target takes the update's members: a member the target lacks is added; a member
//!   both have is merged when both values are objects, extended when both are arrays (the
//!   update's items are appended) and replaced otherwise;
//! - an array target gets the update appended as one item, or every item of the update when the
//!   update is itself an array;
//! - a primitive target (string, number, boolean, null) is replaced by a primitive update.
//!
//! `remove: true` removes each selected node from the object or array holding it, and wins over
//! an `update` in the same action. A target that selects nothing is not an error in Overlay 1.0,
//! but [`apply`] reports it as a warning: a curated fix that silently stopped applying after the
//! vendor changed the spec must be seen.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use super::locate_all;
use crate::diagnostic::{push_pointer, Diagnostic, Diagnostics, Problem};

/// The deepest nesting accepted in an overlay document (and so in an `update` value); merging
/// recurses along the update, so this bounds it.
const MAX_DEPTH: usize = 128;

/// The deepest nesting of brackets and parentheses accepted in a `target` before it is given
/// to the JSONPath parser (which recurses on them).
const MAX_TARGET_NESTING: usize = 32;

/// A parsed and checked overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    file: PathBuf,
    source: String,
    title: String,
    version: String,
    extends: Option<String>,
    actions: Vec<Action>,
    /// Problems that do not stop the overlay from applying, reported by every [`apply`].
    warnings: Vec<Problem>,
}

/// One entry of `actions`.
#[derive(Debug, Clone)]
pub struct Action {
    pointer: String,
    target_text: String,
    target: JsonPath,
    description: Option<String>,
    change: Change,
}

/// What an action does to each node its target selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge this value into the node (see the module documentation).
    Update(Value),
    /// Remove the node from its parent.
    Remove,
}

impl Overlay {
    /// The overlay file, as it appears in messages.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The overlay's text, kept to locate problems found while applying it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// `info.title`.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// `info.version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `extends`: the document the overlay was written for, when it says so (informative only:
    /// the overlay is applied to the spec it is given).
    pub fn extends(&self) -> Option<&str> {
        self.extends.as_deref()
    }

    /// The actions, in the order they are applied.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Parses and checks an overlay document from its text, naming `file` in any problem.
    /// JSON is chosen when the text starts with `{`, YAML otherwise.
    pub fn parse(file: &Path, source: String) -> Result<Overlay, Diagnostics> {
        let root = match parse_value(&source) {
            Ok(root) => root,
            Err(Located { problem, position }) => {
                let mut diagnostics = locate_all(file, &source, vec![problem]);
                if let (Some((line, column)), Some(d)) = (position, diagnostics.0.first_mut()) {
                    if line > 0 {
                        d.line = Some(line);
                        d.column = Some(column);
                    }
                }
                return Err(diagnostics);
            }
        };
        let mut checker = Checker::default();
        let header = checker.root(&root);
        match header {
            Some((title, version, extends, actions)) if checker.errors.is_empty() => Ok(Overlay {
                file: file.to_path_buf(),
                source,
                title,
                version,
                extends,
                actions,
                warnings: checker.warnings,
            }),
            _ => {
                let mut diagnostics = locate_all(file, &source, checker.errors);
                // In the order a reader meets them (the sort is stable for ties).
                diagnostics
                    .0
                    .sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
                Err(diagnostics)
            }
        }
    }

    fn locate(&self, problems: Vec<Problem>) -> Diagnostics {
        locate_all(&self.file, &self.source, problems)
    }
}

impl Action {
    /// Where the action is in the overlay document, e.g. `/actions/2`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The JSONPath expression, as written.
    pub fn target(&self) -> &str {
        &self.target_text
    }

    /// `description`, when given.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// What the action does.
    pub fn change(&self) -> &Change {
        &self.change
    }
}

/// Reads an overlay document (YAML or JSON) from `path`; problems are located (file, line,
/// pointer) in that file, all of them at once.
pub fn read(path: &Path) -> Result<Overlay, Diagnostics> {
    let source = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line: None,
            column: None,
            pointer: String::new(),
            message: format!("cannot read the overlay: {e}"),
        }])
    })?;
    Overlay::parse(path, source)
}

/// Applies the overlay's actions in order to `doc`.
///
/// Returns the warnings, located in the overlay file: an action whose target selects nothing,
/// an `update` ignored because the action also removes. Errors (an update that does not fit
/// the node it targets, removing the document root) are located in the overlay file too; an
/// action with an error changes nothing, the other actions are still applied so that every
/// error is reported at once, and the caller should then discard `doc`.
pub fn apply(overlay: &Overlay, doc: &mut Value) -> Result<Vec<Diagnostic>, Diagnostics> {
    let mut warnings = overlay.warnings.clone();
    let mut errors = Vec::new();
    for action in &overlay.actions {
        let outcome = apply_action(action, doc);
        warnings.extend(outcome.warnings);
        errors.extend(outcome.errors);
    }
    if errors.is_empty() {
        Ok(overlay.locate(warnings).0)
    } else {
        Err(overlay.locate(errors))
    }
}

/// One step of a path from the document root to a selected node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Index(usize),
    Name(String),
}

/// The JSON pointer of `path` in the document.
fn pointer_of(path: &[Step]) -> String {
    path.iter().fold(String::new(), |pointer, step| match step {
        Step::Index(i) => push_pointer(&pointer, &i.to_string()),
        Step::Name(name) => push_pointer(&pointer, name),
    })
}

/// How a node at `pointer` is named in messages: its JSON pointer, or "the document root".
fn shown(pointer: &str) -> String {
    if pointer.is_empty() {
        "the document root".to_owned()
    } else {
        format!("`{pointer}`")
    }
}

fn resolve_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Name(name)) => map.get_mut(name),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

fn resolve<'a>(doc: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Name(name)) => map.get(name),
        (Value::Array(items), Step::Index(i)) => items.get(*i),
        _ => None,
    })
}

#[derive(Default)]
struct Outcome {
    warnings: Vec<Problem>,
    errors: Vec<Problem>,
}

fn apply_action(action: &Action, doc: &mut Value) -> Outcome {
    let mut outcome = Outcome::default();
    let target_pointer = push_pointer(&action.pointer, "target");
    // Owned paths, each once, in the order the query gives them (document order).
    let mut seen = BTreeSet::new();
    let paths: Vec<Vec<Step>> = action
        .target
        .query_located(doc)
        .locations()
        .map(|location| {
            location
                .iter()
                .map(|element| match element {
                    PathElement::Name(name) => Step::Name((*name).to_owned()),
                    PathElement::Index(i) => Step::Index(*i),
                })
                .collect::<Vec<Step>>()
        })
        .filter(|path| seen.insert(path.clone()))
        .collect();
    if paths.is_empty() {
        outcome.warnings.push(Problem::new(
            target_pointer,
            format!(
                "target `{}` selects nothing in the document, so this action changed nothing (the document may no longer have what the overlay was written for)",
                action.target_text
            ),
        ));
        return outcome;
    }
    match &action.change {
        Change::Remove => {
            if paths.iter().any(Vec::is_empty) {
                outcome.errors.push(Problem::new(
                    target_pointer,
                    format!(
                        "target `{}` selects the document root, which cannot be removed",
                        action.target_text
                    ),
                ));
                return outcome;
            }
            // Last first: a later array index before an earlier one, so removing one item
            // does not move the others still to remove, and a node's descendants (longer
            // paths) before the node itself.
            let mut ordered = paths;
            ordered.sort_unstable_by(|a, b| b.cmp(a));
            for path in &ordered {
                let Some((last, parent)) = path.split_last() else {
                    continue;
                };
                // A node whose ancestor was also selected goes with it; only nodes still in
                // place are removed.
                match (resolve_mut(doc, parent), last) {
                    (Some(Value::Object(map)), Step::Name(name)) => remove_member(map, name),
                    (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        Change::Update(update) => {
            // Check every selected node first, so an action is applied whole or not at all.
            for path in &paths {
                let Some(node) = resolve(doc, path) else {
                    continue;
                };
                if let Some(message) = mismatch(node, update) {
                    outcome.errors.push(Problem::new(
                        push_pointer(&action.pointer, "update"),
                        format!(
                            "target `{}` selects {} ({message})",
                            action.target_text,
                            shown(&pointer_of(path))
                        ),
                    ));
                }
            }
            if !outcome.errors.is_empty() {
                return outcome;
            }
            for path in &paths {
                match resolve_mut(doc, path) {
                    Some(node) => update_node(node, update),
                    None => outcome.warnings.push(Problem::new(
                        target_pointer.clone(),
                        format!(
                            "target `{}` also selects {}, which an earlier match of the same action replaced, so it was not updated",
                            action.target_text,
                            shown(&pointer_of(path))
                        ),
                    )),
                }
            }
        }
    }
    outcome
}

/// Removes `name` from `map`, keeping the other members in their order (serde_json's own
/// `remove` swaps the last member into the gap when member order is preserved).
fn remove_member(map: &mut Map<String, Value>, name: &str) {
    if map.contains_key(name) {
        let members = std::mem::take(map);
        *map = members.into_iter().filter(|(key, _)| key != name).collect();
    }
}

/// Why `update` cannot be merged into `node`, if it cannot.
fn mismatch(node: &Value, update: &Value) -> Option<String> {
    match (node, update) {
        (Value::Object(_), Value::Object(_)) | (Value::Array(_), _) => None,
        (Value::Object(_), other) => Some(format!(
            "an object, which can only be updated with an object, not {}",
            kind(other)
        )),
        (_, Value::Object(_) | Value::Array(_)) => Some(format!(
            "{}, which can only be replaced by a string, number, boolean or null, not {}",
            kind(node),
            kind(update)
        )),
        _ => None,
    }
}

/// Merges `update` into a selected node (whose fit [`mismatch`] has checked).
fn update_node(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(members)) => merge_members(target, members),
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (Value::Array(items), item) => items.push(item.clone()),
        (node, value) => *node = value.clone(),
    }
}

/// Merges an update's members into an object. Recursion follows the update, whose depth the
/// parser bounds ([`MAX_DEPTH`]).
fn merge_members(target: &mut Map<String, Value>, members: &Map<String, Value>) {
    for (name, value) in members {
        match (target.get_mut(name), value) {
            (Some(Value::Object(inner)), Value::Object(more)) => merge_members(inner, more),
            (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.iter().cloned()),
            (Some(existing), value) => *existing = value.clone(),
            (None, value) => {
                target.insert(name.clone(), value.clone());
            }
        }
    }
}

/// A value's kind, with its article, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A problem found while parsing, with the parser's own position when it has one.
struct Located {
    problem: Problem,
    position: Option<(usize, usize)>,
}

fn parse_value(source: &str) -> Result<Value, Located> {
    if source.trim_start().starts_with('{') {
        // serde_json refuses nesting deeper than 128 by itself.
        return serde_json::from_str(source).map_err(|e| Located {
            problem: Problem::new("", format!("the overlay is not valid JSON: {e}")),
            position: Some((e.line(), e.column())),
        });
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(source).map_err(|e| Located {
        problem: Problem::new("", format!("the overlay is not valid YAML: {e}")),
        position: e.location().map(|l| (l.line(), l.column())),
    })?;
    yaml_to_json(&yaml, "", 0).map_err(|problem| Located {
        problem,
        position: None,
    })
}

/// Converts parsed YAML to JSON values. Keys that YAML reads as numbers or booleans (response
/// codes such as `200:`) become their text, as OpenAPI means them.
fn yaml_to_json(value: &serde_yaml::Value, pointer: &str, depth: usize) -> Result<Value, Problem> {
    use serde_yaml::Value as Yaml;
    if depth > MAX_DEPTH {
        return Err(Problem::new(
            pointer,
            format!("the overlay is nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    Ok(match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                let number = serde_json::Number::from_f64(f).ok_or_else(|| {
                    Problem::new(pointer, format!("the number `{n}` has no JSON equivalent"))
                })?;
                Value::Number(number)
            }
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    yaml_to_json(item, &push_pointer(pointer, &i.to_string()), depth + 1)
                })
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut map = Map::new();
            for (key, item) in entries {
                let key =
                    match key {
                        Yaml::String(s) => s.clone(),
                        Yaml::Number(n) => n.to_string(),
                        Yaml::Bool(b) => b.to_string(),
                        Yaml::Null => "null".to_owned(),
                        _ => return Err(Problem::new(
                            pointer,
                            "a mapping key is itself a list or mapping; keys must be plain text",
                        )),
                    };
                let child = push_pointer(pointer, &key);
                let converted = yaml_to_json(item, &child, depth + 1)?;
                map.insert(key, converted);
            }
            Value::Object(map)
        }
        Yaml::Tagged(tagged) => yaml_to_json(&tagged.value, pointer, depth)?,
    })
}

/// What [`Checker::root`] returns for a valid document: title, version, extends, actions.
type Header = (String, String, Option<String>, Vec<Action>);

/// Checks an overlay document, collecting every problem.
#[derive(Default)]
struct Checker {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Checker {
    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Problem::new(pointer, message));
    }

    /// Reports members other than `known` and `x-` extensions.
    fn unknown_members(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        what: &str,
        known: &[&str],
    ) {
        for name in map.keys() {
            if !known.contains(&name.as_str()) && !name.starts_with("x-") {
                let expected = known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    push_pointer(pointer, name),
                    format!("unknown field `{name}` in {what}: expected {expected} or an `x-` extension"),
                );
            }
        }
    }

    /// A required string member.
    fn string(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        name: &str,
        what: &str,
    ) -> Option<String> {
        match map.get(name) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.error(
                    push_pointer(pointer, name),
                    format!("`{name}` must be a string, not {}", kind(other)),
                );
                None
            }
            None => {
                self.error(
                    pointer,
                    format!("{what} has no `{name}`, which is required"),
                );
                None
            }
        }
    }

    /// An optional string member.
    fn optional_string(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        name: &str,
    ) -> Option<String> {
        match map.get(name) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.error(
                    push_pointer(pointer, name),
                    format!("`{name}` must be a string, not {}", kind(other)),
                );
                None
            }
            None => None,
        }
    }

    fn root(&mut self, root: &Value) -> Option<Header> {
        let Value::Object(map) = root else {
            self.error(
                "",
                format!(
                    "an overlay document must be a mapping with `overlay`, `info` and `actions`, not {}",
                    kind(root)
                ),
            );
            return None;
        };
        self.unknown_members(
            map,
            "",
            "the overlay document",
            &["overlay", "info", "extends", "actions"],
        );
        match map.get("overlay") {
            Some(Value::String(version)) => {
                if !is_version_1_0(version) {
                    self.error(
                        "/overlay",
                        format!("Overlay Specification version `{version}` is not supported: this generator applies 1.0.x overlays (e.g. `overlay: 1.0.0`)"),
                    );
                }
            }
            Some(other) => self.error(
                "/overlay",
                format!(
                    "`overlay` must be a version string such as `1.0.0`, not {} (quote it in YAML)",
                    kind(other)
                ),
            ),
            None => self.error(
                "",
                "the document has no `overlay` field saying which Overlay Specification version it follows (e.g. `overlay: 1.0.0`)",
            ),
        }
        let info = match map.get("info") {
            Some(Value::Object(info)) => {
                self.unknown_members(info, "/info", "`info`", &["title", "version"]);
                let title = self.string(info, "/info", "title", "`info`");
                let version = self.string(info, "/info", "version", "`info`");
                title.zip(version)
            }
            Some(other) => {
                self.error(
                    "/info",
                    format!(
                        "`info` must be a mapping with `title` and `version`, not {}",
                        kind(other)
                    ),
                );
                None
            }
            None => {
                self.error(
                    "",
                    "the overlay has no `info` (with `title` and `version`), which is required",
                );
                None
            }
        };
        let extends = self.optional_string(map, "", "extends");
        let actions = match map.get("actions") {
            Some(Value::Array(items)) if items.is_empty() => {
                self.error(
                    "/actions",
                    "`actions` is empty: an overlay needs at least one action",
                );
                Vec::new()
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    self.action(item, &push_pointer("/actions", &i.to_string()))
                })
                .collect(),
            Some(other) => {
                self.error(
                    "/actions",
                    format!("`actions` must be a list of actions, not {}", kind(other)),
                );
                Vec::new()
            }
            None => {
                self.error("", "the overlay has no `actions`, which is required");
                Vec::new()
            }
        };
        let (title, version) = info?;
        Some((title, version, extends, actions))
    }

    fn action(&mut self, item: &Value, pointer: &str) -> Option<Action> {
        let Value::Object(map) = item else {
            self.error(
                pointer,
                format!(
                    "an action must be a mapping with `target` and `update` or `remove`, not {}",
                    kind(item)
                ),
            );
            return None;
        };
        self.unknown_members(
            map,
            pointer,
            "an action",
            &["target", "description", "update", "remove"],
        );
        let target = match map.get("target") {
            Some(Value::String(text)) => self.target(text, &push_pointer(pointer, "target")),
            Some(other) => {
                self.error(
                    push_pointer(pointer, "target"),
                    format!(
                        "`target` must be a string holding a JSONPath expression, not {}",
                        kind(other)
                    ),
                );
                None
            }
            None => {
                self.error(
                    pointer,
                    "the action has no `target` (a JSONPath expression), which is required",
                );
                None
            }
        };
        let description = self.optional_string(map, pointer, "description");
        let remove = match map.get("remove") {
            Some(Value::Bool(remove)) => *remove,
            Some(other) => {
                self.error(
                    push_pointer(pointer, "remove"),
                    format!("`remove` must be `true` or `false`, not {}", kind(other)),
                );
                return None;
            }
            None => false,
        };
        let update = map.get("update");
        if let Some(update) = update {
            if let Err(depth) = check_depth(update) {
                self.error(
                    push_pointer(pointer, "update"),
                    format!("`update` is nested more than {depth} levels deep"),
                );
                return None;
            }
        }
        let change = match (remove, update) {
            (true, update) => {
                if update.is_some() {
                    self.warnings.push(Problem::new(
                        push_pointer(pointer, "update"),
                        "`update` is ignored because the action also has `remove: true`, which takes precedence",
                    ));
                }
                Change::Remove
            }
            (false, Some(update)) => Change::Update(update.clone()),
            (false, None) => {
                self.error(
                    pointer,
                    "the action has neither `update` nor `remove: true`, so it would do nothing",
                );
                return None;
            }
        };
        let (target_text, target) = target?;
        Some(Action {
            pointer: pointer.to_owned(),
            target_text,
            target,
            description,
            change,
        })
    }

    fn target(&mut self, text: &str, pointer: &str) -> Option<(String, JsonPath)> {
        if nesting(text) > MAX_TARGET_NESTING {
            self.error(
                pointer,
                format!(
                    "`target` nests brackets and parentheses more than {MAX_TARGET_NESTING} deep"
                ),
            );
            return None;
        }
        match JsonPath::parse(text) {
            Ok(path) => Some((text.to_owned(), path)),
            Err(e) => {
                self.error(
                    pointer,
                    format!(
                        "`target` is not a valid JSONPath expression (RFC 9535): {} (at character {})",
                        e.message(),
                        e.position()
                    ),
                );
                None
            }
        }
    }
}

/// Whether `version` is `1.0.<patch>`.
fn is_version_1_0(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// The deepest nesting of `[`/`(` in a JSONPath expression, outside string literals.
fn nesting(text: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Checks, without recursion, that `value` is nested at most [`MAX_DEPTH`] deep.
fn check_depth(value: &Value) -> Result<(), usize> {
    let mut pending = vec![(value, 0usize)];
    while let Some((node, depth)) = pending.pop() {
        if depth > MAX_DEPTH {
            return Err(MAX_DEPTH);
        }
        match node {
            Value::Array(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            Value::Object(map) => pending.extend(map.values().map(|item| (item, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Overlay {
        match Overlay::parse(Path::new("fix.yaml"), text.to_owned()) {
            Ok(overlay) => overlay,
            Err(e) => panic!("overlay refused: {e}"),
        }
    }

    /// Applies an overlay with the given actions (YAML list items) to `doc`.
    fn run(actions: &str, mut doc: Value) -> (Value, Vec<Diagnostic>) {
        let text =
            format!("overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n{actions}");
        let warnings = apply(&overlay(&text), &mut doc).unwrap_or_else(|e| panic!("{e}"));
        (doc, warnings)
    }

    fn errors(text: &str) -> Vec<String> {
        match Overlay::parse(Path::new("fix.yaml"), text.to_owned()) {
            Ok(_) => panic!("overlay accepted"),
            Err(d) => d.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn update_merges_objects_recursively() {
        let doc = json!({"info": {"title": "A", "contact": {"name": "n", "url": "u"}}});
        let (doc, warnings) = run(
            "  - target: $.info\n    update:\n      title: B\n      description: d\n      contact: {email: e, url: v}\n",
            doc,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            doc,
            json!({"info": {"title": "B", "description": "d", "contact": {"name": "n", "url": "v", "email": "e"}}})
        );
    }

    #[test]
    fn members_of_another_kind_are_replaced_and_nested_arrays_extended() {
        let doc = json!({"s": {"enum": ["a"], "type": "string", "items": {"x": 1}}});
        let (doc, _) = run(
            "  - target: $.s\n    update: {enum: [b, c], items: [1], type: {t: 1}}\n",
            doc,
        );
        assert_eq!(
            doc,
            json!({"s": {"enum": ["a", "b", "c"], "type": {"t": 1}, "items": [1]}})
        );
    }

    #[test]
    fn update_appends_to_arrays() {
        let doc = json!({"tags": [{"name": "a"}], "list": [1]});
        let (doc, _) = run(
            "  - target: $.tags\n    update: {name: b}\n  - target: $.list\n    update: [2, 3]\n",
            doc,
        );
        assert_eq!(
            doc,
            json!({"tags": [{"name": "a"}, {"name": "b"}], "list": [1, 2, 3]})
        );
    }

    #[test]
    fn update_replaces_primitives() {
        let doc = json!({"info": {"title": "A", "version": 1}, "n": null});
        let (doc, _) = run(
            "  - target: $.info.title\n    update: B\n  - target: $.info.version\n    update: '2'\n  - target: $.n\n    update: true\n",
            doc,
        );
        assert_eq!(
            doc,
            json!({"info": {"title": "B", "version": "2"}, "n": true})
        );
    }

    #[test]
    fn update_of_a_primitive_with_a_structure_is_an_error_located_in_the_overlay() {
        let text = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info.title\n    update: {a: 1}\n  - target: $.info\n    update: [x]\n";
        let mut doc = json!({"info": {"title": "A"}});
        let before = doc.clone();
        let errors = apply(&overlay(text), &mut doc)
            .err()
            .map(|d| d.0)
            .unwrap_or_default();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "fix.yaml:5:5: target `$.info.title` selects `/info/title` (a string, which can only be replaced by a string, number, boolean or null, not an object) [at /actions/0/update]",
                "fix.yaml:7:5: target `$.info` selects `/info` (an object, which can only be updated with an object, not an array) [at /actions/1/update]",
            ]
        );
        assert_eq!(doc, before, "an action with an error changes nothing");
    }

    #[test]
    fn remove_from_objects_and_arrays() {
        let doc = json!({"paths": {"/a": {}, "/b": {}, "/c": {}}, "tags": ["x", "y", "z"]});
        let (doc, _) = run(
            "  - target: $.paths['/b']\n    remove: true\n  - target: $.tags[1]\n    remove: true\n",
            doc,
        );
        assert_eq!(
            doc,
            json!({"paths": {"/a": {}, "/c": {}}, "tags": ["x", "z"]})
        );
    }

    #[test]
    fn removing_several_array_items_removes_exactly_those() {
        let doc = json!({"p": [{"in": "query", "n": 0}, {"in": "header", "n": 1}, {"in": "header", "n": 2}, {"in": "query", "n": 3}, {"in": "header", "n": 4}]});
        let (doc, _) = run(
            "  - target: $.p[?@.in == 'header']\n    remove: true\n",
            doc,
        );
        assert_eq!(
            doc,
            json!({"p": [{"in": "query", "n": 0}, {"in": "query", "n": 3}]})
        );
    }

    #[test]
    fn removing_a_node_and_its_descendants_together_works() {
        let doc = json!({"a": {"description": "x", "b": {"description": "y"}}, "c": [{"description": "z"}]});
        let (doc, _) = run(
            "  - target: $..description\n    remove: true\n  - target: $..b\n    remove: true\n",
            doc,
        );
        assert_eq!(doc, json!({"a": {}, "c": [{}]}));
        let doc = json!({"a": {"b": {"c": 1}}});
        let (doc, _) = run("  - target: $..*\n    remove: true\n", doc);
        assert_eq!(doc, json!({}));
    }

    #[test]
    fn remove_takes_precedence_over_update_with_a_warning() {
        let doc = json!({"a": {"b": 1}, "c": 2});
        let (doc, warnings) = run(
            "  - target: $.a\n    update: {d: 1}\n    remove: true\n",
            doc,
        );
        assert_eq!(doc, json!({"c": 2}));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/actions/0/update");
        assert_eq!(warnings[0].line, Some(7));
    }

    #[test]
    fn removing_the_root_is_an_error() {
        let text = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $\n    remove: true\n";
        let mut doc = json!({"a": 1});
        let errors = apply(&overlay(text), &mut doc)
            .err()
            .map(|d| d.0)
            .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/actions/0/target");
        assert!(
            errors[0].message.contains("document root"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn every_match_is_updated_once() {
        let doc = json!({"paths": {"/a": {"get": {"tags": []}, "post": {"tags": ["t"]}}, "/b": {"get": {}}}});
        let (doc, warnings) = run(
            "  - target: $.paths.*.*\n    update: {tags: [new]}\n  - target: $.paths['/b'].get['get', 'get']\n    update: {}\n",
            doc,
        );
        assert_eq!(
            doc,
            json!({"paths": {"/a": {"get": {"tags": ["new"]}, "post": {"tags": ["t", "new"]}}, "/b": {"get": {"tags": ["new"]}}}})
        );
        // `$.paths['/b'].get['get', 'get']` selects nothing (no `get` inside the operation).
        assert_eq!(warnings.len(), 1);
        let doc = json!({"l": [1]});
        let (doc, _) = run("  - target: $['l', 'l']\n    update: 2\n", doc);
        assert_eq!(
            doc,
            json!({"l": [1, 2]}),
            "a node selected twice is updated once"
        );
    }

    #[test]
    fn a_target_that_selects_nothing_is_a_located_warning() {
        let doc = json!({"paths": {}});
        let (doc, warnings) = run(
            "  - target: $.paths['/gone'].get\n    update: {description: d}\n  - target: $.nothing\n    remove: true\n",
            doc,
        );
        assert_eq!(doc, json!({"paths": {}}));
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "fix.yaml:6:5: target `$.paths['/gone'].get` selects nothing in the document, so this action changed nothing (the document may no longer have what the overlay was written for) [at /actions/0/target]",
                "fix.yaml:8:5: target `$.nothing` selects nothing in the document, so this action changed nothing (the document may no longer have what the overlay was written for) [at /actions/1/target]",
            ]
        );
    }

    #[test]
    fn filters_select_operations_by_their_members() {
        let doc = json!({"paths": {
            "/a": {"get": {"operationId": "x"}, "post": {"operationId": "y"}},
            "/b": {"get": {"operationId": "z"}, "parameters": [{"name": "p"}]}
        }});
        let (doc, warnings) = run(
            "  - target: $.paths.*[?@.operationId == 'x']\n    update: {description: found}\n  - target: $.paths.*[?@.operationId == 'y' || @.operationId == 'z']\n    update: {deprecated: true}\n",
            doc,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            doc,
            json!({"paths": {
                "/a": {"get": {"operationId": "x", "description": "found"}, "post": {"operationId": "y", "deprecated": true}},
                "/b": {"get": {"operationId": "z", "deprecated": true}, "parameters": [{"name": "p"}]}
            }})
        );
    }

    #[test]
    fn actions_apply_in_order_each_seeing_the_last_ones_result() {
        let doc = json!({"a": {}});
        let (doc, warnings) = run(
            "  - target: $.a\n    update: {b: {c: 1}}\n  - target: $.a.b.c\n    update: 2\n  - target: $.a.b\n    remove: true\n  - target: $.a\n    update: {b: 3}\n",
            doc,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc, json!({"a": {"b": 3}}));
    }

    #[test]
    fn removal_keeps_the_order_of_the_other_members() {
        let mut map = Map::new();
        for key in ["z", "y", "x", "w"] {
            map.insert(key.to_owned(), json!(1));
        }
        // Whatever order the map keeps (sorted, or insertion with `preserve_order`), removing
        // one member leaves the others in it.
        let expected: Vec<String> = map.keys().filter(|k| *k != "y").cloned().collect();
        remove_member(&mut map, "y");
        remove_member(&mut map, "absent");
        assert_eq!(map.keys().cloned().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn every_validation_problem_is_reported_at_once_with_its_line() {
        let text = "\
overlay: 2.0.0
info:
  title: 3
extras: no
actions:
  - target: 7
    update: {}
  - target: $.paths[
    remove: true
  - target: $.a
    description: does nothing
  - target: $.b
    remove: yes please
  - just text
";
        assert_eq!(
            errors(text),
            [
                "fix.yaml:1:1: Overlay Specification version `2.0.0` is not supported: this generator applies 1.0.x overlays (e.g. `overlay: 1.0.0`) [at /overlay]",
                "fix.yaml:2:1: `info` has no `version`, which is required [at /info]",
                "fix.yaml:3:3: `title` must be a string, not a number [at /info/title]",
                "fix.yaml:4:1: unknown field `extras` in the overlay document: expected `overlay`, `info`, `extends`, `actions` or an `x-` extension [at /extras]",
                "fix.yaml:6:5: `target` must be a string holding a JSONPath expression, not a number [at /actions/0/target]",
                "fix.yaml:8:5: `target` is not a valid JSONPath expression (RFC 9535): parser error (at character 7) [at /actions/1/target]",
                "fix.yaml:10:11: the action has neither `update` nor `remove: true`, so it would do nothing [at /actions/2]",
                "fix.yaml:13:5: `remove` must be `true` or `false`, not a string [at /actions/3/remove]",
                "fix.yaml:14:5: an action must be a mapping with `target` and `update` or `remove`, not a string [at /actions/4]",
            ]
        );
    }

    #[test]
    fn missing_required_parts_are_reported() {
        assert_eq!(
            errors("info: {title: t, version: '1'}\nactions: []\n"),
            [
                "fix.yaml:1:5: the document has no `overlay` field saying which Overlay Specification version it follows (e.g. `overlay: 1.0.0`) [at (document root)]",
                "fix.yaml:2:1: `actions` is empty: an overlay needs at least one action [at /actions]",
            ]
        );
        assert_eq!(
            errors("overlay: 1.0\n"),
            [
                "fix.yaml:1:1: `overlay` must be a version string such as `1.0.0`, not a number (quote it in YAML) [at /overlay]",
                "fix.yaml:1:8: the overlay has no `info` (with `title` and `version`), which is required [at (document root)]",
                "fix.yaml:1:8: the overlay has no `actions`, which is required [at (document root)]",
            ]
        );
        assert_eq!(
            errors("- a list\n"),
            ["fix.yaml:1:1: an overlay document must be a mapping with `overlay`, `info` and `actions`, not an array [at (document root)]"]
        );
    }

    #[test]
    fn versions_are_checked() {
        assert!(is_version_1_0("1.0.0"));
        assert!(is_version_1_0("1.0.12"));
        for bad in ["1.0", "1.0.", "1.1.0", "1.0.0-rc1", "10.0.0", " 1.0.0"] {
            assert!(!is_version_1_0(bad), "{bad}");
        }
    }

    #[test]
    fn syntax_errors_carry_the_parsers_position() {
        let shown = errors("overlay: 1.0.0\ninfo: [\n");
        assert_eq!(shown.len(), 1);
        assert!(shown[0].starts_with("fix.yaml:3:"), "{}", shown[0]);
        assert!(shown[0].contains("not valid YAML"), "{}", shown[0]);
        let shown = errors("{\"overlay\": \"1.0.0\",\n \"info\": }");
        assert!(shown[0].starts_with("fix.yaml:2:10:"), "{}", shown[0]);
    }

    #[test]
    fn json_overlays_and_numeric_yaml_keys_are_read() {
        let json_text = r#"{"overlay": "1.0.1", "info": {"title": "t", "version": "1"}, "extends": "https://example.com/openapi.yaml",
            "actions": [{"target": "$.paths['/a'].get.responses", "description": "adds 404", "update": {"404": {"description": "gone"}}}]}"#;
        let parsed = overlay(json_text);
        assert_eq!(parsed.title(), "t");
        assert_eq!(parsed.extends(), Some("https://example.com/openapi.yaml"));
        assert_eq!(parsed.actions()[0].description(), Some("adds 404"));
        let yaml_text = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/a'].get.responses\n    update:\n      404: {description: gone}\n";
        assert_eq!(
            overlay(yaml_text).actions()[0].change(),
            parsed.actions()[0].change()
        );
        let mut doc =
            json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}});
        assert!(apply(&parsed, &mut doc).is_ok_and(|w| w.is_empty()));
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"],
            json!({"200": {"description": "ok"}, "404": {"description": "gone"}})
        );
    }

    #[test]
    fn hostile_inputs_are_refused_without_panicking() {
        let deep_target = format!("$[?{}@.a{}]", "(".repeat(5000), ")".repeat(5000));
        let text = format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n  - target: \"{deep_target}\"\n    remove: true\n");
        let shown = errors(&text);
        assert!(shown[0].contains("more than 32 deep"), "{}", shown[0]);
        let deep_update = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        let text = format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n  - target: $\n    update: {deep_update}\n");
        assert_eq!(errors(&text).len(), 1);
        assert_eq!(nesting("$[?(@['(('] == \")]\\\"\")]"), 3);
    }
}
