//! `x-clientgen-pagination` on an operation → a [`PaginationDef`]: how to walk its pages.
//!
//! ```yaml
//! x-clientgen-pagination:
//!   style: offset        # offset (also for `skip`), page, next-link or cursor
//!   param: offset        # the query parameter that moves (integer; a string for cursors;
//!                        # none for next-link)
//!   next: next           # next-link and cursor: dot path to the next link or cursor
//!   items: items         # dot path to the array of items in the response
//!   total: total         # optional: dot path to the total count
//!   has-more: has_more  # optional: dot path to the "more pages" flag
//!   start: 0             # optional: the first position (default 0, or 1 for pages)
//! ```
//!
//! Paths are checked against the operation's response type here, so a wrong member name is a
//! located problem, not a compile error in the generated crate.

use openapiv3::OpenAPI;

use super::{Operation, PageStyle, PaginationDef, ParamLocation, PathStep, TypeDef, TypeRef};
use crate::diagnostic::{push_pointer, Problem};
use crate::naming::{self, NameAllocator};

/// The extension's name.
pub const PAGINATION_EXTENSION: &str = "x-clientgen-pagination";

/// Reads the extension of every operation that has one and attaches what it describes; each
/// page stream's method name is allocated from `methods`, after every operation's.
pub fn attach(
    document: &OpenAPI,
    operations: &mut [Operation],
    defs: &[TypeDef],
    methods: &mut NameAllocator,
    problems: &mut Vec<Problem>,
) {
    for (index, value, pointer) in
        super::operation_extensions(document, operations, PAGINATION_EXTENSION)
    {
        match resolve(value, &operations[index], defs, &pointer) {
            Ok(mut def) => {
                def.stream_method = methods.allocate(&def.stream_method);
                operations[index].pagination = Some(def);
            }
            Err(problem) => problems.push(problem),
        }
    }
}

fn resolve(
    value: &serde_json::Value,
    op: &Operation,
    defs: &[TypeDef],
    pointer: &str,
) -> Result<PaginationDef, Problem> {
    const KNOWN: &[&str] = &[
        "style", "param", "items", "total", "has-more", "start", "next",
    ];
    let object = value
        .as_object()
        .ok_or_else(|| Problem::new(pointer, "`x-clientgen-pagination` must be an object"))?;
    if let Some(unknown) = object.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(Problem::new(
            push_pointer(pointer, unknown),
            format!("unknown member `{unknown}` (known: {})", KNOWN.join(", ")),
        ));
    }
    let text = |key: &str| object.get(key).and_then(serde_json::Value::as_str);
    let style = match text("style") {
        Some("offset") | Some("skip") => PageStyle::Offset,
        Some("page") => PageStyle::Page,
        Some("next-link") => PageStyle::NextLink,
        Some("cursor") => PageStyle::Cursor,
        _ => {
            return Err(Problem::new(
                push_pointer(pointer, "style"),
                "`style` must be `offset`, `skip`, `page`, `next-link` or `cursor`",
            ))
        }
    };
    let param = match style {
        PageStyle::NextLink => None,
        _ => {
            let param_name = text("param").ok_or_else(|| {
                Problem::new(
                    pointer,
                    "`param` (the query parameter that moves) is required",
                )
            })?;
            let wanted: &[TypeRef] = match style {
                PageStyle::Cursor => &[TypeRef::String],
                _ => &[TypeRef::I32, TypeRef::I64],
            };
            let kind = if style == PageStyle::Cursor {
                "a string"
            } else {
                "an integer"
            };
            Some(
                op.params
                    .iter()
                    .find(|p| p.wire_name == param_name && p.location == ParamLocation::Query)
                    .filter(|p| wanted.contains(&p.ty))
                    .ok_or_else(|| {
                        Problem::new(
                            push_pointer(pointer, "param"),
                            format!(
                                "`{param_name}` is not {kind} query parameter of this operation"
                            ),
                        )
                    })?,
            )
        }
    };
    let Some(response) = super::json_response(op) else {
        return Err(Problem::new(
            pointer,
            "a paginated operation must have one JSON success response",
        ));
    };
    let walk = |key: &str,
                wanted: &dyn Fn(&TypeRef) -> bool,
                what: &str|
     -> Result<Option<(Vec<PathStep>, TypeRef)>, Problem> {
        let Some(path) = text(key) else {
            return Ok(None);
        };
        let located = |message: String| Problem::new(push_pointer(pointer, key), message);
        let mut steps = Vec::new();
        let mut ty = response.clone();
        for segment in path.split('.') {
            let fields = super::struct_fields(&ty, defs);
            let field = fields
                .and_then(|fields| fields.iter().find(|f| f.wire_name == segment))
                .ok_or_else(|| {
                    located(format!(
                        "the response has no member `{segment}` on the way to `{path}`"
                    ))
                })?;
            steps.push(PathStep {
                field: field.name.clone(),
                optional: field.optional(),
                double: field.double_option(),
            });
            ty = field.ty.clone();
        }
        if !wanted(&ty) {
            return Err(located(format!("`{path}` must lead to {what}")));
        }
        Ok(Some((steps, ty)))
    };
    let (items, item_ty) = walk("items", &|t| matches!(t, TypeRef::Array(_)), "an array")?
        .ok_or_else(|| {
            Problem::new(
                pointer,
                "`items` (the path to the array of items) is required",
            )
        })?;
    let TypeRef::Array(item_ty) = item_ty else {
        return Err(Problem::new(pointer, "`items` must lead to an array"));
    };
    let total = walk(
        "total",
        &|t| matches!(t, TypeRef::I32 | TypeRef::I64),
        "an integer",
    )?
    .map(|(s, _)| s);
    let has_more = walk("has-more", &|t| matches!(t, TypeRef::Bool), "a boolean")?.map(|(s, _)| s);
    let next = walk("next", &|t| matches!(t, TypeRef::String), "a string")?.map(|(s, _)| s);
    if next.is_none() && matches!(style, PageStyle::NextLink | PageStyle::Cursor) {
        return Err(Problem::new(
            pointer,
            "`next` (the path to the next link or cursor) is required for this style",
        ));
    }
    let start = match object.get("start") {
        None => match style {
            PageStyle::Page => 1,
            _ => 0,
        },
        Some(v) => v.as_u64().ok_or_else(|| {
            Problem::new(
                push_pointer(pointer, "start"),
                "`start` must be a non-negative integer",
            )
        })?,
    };
    Ok(PaginationDef {
        stream_method: naming::stream_method(&op.method_name),
        style,
        param: param.map(|p| p.name.clone()),
        param_required: param.is_some_and(|p| p.required),
        param_ty: param.map(|p| p.ty.clone()).unwrap_or(TypeRef::String),
        start,
        items,
        item_ty: *item_ty,
        total,
        has_more,
        next,
        response_ty: response.clone(),
    })
}
