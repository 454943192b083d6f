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
use crate::model::features::Features;
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

/// The contents of `src/types.rs`, with `options`, in a crate with tag `features`.
pub fn emit_with(defs: &[TypeDef], options: TypeOptions, features: &Features) -> TokenStream {
    let param_types = param_types(defs);
    let prelude = prelude();
    let items = items(defs, &param_types, options, features);
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
/// every type in order, so it can be emitted (and formatted) a slice at a time. A type that
/// only some tag features need is built only with them (`features`).
pub fn items(
    defs: &[TypeDef],
    param_types: &BTreeSet<String>,
    options: TypeOptions,
    features: &Features,
) -> TokenStream {
    let items = defs.iter().map(|def| {
        let cfg = features
            .of_type(&def.name)
            .map(super::cfg_any)
            .unwrap_or_default();
        emit_def(def, param_types, options, &cfg)
    });
    quote!(#(#items)*)
}

/// The items of one type; `cfg` (empty or one `#[cfg]`) goes on each of them.
fn emit_def(
    def: &TypeDef,
    param_types: &BTreeSet<String>,
    options: TypeOptions,
    cfg: &TokenStream,
) -> TokenStream {
    let docs = doc::attrs([def.doc.as_deref()]);
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    let attrs = quote!(#docs #deprecated #cfg);
    match &def.kind {
        TypeKind::Struct { fields, additional } => emit_struct(
            &name,
            &attrs,
            cfg,
            fields,
            additional,
            options.capture_unknown,
        ),
        TypeKind::Enum { repr, variants } => emit_enum(&name, &attrs, cfg, *repr, variants),
        TypeKind::Union {
            variants,
            discriminator,
        } => emit_union(
            &name,
            &attrs,
            cfg,
            variants,
            discriminator.as_ref(),
            param_types.contains(&def.name),
        ),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, &TokenStream::new());
            quote!(#attrs pub type #name = #ty;)
        }
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
    attrs: &TokenStream,
    cfg: &TokenStream,
    fields: &[Field],
    additional: &Additional,
    capture: bool,
) -> TokenStream {
    let all_optional = fields.iter().all(Field::optional);
    let derive_default = all_optional.then(|| quote!(, Default));
    let members = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(field);
        let docs = doc::attrs([field.doc.as_deref()]);
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
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
    let serialize = struct_serialize(name, cfg, fields, capture);
    let deserialize = struct_deserialize(name, cfg, fields, additional, capture);
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
            #cfg
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
            pub #additional_name: #additional_ty,
        }
    });
    quote! {
        #attrs
        #[derive(Debug, Clone, PartialEq #derive_default)]
        pub struct #name {
            #(#members)*
            #additional_member
        }
        #constructor
        #serialize
        #deserialize
    }
}

/// A `Serialize` impl writing one object: the declared members in order (an absent optional
/// member left out), then the kept ones. One chained call per member through
/// `clientgen_runtime::ser::Object`, which is lighter to compile than serde's derive with
/// `skip_serializing_if` and `flatten` and writes the same JSON.
fn struct_serialize(
    name: &proc_macro2::Ident,
    cfg: &TokenStream,
    fields: &[Field],
    capture: bool,
) -> TokenStream {
    let members = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let wire = field.wire_name.as_str();
        if field.required {
            quote!(.member(#wire, &self.#field_name))
        } else {
            quote!(.optional(#wire, &self.#field_name))
        }
    });
    let additional_name = ident(ADDITIONAL_FIELD);
    let end = if capture {
        quote!(.end(&self.#additional_name))
    } else {
        quote!(.finish())
    };
    quote! {
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                clientgen_runtime::ser::Object::new(serializer)
                    #(#members)*
                    #end
            }
        }
    }
}

/// A `Deserialize` impl that decodes known members in place and collects the others, in one
/// pass: `#[serde(flatten)]` would buffer every object first, which costs several times more.
/// The visitor, duplicate checks and unknown-member capture are `clientgen_runtime::de`'s; the
/// struct only names its members: a local per member (named after it), an arm per member
/// name, and the value built from them.
fn struct_deserialize(
    name: &proc_macro2::Ident,
    cfg: &TokenStream,
    fields: &[Field],
    additional: &Additional,
    capture: bool,
) -> TokenStream {
    // The loop's own names must not be taken by a member's local.
    let taken: BTreeSet<&str> = fields
        .iter()
        .map(|f| crate::naming::bare(&f.name))
        .collect();
    let unused = |base: &str| {
        let mut candidate = base.to_owned();
        while taken.contains(candidate.as_str()) {
            candidate.push('_');
        }
        quote::format_ident!("{}", candidate)
    };
    let members = unused("members");
    let key = unused("key");
    let locals: Vec<proc_macro2::Ident> = fields.iter().map(|f| ident(&f.name)).collect();
    let declarations = locals.iter().map(|local| quote!(let mut #local = None;));
    let arms = fields.iter().zip(&locals).map(|(field, local)| {
        let wire = field.wire_name.as_str();
        quote!(#wire => #members.read(&#key, &mut #local),)
    });
    // A double option is its own slot: a present `null` becomes `Some(None)`.
    let inits = fields.iter().zip(&locals).map(|(field, local)| {
        if field.double_option() {
            quote!(#local,)
        } else if field.optional() {
            quote!(#local: #local.unwrap_or_default(),)
        } else {
            let wire = field.wire_name.as_str();
            quote!(#local: clientgen_runtime::de::required(#local, #wire)?,)
        }
    });
    let additional_name = ident(ADDITIONAL_FIELD);
    let (additional_declaration, unknown, additional_init) = match (capture, additional) {
        (false, _) => (None, quote!(#members.skip()), None),
        (true, Additional::Keep) => (
            None,
            quote!(#members.keep(#key)),
            Some(quote!(#additional_name: #members.unknown(),)),
        ),
        (true, Additional::Typed(_)) => (
            Some(quote!(let mut #additional_name = std::collections::BTreeMap::new();)),
            quote!(#members.keep_typed(#key, &mut #additional_name)),
            Some(quote!(#additional_name,)),
        ),
    };
    let each_member = if fields.is_empty() {
        quote!(#unknown?;)
    } else {
        quote! {
            match #key.as_str() {
                #(#arms)*
                _ => #unknown,
            }?;
        }
    };
    // With nothing to keep and nothing declared, the key itself goes unused.
    let key_binding = if fields.is_empty() && !capture {
        quote!(_)
    } else {
        quote!(#key)
    };
    let expecting = format!("{} object", crate::naming::with_article(&name.to_string()));
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                clientgen_runtime::de::object(deserializer)
            }
        }

        #cfg
        impl<'de> clientgen_runtime::de::Object<'de> for #name {
            const EXPECTING: &'static str = #expecting;

            fn read<A: serde::de::MapAccess<'de>>(
                #members: &mut clientgen_runtime::de::Members<'de, A>,
            ) -> Result<Self, A::Error> {
                #(#declarations)*
                #additional_declaration
                while let Some(#key_binding) = #members.next_key()? {
                    #each_member
                }
                Ok(Self {
                    #(#inits)*
                    #additional_init
                })
            }
        }
    }
}

fn emit_enum(
    name: &proc_macro2::Ident,
    attrs: &TokenStream,
    cfg: &TokenStream,
    repr: EnumRepr,
    variants: &[EnumVariant],
) -> TokenStream {
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
        #attrs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value this client did not know when it was generated, kept exactly as sent.
            Unknown(#unknown_ty),
        }

        #cfg
        impl #name {
            /// The value as sent on the wire.
            pub fn #as_fn(&self) -> #value_ty {
                match self {
                    #(#to_wire)*
                    #unknown_arm
                }
            }
        }

        #cfg
        impl From<#from_ty> for #name {
            fn from(value: #from_ty) -> Self {
                match value {
                    #(#from_wire)*
                    #unknown_from
                }
            }
        }

        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        #cfg
        impl clientgen_runtime::ToParam for #name {
            fn to_param(&self) -> String {
                #to_param
            }
        }

        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize
            }
        }
    }
}

fn emit_union(
    name: &proc_macro2::Ident,
    attrs: &TokenStream,
    cfg: &TokenStream,
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
            #cfg
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
        #attrs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#declarations)*
            /// A value matching none of the alternatives above, kept as received.
            Other(serde_json::Value),
        }
        #cfg
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
