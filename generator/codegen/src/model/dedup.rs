//! Identical types become one: specs repeat the same inline object or enum in many places
//! (GitHub's REST description repeats one two-value enum 722 times and one `{href}` object
//! 229 times), and each copy would be a struct or enum of its own, with its own decode and
//! encode impls for the compiler to check. Only those copies are merged: a type of an inline
//! schema whose definition equals an earlier one becomes `pub type Copy = Earlier;`, so every
//! name still works as a type, a constructor (`Copy::new`) and a struct literal. The earlier
//! one is a component schema with that definition when there is one, else the first inline
//! type by name. Component schemas are never turned into aliases: the spec's author named
//! each of them.
//!
//! Two definitions are the same when everything emitted from them is: members (names, wire
//! names, types, docs, requiredness, nullability, deprecation), enum values, union variants and
//! discriminators, with references to types compared through the merging itself, so two
//! objects holding two copies of one enum are merged too. A type's own doc is not compared: it
//! stays on its alias. Types on a reference cycle (those with boxed members) are left alone,
//! so merging can never make a type contain itself.

use std::collections::{BTreeMap, HashMap};

use super::{Additional, Field, TypeDef, TypeKind, TypeRef, UnionVariant};

/// Turns every inline type identical to an earlier one into an alias of it (see the module
/// documentation). Returns how many types became aliases.
pub fn merge_identical(defs: &mut [TypeDef]) -> usize {
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |d: &TypeDef| (!is_component(d), d.name.clone());
        key(&defs[a]).cmp(&key(&defs[b]))
    });
    // Each type's current representative; starts as itself.
    let mut class: HashMap<String, String> = defs
        .iter()
        .map(|d| (d.name.clone(), d.name.clone()))
        .collect();
    loop {
        let mut first_with: BTreeMap<String, String> = BTreeMap::new();
        let mut changed = false;
        for &i in &order {
            let def = &defs[i];
            let Some(signature) = signature(&def.kind, def.deprecated, &class) else {
                continue;
            };
            let representative = first_with
                .entry(signature)
                .or_insert_with(|| def.name.clone())
                .clone();
            if !is_component(def) && class[&def.name] != representative {
                class.insert(def.name.clone(), representative);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut merged = 0;
    for def in defs.iter_mut() {
        let representative = &class[&def.name];
        if *representative != def.name {
            def.kind = TypeKind::Alias(TypeRef::Named(representative.clone()));
            merged += 1;
        }
    }
    merged
}

/// Whether `def` is a schema of `components/schemas` (or a Swagger 2.0 definition, which
/// loading turns into one), as opposed to a type named after where an inline schema sits.
fn is_component(def: &TypeDef) -> bool {
    def.pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

/// The definition of a type with references replaced by their representatives, as text; `None`
/// for types that are never merged (aliases, and types on a reference cycle).
fn signature(kind: &TypeKind, deprecated: bool, class: &HashMap<String, String>) -> Option<String> {
    let mapped = match kind {
        TypeKind::Alias(_) => return None,
        TypeKind::Struct { fields, additional } => {
            if fields.iter().any(|f| f.boxed) {
                return None;
            }
            TypeKind::Struct {
                fields: fields
                    .iter()
                    .map(|f| Field {
                        ty: represent(&f.ty, class),
                        ..f.clone()
                    })
                    .collect(),
                additional: match additional {
                    Additional::Keep => Additional::Keep,
                    Additional::Typed(ty) => Additional::Typed(represent(ty, class)),
                },
            }
        }
        TypeKind::Union {
            variants,
            discriminator,
        } => {
            if variants.iter().any(|v| v.boxed) {
                return None;
            }
            TypeKind::Union {
                variants: variants
                    .iter()
                    .map(|v| UnionVariant {
                        ty: represent(&v.ty, class),
                        ..v.clone()
                    })
                    .collect(),
                // The mapping names variants, not types: it is compared as it is.
                discriminator: discriminator.clone(),
            }
        }
        TypeKind::Enum { .. } => kind.clone(),
    };
    Some(format!("{deprecated} {mapped:?}"))
}

fn represent(ty: &TypeRef, class: &HashMap<String, String>) -> TypeRef {
    match ty {
        TypeRef::Named(name) => TypeRef::Named(class.get(name).unwrap_or(name).clone()),
        TypeRef::Array(inner) => TypeRef::Array(Box::new(represent(inner, class))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(represent(inner, class))),
        other => other.clone(),
    }
}

/// The type a name stands for once identical types are merged: an alias made by
/// [`merge_identical`] (or written in the spec) is followed to the type it names.
pub fn definition<'d>(defs: &HashMap<&str, &'d TypeDef>, name: &str) -> Option<&'d TypeDef> {
    let mut def = *defs.get(name)?;
    // An alias chain is at most as long as the list of types; alias cycles are refused earlier.
    for _ in 0..defs.len() {
        match &def.kind {
            TypeKind::Alias(TypeRef::Named(target)) => def = defs.get(target.as_str())?,
            _ => return Some(def),
        }
    }
    Some(def)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn types(yaml: &str) -> Vec<TypeDef> {
        let spec = crate::load::parse(Path::new("dedup.yaml"), yaml.to_owned()).expect("parses");
        crate::model::build(&spec).expect("builds").types
    }

    fn kind<'d>(defs: &'d [TypeDef], name: &str) -> &'d TypeKind {
        &defs
            .iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
    }

    fn alias_of(defs: &[TypeDef], name: &str) -> Option<String> {
        match kind(defs, name) {
            TypeKind::Alias(TypeRef::Named(target)) => Some(target.clone()),
            _ => None,
        }
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [open, closed]}
                  link: {type: object, properties: {href: {type: string}}}
  /b:
    get:
      operationId: getB
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [open, closed]}
                  link: {type: object, properties: {href: {type: string}}}
  /c:
    get:
      operationId: getC
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [open, closed, merged]}
components:
  schemas:
    Link:
      type: object
      properties:
        href: {type: string}
    OtherLink:
      type: object
      properties:
        href: {type: string}
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: "#/components/schemas/Tree"}}
    Forest:
      type: object
      properties:
        children: {type: array, items: {$ref: "#/components/schemas/Tree"}}
"##;

    #[test]
    fn inline_copies_become_aliases_of_the_component_with_their_definition() {
        let defs = types(SPEC);
        assert_eq!(alias_of(&defs, "GetAResponseLink").as_deref(), Some("Link"));
        assert_eq!(alias_of(&defs, "GetBResponseLink").as_deref(), Some("Link"));
        // Two components with one definition stay two types: the author named each.
        assert_eq!(alias_of(&defs, "Link"), None);
        assert_eq!(alias_of(&defs, "OtherLink"), None);
    }

    #[test]
    fn copies_are_merged_through_the_copies_they_hold() {
        let defs = types(SPEC);
        // The two enums are one, so the two responses holding them are one too.
        assert_eq!(
            alias_of(&defs, "GetBResponseState").as_deref(),
            Some("GetAResponseState")
        );
        assert_eq!(
            alias_of(&defs, "GetBResponse").as_deref(),
            Some("GetAResponse")
        );
        // A third value makes another enum.
        assert_eq!(alias_of(&defs, "GetCResponseState"), None);
        assert_eq!(alias_of(&defs, "GetCResponse"), None);
    }

    #[test]
    fn types_with_boxed_members_are_never_merged() {
        let defs = types(SPEC);
        let TypeKind::Struct { fields, additional } = kind(&defs, "Link").clone() else {
            panic!("Link is a struct");
        };
        let class = defs
            .iter()
            .map(|d| (d.name.clone(), d.name.clone()))
            .collect();
        let plain = TypeKind::Struct {
            fields: fields.clone(),
            additional: additional.clone(),
        };
        assert!(signature(&plain, false, &class).is_some());
        let boxed = TypeKind::Struct {
            fields: fields
                .into_iter()
                .map(|f| Field { boxed: true, ..f })
                .collect(),
            additional,
        };
        assert_eq!(signature(&boxed, false, &class), None);
    }

    #[test]
    fn definition_follows_aliases_to_the_merged_type() {
        let defs = types(SPEC);
        let by_name: HashMap<&str, &TypeDef> = defs.iter().map(|d| (d.name.as_str(), d)).collect();
        let def = definition(&by_name, "GetBResponse").expect("defined");
        assert_eq!(def.name, "GetAResponse");
        assert!(matches!(def.kind, TypeKind::Struct { .. }));
    }
}
