//! The helper of an operation that declares `x-clientgen-job`: create the job, poll it until
//! it ends, then stream its results.

use proc_macro2::TokenStream;

use crate::emit::doc;
use quote::quote;

use crate::emit::{ident, rust_type};
use crate::model::{JobDef, Operation};

/// A JSON value from the spec as an expression building the same `serde_json::Value`.
fn json_value(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::String(s) => quote!(serde_json::Value::from(#s)),
        serde_json::Value::Number(n) if n.is_i64() => {
            let n = n.as_i64().unwrap_or_default();
            quote!(serde_json::Value::from(#n))
        }
        serde_json::Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            quote!(serde_json::Value::from(#n))
        }
        other => {
            let text = other.to_string();
            quote!(serde_json::from_str::<serde_json::Value>(#text).unwrap_or_default())
        }
    }
}

/// The job helper: create the job, wait for it, then stream its results.
pub(super) fn job_method(op: &Operation, job: &JobDef) -> TokenStream {
    let types = quote!(crate::types::);
    let helper = ident(&job.method_name);
    let create = ident(&op.method_name);
    let id_field = ident(&job.id_field);
    let status_method = ident(&job.status_method);
    let status_field = ident(&job.status_field);
    let results = ident(&job.results_stream);
    let body_ty = rust_type(&job.body_ty, &types);
    let item = rust_type(&job.item_ty, &types);
    let operation = op.id.as_str();
    let done_count = job.done.len();
    let failed_count = job.failed.len();
    let done = job.done.iter().map(json_value);
    let failed = job.failed.iter().map(json_value);
    let (params_arg, params_pass) = match &job.results_params_type {
        Some(name) => {
            let name = ident(name);
            (quote!(params: &crate::operations::#name,), quote!(params,))
        }
        None => (quote!(), quote!()),
    };
    let docs = doc::text(&format!(
        "Runs [`Self::{}`], waits for the job by polling [`Self::{}`] (intervals growing as `options` says), then streams its results with [`Self::{}`]. A failed or cancelled job, or one still running after `options.timeout`, is [`Error::Job`].",
        op.method_name, job.status_method, job.results_stream
    ));
    quote! {
        #docs
        pub async fn #helper<'a>(
            &'a self,
            body: &#body_ty,
            #params_arg
            max_items: Option<usize>,
            options: clientgen_runtime::jobs::JobOptions,
        ) -> Result<impl clientgen_runtime::futures::Stream<Item = Result<#item, Error>> + 'a, Error> {
            let created = self.#create(body).await?;
            let id = clientgen_runtime::ToParam::to_param(&created.#id_field);
            let done: [serde_json::Value; #done_count] = [#(#done),*];
            let failed: [serde_json::Value; #failed_count] = [#(#failed),*];
            clientgen_runtime::jobs::wait(#operation, options, || {
                let id = id.clone();
                let (done, failed) = (&done, &failed);
                async move {
                    let job = self.#status_method(&id).await?;
                    let status = serde_json::to_value(&job.#status_field).unwrap_or_default();
                    let shown = format!("{:?}", job.#status_field);
                    Ok(if done.contains(&status) {
                        clientgen_runtime::jobs::JobState::Done
                    } else if failed.contains(&status) {
                        clientgen_runtime::jobs::JobState::Failed(shown)
                    } else {
                        clientgen_runtime::jobs::JobState::Running(shown)
                    })
                }
            })
            .await?;
            Ok(self.#results(&id, #params_pass max_items))
        }
    }
}
