//! The type mapping: OpenAPI schemas → [`TypeDef`]s and [`TypeRef`]s.
//!
//! Every component schema becomes a named type (an alias when it is a plain scalar or list).
//! Inline objects, enums and unions are named from where they appear (`Rule` + `alert_type` →
//! `RuleAlertType`; an array's items take `Item`). Recursive types are boxed where the cycle
//! has no `Vec` or map to break it.
//!
//! Forward compatibility is decided here: structs keep unknown members, enums keep unknown
//! values, unions keep unrecognised shapes (see [`crate::emit::types`] for the code).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;

use openapiv3::{
    AdditionalProperties, Components, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{
    Additional, Discriminator, EnumRepr, EnumValue, EnumVariant, Field, TypeDef, TypeKind, TypeRef,
    UnionVariant,
};
use crate::diagnostic::{push_pointer, Problem};
use crate::naming::{self, NameAllocator};
use crate::resolve::{component_name, Resolver};

/// The name of the field that keeps unknown members; spec properties never take it.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// Names generated code uses unqualified next to the spec's types (the std prelude).
const RESERVED_TYPE_NAMES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Result",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Extend",
    "FromIterator",
    "Unpin",
];

/// Converts schemas and collects the named types they need.
pub struct TypeBuilder<'a> {
    resolver: Resolver<'a>,
    names: NameAllocator,
    /// Component schema key → Rust type name.
    components: HashMap<String, String>,
    /// Rust type name → component schema key (for implicit discriminator values).
    component_keys: HashMap<String, String>,
    defs: BTreeMap<String, TypeDef>,
}

/// A schema's object part: its properties and what it says about other members.
struct ObjectParts<'a> {
    properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>, String)>,
    required: BTreeSet<&'a str>,
    additional: Option<&'a AdditionalProperties>,
    additional_pointer: String,
}

impl<'a> ObjectParts<'a> {
    /// The object part of the schema at `pointer`.
    fn new(
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
    ) -> Self {
        let properties_pointer = push_pointer(pointer, "properties");
        ObjectParts {
            properties: properties
                .iter()
                .map(|(k, v)| (k, v, push_pointer(&properties_pointer, k)))
                .collect(),
            required: required.iter().map(String::as_str).collect(),
            additional,
            additional_pointer: push_pointer(pointer, "additionalProperties"),
        }
    }
}

/// The problem for a `not` schema at `pointer`.
fn not_supported(pointer: &str) -> Problem {
    Problem::new(
        push_pointer(pointer, "not"),
        "`not` schemas are not supported: describe what the value is, not what it is not",
    )
}

impl<'a> TypeBuilder<'a> {
    /// A builder resolving references with `resolver`.
    pub fn new(resolver: Resolver<'a>) -> Self {
        TypeBuilder {
            resolver,
            names: NameAllocator::with_reserved(RESERVED_TYPE_NAMES),
            components: HashMap::new(),
            component_keys: HashMap::new(),
            defs: BTreeMap::new(),
        }
    }

    /// Names every component schema first (so references and recursion resolve), then
    /// converts each.
    pub fn add_components(
        &mut self,
        components: Option<&'a Components>,
        problems: &mut Vec<Problem>,
    ) {
        let Some(components) = components else {
            return;
        };
        for key in components.schemas.keys() {
            let name = self.names.allocate(&naming::type_name(key));
            self.component_keys.insert(name.clone(), key.clone());
            self.components.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            let name = self.components[key].clone();
            let pointer = push_pointer("/components/schemas", key);
            let ty = self.convert(schema, &pointer, &name, Some(&name), problems);
            if ty != TypeRef::Named(name.clone()) {
                let doc = match schema {
                    ReferenceOr::Item(s) => doc_of(&s.schema_data),
                    ReferenceOr::Reference { .. } => None,
                };
                self.define(TypeDef {
                    name,
                    doc,
                    deprecated: false,
                    pointer,
                    kind: TypeKind::Alias(ty),
                });
            }
        }
    }

    /// The type for `schema` found at `pointer`. Inline types it needs are named from `hint`.
    pub fn convert_ref(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        self.convert(schema, pointer, hint, None, problems)
    }

    /// Like [`Self::convert_ref`] for the boxed schemas `openapiv3` uses in properties and items.
    pub fn convert_boxed(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, pointer, problems),
            ReferenceOr::Item(schema) => self.convert_schema(schema, pointer, hint, None, problems),
        }
    }

    /// Whether `schema` (following references) admits `null`: it says `nullable: true`, or it is
    /// a `oneOf`/`anyOf` with an alternative that does (OpenAPI 3.0 has no `null` type, so a
    /// union spells "or null" that way).
    pub fn is_nullable(&self, schema: &'a ReferenceOr<Box<Schema>>) -> bool {
        match schema {
            ReferenceOr::Item(s) => self.admits_null(s, 0),
            ReferenceOr::Reference { reference } => self.reference_admits_null(reference, 0),
        }
    }

    /// Unions of unions nest a few levels at most; the bound stops reference cycles.
    const NULL_DEPTH: usize = 8;

    fn reference_admits_null(&self, reference: &str, depth: usize) -> bool {
        component_name(reference, "schemas")
            .ok()
            .and_then(|name| self.resolver.schema_by_name(name))
            .is_some_and(|schema| self.admits_null(schema, depth))
    }

    fn admits_null(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        let alternatives = match &schema.schema_kind {
            SchemaKind::OneOf { one_of } => one_of,
            SchemaKind::AnyOf { any_of } => any_of,
            _ => return false,
        };
        depth < Self::NULL_DEPTH
            && alternatives.iter().any(|alternative| match alternative {
                ReferenceOr::Item(s) => self.admits_null(s, depth + 1),
                ReferenceOr::Reference { reference } => {
                    self.reference_admits_null(reference, depth + 1)
                }
            })
    }

    fn convert(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, pointer, problems),
            ReferenceOr::Item(schema) => {
                self.convert_schema(schema, pointer, hint, fixed, problems)
            }
        }
    }

    fn named_ref(
        &mut self,
        reference: &str,
        pointer: &str,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let located = push_pointer(pointer, "$ref");
        match component_name(reference, "schemas") {
            Ok(name) => match self.components.get(name) {
                Some(rust) => TypeRef::Named(rust.clone()),
                None => {
                    problems.push(Problem::new(
                        located,
                        format!("unresolvable $ref `{reference}`: no such component"),
                    ));
                    TypeRef::Any
                }
            },
            Err(message) => {
                problems.push(Problem::new(located, message));
                TypeRef::Any
            }
        }
    }

    /// Takes the component's own name, or a fresh name built from `hint`.
    fn claim(&mut self, hint: &str, fixed: Option<&str>) -> String {
        match fixed {
            Some(name) => name.to_owned(),
            None => self.names.allocate(&naming::type_name(hint)),
        }
    }

    fn define(&mut self, def: TypeDef) -> TypeRef {
        let name = def.name.clone();
        self.defs.insert(name.clone(), def);
        TypeRef::Named(name)
    }

    fn convert_schema(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let data = &schema.schema_data;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                if values.is_empty() {
                    string_format(&s.format)
                } else {
                    let values = values
                        .into_iter()
                        .map(|v| EnumValue::String(v.to_owned()))
                        .collect();
                    self.enumeration(
                        data,
                        EnumRepr::String,
                        values,
                        pointer,
                        hint,
                        fixed,
                        problems,
                    )
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let values: Vec<EnumValue> = i
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| EnumValue::Integer(*v))
                    .collect();
                if values.is_empty() {
                    match &i.format {
                        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                        _ => TypeRef::I64,
                    }
                } else {
                    self.enumeration(
                        data,
                        EnumRepr::Integer,
                        values,
                        pointer,
                        hint,
                        fixed,
                        problems,
                    )
                }
            }
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                self.array(a.items.as_ref(), pointer, hint, problems)
            }
            SchemaKind::Type(Type::Object(o)) => {
                let parts = ObjectParts::new(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    pointer,
                );
                self.object(data, parts, pointer, hint, fixed, problems)
            }
            SchemaKind::OneOf { one_of } => {
                self.union(data, one_of, "oneOf", pointer, hint, fixed, problems)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(data, any_of, "anyOf", pointer, hint, fixed, problems)
            }
            SchemaKind::AllOf { all_of } => {
                self.all_of(data, all_of, None, pointer, hint, fixed, problems)
            }
            SchemaKind::Not { .. } => {
                problems.push(not_supported(pointer));
                TypeRef::Any
            }
            SchemaKind::Any(any) => self.any_schema(schema, any, pointer, hint, fixed, problems),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn any_schema(
        &mut self,
        schema: &'a Schema,
        any: &'a openapiv3::AnySchema,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let data = &schema.schema_data;
        let own_object = ObjectParts::new(
            &any.properties,
            &any.required,
            any.additional_properties.as_ref(),
            pointer,
        );
        if any.not.is_some() {
            problems.push(not_supported(pointer));
            return TypeRef::Any;
        }
        if !any.all_of.is_empty() {
            return self.all_of(
                data,
                &any.all_of,
                Some(own_object),
                pointer,
                hint,
                fixed,
                problems,
            );
        }
        if !own_object.properties.is_empty() || any.typ.as_deref() == Some("object") {
            return self.object(data, own_object, pointer, hint, fixed, problems);
        }
        if !any.one_of.is_empty() {
            return self.union(data, &any.one_of, "oneOf", pointer, hint, fixed, problems);
        }
        if !any.any_of.is_empty() {
            return self.union(data, &any.any_of, "anyOf", pointer, hint, fixed, problems);
        }
        if any.items.is_some() || any.typ.as_deref() == Some("array") {
            return self.array(any.items.as_ref(), pointer, hint, problems);
        }
        let strings: Option<Vec<EnumValue>> = any
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map(|s| EnumValue::String(s.to_owned())))
            .collect();
        if let Some(values) = strings.filter(|v| !v.is_empty()) {
            return self.enumeration(
                data,
                EnumRepr::String,
                values,
                pointer,
                hint,
                fixed,
                problems,
            );
        }
        match any.typ.as_deref() {
            Some("string") => match any.format.as_deref() {
                Some(f) => string_format(&VariantOrUnknownOrEmpty::Unknown(f.to_owned())),
                None => TypeRef::String,
            },
            Some("integer") => match any.format.as_deref() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some("number") => match any.format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some("boolean") => TypeRef::Bool,
            _ => TypeRef::Any,
        }
    }

    fn array(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        pointer: &str,
        hint: &str,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                let item_hint = format!("{hint}Item");
                self.convert_boxed(items, &push_pointer(pointer, "items"), &item_hint, problems)
            }
            None => TypeRef::Any,
        };
        TypeRef::Array(Box::new(item))
    }

    #[allow(clippy::too_many_arguments)]
    fn enumeration(
        &mut self,
        data: &SchemaData,
        repr: EnumRepr,
        values: Vec<EnumValue>,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let names = string_list_extension(data, "x-enum-varnames");
        let docs = string_list_extension(data, "x-enum-descriptions");
        if let Some(names) = &names {
            if names.len() != values.len() {
                problems.push(Problem::new(
                    push_pointer(pointer, "x-enum-varnames"),
                    format!(
                        "`x-enum-varnames` has {} names for {} enum values",
                        names.len(),
                        values.len()
                    ),
                ));
            }
        }
        let mut allocator = NameAllocator::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .into_iter()
            .enumerate()
            .filter(|(_, value)| seen.insert(value.clone()))
            .map(|(i, value)| {
                let wanted = match (names.as_ref().and_then(|n| n.get(i)), &value) {
                    (Some(name), _) => naming::variant_name(name),
                    (None, EnumValue::String(s)) => naming::variant_name(s),
                    (None, EnumValue::Integer(n)) if *n < 0 => format!("Minus{}", n.unsigned_abs()),
                    (None, EnumValue::Integer(n)) => format!("V{n}"),
                };
                EnumVariant {
                    name: allocator.allocate(&wanted),
                    value,
                    doc: docs.as_ref().and_then(|d| d.get(i).cloned()),
                }
            })
            .collect();
        let name = self.claim(hint, fixed);
        self.define(TypeDef {
            name,
            doc: doc_of(data),
            deprecated: data.deprecated,
            pointer: pointer.to_owned(),
            kind: TypeKind::Enum { repr, variants },
        })
    }

    fn object(
        &mut self,
        data: &SchemaData,
        parts: ObjectParts<'a>,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        if parts.properties.is_empty() {
            return match parts.additional {
                Some(AdditionalProperties::Schema(schema)) => {
                    let value_hint = format!("{hint}Value");
                    let value = self.convert(
                        schema,
                        &parts.additional_pointer,
                        &value_hint,
                        None,
                        problems,
                    );
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::Object,
            };
        }
        let name = self.claim(hint, fixed);
        let mut field_names = NameAllocator::with_reserved(&[ADDITIONAL_FIELD]);
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, schema, field_pointer) in &parts.properties {
            let field_hint = format!("{name}{}", naming::type_name(wire_name));
            let ty = self.convert_boxed(schema, field_pointer, &field_hint, problems);
            let (doc, deprecated, read_only, write_only) = match schema {
                ReferenceOr::Item(s) => (
                    with_default(doc_of(&s.schema_data), s.schema_data.default.as_ref()),
                    s.schema_data.deprecated,
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                ),
                ReferenceOr::Reference { .. } => (None, false, false, false),
            };
            fields.push(Field {
                name: field_names.allocate(&naming::field_name(wire_name)),
                wire_name: (*wire_name).clone(),
                ty,
                // A read-only member is absent from requests, a write-only one from responses:
                // one type serves both, so neither can be required.
                required: parts.required.contains(wire_name.as_str()) && !read_only && !write_only,
                nullable: self.is_nullable(schema),
                boxed: false,
                deprecated,
                doc,
            });
        }
        let additional = match parts.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_hint = format!("{name}Value");
                Additional::Typed(self.convert(
                    schema,
                    &parts.additional_pointer,
                    &value_hint,
                    None,
                    problems,
                ))
            }
            _ => Additional::Keep,
        };
        self.define(TypeDef {
            name,
            doc: doc_of(data),
            deprecated: data.deprecated,
            pointer: pointer.to_owned(),
            kind: TypeKind::Struct { fields, additional },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn union(
        &mut self,
        data: &SchemaData,
        alternatives: &'a [ReferenceOr<Schema>],
        keyword: &str,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let list_pointer = push_pointer(pointer, keyword);
        if let ([only], None) = (alternatives, &data.discriminator) {
            return self.convert(
                only,
                &push_pointer(&list_pointer, "0"),
                hint,
                fixed,
                problems,
            );
        }
        if let Some(values) = self.documented_values(alternatives) {
            // `oneOf` of one-value string enums is how many specs document each value.
            let (values, docs): (Vec<EnumValue>, Vec<Option<String>>) = values.into_iter().unzip();
            let def = self.enumeration(
                data,
                EnumRepr::String,
                values,
                pointer,
                hint,
                fixed,
                problems,
            );
            if let TypeRef::Named(name) = &def {
                if let Some(TypeDef {
                    kind: TypeKind::Enum { variants, .. },
                    ..
                }) = self.defs.get_mut(name)
                {
                    for (variant, doc) in variants.iter_mut().zip(docs) {
                        variant.doc = variant.doc.take().or(doc);
                    }
                }
            }
            return def;
        }
        let name = self.claim(hint, fixed);
        let mut variant_names = NameAllocator::with_reserved(&["Other"]);
        let mut variants = Vec::with_capacity(alternatives.len());
        for (i, alternative) in alternatives.iter().enumerate() {
            let alt_pointer = push_pointer(&list_pointer, &i.to_string());
            let alt_hint = format!("{name}Variant{i}");
            let ty = self.convert(alternative, &alt_pointer, &alt_hint, None, problems);
            let wanted = match &ty {
                TypeRef::Named(n) => naming::variant_from_type(&name, n),
                other => builtin_variant_name(other).to_owned(),
            };
            variants.push(UnionVariant {
                name: variant_names.allocate(&wanted),
                ty,
                boxed: false,
            });
        }
        let discriminator = data
            .discriminator
            .as_ref()
            .map(|d| self.discriminator(d, &variants, pointer, problems));
        self.define(TypeDef {
            name,
            doc: doc_of(data),
            deprecated: data.deprecated,
            pointer: pointer.to_owned(),
            kind: TypeKind::Union {
                variants,
                discriminator,
            },
        })
    }

    /// Tag values for a union's variants: the explicit `mapping`, then each referenced
    /// alternative's schema name. A mapping to a schema that is not an alternative is an error.
    fn discriminator(
        &self,
        discriminator: &openapiv3::Discriminator,
        variants: &[UnionVariant],
        pointer: &str,
        problems: &mut Vec<Problem>,
    ) -> Discriminator {
        let variant_of = |rust: &str| {
            variants
                .iter()
                .find(|v| v.ty == TypeRef::Named(rust.to_owned()))
                .map(|v| v.name.clone())
        };
        let mapping_pointer = push_pointer(&push_pointer(pointer, "discriminator"), "mapping");
        let mut mapping: Vec<(String, String)> = Vec::new();
        for (value, target) in &discriminator.mapping {
            // A mapping names a schema by `$ref` or by its bare component name.
            let key = if target.starts_with('#') {
                component_name(target, "schemas").map(str::to_owned)
            } else {
                Ok(target.clone())
            };
            let variant = key
                .ok()
                .and_then(|k| self.components.get(&k))
                .and_then(|rust| variant_of(rust));
            match variant {
                Some(variant) => mapping.push((value.clone(), variant)),
                None => problems.push(Problem::new(
                    push_pointer(&mapping_pointer, value),
                    format!("discriminator mapping `{value}` names `{target}`, which is not one of the union's alternatives"),
                )),
            }
        }
        for variant in variants {
            let TypeRef::Named(rust) = &variant.ty else {
                continue;
            };
            let already = mapping.iter().any(|(_, v)| *v == variant.name);
            if let (Some(key), false) = (self.component_keys.get(rust), already) {
                mapping.push((key.clone(), variant.name.clone()));
            }
        }
        Discriminator {
            property: discriminator.property_name.clone(),
            mapping,
        }
    }

    /// The values and descriptions when every alternative is a string enum (after following
    /// references); `None` otherwise.
    fn documented_values(
        &self,
        alternatives: &'a [ReferenceOr<Schema>],
    ) -> Option<Vec<(EnumValue, Option<String>)>> {
        let mut values = Vec::new();
        for alternative in alternatives {
            let schema = match alternative {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => self
                    .resolver
                    .schema_by_name(component_name(reference, "schemas").ok()?)?,
            };
            let SchemaKind::Type(Type::String(s)) = &schema.schema_kind else {
                return None;
            };
            let listed: Vec<&String> = s.enumeration.iter().flatten().collect();
            if listed.is_empty() {
                return None;
            }
            let doc = doc_of(&schema.schema_data);
            let single = listed.len() == 1;
            values.extend(listed.into_iter().map(|v| {
                (
                    EnumValue::String(v.clone()),
                    if single { doc.clone() } else { None },
                )
            }));
        }
        Some(values)
    }

    /// `allOf`: one struct with the properties of every part (and of the schema itself).
    #[allow(clippy::too_many_arguments)]
    fn all_of(
        &mut self,
        data: &SchemaData,
        parts: &'a [ReferenceOr<Schema>],
        own: Option<ObjectParts<'a>>,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let own_is_empty = own.as_ref().is_none_or(|o| o.properties.is_empty());
        if let ([only], true) = (parts, own_is_empty) {
            // `allOf: [$ref]` is how 3.0 documents attach a description to a reference.
            return self.convert(
                only,
                &push_pointer(&push_pointer(pointer, "allOf"), "0"),
                hint,
                fixed,
                problems,
            );
        }
        let mut merged = ObjectParts {
            properties: Vec::new(),
            required: BTreeSet::new(),
            additional: None,
            additional_pointer: push_pointer(pointer, "additionalProperties"),
        };
        let list_pointer = push_pointer(pointer, "allOf");
        for (i, part) in parts.iter().enumerate() {
            self.collect_all_of_part(
                part,
                push_pointer(&list_pointer, &i.to_string()),
                &mut merged,
                0,
                problems,
            );
        }
        if let Some(own) = own {
            merge_parts(&mut merged, own);
        }
        self.object(data, merged, pointer, hint, fixed, problems)
    }

    fn collect_all_of_part(
        &mut self,
        part: &'a ReferenceOr<Schema>,
        pointer: String,
        merged: &mut ObjectParts<'a>,
        depth: usize,
        problems: &mut Vec<Problem>,
    ) {
        if depth > 32 {
            problems.push(Problem::new(
                pointer,
                "`allOf` nests more than 32 levels deep (a cycle?)",
            ));
            return;
        }
        let resolved = match self.resolver.schema(part, &pointer) {
            Ok(resolved) => resolved,
            Err(problem) => {
                problems.push(problem);
                return;
            }
        };
        let at = resolved.pointer.clone();
        let schema = resolved.item;
        let parts = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => Some(ObjectParts::new(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                &at,
            )),
            SchemaKind::AllOf { all_of } => {
                for (i, inner) in all_of.iter().enumerate() {
                    let inner_pointer = push_pointer(&push_pointer(&at, "allOf"), &i.to_string());
                    self.collect_all_of_part(inner, inner_pointer, merged, depth + 1, problems);
                }
                None
            }
            SchemaKind::Any(any) => {
                for (i, inner) in any.all_of.iter().enumerate() {
                    let inner_pointer = push_pointer(&push_pointer(&at, "allOf"), &i.to_string());
                    self.collect_all_of_part(inner, inner_pointer, merged, depth + 1, problems);
                }
                Some(ObjectParts::new(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    &at,
                ))
            }
            _ => {
                problems.push(Problem::new(
                    pointer,
                    "an `allOf` part must be an object schema to be merged into a struct",
                ));
                None
            }
        };
        if let Some(parts) = parts {
            merge_parts(merged, parts);
        }
    }

    /// The named types, sorted by name, with recursive fields boxed.
    pub fn finish(self, problems: &mut Vec<Problem>) -> Vec<TypeDef> {
        let mut defs: Vec<TypeDef> = self.defs.into_values().collect();
        report_alias_cycles(&defs, problems);
        report_required_cycles(&defs, problems);
        let edges: HashMap<String, Vec<String>> = defs
            .iter()
            .map(|def| (def.name.clone(), direct_names(&def.kind)))
            .collect();
        let cyclic = |ty: &TypeRef, owner: &str| match ty {
            TypeRef::Named(target) => reaches(&edges, target, owner),
            _ => false,
        };
        for def in &mut defs {
            match &mut def.kind {
                TypeKind::Struct { fields, .. } => {
                    for field in fields.iter_mut() {
                        field.boxed = cyclic(&field.ty, &def.name);
                    }
                }
                TypeKind::Union { variants, .. } => {
                    for variant in variants.iter_mut() {
                        variant.boxed = cyclic(&variant.ty, &def.name);
                    }
                }
                TypeKind::Enum { .. } | TypeKind::Alias(_) => {}
            }
        }
        defs
    }
}

/// `A: {$ref: B}`, `B: {$ref: A}` names no type at all.
fn report_alias_cycles(defs: &[TypeDef], problems: &mut Vec<Problem>) {
    let aliases: HashMap<&str, &str> = defs
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Alias(TypeRef::Named(target)) => Some((def.name.as_str(), target.as_str())),
            _ => None,
        })
        .collect();
    for def in defs {
        let mut current = def.name.as_str();
        for _ in 0..=aliases.len() {
            match aliases.get(current) {
                Some(next) if *next == def.name => {
                    problems.push(Problem::new(
                        def.pointer.clone(),
                        format!(
                            "`{}` is defined only as a chain of $refs that leads back to itself",
                            def.name
                        ),
                    ));
                    break;
                }
                Some(next) => current = next,
                None => break,
            }
        }
    }
}

/// A struct that contains itself through members that are all required and not nullable has
/// no finite value: no JSON document can satisfy it.
fn report_required_cycles(defs: &[TypeDef], problems: &mut Vec<Problem>) {
    // Required edges: struct → type of a required, non-nullable member; alias → its target.
    let required_members = |def: &TypeDef| -> Vec<(String, Option<String>)> {
        match &def.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .filter(|f| !f.optional())
                .filter_map(|f| match &f.ty {
                    TypeRef::Named(n) => Some((n.clone(), Some(f.wire_name.clone()))),
                    _ => None,
                })
                .collect(),
            TypeKind::Alias(TypeRef::Named(n)) => vec![(n.clone(), None)],
            _ => Vec::new(),
        }
    };
    let edges: HashMap<String, Vec<String>> = defs
        .iter()
        .map(|d| {
            let targets = required_members(d).into_iter().map(|(n, _)| n).collect();
            (d.name.clone(), targets)
        })
        .collect();
    for def in defs
        .iter()
        .filter(|d| matches!(d.kind, TypeKind::Struct { .. }))
    {
        for (first, member) in required_members(def) {
            let Some(member) = member else { continue };
            if reaches(&edges, &first, &def.name) {
                problems.push(Problem::new(
                    push_pointer(&push_pointer(&def.pointer, "properties"), &member),
                    format!(
                        "`{}` contains itself through required members starting at `{member}`, so no finite value exists: make one of them optional, nullable or a list",
                        def.name
                    ),
                ));
            }
        }
    }
}

/// Names of the types that can be sent as a path, query or header value: enums, aliases of
/// scalars and unions of such types (see `ToParam` in the runtime).
pub fn param_types(defs: &[TypeDef]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    loop {
        let before = found.len();
        for def in defs {
            let ok = match &def.kind {
                TypeKind::Enum { .. } => true,
                TypeKind::Alias(ty) => is_param(ty, &found),
                TypeKind::Union { variants, .. } => {
                    variants.iter().all(|v| is_param(&v.ty, &found))
                }
                TypeKind::Struct { .. } => false,
            };
            if ok {
                found.insert(def.name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// Whether a value of `ty` can be sent as a parameter, given the named types that can.
pub fn is_param(ty: &TypeRef, param_types: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => param_types.contains(name),
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Object | TypeRef::Any | TypeRef::Binary => {
            false
        }
        _ => true,
    }
}

/// Later parts override earlier members of the same name; `required` accumulates.
fn merge_parts<'a>(merged: &mut ObjectParts<'a>, parts: ObjectParts<'a>) {
    for (name, schema, pointer) in parts.properties {
        match merged.properties.iter_mut().find(|(n, _, _)| *n == name) {
            Some(existing) => *existing = (name, schema, pointer),
            None => merged.properties.push((name, schema, pointer)),
        }
    }
    merged.required.extend(parts.required);
    if parts.additional.is_some() {
        merged.additional = parts.additional;
        merged.additional_pointer = parts.additional_pointer;
    }
}

/// Named types a type contains without a `Vec` or map in between.
fn direct_names(kind: &TypeKind) -> Vec<String> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    };
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

/// Whether `from` contains `to` directly or through other types.
fn reaches(edges: &HashMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(current) = stack.pop() {
        if current == to {
            return true;
        }
        if seen.insert(current.clone()) {
            stack.extend(edges.get(&current).into_iter().flatten().cloned());
        }
    }
    false
}

fn builtin_variant_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Bool => "Bool",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Uuid => "Uuid",
        TypeRef::Ipv4 | TypeRef::Ipv6 | TypeRef::Ip => "Ip",
        TypeRef::Binary => "Binary",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) | TypeRef::Object => "Object",
        TypeRef::Any | TypeRef::Named(_) => "Value",
    }
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "date-time" => TypeRef::DateTime,
            "date" => TypeRef::Date,
            "uuid" => TypeRef::Uuid,
            "ipv4" => TypeRef::Ipv4,
            "ipv6" => TypeRef::Ipv6,
            "ip" => TypeRef::Ip,
            "binary" => TypeRef::Binary,
            _ => TypeRef::String,
        },
        _ => TypeRef::String,
    }
}

/// Adds the schema's `default` to a member's documentation: an absent member means it.
fn with_default(doc: Option<String>, default: Option<&serde_json::Value>) -> Option<String> {
    let Some(default) = default else {
        return doc;
    };
    let note = format!("Default when absent: `{default}`.");
    Some(match doc {
        Some(doc) => format!("{doc}\n\n{note}"),
        None => note,
    })
}

/// The schema's title and description as one doc text.
pub fn doc_of(data: &SchemaData) -> Option<String> {
    match (&data.title, &data.description) {
        (Some(title), Some(description)) if title != description => {
            Some(format!("{title}\n\n{description}"))
        }
        (_, Some(text)) | (Some(text), None) => Some(text.clone()),
        (None, None) => None,
    }
}

fn string_list_extension(data: &SchemaData, key: &str) -> Option<Vec<String>> {
    let list = data.extensions.get(key)?.as_array()?;
    list.iter().map(|v| v.as_str().map(str::to_owned)).collect()
}

impl TypeBuilder<'_> {
    /// Reserves a type name built from `hint` for a type the emitter defines itself
    /// (operation parameter structs, multi-response enums).
    pub fn allocate_name(&mut self, hint: &str) -> String {
        self.names.allocate(&naming::type_name(hint))
    }
}
