//! `x-clientgen-job` on the operation that creates a long-running job → a [`JobDef`].
//!
//! ```yaml
//! x-clientgen-job:
//!   method: search_events                        # the helper's name
//!   id: uuid                                     # member of the creation response: the job id
//!   status-operation: get_event_search_job       # operationId; its one path parameter is the id
//!   status: status                               # member of the status response
//!   done: [2]                                    # status values meaning "results are ready"
//!   failed: [3, 4]                               # status values meaning "no results will come"
//!   results-operation: get_event_search_job_events  # a paginated operation taking the id
//! ```
//!
//! Any other status is "still running"; the caller's timeout bounds the wait.

use openapiv3::OpenAPI;

use super::{BodyKind, JobDef, Operation, TypeDef, TypeRef};
use crate::diagnostic::{push_pointer, Problem};
use crate::naming::{self, NameAllocator};

/// The extension's name.
pub const JOB_EXTENSION: &str = "x-clientgen-job";

/// Reads the extension of every operation that has one and attaches what it describes; each
/// helper's method name is allocated from `methods`, after every operation's and page stream's.
pub fn attach(
    document: &OpenAPI,
    operations: &mut [Operation],
    defs: &[TypeDef],
    methods: &mut NameAllocator,
    problems: &mut Vec<Problem>,
) {
    for (index, value, pointer) in super::operation_extensions(document, operations, JOB_EXTENSION)
    {
        match resolve(value, &operations[index], operations, defs, &pointer) {
            Ok(mut def) => {
                def.method_name = methods.allocate(&def.method_name);
                operations[index].job = Some(def);
            }
            Err(problem) => problems.push(problem),
        }
    }
}

fn resolve(
    value: &serde_json::Value,
    create: &Operation,
    operations: &[Operation],
    defs: &[TypeDef],
    pointer: &str,
) -> Result<JobDef, Problem> {
    const KNOWN: &[&str] = &[
        "method",
        "id",
        "status-operation",
        "status",
        "done",
        "failed",
        "results-operation",
    ];
    let at = |key: &str| push_pointer(pointer, key);
    let object = value
        .as_object()
        .ok_or_else(|| Problem::new(pointer, "`x-clientgen-job` must be an object"))?;
    if let Some(unknown) = object.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(Problem::new(
            at(unknown),
            format!("unknown member `{unknown}` (known: {})", KNOWN.join(", ")),
        ));
    }
    let text = |key: &str| {
        object
            .get(key)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                Problem::new(at(key), format!("`{key}` is required and must be a string"))
            })
    };
    let values = |key: &str| -> Result<Vec<serde_json::Value>, Problem> {
        match object.get(key) {
            Some(serde_json::Value::Array(list))
                if list.iter().all(|v| v.is_string() || v.is_number()) =>
            {
                Ok(list.clone())
            }
            None if key == "failed" => Ok(Vec::new()),
            _ => Err(Problem::new(
                at(key),
                format!("`{key}` must be a list of status values"),
            )),
        }
    };
    if !create.path_params.is_empty() || create.params_type.is_some() {
        return Err(Problem::new(
            pointer,
            "the operation creating a job must take only a body",
        ));
    }
    let body = create
        .body
        .as_ref()
        .filter(|b| b.kind == BodyKind::Json && b.required)
        .ok_or_else(|| {
            Problem::new(
                pointer,
                "the operation creating a job must take a required JSON body",
            )
        })?;
    let id_name = text("id")?;
    let id = super::json_response(create)
        .and_then(|ty| super::struct_fields(ty, defs))
        .and_then(|fields| {
            fields
                .iter()
                .find(|f| f.wire_name == id_name && !f.optional())
        })
        .ok_or_else(|| {
            Problem::new(
                at("id"),
                format!("the creation response has no required member `{id_name}`"),
            )
        })?;
    let find_op = |key: &str| -> Result<&Operation, Problem> {
        let wanted = text(key)?;
        let op = operations
            .iter()
            .find(|o| o.id == wanted)
            .ok_or_else(|| Problem::new(at(key), format!("no operation `{wanted}`")))?;
        match op.path_params.as_slice() {
            [only] if only.ty == TypeRef::String => Ok(op),
            _ => Err(Problem::new(
                at(key),
                format!("`{wanted}` must take exactly one string path parameter: the job id"),
            )),
        }
    };
    let status_op = find_op("status-operation")?;
    if status_op.params_type.is_some() {
        return Err(Problem::new(
            at("status-operation"),
            "the status operation must take no query parameters",
        ));
    }
    let status_name = text("status")?;
    let status = super::json_response(status_op)
        .and_then(|ty| super::struct_fields(ty, defs))
        .and_then(|fields| fields.iter().find(|f| f.wire_name == status_name))
        .ok_or_else(|| {
            Problem::new(
                at("status"),
                format!("the status response has no member `{status_name}`"),
            )
        })?;
    let results_op = find_op("results-operation")?;
    let pagination = results_op.pagination.as_ref().ok_or_else(|| {
        Problem::new(
            at("results-operation"),
            "the results operation must declare `x-clientgen-pagination`",
        )
    })?;
    Ok(JobDef {
        method_name: naming::field_name(text("method")?),
        id_field: id.name.clone(),
        status_method: status_op.method_name.clone(),
        status_field: status.name.clone(),
        done: values("done")?,
        failed: values("failed")?,
        results_stream: pagination.stream_method.clone(),
        results_params_type: results_op.params_type.clone(),
        item_ty: pagination.item_ty.clone(),
        body_ty: body.ty.clone(),
    })
}
