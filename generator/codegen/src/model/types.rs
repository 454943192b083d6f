//! The type mapping: OpenAPI schemas → [`TypeDef`]s and [`TypeRef`]s.
//!
//! Every component schema becomes a named type (an alias when it is a plain scalar or list).
//! Inline objects, enums and unions are named from where they appear (`Rule` + `alert_type` →
//! `RuleAlertType`; an array's items take `Item`). Recursive types are boxed where the cycle
//! has no `Vec` or map to break it.
//!
//! Forward compatibility is decided here: structs keep unknown members, enums keep unknown
//! values, unions keep unrecognised shapes (see [`crate::emit::types`] for the code).
//!
//! What published documents do that is accepted with a fixed reading:
//!
//! - `allOf` parts without type-defining keywords (only `description`, `title`, `nullable`,
//!   `default`, `example`, `readOnly`, `deprecated`, constraints, `x-…`) are annotations: they
//!   add documentation and nullability to the other parts. An `allOf` with one type-defining
//!   part is that part's type (a `$ref` stays the referenced type, so no copy is made).
//! - Several object parts merge into one struct. Object parts mixed with scalar, enum, array or
//!   union parts: the object parts merge and the others are left out (the struct keeps unknown
//!   members, so nothing is lost). Several parts and none an object: the first `$ref` part (or
//!   else the first part) is the type; the others only restrict it.
//! - `not` only restricts a value, so such a schema is any JSON value.
//! - `enum` lists drop `null` (it makes the value nullable) and duplicates; mixed or empty lists
//!   give the plain type. `format: int32` with bounds or values outside `i32` is `i64`.
//! - Conversion of inline schemas inside `#/components/schemas` is memoised by location, so a
//!   schema reached through many `allOf` merges is converted once; nesting deeper than
//!   [`MAX_DEPTH`] is reported instead of exhausting the stack.

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

pub use crate::naming::ADDITIONAL_FIELD;

/// How many schemas may nest inside one another (through properties, items, unions and
/// `allOf`) before conversion stops with a problem; keeps the stack bounded.
pub const MAX_DEPTH: usize = 64;

/// Pointers under this prefix are stable locations whose conversion is memoised.
const MEMO_PREFIX: &str = "/components/schemas/";

/// Converts schemas and collects the named types they need.
pub struct TypeBuilder<'a> {
    resolver: Resolver<'a>,
    names: NameAllocator,
    /// Component schema key → Rust type name.
    components: HashMap<String, String>,
    /// Rust type name → component schema key (for implicit discriminator values).
    component_keys: HashMap<String, String>,
    defs: BTreeMap<String, TypeDef>,
    /// Inline schema location → its type (or the name it is being given, while converting).
    memo: HashMap<String, TypeRef>,
    /// How many conversions are in progress (see [`MAX_DEPTH`]).
    depth: usize,
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

/// What the documentation of a `not` schema says about its Rust type.
const NOT_NOTE: &str =
    "The spec only says what this value is not (`not`), so any JSON value is accepted.";

/// Documentation and flags a schema gives the place it is used at: its own, then those of its
/// `allOf` annotation parts (see [`is_annotation`]).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Annotations {
    /// Title and description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `writeOnly: true`.
    pub write_only: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// The `default` value.
    pub default: Option<serde_json::Value>,
}

/// The annotations of `schema` and of its inline `allOf` annotation parts.
pub fn annotations(schema: &Schema) -> Annotations {
    let mut out = Annotations::default();
    let mut add = |data: &SchemaData| {
        out.doc = out.doc.take().or_else(|| doc_of(data));
        out.deprecated |= data.deprecated;
        out.read_only |= data.read_only;
        out.write_only |= data.write_only;
        out.nullable |= data.nullable;
        if out.default.is_none() {
            out.default = data.default.clone();
        }
    };
    add(&schema.schema_data);
    for part in all_of_parts(schema) {
        if let ReferenceOr::Item(part) = part {
            if is_annotation(part) {
                add(&part.schema_data);
            }
        }
    }
    if is_not(schema) {
        out.doc = Some(match out.doc.take() {
            Some(doc) => format!("{doc}\n\n{NOT_NOTE}"),
            None => NOT_NOTE.to_owned(),
        });
    }
    out
}

/// The `allOf` list of a schema (empty when it has none).
fn all_of_parts(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => &[],
    }
}

/// Whether the schema is only a `not` (it says what a value is not, nothing of what it is).
fn is_not(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Not { .. } => true,
        SchemaKind::Any(any) => any.not.is_some() && !defines_type(any),
        _ => false,
    }
}

/// Whether an `AnySchema` says anything about the value's type (not only constraints).
fn defines_type(any: &openapiv3::AnySchema) -> bool {
    any.typ.is_some()
        || any.format.is_some()
        || !any.properties.is_empty()
        || !any.required.is_empty()
        || any.additional_properties.is_some()
        || any.items.is_some()
        || !any.enumeration.is_empty()
        || !any.one_of.is_empty()
        || !any.any_of.is_empty()
        || !any.all_of.is_empty()
}

/// An `allOf` part that only annotates the others: no keyword that defines a type, only
/// documentation, nullability, defaults, constraints, `not` or extensions.
pub fn is_annotation(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => !defines_type(any),
        SchemaKind::Not { .. } => true,
        _ => false,
    }
}

/// What an `allOf` part contributes once references are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartShape {
    /// Properties to merge (an object, or an `allOf` of its own).
    Object,
    /// A scalar, enum, array, union or free-form value.
    Other,
}

fn part_shape(schema: &Schema) -> PartShape {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => PartShape::Object,
        SchemaKind::Any(any)
            if !any.properties.is_empty()
                || !any.required.is_empty()
                || any.additional_properties.is_some()
                || !any.all_of.is_empty()
                || any.typ.as_deref() == Some("object") =>
        {
            PartShape::Object
        }
        _ => PartShape::Other,
    }
}

/// One step of merging `allOf` parts, done in order from an explicit stack.
enum MergeTask<'a> {
    /// Resolve this part and merge what it holds.
    Part(&'a ReferenceOr<Schema>, String),
    /// Merge these (a schema's own members, after its `allOf` parts).
    Own(ObjectParts<'a>),
}

impl<'a> TypeBuilder<'a> {
    /// A builder resolving references with `resolver`.
    pub fn new(resolver: Resolver<'a>) -> Self {
        TypeBuilder {
            resolver,
            names: NameAllocator::with_reserved(naming::PRELUDE_TYPE_NAMES),
            components: HashMap::new(),
            component_keys: HashMap::new(),
            defs: BTreeMap::new(),
            memo: HashMap::new(),
            depth: 0,
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
            let name = self.names.allocate(&naming::schema_type_name(key));
            self.component_keys.insert(name.clone(), key.clone());
            self.components.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            let name = self.components[key].clone();
            let pointer = push_pointer("/components/schemas", key);
            let ty = self.convert(schema, &pointer, &name, Some(&name), problems);
            if ty == TypeRef::Named(name.clone()) && !self.defs.contains_key(&name) {
                // `X: {allOf: [{$ref: X}]}`: the schema only points back at itself.
                problems.push(Problem::new(
                    pointer,
                    format!(
                        "`{key}` is defined only by a reference to itself, so it names no type"
                    ),
                ));
            } else if ty != TypeRef::Named(name.clone()) {
                let doc = match schema {
                    ReferenceOr::Item(s) => annotations(s).doc,
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

    /// `nullable: true`, `null` among the `enum` values, a union alternative that admits it, or
    /// an `allOf` whose annotations say so or whose one type-defining part admits it.
    fn admits_null(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable || enum_lists_null(schema) {
            return true;
        }
        let part_admits = |part: &ReferenceOr<Schema>| match part {
            ReferenceOr::Item(s) => self.admits_null(s, depth + 1),
            ReferenceOr::Reference { reference } => {
                self.reference_admits_null(reference, depth + 1)
            }
        };
        if depth >= Self::NULL_DEPTH {
            return false;
        }
        match &schema.schema_kind {
            SchemaKind::OneOf { one_of } => one_of.iter().any(part_admits),
            SchemaKind::AnyOf { any_of } => any_of.iter().any(part_admits),
            SchemaKind::Any(any) if !any.one_of.is_empty() && any.all_of.is_empty() => {
                any.one_of.iter().any(part_admits)
            }
            SchemaKind::Any(any) if !any.any_of.is_empty() && any.all_of.is_empty() => {
                any.any_of.iter().any(part_admits)
            }
            SchemaKind::AllOf { .. } | SchemaKind::Any(_) => {
                let parts = all_of_parts(schema);
                if annotations(schema).nullable {
                    return true;
                }
                let defining: Vec<&ReferenceOr<Schema>> = parts
                    .iter()
                    .filter(|p| !matches!(p, ReferenceOr::Item(s) if is_annotation(s)))
                    .collect();
                match defining.as_slice() {
                    [only] => part_admits(only),
                    _ => false,
                }
            }
            _ => false,
        }
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

    /// Takes the component's own name, or a fresh name built from `hint`; a schema reached
    /// again at `pointer` while its type is being built gets this name.
    fn claim(&mut self, hint: &str, fixed: Option<&str>, pointer: &str) -> String {
        let name = match fixed {
            Some(name) => name.to_owned(),
            None => self.names.allocate(&naming::schema_type_name(hint)),
        };
        if fixed.is_none() && pointer.starts_with(MEMO_PREFIX) {
            self.memo
                .insert(pointer.to_owned(), TypeRef::Named(name.clone()));
        }
        name
    }

    fn define(&mut self, def: TypeDef) -> TypeRef {
        let name = def.name.clone();
        self.defs.insert(name.clone(), def);
        TypeRef::Named(name)
    }

    /// Converts an inline schema: bounded in depth, memoised by location inside components.
    fn convert_schema(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        hint: &str,
        fixed: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        let memoised = fixed.is_none() && pointer.starts_with(MEMO_PREFIX);
        if memoised {
            if let Some(done) = self.memo.get(pointer) {
                return done.clone();
            }
        }
        if self.depth >= MAX_DEPTH {
            problems.push(Problem::new(
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep here; flatten them with named components"),
            ));
            return TypeRef::Any;
        }
        self.depth += 1;
        let ty = self.convert_schema_inner(schema, pointer, hint, fixed, problems);
        self.depth -= 1;
        if memoised {
            self.memo.insert(pointer.to_owned(), ty.clone());
        }
        ty
    }

    fn convert_schema_inner(
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
                    let fits_i32 = |v: &Option<i64>| v.is_none_or(|v| i32::try_from(v).is_ok());
                    match &i.format {
                        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
                            if fits_i32(&i.minimum) && fits_i32(&i.maximum) =>
                        {
                            TypeRef::I32
                        }
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
            // `not` only restricts; the value is otherwise free (see `annotations`).
            SchemaKind::Not { .. } => TypeRef::Any,
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
                let item_hint = naming::item_type(hint);
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
        let mut allocator = NameAllocator::with_reserved(&[naming::UNKNOWN_ENUM_VARIANT]);
        let mut seen = BTreeSet::new();
        let variants = values
            .into_iter()
            .enumerate()
            .filter(|(_, value)| seen.insert(value.clone()))
            .map(|(i, value)| {
                let wanted = match (names.as_ref().and_then(|n| n.get(i)), &value) {
                    (Some(name), _) => naming::variant_name(name),
                    (None, EnumValue::String(s)) => naming::variant_name(s),
                    (None, EnumValue::Integer(n)) => naming::integer_variant(*n),
                };
                EnumVariant {
                    name: allocator.allocate(&wanted),
                    value,
                    doc: docs.as_ref().and_then(|d| d.get(i).cloned()),
                }
            })
            .collect();
        let name = self.claim(hint, fixed, pointer);
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
                    let value_hint = naming::map_value_type(hint);
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
        let name = self.claim(hint, fixed, pointer);
        let mut field_names = NameAllocator::with_reserved(&[ADDITIONAL_FIELD]);
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, schema, field_pointer) in &parts.properties {
            let field_hint = naming::member_type(&name, wire_name);
            let ty = self.convert_boxed(schema, field_pointer, &field_hint, problems);
            let (doc, deprecated, read_only, write_only) = match schema {
                ReferenceOr::Item(s) => {
                    let notes = annotations(s);
                    (
                        with_default(notes.doc, notes.default.as_ref()),
                        notes.deprecated,
                        notes.read_only,
                        notes.write_only,
                    )
                }
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
                let value_hint = naming::map_value_type(&name);
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
        let name = self.claim(hint, fixed, pointer);
        let mut variant_names = NameAllocator::with_reserved(&[naming::OTHER_UNION_VARIANT]);
        let mut variants = Vec::with_capacity(alternatives.len());
        for (i, alternative) in alternatives.iter().enumerate() {
            let alt_pointer = push_pointer(&list_pointer, &i.to_string());
            let alt_hint = naming::union_alternative_type(&name, i);
            let ty = self.convert(alternative, &alt_pointer, &alt_hint, None, problems);
            let wanted = match &ty {
                TypeRef::Named(n) => naming::variant_from_type(&name, n),
                other => naming::builtin_variant(other).to_owned(),
            };
            variants.push(UnionVariant {
                name: variant_names.allocate(&wanted),
                ty,
                boxed: false,
            });
        }
        // A discriminator that maps no tag to an alternative (inline alternatives have no schema
        // names to map implicitly) cannot pick one: the union is decoded as without one, each
        // alternative tried in order, rather than every value ending in `Other`.
        let discriminator = data
            .discriminator
            .as_ref()
            .map(|d| self.discriminator(d, &variants, pointer, problems))
            .filter(|d| !d.mapping.is_empty());
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

    /// `allOf`: the one type-defining part's type, or one struct with the properties of every
    /// object part (and of the schema itself). See the module documentation for the rules.
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
        let list_pointer = push_pointer(pointer, "allOf");
        let own = own.filter(|o| !o.properties.is_empty());
        let defining: Vec<(usize, &'a ReferenceOr<Schema>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !matches!(p, ReferenceOr::Item(s) if is_annotation(s)))
            .collect();
        if own.is_none() {
            match defining.as_slice() {
                [] => return TypeRef::Any,
                [(i, only)] => {
                    // `allOf: [$ref, {description}]` is how 3.0 documents annotate a reference.
                    let at = push_pointer(&list_pointer, &i.to_string());
                    return self.convert(only, &at, hint, fixed, problems);
                }
                _ => {}
            }
        }
        let shapes: Vec<Option<PartShape>> = defining
            .iter()
            .map(|(i, part)| {
                let at = push_pointer(&list_pointer, &i.to_string());
                self.resolver
                    .schema(part, &at)
                    .ok()
                    .map(|r| part_shape(r.item))
            })
            .collect();
        let any_object = own.is_some() || shapes.contains(&Some(PartShape::Object));
        if !any_object {
            // Several parts and none an object: the first reference names the type.
            let chosen = defining
                .iter()
                .find(|(_, p)| matches!(p, ReferenceOr::Reference { .. }))
                .or(defining.first());
            if let Some((i, part)) = chosen {
                let at = push_pointer(&list_pointer, &i.to_string());
                return self.convert(part, &at, hint, fixed, problems);
            }
        }
        let mut merged = ObjectParts {
            properties: Vec::new(),
            required: BTreeSet::new(),
            additional: None,
            additional_pointer: push_pointer(pointer, "additionalProperties"),
        };
        let mut tasks: Vec<MergeTask<'a>> = Vec::new();
        if let Some(own) = own {
            tasks.push(MergeTask::Own(own));
        }
        for (i, part) in parts.iter().enumerate().rev() {
            tasks.push(MergeTask::Part(
                part,
                push_pointer(&list_pointer, &i.to_string()),
            ));
        }
        self.merge_all_of(tasks, &mut merged, problems);
        self.object(data, merged, pointer, hint, fixed, problems)
    }

    /// Merges `allOf` parts in order with an explicit stack: nested `allOf`s are opened in
    /// place, a part reached twice (a cycle) adds nothing, parts that are not objects are left
    /// out (the struct keeps unknown members).
    fn merge_all_of(
        &mut self,
        mut tasks: Vec<MergeTask<'a>>,
        merged: &mut ObjectParts<'a>,
        problems: &mut Vec<Problem>,
    ) {
        let mut visited: BTreeSet<String> = BTreeSet::new();
        while let Some(task) = tasks.pop() {
            let (part, pointer) = match task {
                MergeTask::Own(own) => {
                    merge_parts(merged, own);
                    continue;
                }
                MergeTask::Part(part, pointer) => (part, pointer),
            };
            let resolved = match self.resolver.schema(part, &pointer) {
                Ok(resolved) => resolved,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let at = resolved.pointer.clone();
            if !visited.insert(at.clone()) {
                continue;
            }
            let schema = resolved.item;
            let own = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => Some(ObjectParts::new(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    &at,
                )),
                SchemaKind::Any(any) => Some(ObjectParts::new(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    &at,
                )),
                _ => None,
            };
            if let Some(own) = own {
                tasks.push(MergeTask::Own(own));
            }
            let inner = all_of_parts(schema);
            let inner_pointer = push_pointer(&at, "allOf");
            for (i, part) in inner.iter().enumerate().rev() {
                tasks.push(MergeTask::Part(
                    part,
                    push_pointer(&inner_pointer, &i.to_string()),
                ));
            }
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

/// Whether the schema's `enum` lists `null` (which makes the value nullable).
fn enum_lists_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Number(n)) => n.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Boolean(b)) => b.enumeration.iter().any(Option::is_none),
        SchemaKind::Any(any) => any.enumeration.iter().any(serde_json::Value::is_null),
        _ => false,
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
        self.names.allocate(&naming::schema_type_name(hint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openapiv3::{ObjectType, OpenAPI, StringType};

    /// Converts the component schemas of a YAML `components:` body.
    fn build(schemas_yaml: &str) -> (Vec<TypeDef>, Vec<Problem>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas_yaml}"
        );
        let document: OpenAPI = serde_yaml::from_str(&text).expect("test document parses");
        build_document(&document)
    }

    fn build_document(document: &OpenAPI) -> (Vec<TypeDef>, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut types = TypeBuilder::new(Resolver::new(document.components.as_ref()));
        types.add_components(document.components.as_ref(), &mut problems);
        let defs = types.finish(&mut problems);
        (defs, problems)
    }

    fn def<'d>(defs: &'d [TypeDef], name: &str) -> &'d TypeDef {
        defs.iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("no type {name} in {defs:#?}"))
    }

    fn field<'d>(defs: &'d [TypeDef], ty: &str, wire: &str) -> &'d Field {
        match &def(defs, ty).kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .find(|f| f.wire_name == wire)
                .unwrap_or_else(|| panic!("no field {wire} in {ty}")),
            other => panic!("{ty} is not a struct: {other:?}"),
        }
    }

    fn alias(defs: &[TypeDef], name: &str) -> TypeRef {
        match &def(defs, name).kind {
            TypeKind::Alias(ty) => ty.clone(),
            other => panic!("{name} is not an alias: {other:?}"),
        }
    }

    #[test]
    fn annotation_parts_annotate_the_referenced_type() {
        let (defs, problems) = build(
            r"
    Color: {type: string, enum: [red, blue]}
    Flag:
      allOf: [{type: boolean}, {nullable: false}]
    Only:
      allOf: [{$ref: '#/components/schemas/Color'}]
    Defaulted:
      allOf: [{$ref: '#/components/schemas/Color'}, {default: red}]
    Thing:
      type: object
      required: [color]
      properties:
        color:
          allOf: [{$ref: '#/components/schemas/Color'}, {description: The colour., nullable: true}]
        tags:
          allOf: [{type: array, items: {type: string}}, {description: Tags.}]
",
        );
        assert_eq!(problems, []);
        assert_eq!(alias(&defs, "Flag"), TypeRef::Bool);
        assert_eq!(alias(&defs, "Only"), TypeRef::Named("Color".into()));
        assert_eq!(alias(&defs, "Defaulted"), TypeRef::Named("Color".into()));
        let color = field(&defs, "Thing", "color");
        assert_eq!(color.ty, TypeRef::Named("Color".into()));
        assert!(color.nullable && color.optional());
        assert_eq!(color.doc.as_deref(), Some("The colour."));
        let tags = field(&defs, "Thing", "tags");
        assert_eq!(tags.ty, TypeRef::Array(Box::new(TypeRef::String)));
        assert_eq!(tags.doc.as_deref(), Some("Tags."));
        // No struct copies were made of the referenced types.
        assert_eq!(defs.len(), 5, "{defs:#?}");
    }

    #[test]
    fn objects_mixed_with_other_parts_merge_the_objects() {
        let (defs, problems) = build(
            r"
    Base: {type: object, properties: {id: {type: string}}}
    Choice:
      oneOf: [{type: string}, {type: integer}]
    Mixed:
      allOf:
        - {$ref: '#/components/schemas/Base'}
        - {$ref: '#/components/schemas/Choice'}
        - {type: object, properties: {name: {type: string}}}
    Scalars:
      allOf: [{type: string}, {$ref: '#/components/schemas/Choice'}]
",
        );
        assert_eq!(problems, []);
        let TypeKind::Struct { fields, additional } = &def(&defs, "Mixed").kind else {
            panic!("Mixed is not a struct");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(names, ["id", "name"]);
        assert_eq!(*additional, Additional::Keep);
        assert_eq!(alias(&defs, "Scalars"), TypeRef::Named("Choice".into()));
    }

    #[test]
    fn recursive_all_of_terminates() {
        let (defs, problems) = build(
            r"
    SelfRef:
      allOf:
        - {$ref: '#/components/schemas/SelfRef'}
        - {type: object, properties: {x: {type: string}}}
    A:
      allOf:
        - {$ref: '#/components/schemas/B'}
        - {type: object, properties: {a: {type: string}}}
    B:
      allOf:
        - {$ref: '#/components/schemas/A'}
        - {type: object, properties: {b: {type: string}}}
    Tree:
      type: object
      properties:
        child:
          allOf:
            - {$ref: '#/components/schemas/Tree'}
            - {type: object, properties: {extra: {type: string}}}
",
        );
        assert_eq!(problems, []);
        assert_eq!(field(&defs, "SelfRef", "x").ty, TypeRef::String);
        assert_eq!(field(&defs, "A", "b").ty, TypeRef::String);
        assert_eq!(field(&defs, "B", "a").ty, TypeRef::String);
        // The merged child holds `child` again, which is itself: one type, boxed.
        let TypeRef::Named(child) = &field(&defs, "Tree", "child").ty else {
            panic!("child is not named");
        };
        let again = field(&defs, child, "child");
        assert_eq!(again.ty, TypeRef::Named(child.clone()));
        assert!(again.boxed);
    }

    #[test]
    fn a_single_self_reference_is_a_located_cycle() {
        let (_, problems) =
            build("    Loop:\n      allOf: [{$ref: '#/components/schemas/Loop'}]\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].pointer, "/components/schemas/Loop");
    }

    fn string_schema() -> Schema {
        Schema {
            schema_data: SchemaData::default(),
            schema_kind: SchemaKind::Type(Type::String(StringType::default())),
        }
    }

    /// A document whose one component nests `levels` schemas deep, made by `wrap`. It is
    /// leaked: dropping it would recurse as deep as it nests.
    fn deep_document(levels: usize, wrap: impl Fn(Schema) -> Schema) -> &'static OpenAPI {
        let mut schema = string_schema();
        for _ in 0..levels {
            schema = wrap(schema);
        }
        let mut document = OpenAPI::default();
        let mut components = Components::default();
        components
            .schemas
            .insert("Deep".into(), ReferenceOr::Item(schema));
        document.components = Some(components);
        Box::leak(Box::new(document))
    }

    #[test]
    fn very_deep_schemas_are_a_problem_not_a_stack_overflow() {
        let through_properties = deep_document(100_000, |inner| Schema {
            schema_data: SchemaData::default(),
            schema_kind: SchemaKind::Type(Type::Object(ObjectType {
                properties: [("a".to_owned(), ReferenceOr::Item(Box::new(inner)))]
                    .into_iter()
                    .collect(),
                ..ObjectType::default()
            })),
        });
        let through_all_of = deep_document(100_000, |inner| Schema {
            schema_data: SchemaData {
                nullable: true,
                ..SchemaData::default()
            },
            schema_kind: SchemaKind::AllOf {
                all_of: vec![
                    ReferenceOr::Item(inner),
                    ReferenceOr::Item(Schema {
                        schema_data: SchemaData {
                            description: Some("note".into()),
                            ..SchemaData::default()
                        },
                        schema_kind: SchemaKind::Any(Default::default()),
                    }),
                ],
            },
        });
        for document in [through_properties, through_all_of] {
            let (_, problems) = build_document(document);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].message.contains("nest more than"),
                "{problems:?}"
            );
            assert!(problems[0].pointer.starts_with("/components/schemas/Deep/"));
        }
    }

    #[test]
    fn not_is_any_value_and_says_so() {
        let (defs, problems) = build(
            "    NotAString:\n      description: Anything else.\n      not: {type: string}\n",
        );
        assert_eq!(problems, []);
        let def = def(&defs, "NotAString");
        assert_eq!(def.kind, TypeKind::Alias(TypeRef::Any));
        let doc = def.doc.as_deref().unwrap_or_default();
        assert!(
            doc.starts_with("Anything else.") && doc.contains("(`not`)"),
            "{doc}"
        );
    }

    #[test]
    fn loose_schemas_take_their_plain_meaning() {
        let (defs, problems) = build(
            r"
    NoType: {properties: {a: {type: string}}}
    NoItems: {type: array}
    Empty: {type: string, enum: []}
    Mixed: {enum: [a, 1, true]}
    Huge: {type: integer, enum: [1, 18446744073709551615]}
    Wide: {type: integer, format: int32, maximum: 3000000000}
    Narrow: {type: integer, format: int32, maximum: 100}
    Strange: {type: string, format: nonsense}
    Free: {type: object, additionalProperties: true}
    Closed: {type: object, properties: {a: {type: string}}, additionalProperties: false}
    Typed: {type: object, additionalProperties: {type: integer}}
    Holder:
      type: object
      required: [maybe]
      properties:
        maybe: {type: string, enum: [x, null]}
    Clash: {type: string, enum: [a-b, a_b, A B, '', '']}
",
        );
        assert_eq!(problems, []);
        assert!(matches!(def(&defs, "NoType").kind, TypeKind::Struct { .. }));
        assert_eq!(
            alias(&defs, "NoItems"),
            TypeRef::Array(Box::new(TypeRef::Any))
        );
        assert_eq!(alias(&defs, "Empty"), TypeRef::String);
        assert_eq!(alias(&defs, "Mixed"), TypeRef::Any);
        assert_eq!(alias(&defs, "Huge"), TypeRef::I64);
        assert_eq!(alias(&defs, "Wide"), TypeRef::I64);
        assert_eq!(alias(&defs, "Narrow"), TypeRef::I32);
        assert_eq!(alias(&defs, "Strange"), TypeRef::String);
        assert_eq!(alias(&defs, "Free"), TypeRef::Object);
        assert_eq!(alias(&defs, "Typed"), TypeRef::Map(Box::new(TypeRef::I64)));
        assert!(matches!(def(&defs, "Closed").kind, TypeKind::Struct { .. }));
        let maybe = field(&defs, "Holder", "maybe");
        assert!(maybe.nullable);
        let TypeKind::Enum { variants, .. } = &def(&defs, "Clash").kind else {
            panic!("Clash is not an enum");
        };
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["AB", "AB2", "AB3", "Empty"]);
    }

    #[test]
    fn union_variants_of_numbered_components_are_identifiers() {
        let (defs, problems) = build(
            r"
    ConversationParam:
      oneOf:
        - {$ref: '#/components/schemas/ConversationParam-2'}
        - {$ref: '#/components/schemas/ConversationParam-3'}
    ConversationParam-2: {type: object, properties: {a: {type: string}}}
    ConversationParam-3: {type: object, properties: {b: {type: string}}}
",
        );
        assert_eq!(problems, []);
        let TypeKind::Union { variants, .. } = &def(&defs, "ConversationParam").kind else {
            panic!("not a union");
        };
        for variant in variants {
            assert!(naming::is_identifier(&variant.name), "{}", variant.name);
        }
    }
}
