//! A generated crate's public Rust API, as data: the operations (methods, their parameters,
//! bodies and return types) and the types (struct members, enum values, union variants), each
//! with the Rust type it has in the crate. Semver is judged on it ([`crate::changes`]).
//!
//! Every generated crate carries its surface as `api-surface.json`, written with the code, so
//! that the next regeneration can tell what changed for the crate's users without reading any
//! Rust and without the old spec.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    Additional, ApiModel, BodyKind, EnumValue, Operation, ParamLocation, Payload, SuccessReturn,
    TypeKind, TypeRef,
};

/// The name of the file that holds a crate's surface.
pub(crate) const FILE: &str = "api-surface.json";

/// The public API of one generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surface {
    /// The package name.
    #[serde(rename = "crate")]
    pub krate: String,
    /// The package version the surface was generated for.
    pub version: String,
    /// Client methods, by name.
    pub operations: BTreeMap<String, OperationSurface>,
    /// Named types, by name.
    pub types: BTreeMap<String, TypeSurface>,
}

/// One client method.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSurface {
    /// `METHOD /path` it sends.
    pub request: String,
    /// Path parameters, in argument order: name and Rust type.
    pub path_params: Vec<(String, String)>,
    /// The other parameters (fields of its parameter struct), by Rust name.
    pub params: BTreeMap<String, ParamSurface>,
    /// The request body.
    pub body: Option<BodySurface>,
    /// What a successful call returns (a Rust type).
    pub returns: String,
    /// When it returns an enum of several responses: variant → payload.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, String>,
    /// It has a `*_stream` method walking its pages.
    pub paginated: bool,
    /// The job helper it has, if any.
    pub job: Option<String>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSurface {
    /// Its Rust type, without the `Option` of an optional parameter.
    pub ty: String,
    /// Required (a plain field, and an argument of the struct's `new`).
    pub required: bool,
    /// Where it is sent.
    pub location: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodySurface {
    /// Its Rust type.
    pub ty: String,
    /// Required.
    pub required: bool,
}

/// One named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TypeSurface {
    /// A struct: its members, by Rust name.
    Struct {
        /// Members.
        members: BTreeMap<String, MemberSurface>,
    },
    /// An enum of wire values (`#[non_exhaustive]`, with a variant that keeps unknown ones).
    Enum {
        /// The wire values, as text.
        values: Vec<String>,
    },
    /// A union of shapes: variant → Rust type.
    Union {
        /// Variants.
        variants: BTreeMap<String, String>,
    },
    /// `pub type Name = Target;`.
    Alias {
        /// The target type.
        target: String,
    },
}

impl TypeSurface {
    /// What kind of type it is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeSurface::Struct { .. } => "struct",
            TypeSurface::Enum { .. } => "enum",
            TypeSurface::Union { .. } => "union",
            TypeSurface::Alias { .. } => "alias",
        }
    }
}

/// One struct member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSurface {
    /// Its Rust type, without the outer `Option` of an optional member.
    pub ty: String,
    /// An `Option` (not required, or nullable).
    pub optional: bool,
}

impl Surface {
    /// The surface of the crate `krate` at `version` made from `model`.
    pub fn of(model: &ApiModel, krate: &str, version: &str) -> Self {
        let operations = model
            .operations
            .iter()
            .map(|op| (op.method_name.clone(), operation(op)))
            .collect();
        let types = model
            .types
            .iter()
            .map(|t| {
                let surface = match &t.kind {
                    TypeKind::Struct { fields, additional } => {
                        let mut members: BTreeMap<String, MemberSurface> = fields
                            .iter()
                            .map(|f| {
                                let ty = rust_type(&f.ty);
                                let ty = if f.boxed { format!("Box<{ty}>") } else { ty };
                                let ty = if f.double_option() {
                                    format!("Option<{ty}>")
                                } else {
                                    ty
                                };
                                (
                                    f.name.clone(),
                                    MemberSurface {
                                        ty,
                                        optional: f.optional(),
                                    },
                                )
                            })
                            .collect();
                        if let Additional::Typed(ty) = additional {
                            members.insert(
                                "additional_properties".to_owned(),
                                MemberSurface {
                                    ty: format!("BTreeMap<String, {}>", rust_type(ty)),
                                    optional: false,
                                },
                            );
                        }
                        TypeSurface::Struct { members }
                    }
                    TypeKind::Enum { variants, .. } => TypeSurface::Enum {
                        values: variants
                            .iter()
                            .map(|v| match &v.value {
                                EnumValue::String(s) => s.clone(),
                                EnumValue::Integer(i) => i.to_string(),
                            })
                            .collect(),
                    },
                    TypeKind::Union { variants, .. } => TypeSurface::Union {
                        variants: variants
                            .iter()
                            .map(|v| {
                                let ty = rust_type(&v.ty);
                                let ty = if v.boxed { format!("Box<{ty}>") } else { ty };
                                (v.name.clone(), ty)
                            })
                            .collect(),
                    },
                    TypeKind::Alias(target) => TypeSurface::Alias {
                        target: rust_type(target),
                    },
                };
                (t.name.clone(), surface)
            })
            .collect();
        Surface {
            krate: krate.to_owned(),
            version: version.to_owned(),
            operations,
            types,
        }
    }

    /// The surface as the JSON text of `api-surface.json` (stable order, trailing newline).
    pub(crate) fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn operation(op: &Operation) -> OperationSurface {
    let location = |l: ParamLocation| match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let (returns, responses) = match &op.success {
        SuccessReturn::Single { payload, .. } => (payload_type(payload), BTreeMap::new()),
        SuccessReturn::Several {
            type_name,
            responses,
        } => (
            type_name.clone(),
            responses
                .iter()
                .map(|r| (r.variant.clone(), payload_type(&r.payload)))
                .collect(),
        ),
    };
    OperationSurface {
        request: format!("{} {}", op.http_method, op.path),
        path_params: op
            .path_params
            .iter()
            .map(|p| (p.name.clone(), rust_type(&p.ty)))
            .collect(),
        params: op
            .params
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    ParamSurface {
                        ty: rust_type(&p.ty),
                        required: p.required,
                        location: location(p.location).to_owned(),
                    },
                )
            })
            .collect(),
        body: op.body.as_ref().map(|b| BodySurface {
            ty: match b.kind {
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart => rust_type(&b.ty),
                BodyKind::Ndjson => format!("[{}]", rust_type(&b.ty)),
                BodyKind::Text => "String".to_owned(),
                BodyKind::Bytes => "Bytes".to_owned(),
            },
            required: b.required,
        }),
        returns,
        responses,
        paginated: op.pagination.is_some(),
        job: op.job.as_ref().map(|j| j.method_name.clone()),
    }
}

fn payload_type(payload: &Payload) -> String {
    match payload {
        Payload::Empty => "()".to_owned(),
        Payload::Json(ty) => rust_type(ty),
        Payload::Text => "String".to_owned(),
        Payload::Ndjson(ty) => format!("NdjsonStream<{}>", rust_type(ty)),
        Payload::Bytes => "ByteStream".to_owned(),
    }
}

/// The Rust type a [`TypeRef`] becomes, written the short way.
pub(crate) fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Ipv4 => "Ipv4Addr".into(),
        TypeRef::Ipv6 => "Ipv6Addr".into(),
        TypeRef::Ip => "IpAddr".into(),
        TypeRef::Binary => "FilePart".into(),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", rust_type(value)),
        TypeRef::Object => "Map<String, Value>".into(),
        TypeRef::Any => "Value".into(),
    }
}
