//! Stage 3: the model → the files of a client crate.
//!
//! Rust sources are built as token streams with `quote` and formatted by [`crate::format`];
//! `Cargo.toml` and `README.md` are plain text. Each module owns one output:
//! [`types`] (`src/types.rs`), [`operations`] (`src/operations.rs`: per-operation parameter
//! and response types), [`client`] (`src/client.rs`), [`fake`] (`src/fake.rs`, the typed
//! fake of the `fake` feature), [`manifest`] (`Cargo.toml`, `README.md` and `src/lib.rs`).
//! [`doc`] turns spec prose into rustdoc that neither warns nor runs.

pub mod client;
pub mod doc;
pub mod fake;
pub mod manifest;
pub mod operations;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::TypeRef;

/// An identifier from a name the model already made valid (raw identifiers keep `r#`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for `ty`; named types are written as `#types_path::Name`.
pub fn rust_type(ty: &TypeRef, types_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#types_path #name)
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Ipv4 => quote!(std::net::Ipv4Addr),
        TypeRef::Ipv6 => quote!(std::net::Ipv6Addr),
        TypeRef::Ip => quote!(std::net::IpAddr),
        TypeRef::Binary => quote!(clientgen_runtime::FilePart),
        TypeRef::Array(item) => {
            let item = rust_type(item, types_path);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, types_path);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Object => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// Whether any of `types` needs the `chrono` or `uuid` crate.
pub fn uses(ty: &TypeRef, wanted: &dyn Fn(&TypeRef) -> bool) -> bool {
    wanted(ty)
        || match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => uses(inner, wanted),
            _ => false,
        }
}

/// `#[cfg(...)]` building an item when any of `features` is on; nothing for an item always
/// built.
pub fn cfg_any<'f>(features: impl IntoIterator<Item = &'f String>) -> TokenStream {
    cfg(quote!(any), features)
}

/// `#[cfg(...)]` building an item only when all of `features` are on.
pub fn cfg_all<'f>(features: impl IntoIterator<Item = &'f String>) -> TokenStream {
    cfg(quote!(all), features)
}

/// `#[cfg(feature = …)]` for one feature, `#[cfg(<combine>(feature = …, …))]` for several.
fn cfg<'f>(combine: TokenStream, features: impl IntoIterator<Item = &'f String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(#combine(#(feature = #many),*))]),
    }
}
