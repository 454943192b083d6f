//! Stage 2: the intermediate model, everything the emitter needs and nothing about OpenAPI.
//!
//! [`build`] turns a parsed [`Spec`] into an [`ApiModel`]: named types
//! ([`TypeDef`]), operations ([`Operation`]) and credentials ([`AuthScheme`]). All names in the
//! model are final Rust identifiers (decided by `crate::naming`); all `$ref`s are resolved.
//! The emitter reads the model and never looks at the spec again.
//!
//! Who decides what:
//! - `types`: schemas → [`TypeDef`]s and [`TypeRef`]s (the type mapping);
//! - `operations`: paths → [`Operation`]s (parameters, bodies, responses);
//! - `auth`: `securitySchemes` → [`AuthScheme`]s.

pub(crate) mod auth;
pub(crate) mod dedup;
pub mod features;
pub(crate) mod jobs;
pub(crate) mod operations;
pub(crate) mod pagination;
pub(crate) mod types;

use crate::diagnostic::{push_pointer, Problem};
use crate::load::Spec;
use crate::naming;
use crate::resolve::Resolver;
use openapiv3::OpenAPI;
use std::collections::BTreeSet;

/// Everything the generated crate is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiModel {
    /// `info.title`.
    pub title: String,
    /// `info.license`, as an SPDX identifier, when it names a licence
    /// `crate::settings::spdx_license` knows (a 3.1 `identifier` is taken as written).
    pub license: Option<String>,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`: the API's version, not the crate's.
    pub api_version: String,
    /// `servers`, in document order.
    pub servers: Vec<ServerDef>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations in document order (paths, then methods in a fixed order).
    pub operations: Vec<Operation>,
    /// Credentials the API accepts, in `securitySchemes` order.
    pub auth: Vec<AuthScheme>,
    /// Headers sent with every request (extension `x-clientgen-headers`).
    pub default_headers: Vec<(String, String)>,
    /// A per-client path prefix (extension `x-clientgen-path-prefix`).
    pub path_prefix: Option<PathPrefix>,
    /// The cargo features per tag, and which items each builds.
    pub features: features::Features,
}

/// A path prefix the caller chooses per client, such as Kibana's `/s/{space}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPrefix {
    /// The builder method that sets it (and the name of its one argument).
    pub method_name: String,
    /// The template, with one `{name}` placeholder.
    pub template: String,
    /// Documentation.
    pub doc: Option<String>,
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDef {
    /// The URL with server variables replaced by their defaults.
    pub url: String,
    /// The server's description.
    pub description: Option<String>,
}

/// A named Rust type to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name.
    pub name: String,
    /// Documentation (the schema's title and description).
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// JSON pointer to the schema it comes from.
    pub pointer: String,
    /// What the type is.
    pub kind: TypeKind,
}

/// The shape of a [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties; unknown members are kept according to `additional`.
    Struct {
        /// Known properties, in document order.
        fields: Vec<Field>,
        /// What happens to members that are not listed.
        additional: Additional,
    },
    /// A closed set of string or integer values, plus a variant that keeps unknown ones.
    Enum {
        /// Whether values are strings or integers on the wire.
        repr: EnumRepr,
        /// Known values, in document order.
        variants: Vec<EnumVariant>,
    },
    /// A value that is one of several shapes (`oneOf` / `anyOf`), tried in order, with a
    /// fallback variant that keeps anything else as JSON.
    Union {
        /// The alternatives, in document order.
        variants: Vec<UnionVariant>,
        /// The member whose value says which alternative a value is, when the spec names one.
        discriminator: Option<Discriminator>,
    },
    /// Another name for a type (`pub type Name = …;`).
    Alias(TypeRef),
}

/// Where a struct keeps members its schema does not list.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// Kept as JSON values, so that decode → encode loses nothing (the default).
    Keep,
    /// Kept, typed as the `additionalProperties` schema says.
    Typed(TypeRef),
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The member name on the wire.
    pub wire_name: String,
    /// The field's type, before `Option` for optional or nullable fields.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Must be boxed because the type contains itself through this field.
    pub boxed: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Documentation.
    pub doc: Option<String>,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// Whether the field tells "absent" (`None`) from `null` (`Some(None)`): optional members
    /// that may also be `null`.
    pub fn double_option(&self) -> bool {
        !self.required && self.nullable
    }
}

/// How an enum's values look on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One known value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The exact value on the wire.
    pub value: EnumValue,
    /// Documentation (from `x-enum-descriptions`).
    pub doc: Option<String>,
}

/// An enum value as sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnumValue {
    /// A string value.
    String(String),
    /// An integer value.
    Integer(i64),
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The alternative's type.
    pub ty: TypeRef,
    /// Must be boxed because the union contains itself through this variant.
    pub boxed: bool,
}

/// How a union tells its alternatives apart by one member's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// The member's name on the wire.
    pub property: String,
    /// Tag value → variant name, explicit mappings first, then implicit ones (schema names).
    pub mapping: Vec<(String, String)>,
}

/// A reference to a type: a named [`TypeDef`] or a built-in Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A type defined in the model, by Rust name.
    Named(String),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `chrono::DateTime<chrono::Utc>` (`format: date-time`).
    DateTime,
    /// `chrono::NaiveDate` (`format: date`).
    Date,
    /// `uuid::Uuid`.
    Uuid,
    /// `std::net::Ipv4Addr`.
    Ipv4,
    /// `std::net::Ipv6Addr`.
    Ipv6,
    /// `std::net::IpAddr`.
    Ip,
    /// `clientgen_runtime::FilePart` (`format: binary`): a file part in multipart bodies,
    /// base64 text inside JSON.
    Binary,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `serde_json::Map<String, serde_json::Value>`: a free-form JSON object.
    Object,
    /// `serde_json::Value`: anything.
    Any,
}

/// One API operation, which becomes one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written (or derived from method and path when absent).
    pub id: String,
    /// The Rust method name.
    pub method_name: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template, relative to the server URL.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The first tag, if any.
    pub tag: Option<String>,
    /// Path parameters, in template order.
    pub path_params: Vec<Param>,
    /// Query, header and cookie parameters, in document order.
    pub params: Vec<Param>,
    /// The name of the struct that holds `params` (when there are any).
    pub params_type: Option<String>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// What a successful call returns.
    pub success: SuccessReturn,
    /// Error responses with a declared JSON body, decoded into the error when they come.
    pub errors: Vec<DeclaredError>,
    /// How to walk its pages, when the spec declares it (`x-clientgen-pagination`).
    pub pagination: Option<PaginationDef>,
    /// The job it creates, when the spec declares one (`x-clientgen-job`).
    pub job: Option<JobDef>,
    /// The security schemes it accepts (keys of `securitySchemes`), when that is narrower than
    /// every scheme the client offers; empty for a public operation. `None`: any.
    pub security: Option<Vec<String>>,
}

/// A long-running job created by an operation (see `jobs`).
#[derive(Debug, Clone, PartialEq)]
pub struct JobDef {
    /// The helper's name.
    pub method_name: String,
    /// The creation response's field holding the job id.
    pub id_field: String,
    /// The method that reads the job's status.
    pub status_method: String,
    /// The status response's field holding the status.
    pub status_field: String,
    /// Status values meaning "done".
    pub done: Vec<serde_json::Value>,
    /// Status values meaning "failed".
    pub failed: Vec<serde_json::Value>,
    /// The page stream reading the results (the results operation's
    /// [`PaginationDef::stream_method`]).
    pub results_stream: String,
    /// Its parameter struct.
    pub results_params_type: Option<String>,
    /// One result's type.
    pub item_ty: TypeRef,
    /// The creation body's type.
    pub body_ty: TypeRef,
}

/// How a list operation pages (see `pagination`).
#[derive(Debug, Clone, PartialEq)]
pub struct PaginationDef {
    /// The client method streaming every item (see `crate::naming::stream_method`).
    pub stream_method: String,
    /// How pages are addressed.
    pub style: PageStyle,
    /// The Rust name of the query parameter that moves (none for next links).
    pub param: Option<String>,
    /// Whether that parameter is required (not an `Option`).
    pub param_required: bool,
    /// Its integer type.
    pub param_ty: TypeRef,
    /// The first position.
    pub start: u64,
    /// The path from the response to the items.
    pub items: Vec<PathStep>,
    /// One item's type.
    pub item_ty: TypeRef,
    /// The path to the total count, if the response has one.
    pub total: Option<Vec<PathStep>>,
    /// The path to the "more pages" flag, if the response has one.
    pub has_more: Option<Vec<PathStep>>,
    /// The path to the next link or cursor (next-link and cursor styles).
    pub next: Option<Vec<PathStep>>,
    /// The response type.
    pub response_ty: TypeRef,
}

/// How pages are addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// An item offset (`offset`, `skip`).
    Offset,
    /// A page number.
    Page,
    /// A link to the next page in the response, followed as given (DRF's `next`).
    NextLink,
    /// A cursor in the response, sent back as a parameter.
    Cursor,
}

/// One member on a path through a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// The Rust field name.
    pub field: String,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field is an `Option<Option<_>>`.
    pub double: bool,
}

/// An error response whose body the spec declares.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredError {
    /// Which statuses it covers.
    pub status: ErrorStatus,
    /// The body's type.
    pub ty: TypeRef,
}

/// The statuses a declared error response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorStatus {
    /// One status code.
    Code(u16),
    /// A range such as `4XX` (the hundreds digit).
    Range(u16),
    /// `default`: every status not declared otherwise.
    Default,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// The Rust name.
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type (`Array` for list parameters).
    pub ty: TypeRef,
    /// `required: true`.
    pub required: bool,
    /// How the value is written (`style`, or the default of its location: `form` in the query
    /// and cookies, `simple` in the path and headers).
    pub style: ParamStyle,
    /// `explode`, or its default: `true` for `style: form`, `false` for the others. For lists
    /// and objects: one pair (or label, or matrix part) per item or member.
    pub explode: bool,
    /// Declared with `content` of a JSON media type: the value is sent as its JSON text.
    pub json_content: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// JSON pointer to the parameter, for problems found after the model is built.
    pub pointer: String,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// As a header.
    Header,
    /// As a cookie (in the `Cookie` header).
    Cookie,
}

/// How a parameter value is written (OpenAPI 3.0 `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `name=value` pairs (query, cookie).
    Form,
    /// Comma-separated text (path, header).
    Simple,
    /// `.`-prefixed text (path).
    Label,
    /// `;name=value` text (path).
    Matrix,
    /// Items joined by spaces (query).
    SpaceDelimited,
    /// Items joined by `|` (query).
    PipeDelimited,
    /// `name[member]=value` pairs (query).
    DeepObject,
}

/// An operation's request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The body's type (for JSON and form bodies).
    pub ty: TypeRef,
    /// How the body is encoded.
    pub kind: BodyKind,
    /// The media type sent.
    pub media_type: String,
    /// `required: true`.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// JSON pointer to the chosen media type.
    pub pointer: String,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON, from a typed value.
    Json,
    /// `application/x-www-form-urlencoded`, from a typed value.
    Form,
    /// `multipart/form-data`, one part per member of an object.
    Multipart,
    /// Newline-delimited JSON, one line per item of a list.
    Ndjson,
    /// Text (`text/*`), from a string.
    Text,
    /// Raw bytes (any other media type).
    Bytes,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// No body.
    Empty,
    /// JSON decoded into a type.
    Json(TypeRef),
    /// Text (`text/*`).
    Text,
    /// Newline-delimited JSON: one value of this type per line.
    Ndjson(TypeRef),
    /// Raw bytes (any other media type).
    Bytes,
}

/// One declared success response.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    /// The status code, or `None` for a `2XX` range or a `default` taken as success.
    pub status: Option<u16>,
    /// The Rust variant name when the operation has several distinct responses.
    pub variant: String,
    /// The body.
    pub payload: Payload,
    /// Documentation.
    pub doc: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessReturn {
    /// One payload, whichever success status came.
    Single {
        /// The statuses declared with it (empty for "any 2xx").
        statuses: Vec<u16>,
        /// The body.
        payload: Payload,
    },
    /// Several distinct responses: an enum named `type_name`, one variant per response.
    Several {
        /// The enum's name.
        type_name: String,
        /// The responses.
        responses: Vec<SuccessResponse>,
    },
}

/// A way of authenticating that the generated builder offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// The key under `securitySchemes`.
    pub key: String,
    /// The builder method name that sets it.
    pub method_name: String,
    /// What the scheme sends.
    pub kind: AuthKind,
    /// Documentation.
    pub doc: Option<String>,
}

/// What an [`AuthScheme`] sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
    /// A key in a header, optionally as `<prefix> <key>` (extension `x-clientgen-key-prefix`).
    ApiKeyHeader {
        /// The header name.
        name: String,
        /// The prefix, if any.
        prefix: Option<String>,
    },
    /// A key in the query string.
    ApiKeyQuery {
        /// The parameter name.
        name: String,
    },
    /// A key in a cookie.
    ApiKeyCookie {
        /// The cookie name.
        name: String,
    },
    /// OAuth2 client credentials against `token_url`.
    ClientCredentials {
        /// The token endpoint (absolute, or relative to the base URL).
        token_url: String,
    },
    /// A credential exchanged for a bearer token (extension `x-clientgen-token-exchange`).
    TokenExchange(TokenExchangeDef),
}

/// A token exchange as declared by `x-clientgen-token-exchange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenExchangeDef {
    /// The token endpoint path (relative to the base URL, `/…` relative to the host).
    pub path: String,
    /// `true`: HTTP Basic `user:secret`; `false`: `Bearer <key>`.
    pub basic: bool,
    /// The response member holding the token.
    pub token_field: String,
    /// The member with the lifetime in seconds, if any.
    pub expires_in_field: Option<String>,
    /// The member with the expiry in Unix seconds, if any.
    pub expires_at_field: Option<String>,
    /// The documented lifetime, used when no member says.
    pub lifetime_seconds: u64,
}

/// Builds the model of `spec`, reporting every problem found (not only the first).
pub fn build(spec: &Spec) -> Result<ApiModel, Vec<Problem>> {
    build_with_warnings(spec).map(|(model, _)| model)
}

/// Builds the model of `spec` and says what was tolerated.
///
/// Strictly (the default), every problem refuses the spec. Leniently (`spec.lenient`), what
/// the generator cannot express is left out with a warning naming it, and the rest is built:
/// an operation with a problem of its own is left out; a named type with a problem becomes
/// "any JSON value"; a security scheme or requirement that cannot be offered is skipped; a
/// duplicate `operationId` is replaced by one derived from the method and path. Problems with
/// this project's own extensions (`x-clientgen-…`) refuse the spec either way.
pub(crate) fn build_with_warnings(spec: &Spec) -> Result<(ApiModel, Vec<Problem>), Vec<Problem>> {
    let document = &spec.document;
    let lenient = spec.lenient;
    let resolver = Resolver::new(document.components.as_ref());
    // Problems that refuse the spec in any mode, and those lenient building tolerates.
    let mut problems = Vec::new();
    let mut tolerated = Vec::new();
    let mut type_problems = Vec::new();
    let mut types = types::TypeBuilder::new(resolver);
    types.add_components(document.components.as_ref(), &mut type_problems);
    let mut client_methods = naming::client_methods();
    let built = operations::build(
        document,
        resolver,
        &mut types,
        &mut client_methods,
        lenient,
        &mut tolerated,
    );
    let mut operations = Vec::with_capacity(built.len());
    for (operation, own) in built {
        if own.is_empty() {
            operations.push(operation);
        } else if lenient {
            tolerated.extend(own.into_iter().map(|p| left_out(p, &operation)));
        } else {
            problems.extend(own);
        }
    }
    // Each scope of generated method names has one allocator, through which every name in it
    // goes, derived ones included (see `crate::naming`).
    let mut builder_methods = naming::builder_methods();
    let auth = auth::build(document, &mut builder_methods, &mut tolerated);
    auth::attach_security(document, &mut operations, &auth, &mut tolerated);
    let default_headers = auth::default_headers(document, &mut problems);
    let path_prefix = auth::path_prefix(document, &mut builder_methods, &mut problems);
    let mut types = types.finish(&mut type_problems);
    if lenient {
        for problem in type_problems {
            tolerated.push(as_any_value(
                problem,
                &mut types,
                &mut operations,
                &mut problems,
            ));
        }
    } else {
        problems.append(&mut type_problems);
    }
    check_param_types(&operations, &types, &mut tolerated);
    let mut multipart = Vec::new();
    operations.retain(|op| match multipart_problem(op, &types) {
        None => true,
        Some(problem) if lenient => {
            multipart.push(left_out(problem, op));
            false
        }
        Some(problem) => {
            multipart.push(problem);
            true
        }
    });
    tolerated.append(&mut multipart);
    pagination::attach(
        document,
        &mut operations,
        &types,
        &mut client_methods,
        &mut problems,
    );
    jobs::attach(
        document,
        &mut operations,
        &types,
        &mut client_methods,
        &mut problems,
    );
    if !lenient {
        problems.append(&mut tolerated);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    dedup::merge_identical(&mut types);
    let servers = document
        .servers
        .iter()
        .map(|server| ServerDef {
            url: server_url(server),
            description: server.description.clone(),
        })
        .collect();
    let model = ApiModel {
        title: document.info.title.clone(),
        license: document.info.license.as_ref().and_then(|l| {
            l.extensions
                .get(crate::load::openapi31::LICENSE_IDENTIFIER)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .or_else(|| crate::settings::spdx_license(&l.name).map(str::to_owned))
        }),
        description: document.info.description.clone(),
        api_version: document.info.version.clone(),
        servers,
        types,
        operations,
        auth,
        default_headers,
        path_prefix,
        features: features::Features::default(),
    };
    let model = ApiModel {
        features: features::Features::of(&model),
        ..model
    };
    Ok((model, tolerated))
}

/// The warning for a problem that leaves `operation` out.
fn left_out(problem: Problem, operation: &Operation) -> Problem {
    Problem::new(
        problem.pointer,
        format!(
            "{}; operation `{}` ({} {}) is left out",
            problem.message, operation.id, operation.http_method, operation.path
        ),
    )
}

/// Leniently, a type with a problem becomes "any JSON value"; the warning says which. A problem
/// no type owns leaves out the operation it is in, or else stays an error.
fn as_any_value(
    problem: Problem,
    types: &mut [TypeDef],
    operations: &mut Vec<Operation>,
    errors: &mut Vec<Problem>,
) -> Problem {
    let under = |prefix: &str, pointer: &str| {
        pointer == prefix
            || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
    };
    let owner = types
        .iter_mut()
        .filter(|def| under(&def.pointer, &problem.pointer))
        .max_by_key(|def| def.pointer.len());
    if let Some(def) = owner {
        def.kind = TypeKind::Alias(TypeRef::Any);
        let note = "The spec's definition could not be expressed, so this is any JSON value.";
        def.doc = Some(match def.doc.take() {
            Some(doc) => format!("{doc}\n\n{note}"),
            None => note.to_owned(),
        });
        return Problem::new(
            problem.pointer,
            format!(
                "{}; type `{}` is taken as any JSON value",
                problem.message, def.name
            ),
        );
    }
    let op_pointer = |op: &Operation| {
        push_pointer(
            &push_pointer("/paths", &op.path),
            &op.http_method.to_ascii_lowercase(),
        )
    };
    if let Some(index) = operations
        .iter()
        .position(|op| under(&op_pointer(op), &problem.pointer))
    {
        let operation = operations.remove(index);
        return left_out(problem, &operation);
    }
    errors.push(problem.clone());
    problem
}

/// The members of `ty` when it names a struct (extensions walk response types with it).
fn struct_fields<'d>(ty: &TypeRef, defs: &'d [TypeDef]) -> Option<&'d [Field]> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match &defs.iter().find(|d| &d.name == name)?.kind {
        TypeKind::Struct { fields, .. } => Some(fields),
        _ => None,
    }
}

/// The type of `op`'s one JSON success response, if that is what it has.
fn json_response(op: &Operation) -> Option<&TypeRef> {
    match &op.success {
        SuccessReturn::Single {
            payload: Payload::Json(ty),
            ..
        } => Some(ty),
        _ => None,
    }
}

/// Every operation carrying the extension `name`: (index in `operations`, its value, the JSON
/// pointer to it). Used by the operation-level extensions (`pagination`, `jobs`).
fn operation_extensions<'a>(
    document: &'a OpenAPI,
    operations: &[Operation],
    name: &str,
) -> Vec<(usize, &'a serde_json::Value, String)> {
    let mut found = Vec::new();
    for (path, item) in &document.paths.paths {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(value) = op.extensions.get(name) else {
                continue;
            };
            let index = operations
                .iter()
                .position(|o| o.path == *path && o.http_method.eq_ignore_ascii_case(method));
            if let Some(index) = index {
                let at = push_pointer(&push_pointer(&push_pointer("/paths", path), method), name);
                found.push((index, value, at));
            }
        }
    }
    found
}

/// The broad shape of a parameter's values, as far as the types tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParamShape {
    Scalar,
    Array,
    Object,
    /// A union of several shapes, or anything (`serde_json::Value`): known only at run time.
    Unknown,
}

fn param_shape(ty: &TypeRef, defs: &[TypeDef], param_types: &BTreeSet<String>) -> ParamShape {
    let mut ty = ty;
    // Aliases may chain; a chain longer than the number of types is a cycle.
    for _ in 0..=defs.len() {
        match ty {
            TypeRef::Array(_) => return ParamShape::Array,
            TypeRef::Map(_) | TypeRef::Object => return ParamShape::Object,
            TypeRef::Any => return ParamShape::Unknown,
            TypeRef::Named(name) => match defs.iter().find(|d| &d.name == name).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::Struct { .. }) => return ParamShape::Object,
                _ if types::is_param(ty, param_types) => return ParamShape::Scalar,
                _ => return ParamShape::Unknown,
            },
            _ => return ParamShape::Scalar,
        }
    }
    ParamShape::Unknown
}

/// Every parameter shape can be sent; this reports the combinations of style and shape that
/// OpenAPI 3.0 leaves undefined, saying how they are sent (as `style: form`, which is what the
/// runtime does with them). `content` parameters are sent as JSON text, whatever their shape.
fn check_param_types(operations: &[Operation], defs: &[TypeDef], problems: &mut Vec<Problem>) {
    let param_types = types::param_types(defs);
    for param in operations
        .iter()
        .flat_map(|op| op.path_params.iter().chain(&op.params))
    {
        if param.json_content {
            continue;
        }
        let shape = param_shape(&param.ty, defs, &param_types);
        let (defined_for, sent_as) = match (param.style, shape) {
            (ParamStyle::DeepObject, ParamShape::Array) => (
                "objects",
                format!("each item is sent as `{}[]=item`", param.wire_name),
            ),
            (ParamStyle::DeepObject, ParamShape::Scalar) => {
                ("objects", "it is sent as `style: form`".to_owned())
            }
            (ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited, ParamShape::Scalar) => (
                "lists and objects",
                "it is sent as `style: form`".to_owned(),
            ),
            _ => continue,
        };
        let style = match param.style {
            ParamStyle::DeepObject => "deepObject",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            _ => "pipeDelimited",
        };
        let what = if shape == ParamShape::Array {
            "a list"
        } else {
            "a scalar"
        };
        problems.push(Problem::new(
            push_pointer(&param.pointer, "style"),
            format!(
                "parameter `{}` is {what}, but `style: {style}` is defined only for {defined_for}; {sent_as}",
                param.wire_name
            ),
        ));
    }
}

/// A multipart body is sent one part per member, so it must be an object.
fn multipart_problem(op: &Operation, defs: &[TypeDef]) -> Option<Problem> {
    let body = op.body.as_ref().filter(|b| b.kind == BodyKind::Multipart)?;
    let is_object = match &body.ty {
        TypeRef::Object => true,
        TypeRef::Named(name) => defs
            .iter()
            .any(|d| &d.name == name && matches!(d.kind, TypeKind::Struct { .. })),
        _ => false,
    };
    (!is_object).then(|| {
        Problem::new(
            body.pointer.clone(),
            "a multipart/form-data body must be an object schema: each member becomes one part",
        )
    })
}

/// A server URL with each `{variable}` replaced by its default.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}
