//! Cargo features per tag: a user of a large API builds only the parts they call.
//!
//! Each operation belongs to the feature of its first tag (the tag in kebab-case); all are on
//! by default. An operation without a tag is always built. A type is built when any operation
//! that reaches it (through members, variants, aliases and maps) is; types that no operation
//! reaches, or that every feature and an untagged operation reach, carry no condition, so the
//! shared types of an API stay reachable whatever is enabled.
//!
//! Specs without tags, with a single tag, or with more tags than crates.io allows features
//! get no tag features: nothing would be saved, or the crate could not be published.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToKebabCase;

use super::{Additional, ApiModel, Operation, Payload, SuccessReturn, TypeDef, TypeKind, TypeRef};

/// crates.io refuses a crate with more than 300 features; `default` and `fake` are two.
const MOST_TAG_FEATURES: usize = 290;

/// The feature of the types no operation uses (webhook payloads, for example): on by default
/// like the tags, so those types stay reachable, and off for a build of chosen tags only.
pub const OTHER_TYPES: &str = "other-types";

/// The feature names the crate already has.
const RESERVED: &[&str] = &["default", "fake", OTHER_TYPES];

/// The tag features of a crate and what each item needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// Feature name → the tag it stands for and how many operations it holds, in name order.
    pub tags: BTreeMap<String, TagFeature>,
    /// Operation id → its feature; absent for an operation always built.
    operations: HashMap<String, String>,
    /// Type name → the features any of which builds it; absent for a type always built.
    types: HashMap<String, BTreeSet<String>>,
}

/// One tag's feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFeature {
    /// The tag as the spec writes it.
    pub tag: String,
    /// The operations it holds.
    pub operations: usize,
}

impl Features {
    /// The features of `model`'s operations and types.
    pub fn of(model: &ApiModel) -> Features {
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for op in &model.operations {
            if let Some(tag) = &op.tag {
                names
                    .entry(tag.clone())
                    .or_insert_with(|| feature_name(tag));
            }
        }
        let distinct: BTreeSet<&String> = names.values().collect();
        if distinct.len() < 2 || distinct.len() > MOST_TAG_FEATURES {
            return Features::default();
        }
        let mut features = Features::default();
        for op in &model.operations {
            let Some(feature) = op.tag.as_ref().map(|tag| names[tag].clone()) else {
                continue;
            };
            features
                .tags
                .entry(feature.clone())
                .or_insert_with(|| TagFeature {
                    tag: op.tag.clone().unwrap_or_default(),
                    operations: 0,
                })
                .operations += 1;
            features.operations.insert(op.id.clone(), feature);
        }
        let (types, other_types) = type_features(model, &features.operations, features.tags.len());
        features.types = types;
        if other_types {
            features.tags.insert(
                OTHER_TYPES.to_owned(),
                TagFeature {
                    tag: String::new(),
                    operations: 0,
                },
            );
        }
        features
    }

    /// Whether the crate has tag features at all.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// The feature an operation needs, if any.
    pub fn of_operation(&self, id: &str) -> Option<&str> {
        self.operations.get(id).map(String::as_str)
    }

    /// The features any of which builds a type; `None` when it is always built.
    pub fn of_type(&self, name: &str) -> Option<&BTreeSet<String>> {
        self.types.get(name)
    }
}

/// A tag's feature name: kebab-case, with a name cargo or this generator reserves prefixed.
fn feature_name(tag: &str) -> String {
    let kebab: String = tag
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    match kebab.trim_matches('-') {
        "" => "tag".to_owned(),
        reserved if RESERVED.contains(&reserved) => format!("tag-{reserved}"),
        name => name.to_owned(),
    }
}

/// The label of what is always built while the sets are computed.
const ALWAYS: &str = "";

/// For each type, the features any of which builds it. A type is built with every feature
/// whose operations reach it, and with [`OTHER_TYPES`] when a type no operation reaches
/// (a webhook payload, say) reaches it; what an untagged operation reaches is always built,
/// and so is what every feature builds. Sets only grow along references, so a built type's
/// members are always built with it. Returns whether any type needs [`OTHER_TYPES`].
fn type_features(
    model: &ApiModel,
    operations: &HashMap<String, String>,
    feature_count: usize,
) -> (HashMap<String, BTreeSet<String>>, bool) {
    let defs: HashMap<&str, &TypeDef> = model.types.iter().map(|d| (d.name.as_str(), d)).collect();
    let mut labels: HashMap<String, BTreeSet<String>> = HashMap::new();
    for op in &model.operations {
        let label = operations.get(&op.id).map_or(ALWAYS, String::as_str);
        mark(&defs, operation_types(op), label, &mut labels);
    }
    let unreached: Vec<TypeRef> = model
        .types
        .iter()
        .filter(|d| !labels.contains_key(&d.name))
        .map(|d| TypeRef::Named(d.name.clone()))
        .collect();
    let other_types = !unreached.is_empty();
    mark(&defs, unreached.iter().collect(), OTHER_TYPES, &mut labels);
    let total = feature_count + usize::from(other_types);
    labels.retain(|_, set| !set.contains(ALWAYS) && set.len() < total);
    (labels, other_types)
}

/// Adds `label` to every type reached from `roots`.
fn mark(
    defs: &HashMap<&str, &TypeDef>,
    roots: Vec<&TypeRef>,
    label: &str,
    labels: &mut HashMap<String, BTreeSet<String>>,
) {
    let mut stack = roots;
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(name) => {
                let set = labels.entry(name.clone()).or_default();
                if !set.insert(label.to_owned()) {
                    continue;
                }
                if let Some(def) = defs.get(name.as_str()) {
                    stack.extend(members(def));
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(inner),
            _ => {}
        }
    }
}

/// The types an operation names directly.
fn operation_types(op: &Operation) -> Vec<&TypeRef> {
    let mut out: Vec<&TypeRef> = op
        .path_params
        .iter()
        .chain(&op.params)
        .map(|p| &p.ty)
        .collect();
    if let Some(body) = &op.body {
        out.push(&body.ty);
    }
    match &op.success {
        SuccessReturn::Single { payload: p, .. } => out.extend(payload(p)),
        SuccessReturn::Several { responses, .. } => {
            out.extend(responses.iter().filter_map(|r| payload(&r.payload)))
        }
    }
    out.extend(op.errors.iter().map(|e| &e.ty));
    if let Some(pages) = &op.pagination {
        out.push(&pages.item_ty);
        out.push(&pages.param_ty);
    }
    if let Some(job) = &op.job {
        out.push(&job.item_ty);
        out.push(&job.body_ty);
    }
    out
}

/// The type a response body decodes into, if any.
fn payload(payload: &Payload) -> Option<&TypeRef> {
    match payload {
        Payload::Json(ty) | Payload::Ndjson(ty) => Some(ty),
        Payload::Empty | Payload::Text | Payload::Bytes => None,
    }
}

/// The types a type refers to.
fn members(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let mut out: Vec<&TypeRef> = fields.iter().map(|f| &f.ty).collect();
            if let Additional::Typed(ty) = additional {
                out.push(ty);
            }
            out
        }
        TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_case_and_avoid_reserved_names() {
        assert_eq!(feature_name("Detection Rules"), "detection-rules");
        assert_eq!(
            feature_name("security_exceptions_api"),
            "security-exceptions-api"
        );
        assert_eq!(feature_name("fake"), "tag-fake");
        assert_eq!(feature_name("default"), "tag-default");
        assert_eq!(feature_name("Über/ß"), "ber");
        assert_eq!(feature_name("!!"), "tag");
    }
}
