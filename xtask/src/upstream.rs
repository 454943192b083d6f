//! `cargo xtask upstream`: each curated spec whose vendor publishes its own OpenAPI document,
//! compared with a pinned copy of that document.
//!
//! A vendor folder opts in with `specs/<vendor>/upstream/upstream.toml`:
//!
//! ```toml
//! # The published files, beside this one (their provenance and licence are in README.md).
//! files = ["openapi.yaml"]
//!
//! [[deviation]]
//! difference = "PUT /connect/clients/{id}/secret: not in the published spec*"
//! reason = "The current router (securityonion-soc server/clientshandler.go) has it; …"
//! ```
//!
//! A `*` in a recorded difference stands for any run of characters, so one record with one
//! reason can cover a systematic difference wherever it occurs.
//!
//! For every curated operation the comparison lists, one line each, what differs from the
//! published operation of the same method and path (path parameter names aside): parameters
//! (presence, location, requirement, style, schema), the request body (presence, requirement,
//! media types, schema) and the responses (statuses, media types, schemas). Schemas are compared
//! by type, format, nullability, enum values, members and their requirement, items and map
//! values, through `$ref`s and `allOf`; descriptions and examples are prose and are not compared.
//! Published operations that are not curated are counted, not listed as differences.
//!
//! Each difference must be recorded as a deliberate `deviation` with its reason; `--check` (run
//! by `cargo xtask test`) fails on a difference that is not recorded and on a recorded deviation
//! that no longer occurs. A new upstream release is absorbed by replacing the pinned files and
//! reading the report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clientgen::load::{self, LoadOptions};
use clientgen::vendors::{self, Vendor};
use serde::Deserialize;
use serde_json::Value;

/// The file that opts a vendor in, under `specs/<vendor>/upstream/`.
pub const CONFIG: &str = "upstream.toml";

/// How deep schemas are compared below an operation's parameters, body or response.
const MAX_DEPTH: usize = 12;
/// How many `$ref` hops one reference may take before it counts as a loop.
const MAX_HOPS: usize = 32;

/// `upstream.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The published files, relative to the `upstream/` folder.
    pub files: Vec<PathBuf>,
    /// Differences kept on purpose.
    #[serde(default, rename = "deviation")]
    pub deviations: Vec<Deviation>,
}

/// One difference kept on purpose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deviation {
    /// The difference as the report prints it, where `*` stands for any run of characters: one
    /// record can cover all of one operation's differences (`GET /a: *`) or one kind of
    /// difference wherever it occurs (`*: format date-time here, none in the published spec`).
    pub difference: String,
    /// Why the curated spec differs (the source it follows instead).
    pub reason: String,
}

impl Deviation {
    fn covers(&self, difference: &str) -> bool {
        glob(&self.difference, difference)
    }
}

/// Whether `text` matches `pattern`, where each `*` stands for any run of characters (none
/// included) and everything else for itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty(); // no `*` at all: the whole text must be the pattern
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// One vendor's comparison.
#[derive(Debug)]
pub struct Report {
    /// The vendor folder name.
    pub vendor: String,
    /// Curated operations compared.
    pub curated: usize,
    /// Curated operations without any difference.
    pub identical: usize,
    /// Published operations the curated spec does not have (`METHOD path`).
    pub not_curated: Vec<String>,
    /// Every difference, each with the reason recorded for it, if any.
    pub differences: Vec<(String, Option<String>)>,
    /// Recorded deviations that match no difference.
    pub stale: Vec<String>,
}

impl Report {
    /// Differences without a recorded reason.
    pub fn unrecorded(&self) -> impl Iterator<Item = &str> {
        self.differences
            .iter()
            .filter(|(_, reason)| reason.is_none())
            .map(|(d, _)| d.as_str())
    }

    /// True when every difference is recorded and every record is used.
    pub fn passes(&self) -> bool {
        self.unrecorded().next().is_none() && self.stale.is_empty()
    }

    /// The report as text, for the terminal.
    pub fn render(&self, verbose: bool) -> String {
        let mut out = String::new();
        let recorded = self.differences.len() - self.unrecorded().count();
        let _ = writeln!(
            out,
            "{}: {} curated operations compared with the published spec, {} identical; {} \
             differences ({} recorded as deliberate, {} not); {} stale records; {} published \
             operations not curated",
            self.vendor,
            self.curated,
            self.identical,
            self.differences.len(),
            recorded,
            self.differences.len() - recorded,
            self.stale.len(),
            self.not_curated.len()
        );
        for (difference, reason) in &self.differences {
            match reason {
                None => {
                    let _ = writeln!(out, "  NOT RECORDED  {difference}");
                }
                Some(reason) if verbose => {
                    let _ = writeln!(
                        out,
                        "  recorded      {difference}\n                  why: {reason}"
                    );
                }
                Some(_) => {}
            }
        }
        for stale in &self.stale {
            let _ = writeln!(out, "  STALE RECORD  {stale} (no such difference any more)");
        }
        if verbose {
            for op in &self.not_curated {
                let _ = writeln!(out, "  not curated   {op}");
            }
        }
        out
    }
}

/// The vendors under `specs/` that have an `upstream/upstream.toml`, compared.
pub fn run(root: &Path, only: Option<&str>) -> Result<Vec<Report>, String> {
    let mut reports = Vec::new();
    for vendor in vendors::discover(root).map_err(|e| e.to_string())? {
        if only.is_some_and(|o| o != vendor.name) {
            continue;
        }
        let Some(folder) = vendor.spec_path.parent().map(|p| p.join("upstream")) else {
            continue;
        };
        if !folder.join(CONFIG).is_file() {
            continue;
        }
        reports.push(compare_vendor(&vendor, &folder)?);
    }
    if let Some(only) = only {
        if reports.is_empty() {
            return Err(format!("no specs/{only}/upstream/{CONFIG}"));
        }
    }
    Ok(reports)
}

fn compare_vendor(vendor: &Vendor, folder: &Path) -> Result<Report, String> {
    let config_path = folder.join(CONFIG);
    let text = std::fs::read_to_string(&config_path)
        .map_err(|e| format!("{}: {e}", config_path.display()))?;
    let config: Config =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", config_path.display()))?;
    if config.files.is_empty() {
        return Err(format!("{}: `files` is empty", config_path.display()));
    }
    let curated =
        load::load_file_with(&vendor.spec_path, &vendor.load_options).map_err(|e| e.to_string())?;
    let curated = vec![document_value(&curated.document)?];
    // Published specs are read as `cargo xtask generate` reads them: defects mended.
    let lenient = LoadOptions {
        overlays: Vec::new(),
        lenient: true,
    };
    let mut published = Vec::new();
    for file in &config.files {
        let path = folder.join(file);
        let spec = load::load_file_with(&path, &lenient).map_err(|e| e.to_string())?;
        published.push(document_value(&spec.document)?);
    }
    let (differences, identical, curated_count, not_curated) = compare(&curated, &published);
    let mut used = vec![false; config.deviations.len()];
    let differences = differences
        .into_iter()
        .map(|d| {
            let reason = config.deviations.iter().enumerate().find_map(|(i, dev)| {
                dev.covers(&d).then(|| {
                    used[i] = true;
                    dev.reason.clone()
                })
            });
            (d, reason)
        })
        .collect();
    let stale = config
        .deviations
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(d, _)| d.difference.clone())
        .collect();
    Ok(Report {
        vendor: vendor.name.clone(),
        curated: curated_count,
        identical,
        not_curated,
        differences,
        stale,
    })
}

fn document_value(document: &impl serde::Serialize) -> Result<Value, String> {
    serde_json::to_value(document).map_err(|e| format!("cannot serialise a loaded spec: {e}"))
}

/// One operation found in a document: the document it lives in, its path item and itself.
struct Found<'a> {
    document: &'a Value,
    path: &'a str,
    item: &'a Value,
    operation: &'a Value,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `/a/{id}/b` → `/a/{}/b`: operations match whatever their path parameters are called.
fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_braces = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_braces = true;
                out.push_str("{}");
            }
            '}' => in_braces = false,
            _ if in_braces => {}
            _ => out.push(c),
        }
    }
    out
}

fn operations(documents: &[Value]) -> BTreeMap<(String, String), Found<'_>> {
    let mut found = BTreeMap::new();
    for document in documents {
        let Some(paths) = document.get("paths").and_then(Value::as_object) else {
            continue;
        };
        for (path, item) in paths {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    // The first file that has an operation wins, as files are listed.
                    found
                        .entry((path_shape(path), method.to_owned()))
                        .or_insert(Found {
                            document,
                            path,
                            item,
                            operation,
                        });
                }
            }
        }
    }
    found
}

/// The differences, the number of identical operations, the number of curated operations and
/// the published operations not curated.
pub fn compare(curated: &[Value], published: &[Value]) -> (Vec<String>, usize, usize, Vec<String>) {
    let ours = operations(curated);
    let theirs = operations(published);
    let mut differences = Vec::new();
    let mut identical = 0;
    for ((shape, method), op) in &ours {
        let name = format!("{} {}", method.to_uppercase(), op.path);
        let before = differences.len();
        match theirs.get(&(shape.clone(), method.clone())) {
            None => {
                let other_methods: Vec<String> = METHODS
                    .iter()
                    .filter(|m| theirs.contains_key(&(shape.clone(), (**m).to_owned())))
                    .map(|m| m.to_uppercase())
                    .collect();
                if other_methods.is_empty() {
                    differences.push(format!("{name}: not in the published spec"));
                } else {
                    differences.push(format!(
                        "{name}: not in the published spec, which has {} for this path",
                        other_methods.join(", ")
                    ));
                }
            }
            Some(pub_op) => {
                let mut cmp = Comparer {
                    ours: op.document,
                    theirs: pub_op.document,
                    out: Vec::new(),
                };
                cmp.operation(op, pub_op);
                differences.extend(cmp.out.into_iter().map(|d| format!("{name}: {d}")));
            }
        }
        if differences.len() == before {
            identical += 1;
        }
    }
    let not_curated = theirs
        .iter()
        .filter(|(key, _)| !ours.contains_key(key))
        .map(|((_, method), op)| format!("{} {}", method.to_uppercase(), op.path))
        .collect();
    (differences, identical, ours.len(), not_curated)
}

struct Comparer<'a> {
    ours: &'a Value,
    theirs: &'a Value,
    out: Vec<String>,
}

/// Follows `$ref`s (`#/...` pointers into the same document) to the node they name.
fn deref<'a>(document: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..MAX_HOPS {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        else {
            return node;
        };
        node = target;
    }
    node
}

fn ref_name(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

fn keys(node: Option<&Value>) -> BTreeSet<String> {
    node.and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A parameter's effective style and explode (the defaults OpenAPI gives by location).
fn style(parameter: &Value) -> (String, bool) {
    let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
    let default = match location {
        "query" | "cookie" => "form",
        _ => "simple",
    };
    let style = parameter
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or(default)
        .to_owned();
    let explode = parameter
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    (style, explode)
}

impl<'a> Comparer<'a> {
    fn parameters(document: &'a Value, found: &Found<'a>) -> BTreeMap<(String, String), &'a Value> {
        let mut map = BTreeMap::new();
        // Operation-level parameters override path-level ones of the same name and location.
        for list in [
            found.item.get("parameters"),
            found.operation.get("parameters"),
        ] {
            for p in list.and_then(Value::as_array).into_iter().flatten() {
                let p = deref(document, p);
                let name = p.get("name").and_then(Value::as_str).unwrap_or("");
                let location = p.get("in").and_then(Value::as_str).unwrap_or("");
                // Path parameters match by position in the path, not by name.
                let name = if location == "path" {
                    let names: Vec<&str> = found
                        .path
                        .split('{')
                        .skip(1)
                        .filter_map(|s| s.split('}').next())
                        .collect();
                    match names.iter().position(|n| *n == name) {
                        Some(i) => format!("#{}", i + 1),
                        None => name.to_owned(),
                    }
                } else {
                    name.to_owned()
                };
                map.insert((location.to_owned(), name), p);
            }
        }
        map
    }

    fn operation(&mut self, ours: &Found<'a>, theirs: &Found<'a>) {
        let a = Self::parameters(self.ours, ours);
        let b = Self::parameters(self.theirs, theirs);
        for key in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
            let (location, name) = key;
            let label = if location == "path" {
                let p = a.get(key).or(b.get(key)).copied();
                let shown = p
                    .and_then(|p| p.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or(name);
                format!("{location} parameter `{shown}`")
            } else {
                format!("{location} parameter `{name}`")
            };
            match (a.get(key), b.get(key)) {
                (Some(_), None) => self.out.push(format!("{label}: only in the curated spec")),
                (None, Some(_)) => self
                    .out
                    .push(format!("{label}: only in the published spec")),
                (Some(p), Some(q)) => {
                    let req =
                        |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
                    if req(p) != req(q) {
                        self.out.push(format!(
                            "{label}: required {} here, {} in the published spec",
                            req(p),
                            req(q)
                        ));
                    }
                    if style(p) != style(q) {
                        let (s1, e1) = style(p);
                        let (s2, e2) = style(q);
                        self.out.push(format!(
                            "{label}: style {s1} explode {e1} here, {s2} explode {e2} in the published spec"
                        ));
                    }
                    self.schema(&label, p.get("schema"), q.get("schema"), 0);
                    self.content(&label, p.get("content"), q.get("content"));
                }
                (None, None) => {}
            }
        }
        let body_a = ours
            .operation
            .get("requestBody")
            .map(|b| deref(self.ours, b));
        let body_b = theirs
            .operation
            .get("requestBody")
            .map(|b| deref(self.theirs, b));
        match (body_a, body_b) {
            (Some(_), None) => self
                .out
                .push("request body: only in the curated spec".into()),
            (None, Some(_)) => self
                .out
                .push("request body: only in the published spec".into()),
            (Some(p), Some(q)) => {
                let req = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
                if req(p) != req(q) {
                    self.out.push(format!(
                        "request body: required {} here, {} in the published spec",
                        req(p),
                        req(q)
                    ));
                }
                self.content("request body", p.get("content"), q.get("content"));
            }
            (None, None) => {}
        }
        let responses_a = ours.operation.get("responses");
        let responses_b = theirs.operation.get("responses");
        for status in keys(responses_a).union(&keys(responses_b)) {
            let label = format!("response {status}");
            let r1 = responses_a
                .and_then(|r| r.get(status))
                .map(|r| deref(self.ours, r));
            let r2 = responses_b
                .and_then(|r| r.get(status))
                .map(|r| deref(self.theirs, r));
            match (r1, r2) {
                (Some(_), None) => self.out.push(format!("{label}: only in the curated spec")),
                (None, Some(_)) => self
                    .out
                    .push(format!("{label}: only in the published spec")),
                (Some(p), Some(q)) => self.content(&label, p.get("content"), q.get("content")),
                (None, None) => {}
            }
        }
    }

    fn content(&mut self, label: &str, a: Option<&'a Value>, b: Option<&'a Value>) {
        let (ka, kb) = (keys(a), keys(b));
        for media in ka.union(&kb) {
            let at = format!("{label} {media}");
            match (a.and_then(|c| c.get(media)), b.and_then(|c| c.get(media))) {
                (Some(_), None) => self.out.push(format!("{at}: only in the curated spec")),
                (None, Some(_)) => self.out.push(format!("{at}: only in the published spec")),
                (Some(p), Some(q)) => self.schema(&at, p.get("schema"), q.get("schema"), 0),
                (None, None) => {}
            }
        }
    }

    fn schema(&mut self, at: &str, a: Option<&'a Value>, b: Option<&'a Value>, depth: usize) {
        let (a, b) = match (a, b) {
            (None, None) => return,
            (Some(_), None) => {
                self.out
                    .push(format!("{at}: schema only in the curated spec"));
                return;
            }
            (None, Some(_)) => {
                self.out
                    .push(format!("{at}: schema only in the published spec"));
                return;
            }
            (Some(a), Some(b)) => (a, b),
        };
        if depth >= MAX_DEPTH {
            return;
        }
        // A recursive type meets itself again: named schemas met deep down are not reopened.
        if depth > 3 && ref_name(a).is_some() && ref_name(a) == ref_name(b) {
            return;
        }
        let x = Flat::of(self.ours, a);
        let y = Flat::of(self.theirs, b);
        for keyword in ["type", "format"] {
            let (p, q) = (x.text(keyword), y.text(keyword));
            if p != q {
                let show = |v: Option<String>| v.unwrap_or_else(|| "none".into());
                self.out.push(format!(
                    "{at}: {keyword} {} here, {} in the published spec",
                    show(p),
                    show(q)
                ));
            }
        }
        if x.nullable() != y.nullable() {
            self.out.push(format!(
                "{at}: nullable {} here, {} in the published spec",
                x.nullable(),
                y.nullable()
            ));
        }
        match (x.values(), y.values()) {
            (Some(p), Some(q)) => {
                for v in p.difference(&q) {
                    self.out
                        .push(format!("{at}: enum value `{v}` only in the curated spec"));
                }
                for v in q.difference(&p) {
                    self.out
                        .push(format!("{at}: enum value `{v}` only in the published spec"));
                }
            }
            (Some(_), None) => self
                .out
                .push(format!("{at}: an enum only in the curated spec")),
            (None, Some(_)) => self
                .out
                .push(format!("{at}: an enum only in the published spec")),
            (None, None) => {}
        }
        for keyword in ["oneOf", "anyOf"] {
            let (p, q) = (x.alternatives(keyword), y.alternatives(keyword));
            if p != q {
                self.out.push(format!(
                    "{at}: {keyword} of {p} here, of {q} in the published spec"
                ));
            }
        }
        let names: BTreeSet<&str> = x
            .properties
            .keys()
            .chain(y.properties.keys())
            .copied()
            .collect();
        for name in names {
            let member = format!("{at} .{name}");
            match (x.properties.get(name), y.properties.get(name)) {
                (Some(_), None) => self.out.push(format!("{member}: only in the curated spec")),
                (None, Some(_)) => self
                    .out
                    .push(format!("{member}: only in the published spec")),
                (Some(p), Some(q)) => {
                    let (rp, rq) = (x.required.contains(name), y.required.contains(name));
                    if rp != rq {
                        self.out.push(format!(
                            "{member}: required {rp} here, {rq} in the published spec"
                        ));
                    }
                    self.schema(&member, Some(p), Some(q), depth + 1);
                }
                (None, None) => {}
            }
        }
        if let (Some(p), Some(q)) = (x.keywords.get("items"), y.keywords.get("items")) {
            self.schema(&format!("{at} []"), Some(p), Some(q), depth + 1);
        }
        if let (Some(p @ Value::Object(_)), Some(q @ Value::Object(_))) = (
            x.keywords.get("additionalProperties").copied(),
            y.keywords.get("additionalProperties").copied(),
        ) {
            self.schema(&format!("{at} {{}}"), Some(p), Some(q), depth + 1);
        }
    }
}

/// A schema with its `$ref`s followed and its `allOf` parts merged: members, required members,
/// and the other keywords (the schema's own first, then each part's in order).
#[derive(Default)]
struct Flat<'a> {
    keywords: BTreeMap<&'a str, &'a Value>,
    properties: BTreeMap<&'a str, &'a Value>,
    required: BTreeSet<&'a str>,
    /// The `type`s of `oneOf`/`anyOf` alternatives, for a schema with no `type` of its own.
    alternative_types: BTreeSet<String>,
}

impl<'a> Flat<'a> {
    fn of(document: &'a Value, node: &'a Value) -> Self {
        let mut flat = Flat::default();
        flat.merge(document, node, 0);
        flat
    }

    fn merge(&mut self, document: &'a Value, node: &'a Value, depth: usize) {
        let Some(object) = deref(document, node).as_object() else {
            return;
        };
        for (key, value) in object {
            match key.as_str() {
                "allOf" => {}
                "properties" => {
                    for (name, schema) in value.as_object().into_iter().flatten() {
                        self.properties.entry(name).or_insert(schema);
                    }
                }
                "required" => {
                    self.required.extend(
                        value
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str),
                    );
                }
                _ => {
                    self.keywords.entry(key).or_insert(value);
                }
            }
        }
        if depth < MAX_DEPTH {
            for part in object
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.merge(document, part, depth + 1);
            }
            // The members of `oneOf`/`anyOf` alternatives are compared as one set, so that a
            // spec that writes one object and a spec that writes a union of objects compare
            // member by member; a member is required when every alternative requires it. (How
            // many alternatives each side has is reported on its own.)
            for keyword in ["oneOf", "anyOf"] {
                let Some(alternatives) = object.get(keyword).and_then(Value::as_array) else {
                    continue;
                };
                let mut required: Option<BTreeSet<&'a str>> = None;
                for alternative in alternatives {
                    let mut flat = Flat::default();
                    flat.merge(document, alternative, depth + 1);
                    for (name, schema) in flat.properties {
                        self.properties.entry(name).or_insert(schema);
                    }
                    required = Some(match required {
                        None => flat.required,
                        Some(r) => r.intersection(&flat.required).copied().collect(),
                    });
                    if let Some(ty) = flat.keywords.get("type") {
                        self.alternative_types.insert(text(ty));
                    }
                }
                self.required.extend(required.unwrap_or_default());
            }
        }
    }

    fn text(&self, keyword: &str) -> Option<String> {
        match self.keywords.get(keyword) {
            Some(v) => Some(text(v)),
            // A union whose alternatives all have one type has that type.
            None if keyword == "type" && self.alternative_types.len() == 1 => {
                self.alternative_types.first().cloned()
            }
            None => None,
        }
    }

    fn nullable(&self) -> bool {
        self.keywords
            .get("nullable")
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    fn values(&self) -> Option<BTreeSet<String>> {
        self.keywords
            .get("enum")
            .and_then(|v| v.as_array())
            .map(|v| v.iter().filter(|v| !v.is_null()).map(text).collect())
    }

    fn alternatives(&self, keyword: &str) -> usize {
        self.keywords
            .get(keyword)
            .and_then(|v| v.as_array())
            .map_or(0, Vec::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    fn differences(ours: Value, theirs: Value) -> Vec<String> {
        compare(&[ours], &[theirs]).0
    }

    #[test]
    fn the_same_operation_under_other_parameter_names_and_split_by_allof_is_identical() {
        let ours = doc(
            json!({"/cases/{id}": {"get": {"parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Case"}}}}}}}}),
            json!({"Case": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}}}),
        );
        let theirs = doc(
            json!({"/cases/{caseId}": {"parameters": [
                {"name": "caseId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"responses": {"200": {"description": "ok", "content": {"application/json":
                    {"schema": {"allOf": [{"$ref": "#/components/schemas/Base"},
                        {"properties": {"tags": {"type": "array", "items": {"type": "string"}}}}],
                        "type": "object"}}}}}}}}),
            json!({"Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}),
        );
        let (differences, identical, curated, not_curated) = compare(&[ours], &[theirs]);
        assert_eq!(differences, Vec::<String>::new());
        assert_eq!((identical, curated), (1, 1));
        assert!(not_curated.is_empty());
    }

    #[test]
    fn each_kind_of_difference_is_named_with_where_it_is() {
        let ours = doc(
            json!({"/clients/{id}/secret": {"put": {"responses": {"200": {"description": "ok"}}}},
                   "/events": {"post": {
                       "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}},
                                      {"name": "ids", "in": "query", "explode": false,
                                       "schema": {"type": "array", "items": {"type": "string"}}}],
                       "requestBody": {"required": true, "content": {"application/json": {"schema": {
                           "type": "object", "required": ["acknowledged"], "properties": {
                               "acknowledged": {"type": "boolean"},
                               "state": {"type": "string", "enum": ["open", "closed"]}}}}}},
                       "responses": {"200": {"description": "ok"}, "404": {"description": "no"}}}}}),
            json!({}),
        );
        let theirs = doc(
            json!({"/clients/{id}/secret": {"get": {"responses": {"200": {"description": "ok"}}}},
                   "/events": {"post": {
                       "parameters": [{"name": "limit", "in": "query", "required": true,
                                       "schema": {"type": "string"}},
                                      {"name": "ids", "in": "query",
                                       "schema": {"type": "array", "items": {"type": "string"}}}],
                       "requestBody": {"content": {"application/json": {"schema": {
                           "type": "object", "properties": {
                               "acknowledge": {"type": "boolean"},
                               "state": {"type": "string", "enum": ["open", "closed", "new"]}}}}}},
                       "responses": {"200": {"description": "ok"}}}},
                   "/other": {"get": {"responses": {"200": {"description": "ok"}}}}}),
            json!({}),
        );
        let (differences, identical, _, not_curated) = compare(&[ours], &[theirs]);
        assert_eq!(
            differences,
            [
                "PUT /clients/{id}/secret: not in the published spec, which has GET for this path",
                "POST /events: query parameter `ids`: style form explode false here, form explode true in the published spec",
                "POST /events: query parameter `limit`: required false here, true in the published spec",
                "POST /events: query parameter `limit`: type integer here, string in the published spec",
                "POST /events: request body: required true here, false in the published spec",
                "POST /events: request body application/json .acknowledge: only in the published spec",
                "POST /events: request body application/json .acknowledged: only in the curated spec",
                "POST /events: request body application/json .state: enum value `new` only in the published spec",
                "POST /events: response 404: only in the curated spec",
            ]
        );
        assert_eq!(identical, 0);
        assert_eq!(not_curated, ["GET /clients/{id}/secret", "GET /other"]);
    }

    #[test]
    fn recursive_schemas_end() {
        let schemas = json!({"Node": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "next": {"allOf": [{"$ref": "#/components/schemas/Node"}]}}}});
        let paths = json!({"/tree": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}});
        let ours = doc(paths.clone(), schemas.clone());
        let theirs = doc(paths, schemas);
        assert!(differences(ours, theirs).is_empty());
    }

    #[test]
    fn stars_stand_for_any_run_of_characters() {
        assert!(glob("a*c", "abc"));
        assert!(glob("a*c", "ac"));
        assert!(glob("*: x", "GET /a: response 200: x"));
        assert!(!glob("*: x", "GET /a: response 200: xy"));
        assert!(glob(
            "* text/plain: only*",
            "GET /a: response 400 text/plain: only in the curated spec"
        ));
        assert!(!glob("a*b*c", "acb"));
        assert!(glob("a**", "a"));
        assert!(!glob("abc", "ab"));
        assert!(
            !glob("ab*ba", "aba"),
            "the two ends may not share characters"
        );
    }

    #[test]
    fn a_deviation_covers_its_difference_or_with_a_star_every_one_it_starts() {
        let exact = Deviation {
            difference: "GET /a: response 404: only in the curated spec".into(),
            reason: "r".into(),
        };
        assert!(exact.covers("GET /a: response 404: only in the curated spec"));
        assert!(!exact.covers("GET /a: response 404: only in the curated spec, too"));
        let star = Deviation {
            difference: "GET /a: *".into(),
            reason: "r".into(),
        };
        assert!(star.covers("GET /a: response 404: only in the curated spec"));
        assert!(!star.covers("GET /ab: response 404: only in the curated spec"));
    }
}
