//! Which error bodies a method declares to the runtime (typed errors for responses that are
//! not a success), and the `# Errors` section of its rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::rust_type;
use crate::model::{ErrorStatus, Operation, Payload, SuccessReturn, TypeRef};

/// The error bodies `op` declares, as `declared_error` calls on its request: statuses with
/// the same body share one call per span, touching codes and ranges merged so that `4XX` and
/// `5XX` read `400..=599`; a `default` body comes last and holds every other status.
pub(super) fn declared_errors(op: &Operation) -> Vec<TokenStream> {
    let types = quote!(crate::types::);
    let mut groups: Vec<(&TypeRef, Vec<(u16, u16)>)> = Vec::new();
    let mut default = None;
    for declared in &op.errors {
        let span = match declared.status {
            ErrorStatus::Code(code) => (code, code),
            ErrorStatus::Range(digit) => (digit * 100, digit * 100 + 99),
            ErrorStatus::Default => {
                default = Some(&declared.ty);
                continue;
            }
        };
        match groups.last_mut() {
            Some((ty, spans)) if *ty == &declared.ty => spans.push(span),
            _ => groups.push((&declared.ty, vec![span])),
        }
    }
    let mut calls = Vec::new();
    for (ty, mut spans) in groups {
        spans.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::new();
        for (low, high) in spans {
            match merged.last_mut() {
                Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
                _ => merged.push((low, high)),
            }
        }
        let ty = rust_type(ty, &types);
        for (low, high) in merged {
            let low = proc_macro2::Literal::u16_unsuffixed(low);
            let high = proc_macro2::Literal::u16_unsuffixed(high);
            calls.push(quote!(.declared_error::<#ty>(#low..=#high)));
        }
    }
    if let Some(ty) = default {
        let ty = rust_type(ty, &types);
        calls.push(quote!(.declared_error_otherwise::<#ty>()));
    }
    calls
}

/// The `# Errors` section of an operation's rustdoc: which statuses are successes, which error
/// bodies are declared and where to read them, and the other ways the call can fail.
pub(super) fn errors_doc(op: &Operation) -> String {
    let statuses: Vec<u16> = match &op.success {
        SuccessReturn::Single { statuses, .. } => statuses.clone(),
        SuccessReturn::Several { responses, .. } => {
            responses.iter().filter_map(|r| r.status).collect()
        }
    };
    let success = if statuses.is_empty() {
        "a status that is not a success (2xx)".to_owned()
    } else {
        let list: Vec<String> = statuses.iter().map(u16::to_string).collect();
        format!("any status but {}", list.join(", "))
    };
    let mut lines = vec![
        "# Errors".to_owned(),
        String::new(),
        format!("- `Error::Status` when the server answers {success}."),
    ];
    // Statuses that share a body type are named together, in declaration order.
    let mut by_type: Vec<(String, Vec<String>)> = Vec::new();
    for declared in &op.errors {
        let status = match declared.status {
            ErrorStatus::Code(code) => format!("{code}"),
            ErrorStatus::Range(hundreds) => format!("{hundreds}XX"),
            ErrorStatus::Default => "any other status".to_owned(),
        };
        let ty = match &declared.ty {
            TypeRef::Named(name) => format!("types::{name}"),
            other => crate::surface::rust_type(other),
        };
        match by_type.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, statuses)) => statuses.push(status),
            None => by_type.push((ty, vec![status])),
        }
    }
    for (ty, statuses) in by_type {
        let statuses = match statuses.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => continue,
        };
        lines.push(format!(
            "  For {statuses} the body is decoded as `{ty}`: `StatusError::declared::<{ty}>()` returns it."
        ));
    }
    let decodes = |payload: &Payload| matches!(payload, Payload::Json(_) | Payload::Ndjson(_));
    let any_decoded = match &op.success {
        SuccessReturn::Single { payload, .. } => decodes(payload),
        SuccessReturn::Several { responses, .. } => responses.iter().any(|r| decodes(&r.payload)),
    };
    if any_decoded {
        lines.push(
            "- `Error::Decode` when a success body does not match its declared type.".to_owned(),
        );
    }
    if !op.path_params.is_empty() {
        lines.push(
            "- `Error::InvalidParameter` before sending, when a path parameter is empty, `.` or `..`."
                .to_owned(),
        );
    }
    if op
        .security
        .as_ref()
        .is_none_or(|accepted| !accepted.is_empty())
    {
        lines.push(
            "- `Error::Auth` when the client's credentials cannot be obtained or are not accepted here."
                .to_owned(),
        );
    }
    lines.push(
        "- `Error::Transport`, `Error::Timeout`, `Error::Deadline`, `Error::Redirect` and \
         `Error::ResponseTooLarge` when the exchange itself fails."
            .to_owned(),
    );
    lines.join("\n")
}
