//! `src/operations.rs`: the parameter struct and, where needed, the response enum of each
//! operation.
//!
//! Query and header parameters travel in one struct per operation, so adding an optional
//! parameter to the spec never changes a method's signature. A struct whose parameters are
//! all optional implements `Default`; one with required parameters has a `new` taking them.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, rust_type};
use crate::model::features::Features;
use crate::model::{Operation, Param, Payload, SuccessReturn};

/// The contents of `src/operations.rs`.
pub fn emit(operations: &[Operation], features: &Features) -> TokenStream {
    let types = quote!(crate::types::);
    let items = operations.iter().map(|op| {
        let cfg = super::cfg_any(features.of_operation(&op.id).map(str::to_owned).as_ref());
        let params = op
            .params_type
            .as_deref()
            .map(|name| params_struct(op, name, &types, &cfg));
        let responses = match &op.success {
            SuccessReturn::Several {
                type_name,
                responses,
            } => {
                let name = ident(type_name);
                let variants = responses.iter().map(|r| {
                    let variant = ident(&r.variant);
                    let status = match r.status {
                        Some(code) => format!("Status {code}."),
                        None => "Any other success status.".to_owned(),
                    };
                    let docs = doc::attrs([Some(status.as_str()), r.doc.as_deref()]);
                    match payload_type(&r.payload, &types) {
                        Some(ty) => quote!(#docs #variant(#ty),),
                        None => quote!(#docs #variant,),
                    }
                });
                let method = &op.method_name;
                let summary = doc::text(&format!(
                    "The successful responses of [`Client::{method}`](crate::Client::{method})."
                ));
                Some(quote! {
                    #summary
                    #cfg
                    #[derive(Debug, Clone, PartialEq)]
                    pub enum #name {
                        #(#variants)*
                    }
                })
            }
            SuccessReturn::Single { .. } => None,
        };
        quote!(#params #responses)
    });
    quote! {
        //! Parameters and responses of individual operations.
        #(#items)*
    }
}

/// The Rust type a payload decodes to, or `None` for an empty body.
pub fn payload_type(payload: &Payload, types: &TokenStream) -> Option<TokenStream> {
    match payload {
        Payload::Empty => None,
        Payload::Json(ty) => Some(rust_type(ty, types)),
        Payload::Text => Some(quote!(String)),
        Payload::Ndjson(ty) => {
            let ty = rust_type(ty, types);
            Some(quote!(Vec<#ty>))
        }
        Payload::Bytes => Some(quote!(clientgen_runtime::Bytes)),
    }
}

fn param_type(param: &Param, types: &TokenStream) -> TokenStream {
    let ty = rust_type(&param.ty, types);
    if param.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn params_struct(
    op: &Operation,
    name: &str,
    types: &TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(name);
    let method = &op.method_name;
    let summary = doc::text(&format!(
        "Query and header parameters of [`Client::{method}`](crate::Client::{method})."
    ));
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.name);
        let ty = param_type(p, types);
        let wire = format!("Sent as `{}`.", p.wire_name);
        let deprecated = p.deprecated.then_some("**Deprecated** by the API.");
        let docs = doc::attrs([p.doc.as_deref(), Some(wire.as_str()), deprecated]);
        quote!(#docs pub #field: #ty,)
    });
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let derive_default = required.is_empty().then(|| quote!(Default,));
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|p| {
            let n = ident(&p.name);
            let ty = rust_type(&p.ty, types);
            quote!(#n: #ty)
        });
        let inits = op.params.iter().map(|p| {
            let n = ident(&p.name);
            if p.required {
                quote!(#n)
            } else {
                quote!(#n: None)
            }
        });
        quote! {
            #cfg
            impl #name {
                /// Creates the parameters from the required ones; the others start empty.
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        }
    });
    quote! {
        #summary
        #cfg
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #name {
            #(#fields)*
        }
        #constructor
    }
}
