//! One method per operation: its rustdoc, its arguments (path parameters, the parameter
//! struct, the body), the request it builds, the error bodies it declares and what it receives
//! on success. It returns the runtime's `Call`, a future: awaiting it sends the request.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use super::errors::{declared_errors, errors_doc};
use super::params::{multipart_parts, param_call, path_arg_type, path_param_call};
use crate::emit::operations::payload_type;
use crate::emit::{doc, ident, rust_type};
use crate::model::types::param_types;
use crate::model::{ApiModel, BodyKind, Operation, Payload, SuccessReturn, TypeDef};

/// What method bodies need to know about the model's types.
pub(super) struct Context<'m> {
    pub(super) defs: HashMap<&'m str, &'m TypeDef>,
    pub(super) param_types: BTreeSet<String>,
}

impl<'m> Context<'m> {
    pub(super) fn new(model: &'m ApiModel) -> Self {
        Context {
            defs: model.types.iter().map(|d| (d.name.as_str(), d)).collect(),
            param_types: param_types(&model.types),
        }
    }
}

/// Code that turns a successful `response` into `Result<payload, Error>`, each value passed
/// through `wrap` (a variant of the answer's enum).
fn decode(payload: &Payload, wrap: &TokenStream) -> TokenStream {
    match payload {
        Payload::Empty => quote!(Ok(#wrap)),
        Payload::Json(_) => quote!(response.json().map(#wrap)),
        Payload::Text => quote!(Ok(#wrap(response.text()))),
        Payload::Ndjson(_) => quote!(response.ndjson().map(#wrap)),
        Payload::Bytes => quote!(Ok(#wrap(response.body().clone()))),
    }
}

/// The method of `op`.
pub(super) fn operation_method(op: &Operation, context: &Context<'_>) -> TokenStream {
    let types = quote!(crate::types::);
    let method = ident(&op.method_name);
    let http_method = ident(&op.http_method);
    let id = op.id.as_str();
    let path = op.path.as_str();
    let signature_line = format!("`{} {}` (operation `{}`).", op.http_method, op.path, op.id);
    let deprecated_note = op.deprecated.then_some("**Deprecated** by the API.");
    let security_note = op.security.as_ref().map(|accepted| match accepted.as_slice() {
        [] => "Public: sent without credentials.".to_owned(),
        keys => format!(
            "Accepts only the security scheme(s) {}: a client built with other credentials gets `Error::Auth` without sending anything.",
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    });
    let errors_section = errors_doc(op);
    let docs = doc::attrs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(signature_line.as_str()),
        deprecated_note,
        security_note.as_deref(),
        Some(errors_section.as_str()),
    ]);

    let mut args = Vec::new();
    let mut calls = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.name);
        let ty = path_arg_type(&param.ty);
        args.push(quote!(#name: #ty));
        calls.push(path_param_call(param, context));
    }
    if let Some(accepted) = &op.security {
        calls.push(quote!(.security(&[#(#accepted),*])));
    }
    if let Some(params_type) = &op.params_type {
        let ty = ident(params_type);
        args.push(quote!(params: &crate::operations::#ty));
        calls.extend(op.params.iter().map(|p| param_call(p, context)));
    }
    if let Some(body) = &op.body {
        let media_type = body.media_type.as_str();
        let (ty, call, call_opt) = match body.kind {
            BodyKind::Json => (
                rust_type(&body.ty, &types),
                quote!(.json(body)),
                quote!(.json_opt(body)),
            ),
            BodyKind::Form => (
                rust_type(&body.ty, &types),
                quote!(.form(body)),
                quote!(.form_opt(body)),
            ),
            BodyKind::Text => (
                quote!(str),
                quote!(.text(#media_type, body)),
                quote!(.text_opt(#media_type, body)),
            ),
            BodyKind::Bytes => (
                quote!([u8]),
                quote!(.bytes(#media_type, body)),
                quote!(.bytes_opt(#media_type, body)),
            ),
            BodyKind::Multipart => {
                let parts = multipart_parts(&body.ty, context);
                let call = quote!(.multipart(clientgen_runtime::Multipart::new() #(#parts)*));
                (rust_type(&body.ty, &types), call.clone(), call)
            }
            BodyKind::Ndjson => {
                let item = rust_type(&body.ty, &types);
                let call = quote!(.ndjson(#media_type, body));
                (quote!([#item]), call.clone(), call)
            }
        };
        // A multipart or NDJSON body is always taken (an empty one when the spec makes it
        // optional): its encoding has no "absent" form.
        let required = body.required || matches!(body.kind, BodyKind::Multipart | BodyKind::Ndjson);
        if required {
            args.push(quote!(body: &#ty));
            calls.push(call);
        } else {
            args.push(quote!(body: Option<&#ty>));
            calls.push(call_opt);
        }
    }

    calls.extend(declared_errors(op));

    let buffered_type =
        |payload: &Payload| payload_type(payload, &types).unwrap_or_else(|| quote!(()));
    // A lone success answering a file or NDJSON is streamed, not buffered: the caller reads
    // it at its own pace and memory stays flat whatever its length.
    let (return_type, receive) = match &op.success {
        SuccessReturn::Single { payload, .. } => match payload {
            Payload::Ndjson(item) => {
                let item = rust_type(item, &types);
                (
                    quote!(clientgen_runtime::NdjsonStream<#item>),
                    quote!(receive_ndjson_stream()),
                )
            }
            Payload::Bytes => (
                quote!(clientgen_runtime::ByteStream),
                quote!(receive_stream()),
            ),
            Payload::Json(_) => (buffered_type(payload), quote!(receive_json())),
            Payload::Text => (buffered_type(payload), quote!(receive_text())),
            Payload::Empty => (buffered_type(payload), quote!(receive_empty())),
        },
        SuccessReturn::Several {
            type_name,
            responses,
        } => {
            let enum_name = ident(type_name);
            let mut arms = Vec::new();
            let mut fallback = None;
            for r in responses {
                let variant = ident(&r.variant);
                let value = decode(&r.payload, &quote!(crate::operations::#enum_name::#variant));
                match r.status {
                    Some(code) => {
                        let code = proc_macro2::Literal::u16_unsuffixed(code);
                        arms.push(quote!(#code => Some(#value),));
                    }
                    None => fallback = Some(quote!(200..=299 => Some(#value),)),
                }
            }
            (
                quote!(crate::operations::#enum_name),
                quote! {
                    receive(|response| match response.status().as_u16() {
                        #(#arms)*
                        #fallback
                        _ => None,
                    })
                },
            )
        }
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // `#[inline]` keeps the method out of the crate's own code generation: a caller's build
    // compiles the methods it calls (with their decoders) and no others, as it did when they
    // were `async fn`s whose bodies only their callers compiled. Without it, a debug build
    // of the nexus crate takes twice the time.
    quote! {
        #docs
        #deprecated
        #[inline]
        pub fn #method(&self, #(#args),*) -> clientgen_runtime::Call<'_, #return_type> {
            self.transport
                .request(clientgen_runtime::reqwest::Method::#http_method, #id, #path)
                #(#calls)*
                .#receive
        }
    }
}
