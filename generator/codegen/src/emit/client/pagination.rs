//! `<method>_stream`: the page stream of an operation that declares `x-clientgen-pagination`.

use proc_macro2::TokenStream;

use crate::emit::doc;
use quote::quote;

use super::errors::declared_errors;
use super::params::{path_arg_is_reference, path_arg_type};
use crate::emit::{ident, rust_type};
use crate::model::{Operation, PageStyle, PaginationDef, PathStep, TypeRef};

/// Reads a value at `steps` in `page` by reference: `Option<&T>`.
fn path_by_ref(steps: &[PathStep]) -> TokenStream {
    steps.iter().fold(quote!(Some(&page)), |acc, step| {
        let field = ident(&step.field);
        if step.double {
            quote!(#acc.and_then(|v| v.#field.as_ref()).and_then(|v| v.as_ref()))
        } else if step.optional {
            quote!(#acc.and_then(|v| v.#field.as_ref()))
        } else {
            quote!(#acc.map(|v| &v.#field))
        }
    })
}

/// Moves the value at `steps` out of `page`: `Option<T>`.
fn path_by_value(steps: &[PathStep]) -> TokenStream {
    steps.iter().fold(quote!(Some(page)), |acc, step| {
        let field = ident(&step.field);
        if step.double {
            quote!(#acc.and_then(|v| v.#field.flatten()))
        } else if step.optional {
            quote!(#acc.and_then(|v| v.#field))
        } else {
            quote!(#acc.map(|v| v.#field))
        }
    })
}

/// `<method>_stream`: every item of every page, fetched as the stream is read.
pub(super) fn stream_method(op: &Operation, pagination: &PaginationDef) -> TokenStream {
    let types = quote!(crate::types::);
    let method = ident(&op.method_name);
    let stream = ident(&pagination.stream_method);
    let id = op.id.as_str();
    let item = rust_type(&pagination.item_ty, &types);
    let start = pagination.start;
    // Path arguments are copied into the stream, so it borrows only the client.
    let mut args = Vec::new();
    let mut owned = Vec::new();
    let mut per_page = Vec::new();
    let mut call_args = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.name);
        let ty = path_arg_type(&param.ty);
        args.push(quote!(#name: #ty));
        if path_arg_is_reference(&param.ty) {
            owned.push(quote!(let #name = #name.to_owned();));
            per_page.push(quote!(let #name = #name.clone();));
            call_args.push(quote!(&#name));
        } else {
            call_args.push(quote!(#name));
        }
    }
    let position = match pagination.style {
        PageStyle::Offset => quote!(clientgen_runtime::pagination::Position::Offset(#start)),
        PageStyle::Page => quote!(clientgen_runtime::pagination::Position::Page(#start)),
        PageStyle::NextLink => quote!(clientgen_runtime::pagination::Position::First),
        PageStyle::Cursor => {
            quote!(clientgen_runtime::pagination::Position::Cursor(
                String::new()
            ))
        }
    };
    let assign = match (&pagination.param, pagination.style) {
        (Some(field), PageStyle::Cursor) => {
            let field = ident(field);
            let value = if pagination.param_required {
                quote!(cursor.clone())
            } else {
                quote!(Some(cursor.clone()))
            };
            quote! {
                if let clientgen_runtime::pagination::Position::Cursor(cursor) = &position {
                    if !cursor.is_empty() {
                        params.#field = #value;
                    }
                }
            }
        }
        (Some(field), _) => {
            let field = ident(field);
            let converted = match pagination.param_ty {
                TypeRef::I32 => quote!(i32::try_from(position.value()).unwrap_or(i32::MAX)),
                _ => quote!(i64::try_from(position.value()).unwrap_or(i64::MAX)),
            };
            if pagination.param_required {
                quote!(params.#field = #converted;)
            } else {
                quote!(params.#field = Some(#converted);)
            }
        }
        (None, _) => quote!(),
    };
    // Next links carry their own query, so their params never change.
    let bind_params = if pagination.param.is_some() {
        quote!(let mut params = params.clone();)
    } else {
        quote!(let params = params.clone();)
    };
    let next = match &pagination.next {
        Some(steps) => {
            let read = path_by_ref(steps);
            quote!(#read.cloned())
        }
        None => quote!(None),
    };
    let total = match &pagination.total {
        Some(steps) => {
            let read = path_by_ref(steps);
            quote!(#read.and_then(|t| u64::try_from(*t).ok()))
        }
        None => quote!(None),
    };
    let has_more = match &pagination.has_more {
        Some(steps) => {
            let read = path_by_ref(steps);
            quote!(#read.copied())
        }
        None => quote!(None),
    };
    let items = path_by_value(&pagination.items);
    let response_ty = rust_type(&pagination.response_ty, &types);
    let declared_errors = declared_errors(op);
    let fetch = match pagination.style {
        // Later pages are the links the server gave, followed as given on the same origin; their
        // error bodies are the operation's.
        PageStyle::NextLink => quote! {
            let page: #response_ty = match position {
                clientgen_runtime::pagination::Position::Link(link) => {
                    self.transport
                        .follow(#id, &link)
                        #(#declared_errors)*
                        .receive_json()
                        .await?
                }
                _ => self.#method(#(#call_args,)* &params).await?,
            };
        },
        _ => quote! {
            let page = self.#method(#(#call_args,)* &params).await?;
        },
    };
    let params_type = op.params_type.as_deref().map(ident);
    let docs = doc::text(&format!(
        "Every item of [`Self::{}`], page after page: pages are fetched as the stream is read and one page is held at a time. Ends on an empty page, when the total is reached or the server says there are no more; `max_items` stops it early without fetching further pages. A page repeating the previous one ends it with [`Error::Pagination`]; an error fetching a page is yielded and ends it. Set the page size with the parameters.",
        op.method_name
    ));
    quote! {
        #docs
        pub fn #stream<'a>(
            &'a self,
            #(#args,)*
            params: &crate::operations::#params_type,
            max_items: Option<usize>,
        ) -> impl clientgen_runtime::futures::Stream<Item = Result<#item, Error>> + 'a {
            let params = params.clone();
            #(#owned)*
            clientgen_runtime::pagination::items(#id, #position, max_items, move |position| {
                #bind_params
                #assign
                #(#per_page)*
                async move {
                    #fetch
                    let total = #total;
                    let has_more = #has_more;
                    let next = #next;
                    let items = #items.unwrap_or_default();
                    Ok(clientgen_runtime::pagination::Page { items, total, has_more, next })
                }
            })
        }
    }
}
