//! How a method's arguments go into the request: path placeholders, query, header and cookie
//! parameters (the `ToParam` fast path or a styled call), and the parts of a multipart body.

use proc_macro2::TokenStream;
use quote::quote;

use super::methods::Context;
use crate::emit::{ident, rust_type};
use crate::model::dedup;
use crate::model::types::{is_param, ADDITIONAL_FIELD};
use crate::model::{Additional, Param, ParamLocation, ParamStyle, TypeKind, TypeRef};

/// The calls that put each member of a multipart body struct into a part.
pub(super) fn multipart_parts(body_ty: &TypeRef, context: &Context<'_>) -> Vec<TokenStream> {
    let additional = ident(ADDITIONAL_FIELD);
    let fields = match body_ty {
        TypeRef::Named(name) => match dedup::definition(&context.defs, name).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, additional }) => Some((fields, additional)),
            _ => None,
        },
        _ => None,
    };
    let Some((fields, extra)) = fields else {
        // A free-form object: every member is a part.
        return vec![quote!(.extra(body))];
    };
    let mut calls: Vec<TokenStream> = fields
        .iter()
        .map(|field| {
            let wire = field.wire_name.as_str();
            let name = ident(&field.name);
            let present = if field.double_option() {
                quote!(body.#name.as_ref().and_then(Option::as_ref))
            } else {
                quote!(body.#name.as_ref())
            };
            let optional = field.optional() && !field.boxed;
            match (&field.ty, optional) {
                (TypeRef::Binary, false) => quote!(.file(#wire, &body.#name)),
                (TypeRef::Binary, true) => quote!(.file_opt(#wire, #present)),
                (TypeRef::Array(item), _) if is_param(item, &context.param_types) => {
                    if field.double_option() {
                        quote!(.text_each(#wire, #present.map(Vec::as_slice).unwrap_or_default()))
                    } else if field.optional() {
                        quote!(.text_each(#wire, body.#name.as_deref().unwrap_or_default()))
                    } else {
                        quote!(.text_each(#wire, &body.#name))
                    }
                }
                (ty, false) if is_param(ty, &context.param_types) && !field.boxed => {
                    quote!(.text(#wire, &body.#name))
                }
                (ty, true) if is_param(ty, &context.param_types) => {
                    quote!(.text_opt(#wire, #present))
                }
                (_, false) => quote!(.json(#wire, &body.#name)),
                (_, true) => quote!(.json_opt(#wire, #present)),
            }
        })
        .collect();
    if matches!(extra, Additional::Keep) {
        calls.push(quote!(.unknown(&body.#additional)));
    }
    calls
}

/// How a path argument is taken: strings by `&str`, lists by slice, other named types by
/// reference, the remaining scalars by value.
pub(super) fn path_arg_type(ty: &TypeRef) -> TokenStream {
    let types = quote!(crate::types::);
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Array(item) => {
            let item = rust_type(item, &types);
            quote!(&[#item])
        }
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Object | TypeRef::Any => {
            let ty = rust_type(ty, &types);
            quote!(&#ty)
        }
        other => rust_type(other, &types),
    }
}

/// Whether [`path_arg_type`] takes `ty` by reference (and a page stream must copy it).
pub(super) fn path_arg_is_reference(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::Named(_)
            | TypeRef::Array(_)
            | TypeRef::Map(_)
            | TypeRef::Object
            | TypeRef::Any
    )
}

/// The runtime's name for where a parameter goes.
fn param_in(location: ParamLocation) -> TokenStream {
    match location {
        ParamLocation::Path => quote!(clientgen_runtime::param::ParamIn::Path),
        ParamLocation::Query => quote!(clientgen_runtime::param::ParamIn::Query),
        ParamLocation::Header => quote!(clientgen_runtime::param::ParamIn::Header),
        ParamLocation::Cookie => quote!(clientgen_runtime::param::ParamIn::Cookie),
    }
}

/// The runtime's name for how a parameter is serialised.
fn param_style(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Form => quote!(clientgen_runtime::param::ParamStyle::Form),
        ParamStyle::Simple => quote!(clientgen_runtime::param::ParamStyle::Simple),
        ParamStyle::Label => quote!(clientgen_runtime::param::ParamStyle::Label),
        ParamStyle::Matrix => quote!(clientgen_runtime::param::ParamStyle::Matrix),
        ParamStyle::SpaceDelimited => quote!(clientgen_runtime::param::ParamStyle::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(clientgen_runtime::param::ParamStyle::PipeDelimited),
        ParamStyle::DeepObject => quote!(clientgen_runtime::param::ParamStyle::DeepObject),
    }
}

/// The runtime call for a parameter that the `ToParam` fast path does not cover: any
/// style, any shape (through `serde`), or a JSON `content` parameter. `value` is a reference
/// for required parameters and an `Option` of one for optional parameters.
fn styled_param_call(param: &Param, value: TokenStream, required: bool) -> TokenStream {
    let wire = param.wire_name.as_str();
    let at = param_in(param.location);
    if param.json_content {
        return if required {
            quote!(.json_param(#at, #wire, #value))
        } else {
            quote!(.json_param_opt(#at, #wire, #value))
        };
    }
    let style = param_style(param.style);
    let explode = param.explode;
    if required {
        quote!(.param(#at, #wire, #style, #explode, #value))
    } else {
        quote!(.param_opt(#at, #wire, #style, #explode, #value))
    }
}

/// The call that fills a path placeholder from the argument of the same name.
pub(super) fn path_param_call(param: &Param, context: &Context<'_>) -> TokenStream {
    let name = ident(&param.name);
    let wire = param.wire_name.as_str();
    let value = if path_arg_is_reference(&param.ty) {
        quote!(#name)
    } else {
        quote!(&#name)
    };
    let scalar = is_param(&param.ty, &context.param_types);
    if !param.json_content && param.style == ParamStyle::Simple && scalar {
        quote!(.path_param(#wire, #value))
    } else {
        styled_param_call(param, value, true)
    }
}

/// The call that puts a query, header or cookie parameter from the `params` struct into the
/// request.
pub(super) fn param_call(param: &Param, context: &Context<'_>) -> TokenStream {
    let wire = param.wire_name.as_str();
    let field = ident(&param.name);
    let value = quote!(params.#field);
    let scalar = is_param(&param.ty, &context.param_types);
    let scalar_items =
        matches!(&param.ty, TypeRef::Array(item) if is_param(item, &context.param_types));
    let fast = !param.json_content
        && match param.location {
            ParamLocation::Header => scalar,
            ParamLocation::Query => param.style == ParamStyle::Form && (scalar || scalar_items),
            ParamLocation::Path | ParamLocation::Cookie => false,
        };
    if !fast {
        return if param.required {
            styled_param_call(param, quote!(&#value), true)
        } else {
            styled_param_call(param, quote!(#value.as_ref()), false)
        };
    }
    match (param.location, &param.ty, param.required) {
        (ParamLocation::Header, _, true) => {
            let header = wire.to_ascii_lowercase();
            quote!(.header(#header, &#value))
        }
        (ParamLocation::Header, _, false) => {
            let header = wire.to_ascii_lowercase();
            quote!(.header_opt(#header, #value.as_ref()))
        }
        (_, TypeRef::Array(_), required) => {
            let verb = if param.explode {
                quote!(query_each)
            } else {
                quote!(query_joined)
            };
            if required {
                quote!(.#verb(#wire, &#value))
            } else {
                quote!(.#verb(#wire, #value.as_deref().unwrap_or_default()))
            }
        }
        (_, _, true) => quote!(.query(#wire, &#value)),
        (_, _, false) => quote!(.query_opt(#wire, #value.as_ref())),
    }
}
