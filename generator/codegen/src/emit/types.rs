//! `src/types.rs`: one Rust item per [`TypeDef`], built to survive a changing server.
//!
//! - structs keep every member the spec does not list in `additional_properties`, so
//!   decode → encode returns what the server sent;
//! - enums are `#[non_exhaustive]` and carry an `Unknown` variant that keeps new values
//!   verbatim; serialisation writes back exactly the wire value;
//! - unions try each alternative in order and keep anything else as `Other(Value)`.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeSet;

use super::{doc, ident, rust_type};
use crate::model::types::{param_types, ADDITIONAL_FIELD};
use crate::model::{
    Additional, Discriminator, EnumRepr, EnumValue, EnumVariant, Field, TypeDef, TypeKind,
    UnionVariant,
};

/// How the types are emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeOptions {
    /// Keep unknown members in `additional_properties` (the default, and what every generated
    /// crate uses). Without it unknown members are skipped: benchmarks measure the difference.
    pub capture_unknown: bool,
}

impl Default for TypeOptions {
    fn default() -> Self {
        TypeOptions {
            capture_unknown: true,
        }
    }
}

/// The contents of `src/types.rs`, with `options`.
pub fn emit_with(defs: &[TypeDef], options: TypeOptions) -> TokenStream {
    let param_types = param_types(defs);
    let prelude = prelude();
    let items = items(defs, &param_types, options);
    quote! {
        #prelude
        #items
    }
}

/// What `src/types.rs` starts with, before its items.
pub fn prelude() -> TokenStream {
    quote! {
        //! Data types of the API, one per schema of the spec.
    }
}

/// The items for `defs`, a slice of a crate's types; `param_types` is
/// [`param_types`] of all of them. `src/types.rs` is [`prelude`] followed by the items of
/// every type in order, so it can be emitted (and formatted) a slice at a time.
pub fn items(
    defs: &[TypeDef],
    param_types: &BTreeSet<String>,
    options: TypeOptions,
) -> TokenStream {
    let items = defs.iter().map(|def| emit_def(def, param_types, options));
    quote!(#(#items)*)
}

fn emit_def(def: &TypeDef, param_types: &BTreeSet<String>, options: TypeOptions) -> TokenStream {
    let docs = doc::attrs([def.doc.as_deref()]);
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            emit_struct(&name, fields, additional, options.capture_unknown)
        }
        TypeKind::Enum { repr, variants } => emit_enum(&name, *repr, variants),
        TypeKind::Union {
            variants,
            discriminator,
        } => emit_union(
            &name,
            variants,
            discriminator.as_ref(),
            param_types.contains(&def.name),
        ),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, &TokenStream::new());
            quote!(pub type #name = #ty;)
        }
    };
    quote! {
        #docs
        #deprecated
        #body
    }
}

/// The field's full Rust type: boxed when recursive, optional when not required or nullable.
fn field_type(field: &Field) -> TokenStream {
    let inner = rust_type(&field.ty, &TokenStream::new());
    let inner = if field.boxed {
        quote!(Box<#inner>)
    } else {
        inner
    };
    if field.double_option() {
        quote!(Option<Option<#inner>>)
    } else if field.optional() {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

fn emit_struct(
    name: &proc_macro2::Ident,
    fields: &[Field],
    additional: &Additional,
    capture: bool,
) -> TokenStream {
    let all_optional = fields.iter().all(Field::optional);
    let derive_default = all_optional.then(|| quote!(Default,));
    let members = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(field);
        let docs = doc::attrs([field.doc.as_deref()]);
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        let wire = &field.wire_name;
        let rename =
            (crate::naming::bare(&field.name) != wire).then(|| quote!(#[serde(rename = #wire)]));
        // Decoding is the hand-rolled impl below; these attributes only shape encoding.
        let optional =
            (!field.required).then(|| quote!(#[serde(skip_serializing_if = "Option::is_none")]));
        quote! {
            #docs
            #deprecated
            #rename
            #optional
            pub #field_name: #ty,
        }
    });
    let additional_name = ident(ADDITIONAL_FIELD);
    let additional_ty = match additional {
        Additional::Keep => quote!(clientgen_runtime::Unknown),
        Additional::Typed(ty) => {
            let ty = rust_type(ty, &TokenStream::new());
            quote!(std::collections::BTreeMap<String, #ty>)
        }
    };
    let deserialize = struct_deserialize(name, fields, additional, capture);
    let additional_init = capture.then(|| quote!(#additional_name: Default::default(),));
    let constructor = (!all_optional).then(|| {
        let required: Vec<&Field> = fields.iter().filter(|f| !f.optional()).collect();
        let args = required.iter().map(|f| {
            let n = ident(&f.name);
            let ty = rust_type(&f.ty, &TokenStream::new());
            quote!(#n: #ty)
        });
        let inits = fields.iter().map(|f| {
            let n = ident(&f.name);
            match (f.optional(), f.boxed) {
                (true, _) => quote!(#n: None),
                (false, true) => quote!(#n: Box::new(#n)),
                (false, false) => quote!(#n),
            }
        });
        quote! {
            impl #name {
                /// Creates a value from its required members; the others start empty.
                pub fn new(#(#args),*) -> Self {
                    Self {
                        #(#inits,)*
                        #additional_init
                    }
                }
            }
        }
    });
    let additional_member = capture.then(|| {
        quote! {
            /// Members the spec does not describe, kept as received so that nothing is lost
            /// when the value is sent back.
            #[serde(flatten)]
            pub #additional_name: #additional_ty,
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize)]
        pub struct #name {
            #(#members)*
            #additional_member
        }
        #constructor
        #deserialize
    }
}

/// A `Deserialize` impl that decodes known members in place and collects the others, in one
/// pass: `#[serde(flatten)]` would buffer every object first, which costs several times more.
fn struct_deserialize(
    name: &proc_macro2::Ident,
    fields: &[Field],
    additional: &Additional,
    capture: bool,
) -> TokenStream {
    let locals: Vec<proc_macro2::Ident> = (0..fields.len())
        .map(|i| quote::format_ident!("field_{}", i))
        .collect();
    // A double option is its own slot: a present `null` becomes `Some(None)`.
    let declarations = fields.iter().zip(&locals).map(|(field, local)| {
        let ty = field_type(field);
        if field.double_option() {
            quote!(let mut #local: #ty = None;)
        } else {
            quote!(let mut #local: Option<#ty> = None;)
        }
    });
    let arms = fields.iter().zip(&locals).map(|(field, local)| {
        let wire = field.wire_name.as_str();
        quote!(#wire => key.read_once(&mut #local, &mut map)?,)
    });
    let inits = fields.iter().zip(&locals).map(|(field, local)| {
        let field_name = ident(&field.name);
        if field.double_option() {
            quote!(#field_name: #local,)
        } else if field.optional() {
            quote!(#field_name: #local.unwrap_or_default(),)
        } else {
            let wire = field.wire_name.as_str();
            quote!(#field_name: #local.ok_or_else(|| clientgen_runtime::de::missing(#wire))?,)
        }
    });
    let additional_name = ident(ADDITIONAL_FIELD);
    let (additional_new, store) = match additional {
        Additional::Keep => (
            quote!(clientgen_runtime::Unknown::new()),
            quote!(push_raw(
                &key.0,
                &map.next_value::<Box<serde_json::value::RawValue>>()?
            )),
        ),
        Additional::Typed(_) => (
            quote!(std::collections::BTreeMap::new()),
            quote!(insert(key.into_string(), map.next_value()?)),
        ),
    };
    let (additional_declaration, unknown_arm, additional_init) = if capture {
        (
            Some(quote!(let mut #additional_name = #additional_new;)),
            quote!(#additional_name.#store;),
            Some(quote!(#additional_name,)),
        )
    } else {
        (
            None,
            quote!(map.next_value::<serde::de::IgnoredAny>()?;),
            None,
        )
    };
    let expecting = format!("a {name} object");
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Members;
                impl<'de> serde::de::Visitor<'de> for Members {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#declarations)*
                        #additional_declaration
                        while let Some(key) = map.next_key::<clientgen_runtime::de::Key<'de>>()? {
                            match &*key.0 {
                                #(#arms)*
                                _ => {
                                    #unknown_arm
                                }
                            }
                        }
                        Ok(#name {
                            #(#inits)*
                            #additional_init
                        })
                    }
                }
                deserializer.deserialize_map(Members)
            }
        }
    }
}

fn emit_enum(name: &proc_macro2::Ident, repr: EnumRepr, variants: &[EnumVariant]) -> TokenStream {
    let declarations = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = match &v.value {
            EnumValue::String(s) => format!("`{s}`"),
            EnumValue::Integer(n) => format!("`{n}`"),
        };
        let docs = doc::attrs([v.doc.as_deref(), Some(&*format!("Wire value: {wire}."))]);
        quote!(#docs #variant,)
    });
    let (unknown_ty, value_ty, as_fn, serialize, deserialize, from_ty) = match repr {
        EnumRepr::String => (
            quote!(String),
            quote!(&str),
            quote!(as_str),
            quote!(serializer.serialize_str(self.as_str())),
            quote!(clientgen_runtime::enums::deserialize_str(deserializer)),
            quote!(&str),
        ),
        EnumRepr::Integer => (
            quote!(i64),
            quote!(i64),
            quote!(as_i64),
            quote!(serializer.serialize_i64(self.as_i64())),
            quote!(clientgen_runtime::enums::deserialize_int(deserializer)),
            quote!(i64),
        ),
    };
    let wire_literal = |value: &EnumValue| match value {
        EnumValue::String(s) => quote!(#s),
        EnumValue::Integer(n) => {
            let lit = proc_macro2::Literal::i64_unsuffixed(*n);
            quote!(#lit)
        }
    };
    let to_wire = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = wire_literal(&v.value);
        quote!(Self::#variant => #value,)
    });
    let from_wire = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = wire_literal(&v.value);
        quote!(#value => Self::#variant,)
    });
    let (unknown_arm, unknown_from) = match repr {
        EnumRepr::String => (
            quote!(Self::Unknown(value) => value,),
            quote!(other => Self::Unknown(other.to_owned()),),
        ),
        EnumRepr::Integer => (
            quote!(Self::Unknown(value) => *value,),
            quote!(other => Self::Unknown(other),),
        ),
    };
    let display = match repr {
        EnumRepr::String => quote!(f.write_str(self.as_str())),
        EnumRepr::Integer => quote!(write!(f, "{}", self.as_i64())),
    };
    let to_param = match repr {
        EnumRepr::String => quote!(self.as_str().to_owned()),
        EnumRepr::Integer => quote!(self.as_i64().to_string()),
    };
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value this client did not know when it was generated, kept exactly as sent.
            Unknown(#unknown_ty),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn #as_fn(&self) -> #value_ty {
                match self {
                    #(#to_wire)*
                    #unknown_arm
                }
            }
        }

        impl From<#from_ty> for #name {
            fn from(value: #from_ty) -> Self {
                match value {
                    #(#from_wire)*
                    #unknown_from
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        impl clientgen_runtime::ToParam for #name {
            fn to_param(&self) -> String {
                #to_param
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize
            }
        }
    }
}

fn emit_union(
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    discriminator: Option<&Discriminator>,
    is_param: bool,
) -> TokenStream {
    let declarations = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = rust_type(&v.ty, &TokenStream::new());
        let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
        quote!(#variant(#ty),)
    });
    let to_param = is_param.then(|| {
        let arms = variants.iter().map(|v| {
            let variant = ident(&v.name);
            quote!(Self::#variant(value) => value.to_param(),)
        });
        quote! {
            impl clientgen_runtime::ToParam for #name {
                fn to_param(&self) -> String {
                    match self {
                        #(#arms)*
                        Self::Other(serde_json::Value::String(value)) => value.clone(),
                        Self::Other(value) => value.to_string(),
                    }
                }
            }
        }
    });
    let deserialize = match discriminator {
        None => untagged_deserialize(name, variants),
        Some(d) => tagged_deserialize(name, variants, d),
    };
    quote! {
        #to_param
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#declarations)*
            /// A value matching none of the alternatives above, kept as received.
            Other(serde_json::Value),
        }
        #deserialize
    }
}

/// Decoding without a tag: the value is read once, then each alternative is tried in order
/// against it; what none accepts is kept in `Other`. (serde's own untagged decoding buffers
/// into a form that cannot carry the raw JSON that unknown members are kept as.)
fn untagged_deserialize(name: &proc_macro2::Ident, variants: &[UnionVariant]) -> TokenStream {
    let attempts = variants.iter().map(|variant| {
        let ident = ident(&variant.name);
        let wrap = if variant.boxed {
            quote!(Self::#ident(Box::new(v)))
        } else {
            quote!(Self::#ident(v))
        };
        quote! {
            if let Ok(v) = serde::Deserialize::deserialize(&value) {
                return Ok(#wrap);
            }
        }
    });
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #(#attempts)*
                Ok(Self::Other(value))
            }
        }
    }
}

/// Decoding by the discriminator: a known tag must decode as its variant; an unknown tag (or
/// none) keeps the value in `Other`.
fn tagged_deserialize(
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    discriminator: &Discriminator,
) -> TokenStream {
    let property = discriminator.property.as_str();
    let arms = discriminator.mapping.iter().filter_map(|(tag, variant_name)| {
        let variant = variants.iter().find(|v| &v.name == variant_name)?;
        let ident = ident(&variant.name);
        let wrap = if variant.boxed {
            quote!(|v| Self::#ident(Box::new(v)))
        } else {
            quote!(Self::#ident)
        };
        Some(quote! {
            Some(#tag) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),
        })
    });
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get(#property)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::Other(value)),
                }
            }
        }
    }
}
