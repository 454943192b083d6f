//! `src/fake.rs` (compiled with the crate's `fake` feature): a typed fake of the API for the
//! tests of the crate's users.
//!
//! Only the typed surface is generated: the route table (operation id, method, path template),
//! the token endpoints the client's credentials are exchanged at, the credentials the fake's
//! client uses, and one method per operation returning
//! `clientgen_runtime::fake::Answers<'_, T, B>` with `T` the operation's success value (and
//! the status it is answered with) and `B` its JSON request body. The server itself (wiremock), routing, answers in turn, delays
//! and recorded calls are `clientgen_runtime::fake`'s.

use proc_macro2::TokenStream;

use crate::emit::doc;
use quote::quote;

use super::operations::payload_type;
use super::{ident, manifest};
use crate::model::dedup;
use crate::model::{
    ApiModel, AuthKind, AuthScheme, BodyKind, Field, Operation, Payload, SuccessReturn, TypeKind,
    TypeRef,
};

/// The name of the `FakeApi` method setting the answers of each operation of `model`, in order
/// (see [`crate::naming::fake_methods`]).
fn method_names(model: &ApiModel) -> Vec<String> {
    crate::naming::fake_methods(model.operations.iter().map(|op| op.method_name.as_str()))
}

/// The contents of `src/fake.rs`.
pub fn emit(model: &ApiModel, crate_name: &str) -> TokenStream {
    let module_doc = module_doc(model, crate_name);
    let routes = model.operations.iter().map(|op| {
        let (id, method, path) = (&op.id, op.http_method.to_uppercase(), &op.path);
        quote!(Route::new(#id, #method, #path),)
    });
    let tokens = token_endpoints(model)
        .into_iter()
        .map(|(path, field)| quote!(TokenEndpoint::new(#path, #field),));
    let prefix = match &model.path_prefix {
        Some(prefix) => {
            let template = &prefix.template;
            quote!(Some(#template))
        }
        None => quote!(None),
    };
    let (credentials, credentials_doc) = credentials(model);
    let builder_doc = doc::text(&format!(
        "A builder of a client of the fake, with credentials it accepts{credentials_doc}: set timeouts or retries, then build."
    ));
    let summary = doc::text(&format!(
        "A fake of the {} for tests, on 127.0.0.1.",
        model.title
    ));
    // The answer types serve the operations' methods: with every operation behind a tag
    // feature, they are imported when one of those is on.
    let all_tagged = model
        .operations
        .iter()
        .all(|op| model.features.of_operation(&op.id).is_some());
    let answers_cfg = if all_tagged {
        super::cfg_any(
            model
                .features
                .tags
                .iter()
                .filter(|(_, tag)| tag.operations > 0)
                .map(|(feature, _)| feature),
        )
    } else {
        TokenStream::new()
    };
    let methods = model
        .operations
        .iter()
        .zip(method_names(model))
        .map(|(op, name)| {
            let cfg = super::cfg_any(
                model
                    .features
                    .of_operation(&op.id)
                    .map(str::to_owned)
                    .as_ref(),
            );
            let method = answers_method(op, &name);
            quote!(#cfg #method)
        });
    quote! {
        #(#![doc = #module_doc])*
        use clientgen_runtime::fake::{Call, FakeServer, Route, TokenEndpoint};
        #answers_cfg
        use clientgen_runtime::fake::{Answers, Reply};

        /// The operations: id, method and path template.
        const ROUTES: &[Route] = &[#(#routes)*];

        /// Where the client's credentials are exchanged for a token.
        const TOKEN_ENDPOINTS: &[TokenEndpoint] = &[#(#tokens)*];

        #summary
        ///
        /// Every operation answers `501 Not Implemented`, naming itself, until its method here
        /// says what it answers.
        #[derive(Debug)]
        pub struct FakeApi {
            server: FakeServer,
        }

        impl FakeApi {
            /// Starts the fake on a free port of 127.0.0.1.
            pub async fn start() -> Self {
                FakeApi { server: FakeServer::start(ROUTES, #prefix, TOKEN_ENDPOINTS).await }
            }

            /// Its base URL, `http://127.0.0.1:<port>`.
            pub fn uri(&self) -> String {
                self.server.uri()
            }

            #builder_doc
            pub fn client_builder(&self) -> crate::ClientBuilder {
                crate::Client::builder().base_url(self.server.uri()) #credentials
            }

            /// A client of the fake.
            pub fn client(&self) -> crate::Client {
                self.client_builder().build().expect("a client of a fake on 127.0.0.1 builds")
            }

            /// Every call received, in arrival order (token requests included).
            pub fn calls(&self) -> Vec<Call> {
                self.server.calls()
            }

            /// The server: calls per operation, reset, the wiremock server underneath.
            pub fn server(&self) -> &FakeServer {
                &self.server
            }

            #(#methods)*
        }
    }
}

/// The module's documentation: what it is and an example run as a doctest.
fn module_doc(model: &ApiModel, crate_name: &str) -> Vec<String> {
    let mut text = format!(
        "A typed fake of the {} for tests (feature `fake`), served by wiremock on 127.0.0.1.\n\n\
         [`FakeApi::start`] starts it; each operation has a method saying what it answers \
         (`returns` a value of its success type, `returns_in_turn` pages or job statuses, \
         `fails` or `fails_with` an error status, after an optional `delay`, `when` a \
         condition on the call holds); [`FakeApi::client`] gives a client with credentials \
         it accepts; [`FakeApi::calls`] reads back what was called, and each \
         operation's method its own calls (`calls`) and request bodies in the crate's types \
         (`bodies`).\n\n",
        model.title
    );
    text.push_str(&example(model, crate_name, "rust"));
    text.lines()
        .map(|l| format!(" {l}").trim_end().to_owned())
        .collect()
}

/// An example test against the fake, as a fenced block tagged `tag`: a typed answer when
/// the example operation's success value is easy to make, an error status, the calls made.
pub fn example(model: &ApiModel, crate_name: &str, tag: &str) -> String {
    let krate = crate_name.replace('-', "_");
    let mut out = format!("```{tag}\nuse {krate}::fake::FakeApi;\n\n");
    out.push_str("#[tokio::main]\nasync fn main() {\n    let fake = FakeApi::start().await;\n");
    out.push_str("    let client = fake.client();\n");
    let Some(op) = manifest::example_operation(model) else {
        out.push_str("    println!(\"{client:?}\");\n}\n```\n");
        return out;
    };
    let method = &op.method_name;
    // Client method names are unique, so they say which fake method is the operation's.
    let fake_method = model
        .operations
        .iter()
        .zip(method_names(model))
        .find_map(|(o, name)| (o.method_name == *method).then_some(name))
        .unwrap_or_else(|| method.clone());
    let args = if op.params_type.is_some() {
        "&Default::default()"
    } else {
        ""
    };
    let call = format!("client.{method}({args}).await");
    let mut calls = 1;
    if let Some(value) = example_value(model, op, &krate) {
        calls += 1;
        out.push_str("\n    // A typed answer: a value of the operation's own success type.\n");
        if value == "()" {
            out.push_str(&format!("    fake.{fake_method}().returns(());\n"));
            out.push_str(&format!("    {call}.unwrap();\n"));
        } else {
            out.push_str(&format!("    let answer = {value};\n"));
            out.push_str(&format!(
                "    fake.{fake_method}().returns(answer.clone());\n"
            ));
            out.push_str(&format!("    assert_eq!({call}.unwrap(), answer);\n"));
        }
        out.push_str("\n    // An error status; the later answer takes precedence.\n");
    } else {
        out.push_str("\n    // An error status.\n");
    }
    out.push_str(&format!("    fake.{fake_method}().fails(404);\n"));
    out.push_str(&format!("    let error = {call}.unwrap_err();\n"));
    out.push_str("    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));\n");
    out.push_str(&format!(
        "\n    // What was called.\n    assert_eq!(fake.{fake_method}().calls().len(), {calls});\n"
    ));
    out.push_str("}\n```\n");
    out
}

/// A success value of `op` written without knowing the API: `()`, an empty list, or a
/// struct whose members are all optional (it implements `Default`).
fn example_value(model: &ApiModel, op: &Operation, krate: &str) -> Option<String> {
    let SuccessReturn::Single { payload, .. } = &op.success else {
        return None;
    };
    match payload {
        Payload::Empty => Some("()".to_owned()),
        Payload::Json(TypeRef::Array(_)) => Some("Vec::new()".to_owned()),
        Payload::Json(TypeRef::Named(name)) => {
            let defs = model.types.iter().map(|d| (d.name.as_str(), d)).collect();
            let def = dedup::definition(&defs, name)?;
            match &def.kind {
                TypeKind::Struct { fields, .. } if fields.iter().all(Field::optional) => {
                    Some(format!("{krate}::types::{name}::default()"))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The endpoints the client's credentials are exchanged at, relative to the base URL, each
/// once, with the member holding the token. Absolute token URLs cannot be served.
fn token_endpoints(model: &ApiModel) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for scheme in &model.auth {
        let endpoint = match &scheme.kind {
            AuthKind::ClientCredentials { token_url } if !token_url.contains("://") => {
                (token_url.clone(), "access_token".to_owned())
            }
            AuthKind::TokenExchange(def) if !def.path.contains("://") => {
                (def.path.clone(), def.token_field.clone())
            }
            _ => continue,
        };
        if !out.iter().any(|(path, _)| *path == endpoint.0) {
            out.push(endpoint);
        }
    }
    out
}

/// The builder call setting the fake client's credentials, and its description: the scheme
/// the most operations accept (the first of those in the spec's order on a tie).
fn credentials(model: &ApiModel) -> (TokenStream, String) {
    let accepting = |scheme: &AuthScheme| {
        model
            .operations
            .iter()
            .filter(|op| match &op.security {
                None => true,
                Some(keys) => keys.contains(&scheme.key),
            })
            .count()
    };
    let mut best: Option<(&AuthScheme, usize)> = None;
    for scheme in &model.auth {
        let count = accepting(scheme);
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((scheme, count));
        }
    }
    let Some((scheme, _)) = best else {
        return (TokenStream::new(), String::new());
    };
    let args: &[&str] = match &scheme.kind {
        AuthKind::Basic => &["fake-user", "fake-password"],
        AuthKind::Bearer => &["fake-token"],
        AuthKind::ClientCredentials { .. } => &["fake-client-id", "fake-client-secret"],
        AuthKind::TokenExchange(def) if def.basic => &["fake-user", "fake-api-key"],
        AuthKind::TokenExchange(_)
        | AuthKind::ApiKeyHeader { .. }
        | AuthKind::ApiKeyQuery { .. }
        | AuthKind::ApiKeyCookie { .. } => &["fake-api-key"],
    };
    let method = ident(&scheme.method_name);
    let quoted: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
    let doc = format!(" (`{}({})`)", scheme.method_name, quoted.join(", "));
    (quote!(.#method(#(#args),*)), doc)
}

/// `fn <operation>(&self) -> Answers<'_, T>`.
fn answers_method(op: &Operation, name: &str) -> TokenStream {
    let types = quote!(crate::types::);
    let method = ident(name);
    let id = &op.id;
    let (ty, encode) = match &op.success {
        SuccessReturn::Single { statuses, payload } => {
            let status = statuses.first().copied().unwrap_or(match payload {
                Payload::Empty => 204,
                _ => 200,
            });
            let ty = payload_type(payload, &types).unwrap_or_else(|| quote!(()));
            let reply = reply(payload, status, quote!(value));
            let value = match payload {
                Payload::Empty => quote!(_),
                _ => quote!(value),
            };
            (ty, quote!(|#value| #reply))
        }
        SuccessReturn::Several {
            type_name,
            responses,
        } => {
            let name = ident(type_name);
            let arms = responses.iter().map(|r| {
                let variant = ident(&r.variant);
                let status = r.status.unwrap_or(200);
                let reply = reply(&r.payload, status, quote!(value));
                match r.payload {
                    Payload::Empty => quote!(crate::operations::#name::#variant => #reply,),
                    _ => quote!(crate::operations::#name::#variant(value) => #reply,),
                }
            });
            (
                quote!(crate::operations::#name),
                quote!(|value| match value { #(#arms)* }),
            )
        }
    };
    let body = op
        .body
        .as_ref()
        .filter(|b| b.kind == BodyKind::Json)
        .map(|b| {
            let ty = super::rust_type(&b.ty, &types);
            quote!(, #ty)
        });
    let summary = doc::text(&format!(
        "Sets what `{} {}` ([`Client::{m}`](crate::Client::{m})) answers, or reads the calls it received.",
        op.http_method.to_uppercase(),
        op.path,
        m = op.method_name
    ));
    quote! {
        #summary
        pub fn #method(&self) -> Answers<'_, #ty #body> {
            self.server.answers(#id, #encode)
        }
    }
}

/// The reply for `value`, a payload answered with `status`.
fn reply(payload: &Payload, status: u16, value: TokenStream) -> TokenStream {
    let status = proc_macro2::Literal::u16_unsuffixed(status);
    match payload {
        Payload::Empty => quote!(Reply::empty(#status)),
        Payload::Json(_) => quote!(Reply::json(#status, #value)),
        Payload::Text => quote!(Reply::text(#status, #value)),
        Payload::Ndjson(_) => quote!(Reply::ndjson(#status, #value)),
        Payload::Bytes => quote!(Reply::bytes(#status, #value)),
    }
}
