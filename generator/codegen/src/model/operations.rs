//! Paths → [`Operation`]s: parameters, request bodies and what a successful call returns.

use std::collections::HashMap;

use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle,
    ReferenceOr, StatusCode,
};

use super::types::TypeBuilder;
use super::{
    BodyKind, DeclaredError, ErrorStatus, Operation, Param, ParamLocation, ParamStyle, Payload,
    RequestBody, SuccessResponse, SuccessReturn, TypeRef,
};
use crate::diagnostic::{push_pointer, Problem};
use crate::naming::{self, NameAllocator};
use crate::resolve::Resolver;

/// An operation and the problems found while building it (empty when it is sound).
pub type Built = (Operation, Vec<Problem>);

/// Builds every operation of `document`, in document order, each with its own problems so a
/// lenient caller can leave out just the operations it cannot express. Problems that belong
/// to no operation go to `problems`. A duplicate `operationId` is a problem of the later
/// operation; leniently, that operation takes an id derived from its method and path instead.
/// Method names are allocated from `methods` (see [`naming::client_methods`]).
pub fn build<'a>(
    document: &'a OpenAPI,
    resolver: Resolver<'a>,
    types: &mut TypeBuilder<'a>,
    methods: &mut NameAllocator,
    lenient: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Built> {
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut operations = Vec::new();
    for (path, item) in &document.paths.paths {
        let path_pointer = push_pointer("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                problems.push(Problem::new(
                    push_pointer(&path_pointer, "$ref"),
                    "path item references are not supported: write the path item inline",
                ));
                continue;
            }
        };
        for (method, op) in item.iter() {
            let pointer = push_pointer(&path_pointer, method);
            let mut own = Vec::new();
            let mut id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| naming::derived_operation_id(method, path));
            if let Some(first) = ids.get(&id) {
                let duplicate = Problem::new(
                    push_pointer(&pointer, "operationId"),
                    format!("duplicate operationId `{id}` (first used at {first})"),
                );
                if !lenient {
                    problems.push(duplicate);
                    continue;
                }
                let mut derived = naming::derived_operation_id(method, path);
                let mut n = 2;
                while ids.contains_key(&derived) {
                    derived = format!("{}_{n}", naming::derived_operation_id(method, path));
                    n += 1;
                }
                own.push(Problem::new(
                    duplicate.pointer,
                    format!(
                        "{}: this operation is named `{derived}` instead",
                        duplicate.message
                    ),
                ));
                id = derived;
            }
            ids.insert(id.clone(), pointer.clone());
            let context = OperationContext {
                resolver,
                item,
                op,
                path,
                pointer: &pointer,
                type_prefix: naming::operation_prefix(&id),
            };
            let method_name = methods.allocate(&naming::field_name(&id));
            // The renaming note is a warning, not a reason to leave the operation out.
            let renamed = std::mem::take(&mut own);
            let operation = context.build(id, method_name, method, types, &mut own);
            problems.extend(renamed);
            operations.push((operation, own));
        }
    }
    operations
}

struct OperationContext<'a, 'p> {
    resolver: Resolver<'a>,
    item: &'a PathItem,
    op: &'a openapiv3::Operation,
    path: &'p str,
    pointer: &'p str,
    type_prefix: String,
}

impl<'a> OperationContext<'a, '_> {
    fn build(
        &self,
        id: String,
        method_name: String,
        method: &str,
        types: &mut TypeBuilder<'a>,
        problems: &mut Vec<Problem>,
    ) -> Operation {
        let (path_params, params) = self.parameters(types, problems);
        let params_type = (!params.is_empty())
            .then(|| types.allocate_name(&naming::params_type(&self.type_prefix)));
        Operation {
            id,
            method_name,
            http_method: method.to_ascii_uppercase(),
            path: self.path.to_owned(),
            summary: self.op.summary.clone(),
            description: self.op.description.clone(),
            deprecated: self.op.deprecated,
            tag: self.op.tags.first().cloned(),
            path_params,
            params,
            params_type,
            body: self.request_body(types, problems),
            success: self.success(types, problems),
            errors: self.errors(types, problems),
            pagination: None,
            job: None,
            security: None,
        }
    }

    /// Path-level parameters, overridden by operation-level ones of the same name and place.
    fn parameters(
        &self,
        types: &mut TypeBuilder<'a>,
        problems: &mut Vec<Problem>,
    ) -> (Vec<Param>, Vec<Param>) {
        let mut found: Vec<(&'a Parameter, String)> = Vec::new();
        let path_level = self.item.parameters.iter().enumerate().map(|(i, p)| {
            (
                p,
                push_pointer(
                    &push_pointer(&push_pointer("/paths", self.path), "parameters"),
                    &i.to_string(),
                ),
            )
        });
        let op_level = self.op.parameters.iter().enumerate().map(|(i, p)| {
            (
                p,
                push_pointer(&push_pointer(self.pointer, "parameters"), &i.to_string()),
            )
        });
        for (param, pointer) in path_level.chain(op_level) {
            match self.resolver.parameter(param, &pointer) {
                Ok(resolved) => {
                    let data = resolved.item.parameter_data_ref();
                    let same = |(p, _): &(&Parameter, String)| {
                        p.parameter_data_ref().name == data.name
                            && std::mem::discriminant(*p) == std::mem::discriminant(resolved.item)
                    };
                    found.retain(|entry| !same(entry));
                    found.push((resolved.item, pointer));
                }
                Err(problem) => problems.push(problem),
            }
        }

        let mut arg_names = NameAllocator::with_reserved(naming::METHOD_ARGUMENTS);
        let mut field_names = NameAllocator::default();
        let mut path_params = Vec::new();
        let mut params = Vec::new();
        for (parameter, pointer) in found {
            let data = parameter.parameter_data_ref();
            let (location, style) = match parameter {
                Parameter::Path { style, .. } => (
                    ParamLocation::Path,
                    match style {
                        PathStyle::Simple => ParamStyle::Simple,
                        PathStyle::Label => ParamStyle::Label,
                        PathStyle::Matrix => ParamStyle::Matrix,
                    },
                ),
                Parameter::Query { style, .. } => (
                    ParamLocation::Query,
                    match style {
                        QueryStyle::Form => ParamStyle::Form,
                        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                ),
                Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple),
                Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form),
            };
            let explode = data.explode.unwrap_or(style == ParamStyle::Form);
            let hint = naming::member_type(&self.type_prefix, &data.name);
            let (ty, json_content) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => (
                    types.convert_ref(schema, &push_pointer(&pointer, "schema"), &hint, problems),
                    false,
                ),
                // The value is serialised as the media type says; for JSON, its JSON text.
                ParameterSchemaOrContent::Content(content) => match content.first() {
                    Some((media_type, media)) => {
                        let media_pointer =
                            push_pointer(&push_pointer(&pointer, "content"), media_type);
                        let ty = match media.schema.as_ref() {
                            Some(schema) => types.convert_ref(
                                schema,
                                &push_pointer(&media_pointer, "schema"),
                                &hint,
                                problems,
                            ),
                            None => TypeRef::Any,
                        };
                        (ty, is_json(media_type))
                    }
                    None => (TypeRef::String, false),
                },
            };
            let names = if location == ParamLocation::Path {
                &mut arg_names
            } else {
                &mut field_names
            };
            let param = Param {
                wire_name: data.name.clone(),
                name: names.allocate(&naming::field_name(&data.name)),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                explode,
                json_content,
                deprecated: data.deprecated.unwrap_or(false),
                doc: data.description.clone(),
                pointer: pointer.clone(),
            };
            match location {
                ParamLocation::Path => path_params.push(param),
                _ => params.push(param),
            }
        }
        self.order_path_params(&mut path_params, problems);
        (path_params, params)
    }

    /// Sorts path parameters by their place in the template and checks both agree.
    fn order_path_params(&self, path_params: &mut Vec<Param>, problems: &mut Vec<Problem>) {
        let placeholders: Vec<&str> = self
            .path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        for name in &placeholders {
            if !path_params.iter().any(|p| p.wire_name == *name) {
                problems.push(Problem::new(
                    self.pointer,
                    format!(
                        "the path has a `{{{name}}}` placeholder but no path parameter `{name}`"
                    ),
                ));
            }
        }
        path_params.retain(|p| {
            let known = placeholders.contains(&p.wire_name.as_str());
            if !known {
                problems.push(Problem::new(
                    self.pointer,
                    format!(
                        "path parameter `{}` does not appear in the path `{}`",
                        p.wire_name, self.path
                    ),
                ));
            }
            known
        });
        path_params.sort_by_key(|p| placeholders.iter().position(|n| *n == p.wire_name));
    }

    fn request_body(
        &self,
        types: &mut TypeBuilder<'a>,
        problems: &mut Vec<Problem>,
    ) -> Option<RequestBody> {
        let body = self.op.request_body.as_ref()?;
        let pointer = push_pointer(self.pointer, "requestBody");
        let resolved = match self.resolver.request_body(body, &pointer) {
            Ok(resolved) => resolved,
            Err(problem) => {
                problems.push(problem);
                return None;
            }
        };
        let body = resolved.item;
        let content_pointer = push_pointer(&resolved.pointer, "content");
        let Some((media_type, media, kind)) = choose_body_media(&body.content) else {
            problems.push(Problem::new(
                content_pointer,
                "a request body must list at least one media type",
            ));
            return None;
        };
        let hint = naming::body_type(&self.type_prefix);
        let media_pointer = push_pointer(&content_pointer, media_type);
        let ty = match kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                self.media_type(media, &media_pointer, &hint, types, problems)
            }
            // The items of the list, one per line.
            BodyKind::Ndjson => {
                match self.media_type(media, &media_pointer, &hint, types, problems) {
                    TypeRef::Array(item) => *item,
                    other => other,
                }
            }
            BodyKind::Text => TypeRef::String,
            BodyKind::Bytes => TypeRef::Any,
        };
        Some(RequestBody {
            ty,
            kind,
            media_type: media_type
                .split(';')
                .next()
                .unwrap_or(media_type)
                .trim()
                .to_owned(),
            required: body.required,
            doc: body.description.clone(),
            pointer: media_pointer,
        })
    }

    fn media_type(
        &self,
        media: &'a MediaType,
        pointer: &str,
        hint: &str,
        types: &mut TypeBuilder<'a>,
        problems: &mut Vec<Problem>,
    ) -> TypeRef {
        match &media.schema {
            Some(schema) => {
                types.convert_ref(schema, &push_pointer(pointer, "schema"), hint, problems)
            }
            None => TypeRef::Any,
        }
    }

    fn success(&self, types: &mut TypeBuilder<'a>, problems: &mut Vec<Problem>) -> SuccessReturn {
        let responses_pointer = push_pointer(self.pointer, "responses");
        let mut declared: Vec<(Option<u16>, &'a ReferenceOr<openapiv3::Response>, String)> = self
            .op
            .responses
            .responses
            .iter()
            .filter_map(|(status, response)| {
                let code = match status {
                    StatusCode::Code(code) if (200..300).contains(code) => Some(*code),
                    StatusCode::Range(2) => None,
                    _ => return None,
                };
                Some((
                    code,
                    response,
                    push_pointer(&responses_pointer, &status.to_string()),
                ))
            })
            .collect();
        if declared.is_empty() {
            // With no 2xx declared, `default` describes every response, successes included.
            if let Some(default) = &self.op.responses.default {
                declared.push((None, default, push_pointer(&responses_pointer, "default")));
            }
        }
        let several = declared.len() > 1;
        let mut variant_names = NameAllocator::default();
        let mut responses = Vec::with_capacity(declared.len());
        for (status, response, pointer) in declared {
            let resolved = match self.resolver.response(response, &pointer) {
                Ok(resolved) => resolved,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let hint = naming::response_type(&self.type_prefix, status.filter(|_| several));
            let payload = self.payload(resolved.item, &resolved.pointer, &hint, types, problems);
            let variant = match status {
                Some(code) => naming::status_variant(code),
                None => naming::ANY_SUCCESS_VARIANT.to_owned(),
            };
            responses.push(SuccessResponse {
                status,
                variant: variant_names.allocate(&variant),
                payload,
                doc: Some(resolved.item.description.clone()).filter(|d| !d.is_empty()),
            });
        }
        let first = responses
            .first()
            .map(|r| r.payload.clone())
            .unwrap_or(Payload::Empty);
        // One body for several statuses is still several responses when the statuses are
        // named: `200` and `205` with the same body mean different things, and the caller
        // must be able to tell which came. A range or `default` beside them adds nothing to
        // tell apart.
        let named_statuses = responses.iter().filter(|r| r.status.is_some()).count();
        let any_status = responses.iter().any(|r| r.status.is_none());
        if responses.iter().all(|r| r.payload == first) && (named_statuses < 2 || any_status) {
            let statuses = if any_status {
                Vec::new()
            } else {
                responses.iter().filter_map(|r| r.status).collect()
            };
            SuccessReturn::Single {
                statuses,
                payload: first,
            }
        } else {
            SuccessReturn::Several {
                type_name: types.allocate_name(&naming::response_type(&self.type_prefix, None)),
                responses,
            }
        }
    }

    /// Error responses that declare a JSON body, codes first, then ranges, then `default`.
    fn errors(
        &self,
        types: &mut TypeBuilder<'a>,
        problems: &mut Vec<Problem>,
    ) -> Vec<DeclaredError> {
        let responses = &self.op.responses;
        let responses_pointer = push_pointer(self.pointer, "responses");
        let has_success = responses.responses.keys().any(|status| match status {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(range) => *range == 2,
        });
        let mut candidates: Vec<(ErrorStatus, &'a ReferenceOr<openapiv3::Response>, String)> =
            responses
                .responses
                .iter()
                .filter_map(|(status, response)| {
                    let status_kind = match status {
                        StatusCode::Code(code) if !(200..300).contains(code) => {
                            ErrorStatus::Code(*code)
                        }
                        StatusCode::Range(range) if *range != 2 => ErrorStatus::Range(*range),
                        _ => return None,
                    };
                    Some((
                        status_kind,
                        response,
                        push_pointer(&responses_pointer, &status.to_string()),
                    ))
                })
                .collect();
        // `default` describes errors only when a success is declared (otherwise it is the success).
        if let (Some(default), true) = (&responses.default, has_success) {
            candidates.push((
                ErrorStatus::Default,
                default,
                push_pointer(&responses_pointer, "default"),
            ));
        }
        candidates.sort_by_key(|(status, _, _)| *status);
        let mut declared = Vec::new();
        for (status, response, pointer) in candidates {
            let resolved = match self.resolver.response(response, &pointer) {
                Ok(resolved) => resolved,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let Some((media_type, media)) = resolved.item.content.iter().find(|(m, _)| is_json(m))
            else {
                continue;
            };
            let Some(schema) = &media.schema else {
                continue;
            };
            let hint = naming::error_type(&self.type_prefix, status);
            let media_pointer = push_pointer(
                &push_pointer(&push_pointer(&resolved.pointer, "content"), media_type),
                "schema",
            );
            let ty = types.convert_ref(schema, &media_pointer, &hint, problems);
            declared.push(DeclaredError { status, ty });
        }
        declared
    }

    fn payload(
        &self,
        response: &'a openapiv3::Response,
        pointer: &str,
        hint: &str,
        types: &mut TypeBuilder<'a>,
        problems: &mut Vec<Problem>,
    ) -> Payload {
        let content_pointer = push_pointer(pointer, "content");
        if let Some((media_type, media)) = response.content.iter().find(|(m, _)| is_json(m)) {
            let media_pointer = push_pointer(&content_pointer, media_type);
            return Payload::Json(self.media_type(media, &media_pointer, hint, types, problems));
        }
        if let Some((media_type, media)) = response.content.iter().find(|(m, _)| is_ndjson(m)) {
            let media_pointer = push_pointer(&content_pointer, media_type);
            return match self.media_type(media, &media_pointer, hint, types, problems) {
                TypeRef::Array(item) => Payload::Ndjson(*item),
                other => Payload::Ndjson(other),
            };
        }
        match response.content.keys().next() {
            None => Payload::Empty,
            Some(media_type) if media_type.starts_with("text/") => Payload::Text,
            Some(_) => Payload::Bytes,
        }
    }
}

/// The media type a request body is sent as: JSON when offered, then a form, text, bytes.
fn choose_body_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType, BodyKind)> {
    let pick = |wanted: &dyn Fn(&str) -> bool| content.iter().find(|(m, _)| wanted(m));
    if let Some((m, media)) = pick(&is_json) {
        return Some((m, media, BodyKind::Json));
    }
    if let Some((m, media)) = pick(&|m| m.starts_with("application/x-www-form-urlencoded")) {
        return Some((m, media, BodyKind::Form));
    }
    if let Some((m, media)) = pick(&|m| m.starts_with("multipart/form-data")) {
        return Some((m, media, BodyKind::Multipart));
    }
    if let Some((m, media)) = pick(&is_ndjson) {
        return Some((m, media, BodyKind::Ndjson));
    }
    if let Some((m, media)) = pick(&|m| m.starts_with("text/")) {
        return Some((m, media, BodyKind::Text));
    }
    content
        .first()
        .map(|(m, media)| (m, media, BodyKind::Bytes))
}

/// A media type without parameters, lower case: `Application/JSON; charset=x` → `application/json`.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `application/x-ndjson`, `application/ndjson`, `application/jsonl` and the like.
fn is_ndjson(media_type: &str) -> bool {
    let essence = essence(media_type);
    matches!(
        essence.as_str(),
        "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
    )
}

/// `application/json`, `application/problem+json`, `*/*` and the like are read as JSON.
fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_recognised() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
    }
}
